"""Many groups and parameter sweeps, on one machine or a Dask cluster: :func:`measure_many`, :func:`sweep`.

The unit of work is small and pure:

- **measure**: one group. Its events are loaded (:func:`kohesi.sources.open_groups`: a
  ``.duckdb`` store by group id, a Hive-partitioned Parquet dataset ``group_id=<g>/…``, one
  Parquet file holding many groups, or one export file per group) and passed to
  :func:`kohesi.measure.measure` unchanged; the result is ``profile.to_frame()`` with a
  ``group_id`` and a ``seed`` column in front.
- **sweep**: one (grid point, run) pair: :func:`kohesi.simulate.simulate` with ``events=False``,
  summarised as the mean of the last ``tail`` steps of a few state columns.

Every unit has its own seed, derived from the run's seed and the unit alone (not from the order
or the process it runs in), so a serial run, a local process pool and a Dask cluster give
identical tables. Modules: :mod:`~kohesi.batch.seeds`, :mod:`~kohesi.batch.units`,
:mod:`~kohesi.batch.executors`, :mod:`~kohesi.batch.parts` (resumable output),
:mod:`~kohesi.batch.run`.

A unit whose data is bad becomes one row of the errors table and the run goes on; a unit whose
worker dies is retried (``retries`` times) and then reported there too.
"""

from kohesi.batch.executors import EXECUTORS
from kohesi.batch.parts import RunSummary
from kohesi.batch.run import measure_many, sweep
from kohesi.batch.seeds import stable_hash, unit_seed
from kohesi.batch.units import SWEEP_METRICS, measure_unit, sweep_unit

__all__ = ["EXECUTORS", "SWEEP_METRICS", "RunSummary", "measure_many", "sweep", "measure_unit", "sweep_unit",
           "stable_hash", "unit_seed"]
