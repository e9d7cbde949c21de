"""Placing an answer set in a maturity cluster, the way SPSS TwoStep scores a new case.

For each factor the case adds the categorical term of TwoStep's log-likelihood distance
(MODEL.md), with n the count of the case's category in cluster j and N_j the counts' total:

    g_j = (N_j+1)·ln(N_j+1) − N_j·ln(N_j) − [(n+1)·ln(n+1) − n·ln(n)]      (0·ln 0 = 0)

d_j is the sum over the factors that apply; P(j | answers) ∝ π_j·exp(−d_j / T). A factor that
does not apply (the delay of a closed channel) or that was not measured is dropped for every
cluster, which is exact when factors are independent; it is listed in ``skipped``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Literal, NamedTuple

from app.core.answers import Answers
from app.core.profiles import ClusterProfiles, Factor
from app.core.records import FieldsAreState, record
from app.core.vocabulary import CLUSTERS, Cluster

Scores = tuple[float, float, float]
"""One number per cluster, in CLUSTERS order (basiques, classiques, polyvalents)."""

SkipReason = Literal["not_applicable", "not_measured", "unanswered"]


def _xlogx(x: float) -> float:
    return x * math.log(x) if x > 0 else 0.0


def _f(n: float) -> float:
    return _xlogx(n + 1) - _xlogx(n)


def twostep_term(n: float, total: float) -> float:
    """The categorical term of TwoStep's distance for a case of one joining a cluster."""
    return _f(total) - _f(n)


@dataclass(frozen=True)
class FactorPull(FieldsAreState):
    """One factor's contribution: its distance term per cluster and its pull toward each.

    ``pull[j]`` is how much closer this answer puts the company to cluster j than to the
    clusters on average (in log-likelihood units): positive pulls toward j."""

    factor: str
    question: str
    answer: str | None
    category: str | None
    terms: dict[Cluster, float]
    pull: dict[Cluster, float]
    skipped: SkipReason | None = None

    @property
    def strongest(self) -> Cluster | None:
        if self.skipped is not None:
            return None
        return max(self.pull, key=lambda c: self.pull[c])


@record
class Hinge:
    """The one answer the placement rests on: left out, the answers would more likely than not
    place in ``without`` instead (of the answers that would, the one that moves the odds
    most)."""

    factor: str
    question: str
    answer: str | None
    without: Cluster


@record
class Placement:
    cluster: Cluster
    probabilities: dict[Cluster, float]
    distances: dict[Cluster, float]
    log_scores: dict[Cluster, float]
    nearest_by_distance: Cluster
    """SPSS's own rule, argmin d_j, without the cluster shares as priors."""
    borderline: bool
    runner_up: Cluster
    pulls: tuple[FactorPull, ...]
    skipped: tuple[str, ...]
    """Factors left out (not measured or unanswered); more of them, less confidence."""
    hinge: Hinge | None = None
    """Set when a single answer decides the level (not on a borderline placement, which
    says so already)."""
    terms: tuple[Scores | None, ...] = field(default=(), repr=False, compare=False)
    """Each factor's distance terms (None: left out), what ``distances`` sums: the path to
    the next level re-sums them with a few changed."""

    @property
    def confidence(self) -> Literal["full", "reduced"]:
        # ``skipped`` holds exactly the factors whose pull was left out for want of an answer
        # or a measure (``place``): read on every payload, it need not go through the pulls
        return "reduced" if self.skipped else "full"


