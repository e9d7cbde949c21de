"""The path to the next level: the fewest realistic changes that make the next cluster the most
likely (MODEL.md, "The path to the next level").

The distance is a sum over factors, so a change of answers shifts each cluster's score by a
known amount. Changes are grouped in blocks, one per channel (open + response delay + handling
time) and one for satisfaction measurement; only improvements are allowed (open a channel with
a stated delay other than its slowest, a faster bucket, start measuring, measure satisfaction
every time), and postal mail is never proposed for opening (see NEVER_OPENED). The search
is exact: every combination of one block, then two, then three. Among the paths with the
fewest blocks it prefers the smallest steps, then the widest margin. Options that another
option of the same block beats on both margins and on steps are dropped first; that never
changes the answer, it only makes the search fast.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import cast

from app.core import answer_codes
from app.core.answers import Answers, applicability
from app.core.placement import Placement, PlacementModel, Scores
from app.core.questionnaire import QUESTIONNAIRE
from app.core.records import record
from app.core.vocabulary import (
    AHT_BUCKETS,
    AHT_CHANNELS,
    CHANNELS,
    CLUSTERS,
    DELAY_BUCKETS,
    NOT_MEASURED,
    Channel,
    Cluster,
)

MAX_BLOCKS = 3
NEVER_OPENED: frozenset[str] = frozenset({"mail"})
"""Channels the path never proposes to open. The report ties maturity to hot digital channels
(chapter 03, factor 2) and to channels chosen from what customers need; opening postal mail only
to look more mature would be advice no manager should follow. Improving an open mail channel's
delay stays allowed."""
_EPSILON = 1e-9
_SLACK = 1e-7
"""Margin of a bound computed with another rounding than the sums it bounds."""


@dataclass(frozen=True)
class Change:
    question: str
    before: object
    after: object


@dataclass(frozen=True)
class BlockOption:
    block: str
    changes: tuple[Change, ...]
    steps: int
    delta: Scores
    """Change of each cluster's log score (log π − d/T)."""


@record
class NextLevelPath:
    target: Cluster
    blocks: tuple[str, ...]
    changes: tuple[Change, ...]
    steps: int
    probabilities: dict[Cluster, float]
    margin: float
    """Log-score lead of the target over the runner-up once the changes are made."""
    skips_level: bool = False
    """No path of up to three blocks makes the next cluster the most likely (improving pulls
    harder toward the one after); this path leads to that more mature cluster instead."""
    questions_to_answer: tuple[str, ...] = ()
    """Questions the changes open up (the first-contact resolution of a newly opened channel,
    the indicators once satisfaction is measured), to be answered on a retake."""


@record
class Consolidation:
    """At the top: the answers that pull away from polyvalents, and the single changes that
    would widen the lead most."""

    weak_factors: tuple[str, ...]
    best_moves: tuple[BlockOption, ...]


@record
class PathResult:
    current: Cluster
    target: Cluster | None
    path: NextLevelPath | None
    consolidation: Consolidation | None


_Pick = tuple[float, float, int, BlockOption]
"""An option with its gains on the two other clusters and its steps."""
_Front = tuple[list[_Pick], float, float, int]
"""A block's picks for a target, with their best gains and their fewest steps (bounds)."""


class _BlockMemo:
    """What is remembered of a block for one combination of its answers: its options, their
    front by target (filled as targets come), and its move to consolidate the top."""

    __slots__ = ("fronts", "move", "options")

    def __init__(self, options: list[BlockOption]) -> None:
        self.options = options
        self.fronts: list[_Front | None] = [None] * len(CLUSTERS)
        moves = [o for o in options if _widening(o) > _EPSILON]
        # min keeps the first of equals, as a stable sort of every block's moves would
        self.move = min(moves, key=_move_rank) if moves else None


def _widening(option: BlockOption) -> float:
    """How much the option widens the top cluster's lead over each of the others."""
    d = option.delta
    top = len(CLUSTERS) - 1
    return min(d[top] - d[0], d[top] - d[1])


def _move_rank(option: BlockOption) -> tuple[float, int]:
    """Consolidation's order: the widest lead per step first, then the fewest steps."""
    return (-_widening(option) / max(option.steps, 1), option.steps)


