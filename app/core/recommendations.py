"""Choosing and ranking recommendations from the catalogue, each with the reasons it was chosen.

A recommendation is chosen when its trigger holds for the answers, the placement and the
sector. Its reasons are the trigger's atoms that held, written from the questionnaire's own
labels ("You answered “Over 72 hours” to “By email, how quickly do you usually reply?”"), so
a reason always quotes what the user actually said. Ranking: priority, then the number of
reasons (a more specific fit first), then catalogue order.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from itertools import chain
from operator import getitem, itemgetter
from typing import NamedTuple, cast

from app.core import answer_codes
from app.core.answers import Answers
from app.core.catalogue import (
    AllOf,
    AnswerAtLeast,
    AnswerBelow,
    AnswerExcludes,
    AnswerFewerThan,
    AnswerIn,
    AnswerIncludes,
    AnyOf,
    Atom,
    Catalogue,
    ClusterIs,
    Condition,
    Not,
    Recommendation,
    ScoreAtLeast,
    ScoreBelow,
    SectorIs,
    Theme,
    atoms,
)
from app.core.figures import Source
from app.core.questionnaire import (
    CHANNEL_NAMES,
    QUESTIONNAIRE,
    Question,
    Questionnaire,
    answer_label,
)
from app.core.records import FieldsAreState
from app.core.text import LocalizedText, t
from app.core.vocabulary import Cluster

CLUSTER_NAMES: dict[Cluster, LocalizedText] = {
    # the same names as reference_data/clusters.yaml (a test keeps them in step)
    "basiques": t("Basiques", "Basics"),
    "classiques": t("Classiques", "Classics"),
    "polyvalents": t("Polyvalents", "All-rounders"),
}


@dataclass(frozen=True)
class Context:
    answers: Answers
    cluster: Cluster


@dataclass(frozen=True)
class ChosenRecommendation(FieldsAreState):
    id: str
    priority: int
    theme: Theme
    title: LocalizedText
    body: LocalizedText
    rests_on: tuple[Source, ...]
    reasons: tuple[LocalizedText, ...]


def _holds(atom: Atom, ctx: Context) -> bool:
    answers = ctx.answers
    if isinstance(atom, ClusterIs):
        return ctx.cluster in atom.cluster
    if isinstance(atom, SectorIs):
        return answers.get("sector") in atom.sector
    if isinstance(atom, ScoreBelow):
        return answers.orientation_score < atom.below
    if isinstance(atom, ScoreAtLeast):
        return answers.orientation_score >= atom.at_least
    value = answers.get(atom.answer)
    if value is None:
        return False  # the question does not apply or was left blank
    if isinstance(atom, AnswerIn):
        return value in atom.in_ and type(value) in {type(v) for v in atom.in_ if v == value}
    if isinstance(atom, AnswerBelow | AnswerAtLeast):
        if isinstance(value, bool) or not isinstance(value, int):
            return False  # "don't know" is not a number
        return value < atom.below if isinstance(atom, AnswerBelow) else value >= atom.at_least
    selected = value if isinstance(value, tuple) else ()
    if isinstance(atom, AnswerIncludes):
        return atom.includes in selected
    if isinstance(atom, AnswerExcludes):
        return atom.excludes not in selected
    if isinstance(atom, AnswerFewerThan):
        return len(selected) < atom.fewer_than
    raise TypeError(f"unknown atom {atom!r}")  # pragma: no cover


def evaluate(condition: Condition, ctx: Context) -> tuple[bool, list[Atom]]:
    """Whether the condition holds, and the atoms that made it hold (for the reasons)."""
    if isinstance(condition, AllOf):
        held: list[Atom] = []
        for part in condition.all:
            ok, why = evaluate(part, ctx)
            if not ok:
                return False, []
            held.extend(why)
        return True, held
    if isinstance(condition, AnyOf):
        held = []
        any_ok = False
        for part in condition.any:
            ok, why = evaluate(part, ctx)
            if ok:
                any_ok = True
                held.extend(why)
        return any_ok, held
    if isinstance(condition, Not):
        ok, _ = evaluate(condition.not_, ctx)
        return not ok, []
    return (True, [condition]) if _holds(condition, ctx) else (False, [])


def reason(atom: Atom, ctx: Context) -> LocalizedText:
    """Why an atom held, in the user's own answers."""
    answers = ctx.answers
    if isinstance(atom, ClusterIs):
        name = CLUSTER_NAMES[ctx.cluster]
        return t(
            f"Vos réponses se rapprochent le plus du profil « {name.fr} ».",
            f"Your answers are closest to the “{name.en}” profile.",
        )
    if isinstance(atom, SectorIs):
        sector = QUESTIONNAIRE["sector"].option(str(answers.get("sector"))).label
        return t(f"Votre secteur : {sector.fr}.", f"Your sector: {sector.en}.")
    if isinstance(atom, ScoreBelow | ScoreAtLeast):
        score = answers.orientation_score
        return t(
            f"Votre score d'orientation client est de {score:.2f} sur 5.".replace(".", ",", 1),
            f"Your customer-orientation score is {score:.2f} out of 5.",
        )
    question = QUESTIONNAIRE[atom.answer]
    value = answers.get(atom.answer)
    label = question.label
    if isinstance(atom, AnswerIncludes | AnswerExcludes):
        option = question.option(
            atom.includes if isinstance(atom, AnswerIncludes) else atom.excludes
        )
        if isinstance(atom, AnswerIncludes):
            return t(
                f"Vous avez coché « {option.label.fr} » pour « {label.fr} ».",
                f"You ticked “{option.label.en}” for “{label.en}”.",
            )
        return t(
            f"Vous n'avez pas coché « {option.label.fr} » pour « {label.fr} ».",
            f"You did not tick “{option.label.en}” for “{label.en}”.",
        )
    if isinstance(atom, AnswerFewerThan):
        count = len(answers.selected(atom.answer))
        if count == 0:
            return t(
                f"Vous n'avez coché aucune réponse pour « {label.fr} ».",
                f"You ticked no answer for “{label.en}”.",
            )
        if count == 1:
            return t(
                f"Vous n'avez coché qu'une réponse pour « {label.fr} ».",
                f"You ticked only one answer for “{label.en}”.",
            )
        return t(
            f"Vous avez coché {count} réponses pour « {label.fr} ».",
            f"You ticked {count} answers for “{label.en}”.",
        )
    if question.channel is not None and question.id.endswith("_open"):
        name = CHANNEL_NAMES[question.channel]
        if value is True:
            return t(f"Vous proposez le canal {name.fr}.", f"You offer {name.en}.")
        return t(f"Vous ne proposez pas le canal {name.fr}.", f"You do not offer {name.en}.")
    answer = answer_label(question, value)
    if question.kind == "scale":
        return t(
            f"Votre accord avec « {label.fr} » : {answer.fr}.",
            f"Your agreement with “{label.en}”: {answer.en}.",
        )
    return t(f"« {label.fr} » : {answer.fr}.", f"“{label.en}”: {answer.en}.")


