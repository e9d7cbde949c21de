"""Cluster profiles: what the placement model knows about each cluster (MODEL.md).

For each cluster and each typology factor, the distribution of answers as category counts on
the report's 250-respondent scale (basiques 55, classiques 88, polyvalents 107). A conditional
factor (a channel's response delay, its handling time) is counted over the cluster's members
that open that channel, so its counts add up to the channel's "open" count.

Every cluster-factor distribution says whether it is taken from a report figure (``source``)
or estimated (``estimate``, with the reasoning); an estimate that departs from a printed figure
names the figure and says why (see reference_data/METHODOLOGY.md).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from app.core.vocabulary import CLUSTERS, Channel, Cluster

FactorKind = Literal["channel_open", "delay", "aht", "satisfaction"]
Basis = Literal["source", "estimate"]


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Departure(_Strict):
    """An estimate that deliberately differs from what the report prints."""

    figure: str
    """Dotted path of the figure in the benchmarks (e.g. clusters.polyvalents.delays.phone)."""
    printed: float
    used: float
    why: str


class ClusterDistribution(_Strict):
    counts: dict[str, float]
    basis: Basis
    figure: str | None = None
    """Dotted path of the benchmark figure this distribution rests on, if any."""
    reasoning: str | None = None
    departs_from: Departure | None = None

    @model_validator(mode="after")
    def _explained(self) -> ClusterDistribution:
        if self.basis == "estimate" and not self.reasoning:
            raise ValueError("an estimate needs its reasoning")
        if self.basis == "source" and not self.figure:
            raise ValueError("a sourced distribution needs the figure it comes from")
        if any(c < 0 for c in self.counts.values()):
            raise ValueError("counts cannot be negative")
        return self


class Factor(_Strict):
    id: str
    kind: FactorKind
    question: str
    """The questionnaire question this factor reads."""
    channel: Channel | None = None
    categories: tuple[str, ...] = Field(min_length=2)
    """For ordinal factors, ordered from the most to the least mature answer."""
    answer_map: dict[str, str | None]
    """Answer id (booleans as "true"/"false") to category; null drops the term (not measured)."""
    clusters: dict[Cluster, ClusterDistribution]
    note: str | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Factor:
        if set(self.clusters) != set(CLUSTERS):
            raise ValueError(f"{self.id}: every cluster needs a distribution")
        for cluster, dist in self.clusters.items():
            if set(dist.counts) != set(self.categories):
                raise ValueError(
                    f"{self.id}/{cluster}: counts must cover exactly {self.categories}"
                )
        for category in self.answer_map.values():
            if category is not None and category not in self.categories:
                raise ValueError(f"{self.id}: answer maps to unknown category {category}")
        if self.kind in ("delay", "aht", "channel_open") and self.channel is None:
            raise ValueError(f"{self.id}: a channel factor needs its channel")
        return self

    @property
    def conditional(self) -> bool:
        return self.kind in ("delay", "aht")


class ClusterProfiles(_Strict):
    edition: Literal["2022"]
    sizes: dict[Cluster, float]
    temperature: float = Field(gt=0)
    temperature_reasoning: str
    borderline_margin: float = Field(ge=0, lt=1)
    """Placement is flagged borderline when the two most likely clusters are closer than this."""
    factors: tuple[Factor, ...]

    @model_validator(mode="after")
    def _counts_add_up(self) -> ClusterProfiles:
        if set(self.sizes) != set(CLUSTERS):
            raise ValueError("sizes must cover the three clusters")
        opens = {f.channel: f for f in self.factors if f.kind == "channel_open"}
        ids = [f.id for f in self.factors]
        if len(ids) != len(set(ids)):
            raise ValueError("factor ids must be unique")
        for factor in self.factors:
            for cluster, dist in factor.clusters.items():
                total = sum(dist.counts.values())
                if factor.conditional:
                    parent = opens.get(factor.channel)
                    if parent is None:
                        raise ValueError(f"{factor.id}: no open/closed factor for its channel")
                    base = parent.clusters[cluster].counts["open"]
                else:
                    base = self.sizes[cluster]
                if abs(total - base) > 0.05:
                    raise ValueError(
                        f"{factor.id}/{cluster}: counts add up to {total:.2f}, expected {base:.2f}"
                    )
        return self

    @property
    def total(self) -> float:
        return sum(self.sizes.values())

    def prior(self, cluster: Cluster) -> float:
        return self.sizes[cluster] / self.total

    def factor(self, factor_id: str) -> Factor:
        for factor in self.factors:
            if factor.id == factor_id:
                return factor
        raise KeyError(factor_id)