def _pruned(options: list[BlockOption], target_index: int) -> list[_Pick]:
    others = [i for i in range(3) if i != target_index]

    def gains(option: BlockOption) -> tuple[float, float]:
        d = option.delta
        return (d[target_index] - d[others[0]], d[target_index] - d[others[1]])

    scored = [(o, gains(o)) for o in options]
    front = [
        (o, g)
        for o, g in scored
        if not any(
            (g2[0] >= g[0] and g2[1] >= g[1] and o2.steps <= o.steps)
            and (g2 != g or o2.steps != o.steps)
            for o2, g2 in scored
        )
    ]
    # identical options: keep one
    unique: dict[tuple[float, float, int], tuple[BlockOption, tuple[float, float]]] = {}
    for o, g in front:
        unique.setdefault((round(g[0], 12), round(g[1], 12), o.steps), (o, g))
    return [(g[0], g[1], o.steps, o) for o, g in unique.values()]


def _with_bounds(front: list[_Pick]) -> _Front:
    if not front:
        return front, 0.0, 0.0, 0
    return (
        front,
        max(p[0] for p in front),
        max(p[1] for p in front),
        min(p[2] for p in front),
    )


_Best = tuple[int, float, tuple[BlockOption, ...]]
"""Steps, lead, options."""


def _best_path(scores: Scores, bounds: list[_Front], target_index: int) -> _Best | None:
    """Every combination of one option from each of one, then two, then three blocks: the
    fewest steps, then the widest lead, the first found on a tie.

    Skipped without changing the answer: a combination of blocks whose best gains together
    cannot put the target ahead (float addition is monotonic, so no choice of its options
    could), or whose fewest steps are more than the best so far; the same for the options of
    the first blocks of a combination, with the best gains of the others; and any choice with
    more steps than the best so far."""
    others = [i for i in range(3) if i != target_index]
    gap0 = scores[others[0]] - scores[target_index]
    gap1 = scores[others[1]] - scores[target_index]
    best = _one_block(bounds, gap0, gap1)
    if best is not None:
        return best
    # the best gains of any blocks: most targets out of reach stop at these
    top0 = sorted([b[1] for b in bounds], reverse=True)
    top1 = sorted([b[2] for b in bounds], reverse=True)
    if len(bounds) >= 2 and min(top0[0] + top0[1] - gap0, top1[0] + top1[1] - gap1) > _EPSILON:
        best = _two_blocks(bounds, gap0, gap1)
    if best is None and MAX_BLOCKS >= 3 and len(bounds) >= 3:
        # left-to-right addition, with some slack for sum()'s rounding (see _three_blocks)
        reach = min(top0[0] + top0[1] + top0[2] - gap0, top1[0] + top1[1] + top1[2] - gap1)
        if reach > _EPSILON - _SLACK:
            best = _three_blocks(bounds, gap0, gap1)
    return best


def _one_block(bounds: list[_Front], gap0: float, gap1: float) -> _Best | None:
    # sum([g]) is g (but for the sign of a zero, which only a lead <= 0 could show)
    best: _Best | None = None
    for front, max0, max1, _ in bounds:
        if max0 - gap0 <= _EPSILON or max1 - gap1 <= _EPSILON:
            continue  # no option of this block puts the target ahead
        for g0, g1, steps, option in front:
            if best is not None and steps > best[0]:
                continue
            lead = min(g0 - gap0, g1 - gap1)
            if lead > _EPSILON and (best is None or steps < best[0] or lead > best[1]):
                best = (steps, lead, (option,))
    return best


def _two_blocks(bounds: list[_Front], gap0: float, gap1: float) -> _Best | None:
    # sum([a, b]) is a + b, correctly rounded in every Python version
    best: _Best | None = None
    best_steps = 1 << 30
    for (front_a, max_a0, max_a1, min_a), (
        front_b,
        max_b0,
        max_b1,
        min_b,
    ) in itertools.combinations(bounds, 2):
        if min_a + min_b > best_steps:
            continue
        if min(max_a0 + max_b0 - gap0, max_a1 + max_b1 - gap1) <= _EPSILON:
            continue
        for a0, a1, a_steps, a in front_a:
            if a_steps + min_b > best_steps:
                continue
            if min(a0 + max_b0 - gap0, a1 + max_b1 - gap1) <= _EPSILON:
                continue
            for b0, b1, b_steps, b in front_b:
                steps = a_steps + b_steps
                if steps > best_steps:
                    continue
                lead = min(a0 + b0 - gap0, a1 + b1 - gap1)
                if lead <= _EPSILON:
                    continue
                if best is None or steps < best[0] or lead > best[1]:
                    best = (steps, lead, (a, b))
                    best_steps = steps
    return best