Check = Callable[[Context], "tuple[bool, list[Atom]]"]


def compile_condition(condition: Condition) -> Check:
    """The condition as a function; the same result as ``evaluate``, without re-dispatching on
    the tree's types at every call (the catalogue is evaluated for every assessment)."""
    if isinstance(condition, AllOf):
        parts = [compile_condition(c) for c in condition.all]

        def all_of(ctx: Context) -> tuple[bool, list[Atom]]:
            held: list[Atom] = []
            for part in parts:
                ok, why = part(ctx)
                if not ok:
                    return False, []
                held.extend(why)
            return True, held

        return all_of
    if isinstance(condition, AnyOf):
        options = [compile_condition(c) for c in condition.any]

        def any_of(ctx: Context) -> tuple[bool, list[Atom]]:
            held: list[Atom] = []
            any_ok = False
            for option in options:
                ok, why = option(ctx)
                if ok:
                    any_ok = True
                    held.extend(why)
            return any_ok, held

        return any_of
    if isinstance(condition, Not):
        inner = compile_condition(condition.not_)

        def not_(ctx: Context) -> tuple[bool, list[Atom]]:
            return not inner(ctx)[0], []

        return not_
    atom = condition
    just_this = [atom]
    holds = _compile_atom(atom)

    def single(ctx: Context) -> tuple[bool, list[Atom]]:
        return (True, just_this) if holds(ctx) else (False, [])

    return single


def _compile_atom(atom: Atom) -> Callable[[Context], bool]:
    """``_holds`` specialised for one atom: the common cases skip the type dispatch."""
    if isinstance(atom, AnswerIn):
        question = atom.answer
        accepted = {(type(v), v) for v in atom.in_}

        def answer_in(ctx: Context) -> bool:
            value = ctx.answers.get(question)
            return value is not None and (type(value), value) in accepted

        return answer_in
    if isinstance(atom, ClusterIs):
        clusters = frozenset(atom.cluster)
        return lambda ctx: ctx.cluster in clusters
    return lambda ctx: _holds(atom, ctx)


