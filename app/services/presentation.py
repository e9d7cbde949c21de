"""The result page's content in one language: what the template and the charts show."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from app.core.assessment import AssessmentResult, ReferenceData
from app.core.comparison import KpiComparison, Verdict
from app.core.figures import Source
from app.core.next_level import Change
from app.core.placement import FactorPull
from app.core.questionnaire import CHANNEL_NAMES, CHANNEL_SHORT_NAMES, QUESTIONNAIRE, answer_label
from app.core.text import LocalizedText, t
from app.core.vocabulary import CLUSTERS, Channel, Cluster, Locale

SHOWN_RECOMMENDATIONS = 8
"""Ranked advice shown in full; the rest is listed under "more ideas"."""

DOCUMENTS: dict[str, LocalizedText] = {
    "barometre_2022": t(
        "Baromètre des KPIs de la Relation Client 2022",
        "Baromètre des KPIs de la Relation Client 2022",
    ),
    "amarc_dauphine_2022": t(
        "AMARC et Université Paris-Dauphine, « De Tartuffe à nos jours » (2022)",
        "AMARC and Université Paris-Dauphine, “De Tartuffe à nos jours” (2022)",
    ),
    "sens_du_client_2017": t(
        "Sens du client, « Le client sera KPI » (2017)",
        "Sens du client, “Le client sera KPI” (2017)",
    ),
    "ipsos_closed_loop": t(
        "Ipsos Loyalty, « Feedback clients : 7 enseignements »",
        "Ipsos Loyalty, “Feedback clients : 7 enseignements”",
    ),
    "dauphine_post_covid": t(
        "Université Paris-Dauphine, « La relation client post covid » (2021)",
        "Université Paris-Dauphine, “La relation client post covid” (2021)",
    ),
}

VERDICTS: dict[Verdict, LocalizedText] = {
    "better": t("Mieux", "Better"),
    "in_line": t("Dans la norme", "In line"),
    "below": t("En retrait", "Below"),
    "no_figure": t("Le rapport ne donne pas de chiffre", "The report gives no figure"),
    "not_comparable": t("Pas de valeur de votre côté", "No value on your side"),
}


@dataclass(frozen=True)
class Probability:
    cluster: Cluster
    name: str
    percent: int
    """Whole percentages that add up to 100 (largest remainder), the same in chart and table."""


def whole_percentages(shares: list[float]) -> list[int]:
    """Rounds shares (summing to 1) to whole percentages that sum to exactly 100."""
    raw = [100 * s for s in shares]
    floors = [int(r) for r in raw]
    missing = 100 - sum(floors)
    by_remainder = sorted(range(len(raw)), key=lambda i: raw[i] - floors[i], reverse=True)
    for i in by_remainder[:missing]:
        floors[i] += 1
    return floors


@dataclass(frozen=True)
class FactorRow:
    label: str
    answer: str
    toward: str
    pulls: dict[Cluster, float]
    left_out: str | None = None


@dataclass(frozen=True)
class SourceLine:
    document: str
    section: str
    quote: str | None


@dataclass(frozen=True)
class ReferenceCell:
    scope: str
    group: str
    verdict: Verdict
    verdict_label: str
    statement: str | None
    position: str | None
    source: SourceLine | None
    value: float | None


@dataclass(frozen=True)
class ComparisonRow:
    kpi: str
    label: str
    answer: str
    kind: str
    your_value: float | None
    cells: tuple[ReferenceCell, ...]


@dataclass(frozen=True)
class Advice:
    id: str
    priority: int
    title: str
    body: str
    reasons: tuple[str, ...]
    sources: tuple[SourceLine, ...]


@dataclass(frozen=True)
class ResultPage:
    locale: Locale
    cluster: Cluster
    cluster_name: str
    tagline: str
    description: str
    share: float
    probabilities: tuple[Probability, ...]
    borderline: bool
    runner_up_name: str
    confidence_reduced: bool
    left_out: tuple[str, ...]
    factors: tuple[FactorRow, ...]
    next_target: str | None
    next_reached: str | None
    skips_level: bool
    path_changes: tuple[str, ...]
    path_probability: float | None
    questions_to_answer: tuple[str, ...]
    consolidate: tuple[str, ...]
    weak_points: tuple[str, ...]
    comparisons: tuple[ComparisonRow, ...]
    orientation_score: float
    orientation_means: tuple[tuple[str, float], ...]
    orientation_all: float
    orientation_closest: str
    advice: tuple[Advice, ...]
    more_advice: tuple[Advice, ...] = field(default=())
    decisive: str | None = None
    """When one answer decides the level: which, and where the others would place."""


def _decisive(
    result: AssessmentResult, name: Callable[[Cluster], str], locale: Locale
) -> str | None:
    hinge = result.placement.hinge
    if hinge is None:
        return None
    pull = next(p for p in result.placement.pulls if p.factor == hinge.factor)
    answer = f"{_factor_label(pull, locale)} — {_factor_answer(pull, locale)}"
    sentence = t(
        "Votre niveau tient notamment à votre réponse « {answer} » : sans elle, vos autres "
        "réponses vous placeraient plutôt parmi les {other}.",
        "Your level hinges in particular on your answer “{answer}”: without it, your other "
        "answers would instead place you among the {other}.",
    )
    advice = (
        t(" La mesurer pourrait changer ce résultat.", " Measuring it could change this result.")
        if hinge.answer == "not_measured"
        else t(
            " Vérifiez qu'elle décrit bien votre service.",
            " Check that it describes your service well.",
        )
    )
    text = sentence.format(answer=answer, other=name(hinge.without)).in_(locale)
    return text + advice.in_(locale)


def _factor_label(pull: FactorPull, locale: Locale) -> str:
    question = QUESTIONNAIRE[pull.question]
    channel = question.channel
    if channel is None:
        return t("Mesure de la satisfaction", "Satisfaction measurement").in_(locale)
    name = CHANNEL_SHORT_NAMES[channel].in_(locale)
    if pull.factor.startswith("open_"):
        return t(f"Canal proposé : {name}", f"Channel offered: {name}").in_(locale)
    if pull.factor.startswith("delay_"):
        return t(f"Délai de réponse : {name}", f"Response time: {name}").in_(locale)
    return t(f"Durée de traitement : {name}", f"Handling time: {name}").in_(locale)


def _factor_answer(pull: FactorPull, locale: Locale) -> str:
    question = QUESTIONNAIRE[pull.question]
    value: object = {"true": True, "false": False}.get(pull.answer or "", pull.answer)
    if pull.factor.startswith("open_"):
        return (t("Oui", "Yes") if value is True else t("Non", "No")).in_(locale)
    return answer_label(question, value).in_(locale)


def change_sentence(change: Change, locale: Locale) -> LocalizedText:
    question = QUESTIONNAIRE[change.question]
    if question.id == "satisfaction_measured":
        return t(
            "Mesurer la satisfaction après chaque contact",
            "Measure satisfaction after every contact",
        )
    channel: Channel | None = question.channel
    assert channel is not None  # noqa: S101 - every other path change is a channel's
    name = CHANNEL_NAMES[channel]
    if question.id.endswith("_open"):
        return t(f"Ouvrir le canal {name.fr}", f"Open {name.en}")
    label = answer_label(question, change.after)
    if question.id.endswith("_delay"):
        return t(
            f"{name.fr} : délai de réponse « {label.fr.lower()} »",
            f"{name.en}: response time “{label.en.lower()}”",
        )
    return t(
        f"{name.fr} : durée de traitement « {label.fr.lower()} »",
        f"{name.en}: handling time “{label.en.lower()}”",
    )


def change_sentences(changes: Sequence[Change], locale: Locale) -> tuple[str, ...]:
    """One sentence per change, except that a channel opened takes its own delay and handling
    time along ("Open chat, response time …"), rather than naming the channel twice."""
    opened = {QUESTIONNAIRE[c.question].channel for c in changes if c.question.endswith("_open")}
    sentences: list[str] = []
    details: dict[Channel, list[str]] = {}
    for change in changes:
        channel = QUESTIONNAIRE[change.question].channel
        if channel in opened and not change.question.endswith("_open"):
            assert channel is not None  # noqa: S101 - opened holds channels only
            label = answer_label(QUESTIONNAIRE[change.question], change.after).in_(locale).lower()
            kind = (
                t("délai de réponse", "response time")
                if change.question.endswith("_delay")
                else t("durée de traitement", "handling time")
            )
            quoted = f"« {label} »" if locale == "fr" else f"“{label}”"
            details.setdefault(channel, []).append(f"{kind.in_(locale)} {quoted}")
    for change in changes:
        channel = QUESTIONNAIRE[change.question].channel
        if channel in opened and not change.question.endswith("_open"):
            continue
        sentence = change_sentence(change, locale).in_(locale)
        if channel is not None and details.get(channel):
            sentence = f"{sentence}, {', '.join(details[channel])}"
        sentences.append(sentence)
    return tuple(sentences)


def _source(source: Source, locale: Locale) -> SourceLine:
    return SourceLine(DOCUMENTS[source.document].in_(locale), source.section, source.quote)


def _comparison(row: KpiComparison, locale: Locale) -> ComparisonRow:
    cells = tuple(
        ReferenceCell(
            scope=ref.scope,
            group=ref.group.in_(locale),
            verdict=ref.verdict,
            verdict_label=VERDICTS[ref.verdict].in_(locale),
            statement=ref.statement.in_(locale) if ref.statement else None,
            position=ref.position.in_(locale) if ref.position else None,
            source=_source(ref.figure.source, locale) if ref.figure else None,
            value=ref.value,
        )
        for ref in row.references
    )
    return ComparisonRow(
        kpi=row.kpi,
        label=row.label.in_(locale),
        answer=row.answer.in_(locale),
        kind=row.kind,
        your_value=row.your_value,
        cells=cells,
    )


def describe_result(
    result: AssessmentResult, reference: ReferenceData, locale: Locale
) -> ResultPage:
    placement = result.placement
    clusters = reference.benchmarks.clusters
    figures = clusters[placement.cluster]

    def name(cluster: Cluster) -> str:
        return clusters[cluster].name.in_(locale)

    factors = tuple(
        FactorRow(
            label=_factor_label(p, locale),
            answer=_factor_answer(p, locale),
            toward=name(p.strongest) if p.strongest else "",
            pulls=p.pull,
        )
        for p in placement.pulls
        if p.skipped is None
    )
    left_out = tuple(
        _factor_label(p, locale)
        for p in placement.pulls
        if p.skipped in ("not_measured", "unanswered")
    )
    path = result.next_level
    changes: tuple[str, ...] = ()
    questions: tuple[str, ...] = ()
    probability_after = None
    if path.path is not None:
        changes = change_sentences(path.path.changes, locale)
        questions = tuple(QUESTIONNAIRE[q].label.in_(locale) for q in path.path.questions_to_answer)
        probability_after = 100 * path.path.probabilities[path.path.target]
    consolidate: tuple[str, ...] = ()
    weak: tuple[str, ...] = ()
    if path.consolidation is not None:
        consolidate = tuple(
            " ; ".join(change_sentences(move.changes, locale))
            for move in path.consolidation.best_moves
        )
        by_factor = {p.factor: p for p in placement.pulls}
        weak = tuple(
            f"{_factor_label(by_factor[f], locale)} ({_factor_answer(by_factor[f], locale)})"
            for f in path.consolidation.weak_factors[:4]
        )
    advice = tuple(
        Advice(
            id=r.id,
            priority=r.priority,
            title=r.title.in_(locale),
            body=r.body.in_(locale),
            reasons=tuple(x.in_(locale) for x in r.reasons),
            sources=tuple(_source(s, locale) for s in r.rests_on),
        )
        for r in result.recommendations
    )
    orientation = result.orientation
    return ResultPage(
        locale=locale,
        cluster=placement.cluster,
        cluster_name=name(placement.cluster),
        tagline=figures.tagline.in_(locale),
        description=figures.description.in_(locale),
        share=figures.share.value,
        probabilities=tuple(
            Probability(c, name(c), pct)
            for c, pct in zip(
                CLUSTERS,
                whole_percentages([placement.probabilities[c] for c in CLUSTERS]),
                strict=True,
            )
        ),
        borderline=placement.borderline,
        decisive=_decisive(result, name, locale),
        runner_up_name=name(placement.runner_up),
        confidence_reduced=placement.confidence == "reduced",
        left_out=left_out,
        factors=factors,
        next_target=name(path.target) if path.target else None,
        next_reached=name(path.path.target) if path.path else None,
        skips_level=bool(path.path and path.path.skips_level),
        path_changes=changes,
        path_probability=probability_after,
        questions_to_answer=questions,
        consolidate=consolidate,
        weak_points=weak,
        comparisons=tuple(_comparison(row, locale) for row in result.comparisons),
        orientation_score=orientation.score,
        orientation_means=tuple((name(c), v) for c, v in orientation.cluster_means.items()),
        orientation_all=orientation.all_mean,
        orientation_closest=name(orientation.closest),
        advice=advice[:SHOWN_RECOMMENDATIONS],
        more_advice=advice[SHOWN_RECOMMENDATIONS:],
    )
