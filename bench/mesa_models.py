"""Idiomatic Mesa 3 implementations of the classic models, for side-by-side speed with kohesi.

Written the way a Mesa user would write them (one ``CellAgent`` per site, the rules in agent
methods, the grid from ``mesa.discrete_space``), with the same rules as
:mod:`kohesi.simulate.axelrod` and :mod:`kohesi.simulate.schelling`:

- :class:`AxelrodModel`: Axelrod (1997), J. Conflict Resolution 41:203–226. Bounded grid, von
  Neumann neighbourhood; one event = a random agent, a random neighbour, interaction with
  probability overlap / F copying one differing feature. One ``step`` = one sweep of N events.
- :class:`SchellingModel`: Schelling (1971), J. Math. Sociol. 1:143–186, as in
  ``mesa.examples.basic.schelling`` (Moore grid without wrapping; every unhappy agent moves to a
  random empty cell in random order, then happiness is reassessed), collecting the model-level
  happy count and segregation index each step as kohesi does.

Needs Mesa >= 3.0 (Mesa 3.5 needs Python >= 3.12) and networkx.
"""

from __future__ import annotations

from mesa import Model
from mesa.discrete_space import CellAgent, OrthogonalMooreGrid, OrthogonalVonNeumannGrid

__all__ = ["AxelrodModel", "CultureAgent", "SchellingModel", "SchellingAgent"]


class CultureAgent(CellAgent):
    """A site with a culture: ``features`` traits, each in ``range(traits)``."""

    def __init__(self, model: AxelrodModel, cell, culture: list[int]) -> None:
        super().__init__(model)
        self.cell = cell
        self.culture = culture

    def interact(self) -> bool:
        """One event with a random neighbour; returns whether a trait was copied."""
        other = self.cell.neighborhood.select_random_agent()
        differ = [k for k, (a, b) in enumerate(zip(self.culture, other.culture, strict=True)) if a != b]
        overlap = len(self.culture) - len(differ)
        if not differ or overlap == 0:
            return False
        if self.random.random() < overlap / len(self.culture):
            k = self.random.choice(differ)
            self.culture[k] = other.culture[k]
            return True
        return False


class AxelrodModel(Model):
    """Axelrod's culture model on a bounded ``side`` × ``side`` territory."""

    def __init__(self, side: int = 10, features: int = 5, traits: int = 15, rng: int | None = None) -> None:
        super().__init__(rng=rng)
        self.grid = OrthogonalVonNeumannGrid((side, side), torus=False, capacity=1, random=self.random)
        for cell in self.grid.all_cells:
            CultureAgent(self, cell, [self.random.randrange(traits) for _ in range(features)])
        self.sites = list(self.agents)
        self.events = 0

    def step(self) -> None:
        """N events, each on an agent drawn at random (with replacement)."""
        for _ in range(len(self.sites)):
            self.random.choice(self.sites).interact()
        self.events += len(self.sites)

    def run_events(self, n: int) -> None:
        """Exactly ``n`` events."""
        for _ in range(n):
            self.random.choice(self.sites).interact()
        self.events += n


class SchellingAgent(CellAgent):
    """A resident of one of two types; happy with at least ``homophily`` like neighbours."""

    def __init__(self, model: SchellingModel, cell, agent_type: int, homophily: float) -> None:
        super().__init__(model)
        self.cell = cell
        self.type = agent_type
        self.homophily = homophily
        self.happy = False
        self.like_share = 0.0

    def assign_state(self) -> None:
        neighbors = list(self.cell.neighborhood.agents)
        similar = sum(1 for n in neighbors if n.type == self.type)
        self.like_share = similar / len(neighbors) if neighbors else 0.0
        self.happy = self.like_share >= self.homophily
        if self.happy:
            self.model.happy += 1
        if neighbors:
            self.model.like_total += self.like_share
            self.model.with_neighbours += 1

    def step(self) -> None:
        if not self.happy:
            self.cell = self.model.grid.select_random_empty_cell()


class SchellingModel(Model):
    """Schelling's segregation model with Mesa's example parameters."""

    def __init__(self, side: int = 20, density: float = 0.8, minority: float = 0.5,
                 homophily: float = 0.4, rng: int | None = None) -> None:
        super().__init__(rng=rng)
        self.grid = OrthogonalMooreGrid((side, side), torus=False, capacity=1, random=self.random)
        for cell in self.grid.all_cells:
            if self.random.random() < density:
                SchellingAgent(self, cell, 1 if self.random.random() < minority else 0, homophily)
        self.segregation: list[float] = []
        self.happy_share: list[float] = []
        self._assess()

    def _assess(self) -> None:
        self.happy = 0
        self.like_total = 0.0
        self.with_neighbours = 0
        self.agents.do("assign_state")
        self.segregation.append(self.like_total / max(self.with_neighbours, 1))
        self.happy_share.append(self.happy / len(self.agents))

    def step(self) -> None:
        self.agents.shuffle_do("step")
        self._assess()
        self.running = self.happy < len(self.agents)