class RecommendationEngine:
    """The catalogue with its triggers compiled once."""

    def __init__(self, catalogue: Catalogue) -> None:
        self.catalogue = catalogue
        self._wording: dict[tuple[int, object], LocalizedText] = {}
        self._chosen: dict[tuple[str, tuple[LocalizedText, ...]], ChosenRecommendation] = {}
        # what each trigger reads: its questions, the cluster, the orientation score
        inputs = [_trigger_inputs(item.when) for item in catalogue.recommendations]
        plan = [
            _Planned(item, compile_condition(item.when), order)
            for order, item in enumerate(catalogue.recommendations)
        ]
        # groups with few keys first: their outcomes go into one list, the others into one dict
        grouped = sorted(
            _grouped(plan, inputs), key=lambda group: _key_domain(group[0]) > _LIST_LIMIT
        )
        self._members = [members for _, members in grouped]
        domains = [_key_domain(reads) for reads, _ in grouped]
        listed = sum(domain for domain in domains if domain <= _LIST_LIMIT)
        # every group's key is an index into the list (or the dict) after the groups before it:
        # one table in all keeps the lookups in one place in memory
        self._listed: list[_Rows | None] = [None] * listed
        self._sparse = _Outcomes()
        # one cap for the few groups kept there, as they share one dict: a busy group may take
        # more than its share, memory stays bounded all the same
        self._sparse_limit = _OUTCOMES_LIMIT * sum(domain > _LIST_LIMIT for domain in domains)
        self._tables: list[_Table] = [
            self._listed if domain <= _LIST_LIMIT else self._sparse for domain in domains
        ]
        self._keys = answer_codes.key_function(
            [reads for reads, _ in grouped], _offsets(domains), _NOT_ANSWERS
        )
        # as many rows as chosen recommendations can be remembered (``_chosen`` below)
        self._rows_seen: dict[_Row, _Row] = {}

    def recommend(self, answers: Answers, cluster: Cluster) -> tuple[ChosenRecommendation, ...]:
        """Every recommendation whose trigger holds, ranked. Whether one is chosen, and why, is
        a function of the few answers its trigger reads: it is worked out once for each
        combination of them and shared (``ChosenRecommendation`` is immutable). Triggers are
        looked up in groups (see ``_grouped``), each group's outcomes in a table indexed by its
        answers coded as small integers (see ``app.core.answer_codes``)."""
        if not answers.validated:  # values of different types may be equal: nothing shared
            return self._worked_out(answers, cluster)
        try:
            keys = self._keys(answers.getter, cluster, answers.orientation_score)
        except KeyError:  # a value outside the codes (not from validation): nothing shared
            return self._worked_out(answers, cluster)
        # one C-level pass over the groups: a Python loop of 25 steps cost more than the lookups
        found = list(map(getitem, self._tables, keys))
        if None in found:
            ctx = Context(answers, cluster)
            for i, rows in enumerate(found):
                if rows is None:
                    found[i] = rows = self._rows(self._members[i], ctx)
                    table = self._tables[i]
                    if table is self._listed or len(table) < self._sparse_limit:
                        table[keys[i]] = rows
        return self._ranked(cast(list[_Rows], found))  # every None was filled in

    def _worked_out(self, answers: Answers, cluster: Cluster) -> tuple[ChosenRecommendation, ...]:
        ctx = Context(answers, cluster)
        return self._ranked([self._rows(members, ctx) for members in self._members])

    @staticmethod
    def _ranked(found: list[_Rows]) -> tuple[ChosenRecommendation, ...]:
        ranked = list(chain.from_iterable(found))
        ranked.sort()  # by rank alone: no two rows have the same
        return tuple(map(_chosen_of, ranked))

    def _rows(self, members: Sequence[_Planned], ctx: Context) -> _Rows:
        """The group's chosen recommendations, each with its rank (see ``_rank_key``)."""
        rows = []
        for planned in members:
            chosen = self._outcome(planned.item, planned.check, ctx)
            if chosen is not None:
                row = (_rank_key(chosen, planned.order), chosen)
                # the same row object (and rank) wherever it recurs: the ranking then reads a
                # few hundred rows that stay in the processor's caches, not a copy per outcome
                if len(self._rows_seen) < _OUTCOMES_LIMIT * 4:
                    row = self._rows_seen.setdefault(row, row)
                rows.append(row)
        return tuple(rows)

    def _outcome(
        self, item: Recommendation, check: Check, ctx: Context
    ) -> ChosenRecommendation | None:
        ok, held = check(ctx)
        if not ok:
            return None
        reasons: list[LocalizedText] = []
        for atom in held:
            text = self._word(atom, ctx)
            if text not in reasons:
                reasons.append(text)
        # one object per recommendation and reasons, however many answers lead to it (the
        # payload's fragments are kept per object)
        key = (item.id, tuple(reasons))
        chosen = self._chosen.get(key)
        if chosen is None:
            chosen = _chosen(item, key[1])
            if len(self._chosen) < _OUTCOMES_LIMIT * 4:
                self._chosen[key] = chosen
        return chosen

    def _word(self, atom: Atom, ctx: Context) -> LocalizedText:
        """``reason``, remembered per atom and per answer it depends on (a bounded set: options,
        clusters, sectors; numbers are few too)."""
        key = (id(atom), _reason_key(atom, ctx))
        text = self._wording.get(key)
        if text is None:
            text = reason(atom, ctx)
            if len(self._wording) < 100_000:
                self._wording[key] = text
        return text