def answer_key(value: object) -> str | None:
    """How an answer is looked up in a factor's answer map (booleans as "true"/"false")."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


_OTHERS = ((1, 2), (0, 2), (0, 1))
"""The two other clusters of each, in order."""


class _State(NamedTuple):
    answer: str | None
    category: str | None
    skipped: SkipReason | None
    terms: Scores | None
    pull: FactorPull
    left_out: bool
    """Not measured or unanswered (``Placement.skipped``)."""


class _Read(NamedTuple):
    """What ``_read`` needs of one factor, in one tuple."""

    factor: Factor
    gate: str | None
    states: dict[tuple[type, object], _State]
    by_value: dict[object, _State]
    """The same states by value alone, for validated answers (see ``Answers.validated``)."""
    closed: _State


class PlacementModel:
    """The cluster profiles, precomputed into a table of distance terms."""

    def __init__(self, profiles: ClusterProfiles) -> None:
        self.profiles = profiles
        self.temperature = profiles.temperature
        self.log_priors: Scores = tuple(  # type: ignore[assignment]
            math.log(profiles.prior(c)) for c in CLUSTERS
        )
        self.factors = profiles.factors
        self._table: dict[str, dict[str, Scores]] = {}
        for factor in profiles.factors:
            rows: dict[str, Scores] = {}
            for category in factor.categories:
                rows[category] = tuple(  # type: ignore[assignment]
                    twostep_term(
                        factor.clusters[c].counts[category],
                        sum(factor.clusters[c].counts.values()),
                    )
                    for c in CLUSTERS
                )
            self._table[factor.id] = rows
        self._channel_open_question = {
            f.channel: f.question for f in profiles.factors if f.kind == "channel_open"
        }
        # (open question, or None) of each factor, and each factor's states by answer value,
        # filled as answers come: a factor has a handful of possible answers
        self._gates: dict[str, str | None] = {
            f.id: self._channel_open_question[f.channel] if f.conditional else None
            for f in profiles.factors
        }
        self._states: dict[str, dict[tuple[type, object], _State]] = {
            f.id: {} for f in profiles.factors
        }
        self._closed: dict[str, _State] = {
            f.id: _State(
                None,
                None,
                "not_applicable",
                None,
                FactorPull(f.id, f.question, None, None, {}, {}, "not_applicable"),
                False,
            )
            for f in profiles.factors
        }
        # the factors that read each question (as their own, or to know that they apply)
        self._readers: dict[str, list[int]] = {}
        for index, f in enumerate(profiles.factors):
            for question in (f.question, self._gates[f.id]):
                if question is not None:
                    self._readers.setdefault(question, []).append(index)
        self._reads = [
            _Read(f, self._gates[f.id], self._states[f.id], {}, self._closed[f.id])
            for f in profiles.factors
        ]

    # --- the arithmetic ------------------------------------------------------------------------

    def term(self, factor_id: str, category: str) -> Scores:
        return self._table[factor_id][category]

    def category(
        self, factor: Factor, answers: Mapping[str, object]
    ) -> tuple[str | None, str | None, SkipReason | None]:
        """(answer, category, why skipped) of one factor for an answer set."""
        state = self._state(factor, answers)
        return state.answer, state.category, state.skipped

    def _state(self, factor: Factor, answers: Mapping[str, object]) -> _State:
        """The factor's answer, category, terms and pull for an answer set, computed once per
        answer value (``_category`` does the work)."""
        gate = self._gates[factor.id]
        if gate is not None and answers.get(gate) is not True:
            return self._closed[factor.id]
        value = answers.get(factor.question)
        key = (value.__class__, value)
        states = self._states[factor.id]
        try:
            return states[key]
        except KeyError:
            pass
        except TypeError:  # an unhashable value (a list): nothing to remember
            return self._compute_state(factor, answers)
        state = states[key] = self._compute_state(factor, answers)
        return state

    def _compute_state(self, factor: Factor, answers: Mapping[str, object]) -> _State:
        answer, category, skipped = self._category(factor, answers)
        if category is None:
            pull = FactorPull(factor.id, factor.question, answer, None, {}, {}, skipped)
            left_out = skipped in ("not_measured", "unanswered")
            return _State(answer, None, skipped, None, pull, left_out)
        terms = self._table[factor.id][category]
        mean = sum(terms) / 3
        pull = FactorPull(
            factor=factor.id,
            question=factor.question,
            answer=answer,
            category=category,
            terms=dict(zip(CLUSTERS, terms, strict=True)),
            pull={c: (mean - v) / self.temperature for c, v in zip(CLUSTERS, terms, strict=True)},
        )
        return _State(answer, category, None, terms, pull, False)

    def _category(
        self, factor: Factor, answers: Mapping[str, object]
    ) -> tuple[str | None, str | None, SkipReason | None]:
        if factor.conditional:
            open_question = self._channel_open_question[factor.channel]
            if answers.get(open_question) is not True:
                return None, None, "not_applicable"
        answer = answer_key(answers.get(factor.question))
        if answer is None:
            return None, None, "unanswered"
        if answer not in factor.answer_map:
            raise KeyError(f"{factor.id}: no category for answer {answer!r}")
        category = factor.answer_map[answer]
        if category is None:
            return answer, None, "not_measured"
        return answer, category, None

    def distances(self, answers: Mapping[str, object]) -> Scores:
        return self._read(answers)[1]

    def _read(self, answers: Mapping[str, object]) -> tuple[list[_State], Scores]:
        """Every factor's state (as ``_state``, inlined: this runs for every placement and
        every path) and the distances, summed in factor order."""
        get: Callable[[str], object]
        if isinstance(answers, Answers):
            get, validated = answers.getter, answers.validated
        else:
            get, validated = answers.get, False
        states: list[_State] = []
        db = dc = dp = 0.0
        for factor, gate, typed, by_value, closed in self._reads:
            if gate is not None and get(gate) is not True:
                state = closed
            else:
                value = get(factor.question)
                try:
                    state = by_value[value] if validated else typed[(value.__class__, value)]
                except KeyError:
                    state = self._state(factor, answers)
                    if validated:
                        by_value[value] = state
                except TypeError:  # an unhashable value (a list): nothing to remember
                    state = self._compute_state(factor, answers)
            states.append(state)
            terms = state.terms
            if terms is not None:
                db += terms[0]
                dc += terms[1]
                dp += terms[2]
        return states, (db, dc, dp)

    def log_scores(self, distances: Scores) -> Scores:
        """log π_j − d_j / T: the log posterior up to a constant."""
        t = self.temperature
        lb, lc, lp = self.log_priors
        return lb - distances[0] / t, lc - distances[1] / t, lp - distances[2] / t

    @staticmethod
    def probabilities(log_scores: Scores) -> Scores:
        top = max(log_scores)
        b, c, p = (
            math.exp(log_scores[0] - top),
            math.exp(log_scores[1] - top),
            math.exp(log_scores[2] - top),
        )
        total = sum([b, c, p])  # not b + c + p: from Python 3.12, sum() rounds more exactly
        return b / total, c / total, p / total

    def label(self, answers: Mapping[str, object]) -> Cluster:
        scores = self.log_scores(self.distances(answers))
        return CLUSTERS[max(range(3), key=lambda i: scores[i])]

    # --- the full placement --------------------------------------------------------------------

    def place(self, answers: Mapping[str, object]) -> Placement:
        # the same FactorPull for the same answer: results share them, read-only
        states, distances = self._read(answers)
        scores = self.log_scores(distances)
        probs = self.probabilities(scores)
        # on a tie the earlier cluster ranks first, as max and min keep the first of equals
        best = max(range(3), key=probs.__getitem__)
        first_other, last_other = _OTHERS[best]
        second = last_other if probs[last_other] > probs[first_other] else first_other
        nearest = min(range(3), key=distances.__getitem__)
        borderline = (
            nearest != best or probs[best] - probs[second] < self.profiles.borderline_margin
        )
        b, c, p = CLUSTERS
        hinge = None if borderline else self._hinge(states, scores, best)
        return Placement(
            cluster=CLUSTERS[best],
            probabilities={b: probs[0], c: probs[1], p: probs[2]},
            distances={b: distances[0], c: distances[1], p: distances[2]},
            log_scores={b: scores[0], c: scores[1], p: scores[2]},
            nearest_by_distance=CLUSTERS[nearest],
            borderline=borderline,
            runner_up=CLUSTERS[second],
            pulls=tuple([state.pull for state in states]),
            skipped=tuple([state.pull.factor for state in states if state.left_out]),
            hinge=hinge,
            terms=tuple([state.terms for state in states]),
        )

    def _hinge(self, states: list[_State], scores: Scores, best: int) -> Hinge | None:
        """The answer without which another level would come first (its term taken out of
        the distances, as if unanswered); of several, the one whose removal moves the odds
        most. A level that rests on one answer deserves saying so: that answer may be a
        "not measured" a manager could change by measuring."""
        # leaving a term out adds term/T to each log score: another level o overtakes when
        # (score_o - score_best) + (term_o - term_best)/T > 0, the lead it then has
        t = self.temperature
        o1, o2 = _OTHERS[best]
        gap1, gap2 = scores[o1] - scores[best], scores[o2] - scores[best]
        found: _State | None = None
        without = best
        widest = 0.0
        for state in states:
            terms = state.terms
            if terms is None:
                continue
            own = terms[best]
            lead1 = gap1 + (terms[o1] - own) / t
            lead2 = gap2 + (terms[o2] - own) / t
            if lead1 <= widest and lead2 <= widest:
                continue
            other, lead = (o1, lead1) if lead1 >= lead2 else (o2, lead2)
            after = (scores[0] + terms[0] / t, scores[1] + terms[1] / t, scores[2] + terms[2] / t)
            # a clear change only: the other level more likely than not without that answer
            if self.probabilities(after)[other] >= 0.5:
                found, without, widest = state, other, lead
        if found is None:
            return None
        pull = found.pull
        return Hinge(pull.factor, pull.question, pull.answer, CLUSTERS[without])

    def distances_after(
        self, placement: Placement, changed: Mapping[str, object], moved: Iterable[str]
    ) -> Scores:
        """``distances(changed)``, for answers that differ from the placement's only in the
        questions ``moved``: only the factors that read those are read again."""
        if len(placement.terms) != len(self.factors):
            return self.distances(changed)
        terms = list(placement.terms)
        for question in moved:
            for index in self._readers.get(question, ()):
                terms[index] = self._state(self.factors[index], changed).terms
        db = dc = dp = 0.0
        for summed in terms:  # in factor order, as _read
            if summed is not None:
                db += summed[0]
                dc += summed[1]
                dp += summed[2]
        return db, dc, dp
