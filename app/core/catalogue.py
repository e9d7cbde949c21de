"""The recommendation catalogue: advice in our own words, the sources it rests on, its triggers.

A trigger is a small condition tree over the answers, the placement and the sector, written
in reference_data/recommendations.yaml:

    when:
      all:
        - {answer: satisfaction_measured, in: ["never", "sometimes"]}
        - {cluster: [classiques, basiques]}

Atoms: ``{answer: ID, in: [..]}``, ``{answer: ID, below: N}``, ``{answer: ID, at_least: N}``,
``{answer: ID, includes: V}``, ``{answer: ID, excludes: V}``, ``{answer: ID, fewer_than: N}``
(a multiple choice with fewer than N options ticked), ``{score: orientation, below: N}``,
``{score: orientation, at_least: N}``, ``{cluster: [..]}``, ``{sector: [..]}``; combined with
``all``, ``any`` and ``not``. An atom on a question that does not apply (the delay of a closed
channel) or was left blank is false; ``in`` may name "dont_know", but ``below``/``at_least``
never hold for it.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from app.core.figures import Source
from app.core.text import LocalizedText
from app.core.vocabulary import Cluster, Sector

Theme = Literal[
    "maturity",
    "channels",
    "responsiveness",
    "handling",
    "satisfaction",
    "complaints",
    "organisation",
    "team",
    "orientation",
]

Scalar = str | bool | int


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)


class AnswerIn(_Strict):
    answer: str
    in_: tuple[Scalar, ...] = Field(alias="in", min_length=1)


class AnswerBelow(_Strict):
    answer: str
    below: float


class AnswerAtLeast(_Strict):
    answer: str
    at_least: float


class AnswerIncludes(_Strict):
    answer: str
    includes: str


class AnswerExcludes(_Strict):
    answer: str
    excludes: str


class AnswerFewerThan(_Strict):
    answer: str
    fewer_than: int


class ScoreBelow(_Strict):
    score: Literal["orientation"]
    below: float


class ScoreAtLeast(_Strict):
    score: Literal["orientation"]
    at_least: float


class ClusterIs(_Strict):
    cluster: tuple[Cluster, ...] = Field(min_length=1)


class SectorIs(_Strict):
    sector: tuple[Sector, ...] = Field(min_length=1)


class AllOf(_Strict):
    all: tuple[Condition, ...] = Field(min_length=1)


class AnyOf(_Strict):
    any: tuple[Condition, ...] = Field(min_length=1)


class Not(_Strict):
    not_: Condition = Field(alias="not")


AnswerAtom = (
    AnswerIn | AnswerBelow | AnswerAtLeast | AnswerIncludes | AnswerExcludes | AnswerFewerThan
)
Atom = AnswerAtom | ScoreBelow | ScoreAtLeast | ClusterIs | SectorIs
Condition = AllOf | AnyOf | Not | Atom

AllOf.model_rebuild()
AnyOf.model_rebuild()
Not.model_rebuild()


class Recommendation(_Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    priority: int = Field(ge=1, le=5)
    """5 is the most pressing; ties are broken by how specific the trigger is."""
    theme: Theme
    title: LocalizedText
    body: LocalizedText
    rests_on: tuple[Source, ...] = Field(min_length=1)
    when: Condition


class Catalogue(_Strict):
    edition: Literal["2022"]
    recommendations: tuple[Recommendation, ...]

    @model_validator(mode="after")
    def _unique_ids(self) -> Catalogue:
        ids = [r.id for r in self.recommendations]
        duplicates = {i for i in ids if ids.count(i) > 1}
        if duplicates:
            raise ValueError(f"duplicate recommendation ids: {sorted(duplicates)}")
        return self


def atoms(condition: Condition) -> list[Atom]:
    """Every atom of a condition tree, depth first."""
    if isinstance(condition, AllOf):
        return [a for c in condition.all for a in atoms(c)]
    if isinstance(condition, AnyOf):
        return [a for c in condition.any for a in atoms(c)]
    if isinstance(condition, Not):
        return atoms(condition.not_)
    return [condition]
