"""The company against its sector, all respondents and its cluster, KPI by KPI.

Each comparison puts the company's answer beside the report's figure and its source, and
gives a verdict: ``better``, ``in_line``, ``below``, ``no_figure`` (the report gives none for
that group) or ``not_comparable`` (the company does not measure it). Where the figure is a
share of companies reaching a threshold, the verdict also places the company: "faster than
about two respondents in three".
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Literal, cast

from app.core.answers import Answers
from app.core.benchmarks import Benchmarks, ClusterFigures, SectorBenchmark
from app.core.figures import Figure, ThresholdFigure
from app.core.questionnaire import CHANNEL_SHORT_NAMES, QUESTIONNAIRE, answer_label
from app.core.records import FieldsAreState
from app.core.text import LocalizedText, t
from app.core.vocabulary import (
    AHT_BUCKETS,
    CHANNELS,
    DELAY_BUCKETS,
    NOT_MEASURED,
    Channel,
    Cluster,
)

Verdict = Literal["better", "in_line", "below", "no_figure", "not_comparable"]
Scope = Literal["sector", "all", "cluster"]

FCR_TOLERANCE = 3.0
"""Points of first-contact resolution within which a company is "in line"."""
NPS_TOLERANCE = 5.0
ORIENTATION_TOLERANCE = 0.1


@dataclass(frozen=True)
class Reference:
    scope: Scope
    group: LocalizedText
    figure: Figure | None
    statement: LocalizedText | None
    """What the figure says, in our words ("87% pick up within 2 minutes")."""
    verdict: Verdict
    position: LocalizedText | None = None
    """Where the company stands among that group, when the figure allows it."""
    value: float | None = None
    """The figure's value in the KPI's own scale (for charts): a share or a mean."""


@dataclass(frozen=True)
class KpiComparison(FieldsAreState):
    kpi: str
    label: LocalizedText
    answer: LocalizedText
    references: tuple[Reference, ...]
    kind: Literal["threshold", "mean", "practice"]
    your_value: float | None = None
    """The company's value on the figures' scale, where one exists (FCR %, NPS, score)."""


# --- fractions in words ------------------------------------------------------------------------

_FRACTIONS: tuple[tuple[float, int, int], ...] = (
    (10, 1, 10),
    (20, 1, 5),
    (25, 1, 4),
    (100 / 3, 1, 3),
    (40, 2, 5),
    (50, 1, 2),
    (60, 3, 5),
    (200 / 3, 2, 3),
    (75, 3, 4),
    (80, 4, 5),
    (90, 9, 10),
)
_FR_NUM = {1: "un", 2: "deux", 3: "trois", 4: "quatre", 9: "neuf"}
_FR_DEN = {2: "deux", 3: "trois", 4: "quatre", 5: "cinq", 10: "dix"}
_EN_NUM = {1: "one", 2: "two", 3: "three", 4: "four", 9: "nine"}
_EN_DEN = {2: "two", 3: "three", 4: "four", 5: "five", 10: "ten"}


@lru_cache(maxsize=512)
def share_in_words(share: float) -> LocalizedText:
    """A share of respondents as a reader says it: 68 -> "about two respondents in three"."""
    if share >= 95:
        return t("presque tous les répondants", "almost every respondent")
    if share <= 5:
        return t("presque aucun répondant", "almost no respondent")
    _, num, den = min(_FRACTIONS, key=lambda f: abs(f[0] - share))
    fr_noun = "répondant" if num == 1 else "répondants"
    en_noun = "respondent" if num == 1 else "respondents"
    return t(
        f"environ {_FR_NUM[num]} {fr_noun} sur {_FR_DEN[den]}",
        f"about {_EN_NUM[num]} {en_noun} in {_EN_DEN[den]}",
    )


def _pct(value: float) -> str:
    return f"{value:.0f}"


# --- the three kinds of comparison -------------------------------------------------------------


def _threshold_reference(
    scope: Scope,
    group: LocalizedText,
    figures: list[tuple[Figure, str, float]],
    buckets: tuple[str, ...],
    answer: object,
    describe: LocalizedText,
) -> Reference:
    """``figures``: (figure, threshold bucket, share meeting it). ``describe`` takes {share}
    and {threshold}."""
    if not figures:
        return Reference(scope, group, None, None, "no_figure")
    if answer == NOT_MEASURED or answer is None:
        figure, bucket, share = figures[0]
        statement = describe.format(share=_pct(share), threshold=_BUCKET_WORDS[bucket])
        return Reference(scope, group, figure, statement, "not_comparable", value=share)
    rank = buckets.index(str(answer))
    met = [f for f in figures if rank <= buckets.index(f[1])]
    missed = [f for f in figures if rank > buckets.index(f[1])]
    if met:
        figure, bucket, share = min(met, key=lambda f: f[2])
        verdict: Verdict = "better" if share < 50 else "in_line"
        others = 100 - share
        who = share_in_words(others)
        position = t(f"Vous faites mieux {_que(who.fr)}.", f"You do better than {who.en}.")
    else:
        figure, bucket, share = max(missed, key=lambda f: f[2])
        verdict = "below" if share >= 50 else "in_line"
        position = t("Font mieux que vous : {who}.", "Doing better than you: {who}.").format(
            who=share_in_words(share)
        )
    statement = describe.format(share=_pct(share), threshold=_BUCKET_WORDS[bucket])
    return Reference(scope, group, figure, statement, verdict, position, value=share)


def _que(text: str) -> str:
    """French "que" before a word, elided before a vowel: "qu'environ", "que presque"."""
    return f"qu'{text}" if text[:1] in "aeiouyéèêàh" else f"que {text}"


def _number(value: float, decimals: int) -> LocalizedText:
    """A number as each language writes it: 4,31 and 4.31; +2 and +2."""
    english = f"{value:.{decimals}f}"
    return t(english.replace(".", ","), english)


def _signed(value: float, decimals: int) -> LocalizedText:
    english = f"{value:+.{decimals}f}"
    return t(english.replace(".", ","), english)


def _mean_reference(
    scope: Scope,
    group: LocalizedText,
    figure: Figure | None,
    value: float | None,
    tolerance: float,
    describe: LocalizedText,
    unit: LocalizedText,
) -> Reference:
    if figure is None:
        return Reference(scope, group, None, None, "no_figure")
    decimals = 2 if tolerance < 1 else 0
    statement = describe.format(value=_number(figure.value, decimals))
    if value is None:
        return Reference(scope, group, figure, statement, "not_comparable", value=figure.value)
    gap = value - figure.value
    verdict: Verdict = "in_line" if abs(gap) <= tolerance else ("better" if gap > 0 else "below")
    plural = abs(round(gap, decimals)) >= 2
    position = (
        t("Exactement le chiffre du rapport.", "Exactly the report's figure.")
        if round(gap, decimals) == 0
        else t("Écart : {gap} {unit}.", "Gap: {gap} {unit}.").format(
            gap=_signed(gap, decimals),
            unit=t("points" if plural else "point", "points" if plural else "point"),
        )
    )
    return Reference(scope, group, figure, statement, verdict, position, value=figure.value)


def _practice_reference(
    scope: Scope,
    group: LocalizedText,
    figure: Figure | None,
    does_it: bool,
    describe: LocalizedText,
) -> Reference:
    if figure is None:
        return Reference(scope, group, None, None, "no_figure")
    value = figure.value
    statement = describe.format(share=_pct(value))
    if does_it:
        verdict: Verdict = "better" if value < 50 else "in_line"
        position = t("Font de même : {who}.", "Doing the same: {who}.").format(
            who=share_in_words(value)
        )
    else:
        verdict = "below" if value >= 50 else "in_line"
        position = t("Ne le font pas non plus : {who}.", "Not doing it either: {who}.").format(
            who=share_in_words(100 - value)
        )
    return Reference(scope, group, figure, statement, verdict, position, value=value)


# --- words -------------------------------------------------------------------------------------

_BUCKET_WORDS: dict[str, LocalizedText] = {
    "lt_2min": t("moins de 2 minutes", "under 2 minutes"),
    "2_5min": t("moins de 5 minutes", "under 5 minutes"),
    "lt_24h": t("moins de 24 heures", "under 24 hours"),
    "24_72h": t("moins de 72 heures", "under 72 hours"),
    "lt_72h": t("moins de 72 heures", "under 72 hours"),
    "3_7d": t("moins de 7 jours", "under 7 days"),
    "lt_5min": t("moins de 5 minutes", "under 5 minutes"),
    "5_30min": t("moins de 30 minutes", "under 30 minutes"),
    "lt_1h": t("moins d'une heure", "under an hour"),
    "1_24h": t("moins de 24 heures", "under 24 hours"),
    "5_60min": t("moins d'une heure", "under an hour"),
    "lt_10min": t("moins de 10 minutes", "under 10 minutes"),
    "5_10min": t("moins de 10 minutes", "under 10 minutes"),
    "10_60min": t("moins d'une heure", "under an hour"),
}

_DELAY_STATEMENT = t(
    "{share} % répondent en {threshold}",
    "{share}% respond in {threshold}",
)
_PHONE_DELAY_STATEMENT = t(
    "{share} % décrochent en {threshold}",
    "{share}% pick up in {threshold}",
)
_AHT_STATEMENT = t(
    "{share} % traitent une demande en {threshold}",
    "{share}% handle a request in {threshold}",
)

PhoneEmail = Literal["phone", "email"]
_Work = tuple[SectorBenchmark | None, ClusterFigures, dict[Scope, LocalizedText]]
_MEMO_LIMIT = 20_000
"""Rows the comparator remembers at most: every (cluster, sector, answer) combination comes to
about 17,000 (the FCR and NPS rows take integers), a few MB; past the limit rows are computed
each time, the same."""

ALL_RESPONDENTS = t("Tous les répondants", "All respondents")
_SCOPES: tuple[Scope, Scope, Scope] = ("sector", "all", "cluster")


def _group_names(
    benchmarks: Benchmarks, cluster: Cluster, sector: str | None
) -> dict[Scope, LocalizedText]:
    # the sector is named as the questionnaire names it, so the page says it one way only
    sector_name = (
        QUESTIONNAIRE["sector"].option(sector).label
        if sector
        else t("Votre secteur", "Your sector")
    )
    return {
        "sector": sector_name,
        "all": ALL_RESPONDENTS,
        "cluster": benchmarks.clusters[cluster].name,
    }


def _answer_label(question_id: str, answers: Answers) -> LocalizedText:
    return answer_label(QUESTIONNAIRE[question_id], answers.get(question_id))


# --- the comparisons ---------------------------------------------------------------------------


class Comparator:
    def __init__(self, benchmarks: Benchmarks) -> None:
        self.benchmarks = benchmarks
        # keyed by plain text, so that any answer (public sector, other) can look itself up
        self._sectors: dict[str, SectorBenchmark] = {}
        for key, sector in benchmarks.sectors.items():
            self._sectors[key] = sector
        # by cluster and sector, then by the row's place in the plan, then by its one answer
        self._rows: dict[tuple[Cluster, str | None], list[dict[object, KpiComparison]]] = {}
        self._remembered = 0
        # the rows in the order a result lists them: (kind, channel whose opening it needs,
        # the question that opens it, the one answer it depends on besides the cluster and the
        # sector; None: the orientation score)
        phone_email: tuple[PhoneEmail, ...] = ("phone", "email")
        self._plan: list[tuple[str, str | None, str | None, str | None]] = [
            *(("delay", c, f"{c}_open", f"{c}_delay") for c in CHANNELS),
            *(("aht", c, f"{c}_open", f"{c}_aht") for c in phone_email),
            *(("fcr", c, f"{c}_open", f"{c}_fcr") for c in phone_email),
            ("satisfaction", None, None, "satisfaction_measured"),
            ("nps", None, None, "nps_value"),
            ("selfcare", None, None, "selfcare"),
            ("omnichannel", None, None, "channel_strategy"),
            ("complaints", None, None, "complaint_opportunity"),
            ("orientation", None, None, None),
        ]

    def compare(self, answers: Answers, cluster: Cluster) -> tuple[KpiComparison, ...]:
        """Each row depends on the cluster, the sector and one answer (the satisfaction, NPS,
        orientation... rows on theirs): it is computed once for each such combination and
        shared by the results that need it (rows are immutable)."""
        sector_id = answers.choice("sector")
        rows: list[KpiComparison] = []
        context = (cluster, sector_id)
        memos = self._rows.get(context)
        if memos is None:
            memos = [{} for _ in self._plan]
            if self._remembered < _MEMO_LIMIT:
                self._rows[context] = memos
        # validated answers: each question's values are of one type, so the value alone is a
        # key (see Answers.validated); otherwise True and 1 must stay apart
        validated = answers.validated
        work: _Work | None = None
        get = answers.getter
        for memo, (kind, channel, opened_by, question) in zip(memos, self._plan, strict=True):
            if opened_by is not None and get(opened_by) is not True:
                continue
            if kind == "nps" and "nps" not in answers.selected("satisfaction_indicators"):
                continue
            value: object = answers.orientation_score if question is None else get(question)
            key = value if validated else (value.__class__, value)
            row = memo.get(key)
            if row is None:
                if work is None:
                    work = self._work(answers, cluster, sector_id)
                row = self._row(kind, channel, answers, work)
                if self._remembered < _MEMO_LIMIT:
                    memo[key] = row
                    self._remembered += 1
            rows.append(row)
        return tuple(rows)

    def _work(self, answers: Answers, cluster: Cluster, sector_id: str | None) -> _Work:
        sector = self._sectors.get(sector_id or "")
        names = _group_names(self.benchmarks, cluster, sector_id)
        return sector, self.benchmarks.clusters[cluster], names

    def _row(self, kind: str, channel: str | None, answers: Answers, work: _Work) -> KpiComparison:
        sector, figures, names = work
        if kind == "delay":
            return self._delay(cast(Channel, channel), answers, sector, figures, names)
        if kind == "aht":
            return self._aht(cast(PhoneEmail, channel), answers, sector, figures, names)
        if kind == "fcr":
            return self._fcr(cast(PhoneEmail, channel), answers, sector, figures, names)
        if kind == "satisfaction":
            return self._satisfaction(answers, figures, names)
        if kind == "nps":
            return self._nps(answers, sector, names)
        if kind == "selfcare":
            return self._selfcare(answers, sector, figures, names)
        if kind == "omnichannel":
            return self._omnichannel(answers, sector, figures, names)
        if kind == "complaints":
            return self._complaints(answers, sector, figures, names)
        return self._orientation(answers, figures, names)

    @staticmethod
    def _no_sector(names: dict[Scope, LocalizedText]) -> Reference:
        return Reference("sector", names["sector"], None, None, "no_figure")

    def _delay(
        self,
        channel: Channel,
        answers: Answers,
        sector: SectorBenchmark | None,
        figures: ClusterFigures,
        names: dict[Scope, LocalizedText],
    ) -> KpiComparison:
        buckets = DELAY_BUCKETS[channel]
        answer = answers.get(f"{channel}_delay")
        describe = _PHONE_DELAY_STATEMENT if channel == "phone" else _DELAY_STATEMENT

        def refs(figure: ThresholdFigure | None) -> list[tuple[Figure, str, float]]:
            return [] if figure is None else [(figure, figure.bucket, figure.value)]

        all_figure = getattr(self.benchmarks.all_respondents.delays, channel)
        cluster_figure = getattr(figures.delays, channel)
        return KpiComparison(
            kpi=f"{channel}_delay",
            label=t(
                f"Délai de réponse — {CHANNEL_SHORT_NAMES[channel].fr}",
                f"Response time — {CHANNEL_SHORT_NAMES[channel].en}",
            ),
            answer=_answer_label(f"{channel}_delay", answers),
            kind="threshold",
            references=(
                self._no_sector(names),
                _threshold_reference(
                    "all", names["all"], refs(all_figure), buckets, answer, describe
                ),
                _threshold_reference(
                    "cluster", names["cluster"], refs(cluster_figure), buckets, answer, describe
                ),
            ),
        )

    def _aht(
        self,
        channel: Literal["phone", "email"],
        answers: Answers,
        sector: SectorBenchmark | None,
        figures: ClusterFigures,
        names: dict[Scope, LocalizedText],
    ) -> KpiComparison:
        buckets = AHT_BUCKETS[channel]
        answer = answers.get(f"{channel}_aht")

        def refs(items: tuple[ThresholdFigure, ...]) -> list[tuple[Figure, str, float]]:
            return [(f, f.bucket, f.value) for f in items]

        sector_refs: list[tuple[Figure, str, float]] = []
        if sector is not None:
            if channel == "phone" and sector.phone_aht_under_10min is not None:
                sector_refs = [
                    (sector.phone_aht_under_10min, "5_10min", sector.phone_aht_under_10min.value)
                ]
            if channel == "email" and sector.email_aht_under_10min is not None:
                figure = sector.email_aht_under_10min
                sector_refs = [(figure, "lt_10min", figure.value)]
        sector_ref = (
            _threshold_reference(
                "sector", names["sector"], sector_refs, buckets, answer, _AHT_STATEMENT
            )
            if sector is not None
            else self._no_sector(names)
        )
        return KpiComparison(
            kpi=f"{channel}_aht",
            label=t(
                f"Durée moyenne de traitement — {CHANNEL_SHORT_NAMES[channel].fr}",
                f"Average handling time — {CHANNEL_SHORT_NAMES[channel].en}",
            ),
            answer=_answer_label(f"{channel}_aht", answers),
            kind="threshold",
            references=(
                sector_ref,
                _threshold_reference(
                    "all",
                    names["all"],
                    refs(getattr(self.benchmarks.all_respondents.aht, channel)),
                    buckets,
                    answer,
                    _AHT_STATEMENT,
                ),
                _threshold_reference(
                    "cluster",
                    names["cluster"],
                    refs(getattr(figures.aht, channel)),
                    buckets,
                    answer,
                    _AHT_STATEMENT,
                ),
            ),
        )

    def _fcr(
        self,
        channel: Literal["phone", "email"],
        answers: Answers,
        sector: SectorBenchmark | None,
        figures: ClusterFigures,
        names: dict[Scope, LocalizedText],
    ) -> KpiComparison:
        value = answers.number(f"{channel}_fcr")
        describe = t(
            "résolution au premier contact : {value} %", "first-contact resolution: {value}%"
        )
        unit = t("pts", "pts")
        sector_figure = getattr(sector, f"fcr_{channel}") if sector is not None else None
        return KpiComparison(
            kpi=f"{channel}_fcr",
            label=t(
                f"Résolution au premier contact — {CHANNEL_SHORT_NAMES[channel].fr}",
                f"First-contact resolution — {CHANNEL_SHORT_NAMES[channel].en}",
            ),
            answer=_answer_label(f"{channel}_fcr", answers)
            if value is None
            else t(f"{value} %", f"{value}%"),
            kind="mean",
            your_value=None if value is None else float(value),
            references=(
                _mean_reference(
                    "sector", names["sector"], sector_figure, value, FCR_TOLERANCE, describe, unit
                ),
                _mean_reference(
                    "all",
                    names["all"],
                    getattr(self.benchmarks.all_respondents, f"fcr_{channel}"),
                    value,
                    FCR_TOLERANCE,
                    describe,
                    unit,
                ),
                _mean_reference(
                    "cluster",
                    names["cluster"],
                    getattr(figures, f"fcr_{channel}"),
                    value,
                    FCR_TOLERANCE,
                    describe,
                    unit,
                ),
            ),
        )

    def _nps(
        self, answers: Answers, sector: SectorBenchmark | None, names: dict[Scope, LocalizedText]
    ) -> KpiComparison:
        value = answers.number("nps_value")
        describe = t("NPS moyen : {value}", "average NPS: {value}")
        unit = t("pts", "pts")
        return KpiComparison(
            kpi="nps",
            label=t("Net Promoter Score (NPS)", "Net Promoter Score (NPS)"),
            answer=t("Non communiqué", "Not given") if value is None else t(f"{value}", f"{value}"),
            kind="mean",
            your_value=None if value is None else float(value),
            references=(
                _mean_reference(
                    "sector",
                    names["sector"],
                    sector.nps if sector else None,
                    value,
                    NPS_TOLERANCE,
                    describe,
                    unit,
                ),
                _mean_reference(
                    "all",
                    names["all"],
                    self.benchmarks.all_respondents.nps_average,
                    value,
                    NPS_TOLERANCE,
                    describe,
                    unit,
                ),
                Reference("cluster", names["cluster"], None, None, "no_figure"),
            ),
        )

    def _practice(
        self,
        kpi: str,
        label: LocalizedText,
        answer: LocalizedText,
        does_it: bool,
        describe: LocalizedText,
        figures: tuple[Figure | None, Figure | None, Figure | None],
        names: dict[Scope, LocalizedText],
        your_value: float | None = None,
    ) -> KpiComparison:
        """A practice a share of companies has (self-care, omnichannel...): sector, all, cluster."""
        return KpiComparison(
            kpi=kpi,
            label=label,
            answer=answer,
            kind="practice",
            your_value=your_value,
            references=tuple(
                _practice_reference(scope, names[scope], figure, does_it, describe)
                for scope, figure in zip(_SCOPES, figures, strict=True)
            ),
        )

    def _satisfaction(
        self, answers: Answers, figures: ClusterFigures, names: dict[Scope, LocalizedText]
    ) -> KpiComparison:
        return self._practice(
            "satisfaction_measured",
            t("Satisfaction mesurée après contact", "Satisfaction measured after contact"),
            _answer_label("satisfaction_measured", answers),
            answers.choice("satisfaction_measured") == "systematic",
            t(
                "{share} % mesurent la satisfaction client après un contact",
                "{share}% measure customer satisfaction after a contact",
            ),
            (
                None,
                self.benchmarks.all_respondents.satisfaction_measured,
                figures.satisfaction_measured,
            ),
            names,
        )

    def _selfcare(
        self,
        answers: Answers,
        sector: SectorBenchmark | None,
        figures: ClusterFigures,
        names: dict[Scope, LocalizedText],
    ) -> KpiComparison:
        return self._practice(
            "selfcare",
            t("Outil de selfcare", "Self-care tool"),
            _answer_label("selfcare", answers),
            answers.get("selfcare") is True,
            t("{share} % proposent un outil de selfcare", "{share}% offer a self-care tool"),
            (
                sector.selfcare if sector else None,
                self.benchmarks.all_respondents.selfcare,
                figures.selfcare,
            ),
            names,
        )

    def _omnichannel(
        self,
        answers: Answers,
        sector: SectorBenchmark | None,
        figures: ClusterFigures,
        names: dict[Scope, LocalizedText],
    ) -> KpiComparison:
        return self._practice(
            "omnichannel",
            t("Relation client omnicanale", "Omnichannel customer service"),
            _answer_label("channel_strategy", answers),
            answers.choice("channel_strategy") == "omni",
            t(
                "{share} % gèrent leurs demandes en omnicanal",
                "{share}% run their requests omnichannel",
            ),
            (
                sector.omnichannel if sector else None,
                self.benchmarks.all_respondents.omnichannel,
                figures.channel_strategy.omni,
            ),
            names,
        )

    def _complaints(
        self,
        answers: Answers,
        sector: SectorBenchmark | None,
        figures: ClusterFigures,
        names: dict[Scope, LocalizedText],
    ) -> KpiComparison:
        rating = answers.number("complaint_opportunity") or 0
        return self._practice(
            "complaint_opportunity",
            t("La réclamation vue comme une opportunité", "Complaints seen as an opportunity"),
            t(f"{rating} sur 5", f"{rating} out of 5"),
            rating >= 4,  # the report counts "d'accord" and "tout à fait d'accord"
            t(
                "{share} % voient la réclamation comme une opportunité",
                "{share}% see complaints as an opportunity",
            ),
            (
                sector.complaint_opportunity if sector else None,
                self.benchmarks.all_respondents.complaint_opportunity,
                figures.complaint_opportunity,
            ),
            names,
            your_value=float(rating),
        )

    def _orientation(
        self, answers: Answers, figures: ClusterFigures, names: dict[Scope, LocalizedText]
    ) -> KpiComparison:
        score = answers.orientation_score
        describe = t("score moyen : {value} sur 5", "mean score: {value} out of 5")
        unit = t("point", "point")
        return KpiComparison(
            kpi="orientation_score",
            label=t("Score d'orientation client", "Customer-orientation score"),
            answer=t(f"{score:.2f} sur 5".replace(".", ","), f"{score:.2f} out of 5"),
            kind="mean",
            your_value=score,
            references=(
                Reference("sector", names["sector"], None, None, "no_figure"),
                _mean_reference(
                    "all",
                    names["all"],
                    self.benchmarks.all_respondents.orientation_score,
                    score,
                    ORIENTATION_TOLERANCE,
                    describe,
                    unit,
                ),
                _mean_reference(
                    "cluster",
                    names["cluster"],
                    figures.orientation_score,
                    score,
                    ORIENTATION_TOLERANCE,
                    describe,
                    unit,
                ),
            ),
        )


@dataclass(frozen=True)
class OrientationPosition:
    score: float
    cluster_means: dict[Cluster, float]
    all_mean: float
    closest: Cluster
    """The cluster whose mean score is nearest to the company's."""


def orientation_position(answers: Answers, benchmarks: Benchmarks) -> OrientationPosition:
    """Worked out once per benchmarks and score (a mean of four ratings: a few values) and
    shared, read-only, by the results with that score."""
    score = answers.orientation_score
    key = (id(benchmarks), score)
    known = _POSITIONS.get(key)
    if known is not None and known[0] is benchmarks:
        return known[1]
    means = {c: f.orientation_score.value for c, f in benchmarks.clusters.items()}
    closest = min(means, key=lambda c: abs(means[c] - score))
    position = OrientationPosition(
        score=score,
        cluster_means=means,
        all_mean=benchmarks.all_respondents.orientation_score.value,
        closest=closest,
    )
    if len(_POSITIONS) < _MEMO_LIMIT:
        # the benchmarks kept alongside, so that their id cannot be reused meanwhile
        _POSITIONS[key] = (benchmarks, position)
    return position


_POSITIONS: dict[tuple[int, float], tuple[Benchmarks, OrientationPosition]] = {}