_Row = tuple[int, ChosenRecommendation]
_Rows = tuple[_Row, ...]


class _Outcomes(dict[int, "_Rows | None"]):
    """A group's outcomes by key when its keys are too many for a list: a key not seen yet
    reads as None, as an empty slot of a list does."""

    def __missing__(self, key: int) -> None:
        return None


_Table = list["_Rows | None"] | _Outcomes
_LIST_LIMIT = 1 << 16
"""Groups with at most this many keys keep their outcomes in a list (at most 512 KB); the few
triggers that read many answers with many values each keep theirs in a dict."""


class _Planned(NamedTuple):
    item: Recommendation
    check: Check
    order: int
    """Catalogue order, the last tie-break of the ranking."""


_chosen_of = itemgetter(1)


_RANK_BASE = 1 << 10
"""Above any priority (1 to 5), number of reasons (a trigger has a few atoms) and catalogue
position (about seventy)."""


def _rank_key(chosen: ChosenRecommendation, order: int) -> int:
    """(−priority, −number of reasons, catalogue order) as one integer that sorts the same:
    integers compare faster than tuples."""
    priority = _RANK_BASE - 1 - chosen.priority
    fewer_reasons = _RANK_BASE - 1 - len(chosen.reasons)
    return (priority * _RANK_BASE + fewer_reasons) * _RANK_BASE + order


def _grouped(
    plan: list[_Planned], inputs: list[tuple[str, ...]]
) -> list[tuple[tuple[str, ...], list[_Planned]]]:
    """Triggers gathered to be looked up with one key (a lookup per group, not per trigger):
    those that read the same inputs, and, widest first, each set of inputs into the first group
    whose key with those inputs added has at most ``_SMALL_KEY`` possible values (a group's
    outcomes are then all remembered soon, and a trigger never waits on answers with many
    combinations that it does not read)."""
    if len(plan) >= _RANK_BASE:  # pragma: no cover - the catalogue has about seventy
        raise ValueError("too many recommendations for _rank_key")
    by_inputs: dict[frozenset[str], list[_Planned]] = {}
    for planned, reads in zip(plan, inputs, strict=True):
        by_inputs.setdefault(frozenset(reads), []).append(planned)
    groups: list[tuple[frozenset[str], list[_Planned]]] = []
    for needs, members in sorted(by_inputs.items(), key=lambda pair: -_key_domain(pair[0])):
        for i, (group_needs, group_members) in enumerate(groups):
            if _key_domain(group_needs | needs) <= _SMALL_KEY:
                groups[i] = (group_needs | needs, group_members + members)
                break
        else:
            groups.append((needs, members))
    return [(tuple(sorted(needs)), members) for needs, members in groups]


_SMALL_KEY = 1_000
"""Most possible keys of a group that gathers triggers with different inputs: few enough that
each combination is soon seen and its outcome kept (wider groups, measured up to 65,536 keys,
were no faster)."""


def _key_domain(inputs: Iterable[str]) -> int:
    """How many values a key over these inputs can take (blank included)."""
    return answer_codes.domain(inputs, _NOT_ANSWERS)


