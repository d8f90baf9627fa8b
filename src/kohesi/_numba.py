"""Numba, loaded for kohesi's compiled kernels without importing ``scipy.linalg`` first.

When Numba's CPU target starts (the first kernel compiled or loaded from its cache) it imports
``numba.np.arraymath``, whose module body probes for a BLAS by importing
``scipy.linalg.cython_blas``: 0.25–0.45 s and 60 MB at every start of a command, although no
kohesi kernel calls BLAS. Here that one probe is answered "available" without importing SciPy;
Numba's real check (``numba.np.linalg.ensure_blas``) is put back at once and still runs, with
the import, when a kernel that uses BLAS (``np.dot`` on floats, ``np.linalg``) is compiled.
Every kohesi module imports Numba from here (``from kohesi._numba import numba, njit``).
"""

from __future__ import annotations

import sys

import numba
import numba.np.linalg as _linalg
from numba import njit, prange

__all__ = ["numba", "njit", "prange"]

if "numba.np.arraymath" not in sys.modules:
    _ensure_blas = _linalg.ensure_blas
    _linalg.ensure_blas = lambda: None
    try:
        import numba.np.arraymath  # noqa: F401  (its BLAS probe runs now, against the stand-in)
    finally:
        _linalg.ensure_blas = _ensure_blas
