"""Scenarios (group type, threats and levers as data) and scheduled interventions.

A scenario is a TOML file in ``kohesi/simulate/scenarios/`` (or anywhere on disk) with four
tables that are read into one flat, frozen :class:`Scenario`:

- ``[group]``: size, communities (neighbourhoods, units, channels), roles, diversity, bridging;
- ``[threats]``: urbanisation (mobility, tie decay), individualism, social media;
- ``[levers]``: interaction intensity, public spaces, shared goal, tasks, leaders, equality;
- ``[agents]``: initial empathy, norms, adherence and trust.

The built-in scenarios follow the group types of the seeds: ``keluarga`` (family: a small
primary group), ``kampung`` (village / RT: similar, stable, frequent gotong royong),
``kota`` (city neighbourhood: large, diverse, mobile, individualist), ``organisasi``
(an organisation: differentiated roles, interdependence) and ``komunitas-online``
(an online community: many shallow contacts).
"""

from __future__ import annotations

import dataclasses
import re
import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from kohesi.errors import InputError

__all__ = [
    "Scenario",
    "Intervention",
    "INTERVENTIONS",
    "PERIODS",
    "load_scenario",
    "list_scenarios",
    "parse_intervention",
]

_TABLES = ("group", "threats", "levers", "agents")


@dataclass(frozen=True)
class Scenario:
    """Parameters of the solidarity model. Every field has a documented default.

    Group (size and diversity)
        ``n_agents``; ``n_communities`` (sub-groups that hold shared tasks); ``n_roles``
        (differentiated roles: interdependence → organic solidarity); ``n_values`` (value
        dimensions: similarity → mechanical solidarity); ``diversity`` (spread of community
        value centres, 0–1); ``within_diversity`` (spread of values inside a community);
        ``initial_ties`` (mean ties per agent at setup); ``capacity`` (most ties an agent keeps);
        ``bridging`` (share of ties and encounters that cross communities).
    Threats
        ``mobility`` (share of agents who leave and are replaced per step: urbanisation);
        ``tie_decay`` (loss of tie strength per step without contact: urbanisation);
        ``individualism`` and ``individualism_sd``; ``social_media`` (online contacts per agent:
        broad), ``online_rate`` (chance an online tie is used in a step), ``online_depth``
        (how much one online exchange counts relative to a face-to-face one: shallow) and
        ``online_reach`` (online contacts come from the agent's wider circle of this many
        members, its district, school or workplace; anyone in smaller groups);
        ``attention_cost`` (share of face-to-face contact displaced per online contact used).
    Levers
        ``intensity`` (chance a face-to-face tie is used in a step); ``public_spaces`` (chance of
        a chance encounter per agent and step); ``shared_goal`` (0–1); ``task_rate`` (chance a
        community holds a shared task in a step); ``participation`` (base chance to take part);
        ``leaders`` (share of leaders); ``leader_influence``; ``inequality`` (spread of
        log-resources; policy lowers it).
    Agents
        ``empathy``, ``norm`` (initial cooperative norm), ``norm_sd``, ``adherence`` (how
        strongly an agent follows its strong ties' norms), ``stranger_trust`` (generalised
        trust in co-participants one has no tie with), ``homophily`` (how much communication
        success depends on similarity).
    """

    name: str = "custom"
    description: str = ""
    n_agents: int = 200
    n_communities: int = 4
    n_roles: int = 4
    n_values: int = 3
    diversity: float = 0.2
    within_diversity: float = 0.1
    initial_ties: float = 6.0
    capacity: int = 12
    bridging: float = 0.1
    mobility: float = 0.0
    tie_decay: float = 0.01
    individualism: float = 0.3
    individualism_sd: float = 0.1
    social_media: float = 0.0
    online_rate: float = 0.5
    online_depth: float = 0.15
    online_reach: int = 5000
    attention_cost: float = 0.05
    intensity: float = 0.3
    public_spaces: float = 0.02
    shared_goal: float = 0.5
    task_rate: float = 0.15
    participation: float = 0.6
    leaders: float = 0.03
    leader_influence: float = 1.0
    inequality: float = 0.4
    empathy: float = 0.4
    norm: float = 0.5
    norm_sd: float = 0.15
    adherence: float = 0.5
    stranger_trust: float = 0.3
    homophily: float = 2.0

    def __post_init__(self) -> None:
        if self.n_agents < 2 or self.n_communities < 1 or self.n_communities > self.n_agents:
            raise ValueError("a scenario needs n_agents >= 2 and 1 <= n_communities <= n_agents")
        if self.capacity < 1 or self.n_roles < 1 or self.n_values < 1 or self.online_reach < 1:
            raise ValueError("capacity, n_roles, n_values and online_reach must be >= 1")
        for name in ("diversity", "bridging", "mobility", "tie_decay", "individualism",
                     "online_rate", "online_depth", "intensity", "public_spaces", "shared_goal",
                     "task_rate", "participation", "leaders", "empathy", "norm", "adherence",
                     "stranger_trust", "attention_cost"):
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"scenario parameter {name} must lie in [0, 1], got {value}")

    def replace(self, **changes: object) -> Scenario:
        """A copy with some parameters changed (``kampung.replace(n_agents=2000)``)."""
        return dataclasses.replace(self, **changes)

    def to_dict(self) -> dict[str, object]:
        """All parameters as a flat dictionary."""
        return dataclasses.asdict(self)