def _three_blocks(bounds: list[_Front], gap0: float, gap1: float) -> _Best | None:
    """sum() itself (from Python 3.12 it rounds more exactly than left-to-right addition), and
    bounds by left-to-right addition with some slack for that difference."""
    hopeless = _EPSILON - _SLACK
    best: _Best | None = None
    best_steps = 1 << 30
    for block_a, block_b, block_c in itertools.combinations(bounds, 3):
        front_a, max_a0, max_a1, min_a = block_a
        front_b, max_b0, max_b1, min_b = block_b
        front_c, max_c0, max_c1, min_c = block_c
        if min_a + min_b + min_c > best_steps:
            continue
        if min(max_a0 + max_b0 + max_c0 - gap0, max_a1 + max_b1 + max_c1 - gap1) <= hopeless:
            continue
        for a0, a1, a_steps, a in front_a:
            if a_steps + min_b + min_c > best_steps:
                continue
            if min(a0 + max_b0 + max_c0 - gap0, a1 + max_b1 + max_c1 - gap1) <= hopeless:
                continue
            for b0, b1, b_steps, b in front_b:
                if a_steps + b_steps + min_c > best_steps:
                    continue
                if min(a0 + b0 + max_c0 - gap0, a1 + b1 + max_c1 - gap1) <= hopeless:
                    continue
                for c0, c1, c_steps, c in front_c:
                    steps = a_steps + b_steps + c_steps
                    if steps > best_steps:
                        continue
                    lead = min(sum([a0, b0, c0]) - gap0, sum([a1, b1, c1]) - gap1)
                    if lead <= _EPSILON:
                        continue
                    if best is None or steps < best[0] or lead > best[1]:
                        best = (steps, lead, (a, b, c))
                        best_steps = steps
    return best


def _faster_or_equal(buckets: tuple[str, ...], current: object) -> list[tuple[str, int]]:
    """Buckets at least as fast as ``current`` with the steps each takes: one per bucket gained
    (every bucket plus one step to start measuring when not measured; every bucket but the
    slowest when the channel is being opened, ``current`` None)."""
    if current is None:
        # a channel is opened with a service level worth offering: not its slowest bucket
        return [(b, len(buckets) - 2 - i) for i, b in enumerate(buckets[:-1])]
    if current == NOT_MEASURED:
        # start measuring, at any bucket, or leave it as it is (when the block's other answer
        # is the one that changes)
        return [(NOT_MEASURED, 0)] + [
            (b, 1 + (len(buckets) - 1 - i)) for i, b in enumerate(buckets)
        ]
    position = buckets.index(str(current))
    return [(b, position - i) for i, b in enumerate(buckets[: position + 1])]


def _reachable(
    buckets: tuple[str, ...], is_open: bool, current: object
) -> list[tuple[str | None, int]]:
    """``_faster_or_equal`` for a channel's level, open or not. An open channel whose level
    was not given (the partner API's partial answers) stays unanswered, or reaches any bucket
    as if it started measuring: never a free change from "no answer" to a bucket."""
    if is_open and current is None:
        return [(None, 0)] + [(b, 1 + (len(buckets) - 1 - i)) for i, b in enumerate(buckets)]
    return list(_faster_or_equal(buckets, current if is_open else None))