def _offsets(domains: list[int]) -> list[int]:
    """Where each group's keys start: after the keys of the groups before it in the same
    table (the list for domains up to ``_LIST_LIMIT``, the dict for the others)."""
    offsets, listed, others = [], 0, 0
    for domain in domains:
        if domain <= _LIST_LIMIT:
            offsets.append(listed)
            listed += domain
        else:
            offsets.append(others)
            others += domain
    return offsets


_OUTCOMES_LIMIT = 5_000
"""Outcomes remembered per group kept in the sparse dict (groups in the list keep every
combination: their keys are few); four times as many chosen recommendations and rows are kept;
past it, they are worked out each time, the same."""

_CLUSTER = ":cluster"
_SCORE = ":orientation_score"
"""Inputs of a trigger that are not answers (no question id starts with a colon)."""
_NOT_ANSWERS = {
    _CLUSTER: answer_codes.numbered(list(CLUSTER_NAMES)),
    # a mean of four ratings from 1 to 5, in quarters; 0 when none is known
    _SCORE: answer_codes.numbered([0.0, *(1 + quarter / 4 for quarter in range(17))]),
}
"""Their codes, in the order the key function takes them (after the answers' getter)."""


def _trigger_inputs(condition: Condition) -> tuple[str, ...]:
    """What a trigger reads, in a fixed order: question ids, ``_CLUSTER``, ``_SCORE``."""
    inputs: dict[str, None] = {}
    for atom in atoms(condition):
        if isinstance(atom, ClusterIs):
            inputs[_CLUSTER] = None
        elif isinstance(atom, SectorIs):
            inputs["sector"] = None
        elif isinstance(atom, ScoreBelow | ScoreAtLeast):
            inputs[_SCORE] = None
        else:
            inputs[atom.answer] = None
    return tuple(inputs)


def _reason_key(atom: Atom, ctx: Context) -> object:
    if isinstance(atom, ClusterIs):
        return ctx.cluster
    if isinstance(atom, SectorIs):
        return ctx.answers.get("sector")
    if isinstance(atom, ScoreBelow | ScoreAtLeast):
        return ctx.answers.orientation_score
    value = ctx.answers.get(atom.answer)
    return (type(value), value)


def recommend(
    catalogue: Catalogue, answers: Answers, cluster: Cluster
) -> tuple[ChosenRecommendation, ...]:
    """Every recommendation whose trigger holds, ranked (uncompiled; see RecommendationEngine)."""
    checks = [
        (item, lambda ctx, when=item.when: evaluate(when, ctx))
        for item in catalogue.recommendations
    ]
    return _rank(checks, Context(answers, cluster))


def _rank(
    checks: Sequence[tuple[Recommendation, Check]],
    ctx: Context,
    word: Callable[[Atom, Context], LocalizedText] = lambda atom, ctx: reason(atom, ctx),
) -> tuple[ChosenRecommendation, ...]:
    chosen: list[tuple[int, int, int, ChosenRecommendation]] = []
    # the same atom recurs across recommendations: word each reason once
    worded: dict[int, LocalizedText] = {}
    for order, (item, check) in enumerate(checks):
        ok, held = check(ctx)
        if not ok:
            continue
        reasons: list[LocalizedText] = []
        for atom in held:
            text = worded.get(id(atom))
            if text is None:
                text = worded[id(atom)] = word(atom, ctx)
            if text not in reasons:
                reasons.append(text)
        chosen.append((-item.priority, -len(reasons), order, _chosen(item, tuple(reasons))))
    chosen.sort(key=lambda row: row[:3])
    return tuple(row[3] for row in chosen)


def _chosen(item: Recommendation, reasons: tuple[LocalizedText, ...]) -> ChosenRecommendation:
    return ChosenRecommendation(
        id=item.id,
        priority=item.priority,
        theme=item.theme,
        title=item.title,
        body=item.body,
        rests_on=item.rests_on,
        reasons=reasons,
    )