INTERVENTIONS: dict[str, str] = {
    "education": "raises empathy and lowers individualism (schools, training in cooperation)",
    "gotong-royong": "a whole-community shared task: every community works together on the day",
    "public-spaces": "more chance encounters, more of them across communities (parks, markets)",
    "policy": "moves resources toward the mean (justice, welfare, inclusion)",
    "media": "broadcasts the cooperative norm (awareness, inspiring stories)",
    "leadership": "the most trusted member of each community becomes an active leader",
}
"""Intervention kinds and what one application does."""

PERIODS = {"daily": 1, "weekly": 7, "monthly": 30, "once": 0}
"""Named intervention periods, in days (``once``: a single application)."""
_SPEC = re.compile(r"^(?P<kind>[a-z-]+)@(?P<start>\d+)(?::(?P<period>[a-z]+|\d+))?(?:\*(?P<strength>[0-9.]+))?$")


@dataclass(frozen=True)
class Intervention:
    """A lever applied from step ``start``, every ``period`` steps (0: once).

    ``strength`` scales the effect of one application (1.0 by default).

    Examples
    --------
    >>> parse_intervention("gotong-royong@100:weekly")
    Intervention(kind='gotong-royong', start=100, period=7, strength=1.0)
    >>> Intervention("media", 10, 30).fires(40), Intervention("media", 10, 30).fires(41)
    (True, False)
    """

    kind: str
    start: int = 0
    period: int = 0
    strength: float = 1.0

    def __post_init__(self) -> None:
        if self.kind not in INTERVENTIONS:
            raise ValueError(f"unknown intervention {self.kind!r}; known: {', '.join(INTERVENTIONS)}")
        if self.start < 0 or self.period < 0 or self.strength < 0:
            raise ValueError("intervention start, period and strength must be >= 0")

    def fires(self, step: int) -> bool:
        """Whether the intervention is applied at ``step``."""
        if step < self.start:
            return False
        if self.period == 0:
            return step == self.start
        return (step - self.start) % self.period == 0


def parse_intervention(spec: str | Intervention) -> Intervention:
    """Read ``"kind@start[:period][*strength]"``; period is daily, weekly, monthly, once or a number.

    Examples
    --------
    >>> parse_intervention("education@0:30*0.5")
    Intervention(kind='education', start=0, period=30, strength=0.5)
    >>> parse_intervention("policy@50")
    Intervention(kind='policy', start=50, period=0, strength=1.0)
    """
    if isinstance(spec, Intervention):
        return spec
    kinds = ", ".join(INTERVENTIONS)
    m = _SPEC.match(spec.strip().lower())
    if m is None:
        raise ValueError(f"cannot read intervention {spec!r}: expected kind@start[:period][*strength], "
                         f"e.g. 'gotong-royong@100:weekly', with kind one of {kinds}")
    if m["kind"] not in INTERVENTIONS:
        raise ValueError(f"unknown intervention {m['kind']!r} in {spec!r}; kind is one of {kinds} "
                         "(kind@start[:period][*strength], e.g. 'gotong-royong@100:weekly')")
    period = m["period"] or "once"
    if period.isdigit():
        period_steps = int(period)
    elif period in PERIODS:
        period_steps = PERIODS[period]
    else:
        raise ValueError(f"unknown period {period!r} in {spec!r}; use daily, weekly, monthly, once or a number of days")
    try:
        strength = float(m["strength"]) if m["strength"] else 1.0
    except ValueError:
        raise ValueError(f"strength {m['strength']!r} in {spec!r} is not a number, e.g. '*0.5'") from None
    return Intervention(m["kind"], int(m["start"]), period_steps, strength)


def list_scenarios() -> list[str]:
    """Names of the built-in scenarios."""
    folder = resources.files("kohesi.simulate") / "scenarios"
    return sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".toml"))


def load_scenario(name_or_path: str | Path) -> Scenario:
    """Load a built-in scenario by name (``"kampung"``) or a TOML file by path.

    Examples
    --------
    >>> load_scenario("kampung").name
    'kampung'
    """
    path = Path(name_or_path)
    if path.suffix == ".toml" and path.exists():
        text, source = path.read_text(encoding="utf-8"), str(path)
    else:
        res = resources.files("kohesi.simulate") / "scenarios" / f"{name_or_path}.toml"
        if not res.is_file():
            raise InputError(
                str(name_or_path),
                f"no such scenario; built-in scenarios: {', '.join(list_scenarios())}",
            )
        text, source = res.read_text(encoding="utf-8"), f"{name_or_path}.toml"
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(source, f"not valid TOML: {exc}") from None
    flat: dict[str, object] = {"name": data.get("name", path.stem), "description": data.get("description", "")}
    known = {f.name for f in dataclasses.fields(Scenario)}
    for table in _TABLES:
        for key, value in data.get(table, {}).items():
            if key not in known:
                raise InputError(source, f"unknown parameter {key!r} in [{table}]")
            flat[key] = value
    unknown = set(data) - set(_TABLES) - {"name", "description"}
    if unknown:
        raise InputError(source, f"unknown tables or keys: {', '.join(sorted(unknown))}")
    try:
        return Scenario(**flat)  # type: ignore[arg-type]
    except (TypeError, ValueError) as exc:
        raise InputError(source, str(exc)) from None