class PathFinder:
    def __init__(self, model: PlacementModel) -> None:
        self.model = model
        self._factors_by_question: dict[str, list[str]] = {}
        for factor in model.factors:
            self._factors_by_question.setdefault(factor.question, []).append(factor.id)
        self._block_questions: dict[str, tuple[str, ...]] = {
            channel: tuple(
                q
                for q in (f"{channel}_open", f"{channel}_delay", f"{channel}_aht")
                if q in self._factors_by_question
            )
            for channel in CHANNELS
        }
        self._block_questions["satisfaction"] = ("satisfaction_measured",)
        self._block_factors = {
            block: [f for f in model.factors if f.question in questions]
            for block, questions in self._block_questions.items()
        }
        # every answer a block's options depend on (a channel's delay is read even when it
        # is no factor)
        self._block_inputs: dict[str, tuple[str, ...]] = {
            channel: (f"{channel}_open", f"{channel}_delay", f"{channel}_aht")
            for channel in CHANNELS
        }
        self._block_inputs["satisfaction"] = ("satisfaction_measured",)
        # a block's options and their pruned front per target are functions of the block's
        # own answers: a few hundred combinations, each computed once and kept in one list,
        # each block's after the blocks before it (see app.core.answer_codes)
        self._blocks = tuple(self._block_inputs)
        domains = [answer_codes.domain(inputs, {}) for inputs in self._block_inputs.values()]
        offsets = [sum(domains[:i]) for i in range(len(domains))]
        self._memos: list[_BlockMemo | None] = [None] * sum(domains)
        self._memo_keys = answer_codes.key_function(list(self._block_inputs.values()), offsets, {})
        # the questions each question's applicability depends on, transitively
        self._ancestors: dict[str, frozenset[str]] = {}
        for question in QUESTIONNAIRE.questions():
            chain: set[str] = set()
            rule = question.applies_when
            while rule is not None:
                chain.add(rule.question)
                rule = QUESTIONNAIRE[rule.question].applies_when
            self._ancestors[question.id] = frozenset(chain)
        # the required questions that depend on others, by each question they depend on (as
        # their questionnaire positions, to be read in that order)
        self._questions = tuple(QUESTIONNAIRE.questions())
        self._dependents: dict[str, list[int]] = {}
        for position, q in enumerate(self._questions):
            if q.required:
                for ancestor in self._ancestors[q.id]:
                    self._dependents.setdefault(ancestor, []).append(position)

    # --- block arithmetic ----------------------------------------------------------------------

    def _block_scores(self, block: str, answers: Mapping[str, object]) -> Scores:
        """The block's contribution to each cluster's log score; ``answers`` needs only the
        block's own questions."""
        totals = [0.0, 0.0, 0.0]
        for factor in self._block_factors[block]:
            _, category, _ = self.model.category(factor, answers)
            if category is not None:
                for i, value in enumerate(self.model.term(factor.id, category)):
                    totals[i] -= value / self.model.temperature
        return totals[0], totals[1], totals[2]

    def _block_memos(self, answers: Mapping[str, object]) -> list[_BlockMemo]:
        """Each block's options (and fronts, worked out when first needed), remembered by the
        block's own answers when they come from validation."""
        if isinstance(answers, Answers) and answers.validated:
            try:
                keys = self._memo_keys(answers.getter)
            except KeyError:  # a value no validated answer has: nothing shared
                pass
            else:
                memos = list(map(self._memos.__getitem__, keys))
                if None in memos:
                    for i, memo in enumerate(memos):
                        if memo is None:
                            memos[i] = self._memos[keys[i]] = self._new_memo(
                                self._blocks[i], answers
                            )
                return cast(list[_BlockMemo], memos)  # every None was filled in
        return [self._new_memo(block, answers) for block in self._blocks]

    def _new_memo(self, block: str, answers: Mapping[str, object]) -> _BlockMemo:
        return _BlockMemo(self._options(block, answers))

    def _options(self, block: str, answers: Mapping[str, object]) -> list[BlockOption]:
        states = self._improved_states(block, answers)
        if not states:
            return []
        own = {q: answers[q] for q in self._block_questions[block] if q in answers}
        base = self._block_scores(block, own)
        options = []
        for state, steps in states:
            after = self._block_scores(block, {**own, **state})
            delta = (after[0] - base[0], after[1] - base[1], after[2] - base[2])
            changes = tuple(
                Change(q, answers.get(q), v) for q, v in state.items() if answers.get(q) != v
            )
            options.append(BlockOption(block, changes, steps, delta))
        return options

    def _improved_states(
        self, block: str, answers: Mapping[str, object]
    ) -> list[tuple[dict[str, object], int]]:
        if block == "satisfaction":
            current = answers.get("satisfaction_measured")
            if current == "systematic":
                return []
            return [({"satisfaction_measured": "systematic"}, 1)]
        channel = cast(Channel, block)
        is_open = answers.get(f"{channel}_open") is True
        if not is_open and channel in NEVER_OPENED:
            return []
        delay_q, aht_q = f"{channel}_delay", f"{channel}_aht"
        has_aht = aht_q in self._block_questions[channel] and channel in AHT_CHANNELS
        delays = _reachable(DELAY_BUCKETS[channel], is_open, answers.get(delay_q))
        ahts: list[tuple[str | None, int]] = [(None, 0)]
        if has_aht:
            ahts = list(_reachable(AHT_BUCKETS[channel], is_open, answers.get(aht_q)))
        states: list[tuple[dict[str, object], int]] = []
        for (delay, delay_steps), (aht, aht_steps) in itertools.product(delays, ahts):
            state: dict[str, object] = {f"{channel}_open": True, delay_q: delay}
            if aht is not None:
                state[aht_q] = aht
            steps = delay_steps + aht_steps + (0 if is_open else 1)
            if is_open and steps == 0:
                continue
            states.append((state, steps))
        return states

    # --- the search ----------------------------------------------------------------------------

    def find(self, answers: Mapping[str, object], placement: Placement | None = None) -> PathResult:
        """``placement``: the answers' own, when the caller has it (saves computing it again)."""
        model = self.model
        if placement is None:
            distances = model.distances(answers)
        else:
            distances = (
                placement.distances[CLUSTERS[0]],
                placement.distances[CLUSTERS[1]],
                placement.distances[CLUSTERS[2]],
            )
        scores = model.log_scores(distances)
        current_index = max(range(3), key=scores.__getitem__)
        current = CLUSTERS[current_index]
        memos = self._block_memos(answers)
        if current_index == len(CLUSTERS) - 1:
            consolidation = self._consolidate(answers, memos, placement)
            return PathResult(current, None, None, consolidation)
        next_index = current_index + 1
        for target_index in range(next_index, len(CLUSTERS)):
            fronts = [
                memo.fronts[target_index] or self._front(memo, target_index) for memo in memos
            ]
            best = _best_path(scores, [f for f in fronts if f[0]], target_index)
            if best is not None:
                steps, lead, chosen = best
                skips = target_index != next_index
                target = CLUSTERS[target_index]
                path = self._path(answers, target, chosen, steps, lead, skips, placement)
                return PathResult(current, CLUSTERS[next_index], path, None)
        return PathResult(current, CLUSTERS[next_index], None, None)

    @staticmethod
    def _front(memo: _BlockMemo, target_index: int) -> _Front:
        """The block's options worth trying for a target, with their gains: those that no other
        option beats on both margins and on steps, one of each identical kind."""
        front = memo.fronts[target_index]
        if front is None:
            front = memo.fronts[target_index] = _with_bounds(_pruned(memo.options, target_index))
        return front

    def _path(
        self,
        answers: Mapping[str, object],
        target: Cluster,
        chosen: tuple[BlockOption, ...],
        steps: int,
        lead: float,
        skips_level: bool,
        placement: Placement | None,
    ) -> NextLevelPath:
        changed = (
            cast(dict[str, object], answers.as_dict())
            if isinstance(answers, Answers)
            else dict(answers)
        )
        for option in chosen:
            for change in option.changes:
                changed[change.question] = change.after
        moved = {c.question for o in chosen for c in o.changes}
        distances = (
            self.model.distances(changed)
            if placement is None
            else self.model.distances_after(placement, changed, moved)
        )
        probs = self.model.probabilities(self.model.log_scores(distances))
        # only a question depending on a changed answer can start to apply
        candidates = sorted({d for question in moved for d in self._dependents.get(question, ())})
        opened = tuple(
            q.id
            for q in map(self._questions.__getitem__, candidates)
            if q.id not in changed
            and applicability(q, changed) == "applies"
            and applicability(q, answers) != "applies"
        )
        return NextLevelPath(
            target=target,
            blocks=tuple([o.block for o in chosen]),
            changes=tuple([c for o in chosen for c in o.changes]),
            steps=steps,
            probabilities=dict(zip(CLUSTERS, probs, strict=True)),
            margin=lead,
            skips_level=skips_level,
            questions_to_answer=opened,
        )

    def _consolidate(
        self,
        answers: Mapping[str, object],
        memos: list[_BlockMemo],
        placement: Placement | None = None,
    ) -> Consolidation:
        top = CLUSTERS[-1]
        if placement is None:
            placement = self.model.place(answers)
        # filtered before a stable sort, the same order as after it
        pulling_away = [p for p in placement.pulls if p.skipped is None and p.pull[top] < 0]
        weak = tuple(p.factor for p in sorted(pulling_away, key=lambda p: p.pull.get(top, 0.0)))
        # every block's moves in one stable sort, each block's first kept: each block's own
        # first (``_BlockMemo.move``), in that order
        best_moves = sorted([m.move for m in memos if m.move is not None], key=_move_rank)
        return Consolidation(weak_factors=weak, best_moves=tuple(best_moves[:3]))