def check_catalogue(
    catalogue: Catalogue, questionnaire: Questionnaire = QUESTIONNAIRE
) -> list[str]:
    """Problems in the catalogue's triggers: unknown questions, values no answer can take, and
    what a recommendation's text takes for granted (``presupposes``) that its trigger does not
    ensure."""
    problems: list[str] = []
    for item in catalogue.recommendations:
        found = len(problems)
        facts = item.presupposes.condition()
        for atom in atoms(item.when) + (atoms(facts) if facts is not None else []):
            if isinstance(atom, ScoreBelow | ScoreAtLeast | ClusterIs | SectorIs):
                continue
            question_id = atom.answer
            if question_id not in questionnaire:
                problems.append(f"{item.id}: unknown question {question_id}")
                continue
            question = questionnaire[question_id]
            problems.extend(f"{item.id}: {p}" for p in _atom_problems(atom, question))
        if facts is None or len(problems) > found:  # prove only what reads real answers
            continue
        for fact in facts.all if isinstance(facts, AllOf) else (facts,):
            if not implies(item.when, fact, questionnaire):
                shown = fact.model_dump(mode="json", by_alias=True)
                problems.append(f"{item.id}: the trigger does not ensure {shown}")
    return problems


def implies(
    condition: Condition, fact: Condition, questionnaire: Questionnaire = QUESTIONNAIRE
) -> bool:
    """Whether ``condition`` holding guarantees ``fact``, for any validated answer set: a proof
    from the atoms' meaning and from a conditional question being answered only when it
    applies (a delay only for an open channel). False when no proof is found: the fact may
    hold all the same, but the trigger does not show it, and a trigger should say plainly
    what its advice assumes."""
    if isinstance(fact, AllOf):
        return all(implies(condition, part, questionnaire) for part in fact.all)
    if isinstance(condition, AnyOf):  # every way the trigger can hold must ensure the fact
        return all(implies(option, fact, questionnaire) for option in condition.any)
    if isinstance(condition, AllOf) and any(
        implies(part, fact, questionnaire) for part in condition.all
    ):
        return True
    if isinstance(fact, AnyOf):
        return any(implies(condition, option, questionnaire) for option in fact.any)
    if isinstance(fact, Not):
        return _excludes(condition, fact.not_, questionnaire)
    if isinstance(condition, AllOf):
        return False
    if isinstance(condition, Not):
        inner = condition.not_
        # the placement always gives a cluster: not these clusters means one of the others
        return (
            isinstance(inner, ClusterIs)
            and isinstance(fact, ClusterIs)
            and set(CLUSTER_NAMES) - set(inner.cluster) <= set(fact.cluster)
        )
    return _atom_implies(condition, fact, questionnaire)


def _excludes(condition: Condition, other: Condition, questionnaire: Questionnaire) -> bool:
    """Whether ``condition`` holding guarantees that ``other`` does not."""
    if isinstance(other, AnyOf):
        return all(_excludes(condition, option, questionnaire) for option in other.any)
    if isinstance(other, AllOf):
        return any(_excludes(condition, part, questionnaire) for part in other.all)
    if isinstance(other, Not):
        return implies(condition, other.not_, questionnaire)
    if isinstance(condition, AnyOf):
        return all(_excludes(option, other, questionnaire) for option in condition.any)
    if isinstance(condition, AllOf):
        return any(_excludes(part, other, questionnaire) for part in condition.all)
    if isinstance(condition, Not):
        return implies(other, condition.not_, questionnaire)
    return _disjoint(condition, other, questionnaire) or _disjoint(other, condition, questionnaire)


def _atom_implies(atom: Atom, fact: Atom, questionnaire: Questionnaire) -> bool:
    if atom == fact:
        return True
    if isinstance(atom, ClusterIs) and isinstance(fact, ClusterIs):
        return set(atom.cluster) <= set(fact.cluster)
    if isinstance(atom, SectorIs) and isinstance(fact, SectorIs):
        return set(atom.sector) <= set(fact.sector)
    if isinstance(atom, ScoreBelow) and isinstance(fact, ScoreBelow):
        return atom.below <= fact.below
    if isinstance(atom, ScoreAtLeast) and isinstance(fact, ScoreAtLeast):
        return atom.at_least >= fact.at_least
    if isinstance(atom, ScoreBelow | ScoreAtLeast | ClusterIs | SectorIs):
        return False
    if isinstance(fact, AnswerIn | AnswerIncludes):
        # an atom on a question holds only when the question was answered, so only when
        # every condition it is asked under holds
        for parent, values in _asked_under(atom.answer, questionnaire):
            if parent != fact.answer:
                continue
            multiple = questionnaire[parent].kind == "multiple"  # asked when one is ticked
            if isinstance(fact, AnswerIncludes):
                if multiple and tuple(values) == (fact.includes,):
                    return True
            elif not multiple and _subset(values, fact.in_):
                return True
    if isinstance(fact, ScoreBelow | ScoreAtLeast | ClusterIs | SectorIs):
        return False
    if atom.answer != fact.answer:
        return False
    if isinstance(atom, AnswerIn) and isinstance(fact, AnswerIn):
        return _subset(atom.in_, fact.in_)
    if isinstance(atom, AnswerBelow) and isinstance(fact, AnswerBelow):
        return atom.below <= fact.below
    if isinstance(atom, AnswerAtLeast) and isinstance(fact, AnswerAtLeast):
        return atom.at_least >= fact.at_least
    return False


