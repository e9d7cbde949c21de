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

What the advice takes for granted is declared beside it, in ``presupposes`` (see
``Presupposes``): the channels it assumes are offered or not, the delays it assumes are slow,
the volume, the indicators, the sector... The trigger must ensure every one of them:
``app.core.recommendations.check_catalogue`` proves it from the trigger's atoms (a catalogue
where it cannot is refused at loading), and the tests check it on generated answer sets.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from app.core.figures import Source
from app.core.text import LocalizedText
from app.core.vocabulary import DELAY_BUCKETS, Channel, Cluster, Sector

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


class Presupposes(_Strict):
    """What a recommendation's title and body take for granted about the answers: each field
    is a fact its wording would contradict if it did not hold (advice on calls for a company
    without a phone line, on a backlog for a company answering everywhere at once). The
    trigger must imply every fact declared here; ``condition`` states them in the triggers'
    own terms."""

    open: tuple[Channel, ...] = ()
    """Channels the text assumes are offered (each of them)."""
    closed: tuple[Channel, ...] = ()
    """Channels the text assumes are not offered (each of them)."""
    any_open: tuple[Channel, ...] = ()
    """At least one of these channels is offered (the text names them as alternatives)."""
    any_closed: tuple[Channel, ...] = ()
    """At least one of these channels is not offered (the text suggests opening one)."""
    any_late: tuple[Channel, ...] = ()
    """At least one of these channels is offered with a measured delay slower than its fastest
    bucket (the text assumes requests wait there)."""
    mentions: tuple[Channel, ...] = ()
    """Channels the text names without assuming they are offered or not (an example among
    others, a criterion of the model): declared so that every channel a text names is
    accounted for."""
    monthly_volume: tuple[str, ...] = ()
    """The monthly volume is one of these buckets (the text speaks of large or peaking
    volumes)."""
    indicators: tuple[str, ...] = ()
    """Satisfaction indicators the text assumes are in use (each of them)."""
    sectors: tuple[Sector, ...] = ()
    """The sectors the text's examples or figures fit."""
    clusters: tuple[Cluster, ...] = ()
    """The maturity profiles the text addresses ("your foundations are solid")."""
    answers: tuple[Condition, ...] = ()
    """Any other answer the text takes for granted, in the triggers' grammar."""

    def condition(self) -> Condition | None:
        """Every declared fact as one condition (None when nothing is declared)."""
        facts: list[Condition] = []
        facts += [AnswerIn(answer=f"{c}_open", in_=(True,)) for c in self.open]
        facts += [AnswerIn(answer=f"{c}_open", in_=(False,)) for c in self.closed]
        if self.any_open:
            facts.append(_any([AnswerIn(answer=f"{c}_open", in_=(True,)) for c in self.any_open]))
        if self.any_closed:
            facts.append(
                _any([AnswerIn(answer=f"{c}_open", in_=(False,)) for c in self.any_closed])
            )
        if self.any_late:
            facts.append(
                _any([AnswerIn(answer=f"{c}_delay", in_=late_buckets(c)) for c in self.any_late])
            )
        if self.monthly_volume:
            facts.append(AnswerIn(answer="monthly_volume", in_=self.monthly_volume))
        facts += [
            AnswerIncludes(answer="satisfaction_indicators", includes=i) for i in self.indicators
        ]
        if self.sectors:
            facts.append(SectorIs(sector=self.sectors))
        if self.clusters:
            facts.append(ClusterIs(cluster=self.clusters))
        facts += self.answers
        if not facts:
            return None
        return facts[0] if len(facts) == 1 else AllOf(all=tuple(facts))

    def named_channels(self) -> frozenset[Channel]:
        """Every channel this declaration accounts for."""
        return frozenset(
            (*self.open, *self.closed, *self.any_open, *self.any_closed, *self.any_late)
        ) | frozenset(self.mentions)


def late_buckets(channel: Channel) -> tuple[str, ...]:
    """A channel's measured delay buckets slower than its fastest (the report's threshold
    bounds the fastest bucket: every other one is late by the report's standard)."""
    return DELAY_BUCKETS[channel][1:]


def _any(options: list[Condition]) -> Condition:
    return options[0] if len(options) == 1 else AnyOf(any=tuple(options))


class Recommendation(_Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    priority: int = Field(ge=1, le=5)
    """5 is the most pressing; ties are broken by how specific the trigger is."""
    theme: Theme
    title: LocalizedText
    body: LocalizedText
    rests_on: tuple[Source, ...] = Field(min_length=1)
    presupposes: Presupposes = Presupposes()
    """What the title and body take for granted; the trigger must ensure all of it."""
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