def _disjoint(atom: Condition, other: Condition, questionnaire: Questionnaire) -> bool:
    """Whether two atoms can never hold together (checked one way round: call it both)."""
    if isinstance(atom, ClusterIs) and isinstance(other, ClusterIs):
        return not set(atom.cluster) & set(other.cluster)
    if isinstance(atom, SectorIs) and isinstance(other, SectorIs):
        return not set(atom.sector) & set(other.sector)
    if isinstance(atom, ScoreBelow) and isinstance(other, ScoreAtLeast):
        return atom.below <= other.at_least
    if isinstance(atom, AllOf | AnyOf | Not | ScoreBelow | ScoreAtLeast | ClusterIs | SectorIs):
        return False
    if isinstance(other, AllOf | AnyOf | Not | ScoreBelow | ScoreAtLeast | ClusterIs | SectorIs):
        return False
    if isinstance(atom, AnswerIn):
        # ``other`` reads a question asked only when ``atom``'s question has other answers
        for parent, values in _asked_under(other.answer, questionnaire):
            if parent == atom.answer and not _overlap(atom.in_, values):
                kind = questionnaire[parent].kind if parent in questionnaire else None
                if kind != "multiple":
                    return True
    if atom.answer != other.answer:
        return False
    if isinstance(atom, AnswerIn) and isinstance(other, AnswerIn):
        return not _overlap(atom.in_, other.in_)
    if isinstance(atom, AnswerBelow) and isinstance(other, AnswerAtLeast):
        return atom.below <= other.at_least
    if isinstance(atom, AnswerIncludes) and isinstance(other, AnswerExcludes):
        return atom.includes == other.excludes
    return False


def _asked_under(
    question_id: str, questionnaire: Questionnaire
) -> list[tuple[str, tuple[object, ...]]]:
    """The conditions a question is asked under, its parent's first: (question, values)."""
    found: list[tuple[str, tuple[object, ...]]] = []
    seen = set()
    while question_id in questionnaire and question_id not in seen:
        seen.add(question_id)
        rule = questionnaire[question_id].applies_when
        if rule is None:
            break
        found.append((rule.question, rule.values))
        question_id = rule.question
    return found


def _subset(values: Iterable[object], accepted: Iterable[object]) -> bool:
    """Every value is accepted, compared as answers are (``True`` is not ``1``)."""
    return {(type(v), v) for v in values} <= {(type(v), v) for v in accepted}


def _overlap(values: Iterable[object], others: Iterable[object]) -> bool:
    return bool({(type(v), v) for v in values} & {(type(v), v) for v in others})


def _atom_problems(atom: Atom, question: Question) -> list[str]:
    kind = question.kind
    if isinstance(atom, AnswerIn):
        bad = []
        for value in atom.in_:
            if kind == "boolean":
                ok = isinstance(value, bool)
            elif kind == "single":
                ok = isinstance(value, str) and value in question.option_ids()
            elif kind == "percent":
                ok = value == "dont_know" or (
                    isinstance(value, int) and not isinstance(value, bool)
                )
            else:
                ok = isinstance(value, int) and not isinstance(value, bool)
            if not ok:
                bad.append(f"{question.id} can never be {value!r}")
        return bad
    if isinstance(atom, AnswerBelow | AnswerAtLeast):
        return [] if kind in ("scale", "percent", "integer") else [f"{question.id} is not a number"]
    if isinstance(atom, AnswerIncludes | AnswerExcludes | AnswerFewerThan):
        if kind != "multiple":
            return [f"{question.id} is not a multiple choice"]
        option = getattr(atom, "includes", None) or getattr(atom, "excludes", None)
        if option is not None and option not in question.option_ids():
            return [f"{question.id} has no option {option!r}"]
    return []
