"""The company against its sector, all respondents and its cluster, KPI by KPI.

Each comparison puts the company's answer beside the report's figure and its source, and
gives a verdict: ``better``, ``in_line``, ``below``, ``no_figure`` (the report gives none for
that group) or ``not_comparable`` (the company does not measure it). Where the figure is a
share of companies reaching a threshold ("66% answer emails within 24 hours"), a sentence
also places the company, saying only what the figure supports for the answer bucket chosen:

- a bucket at or beyond the threshold: the company is one of that share (and, beyond it, does
  even better: the figure cannot say how many of the share do as well);
- the bucket just past the threshold: that share does better, no more and no fewer;
- a bucket two or more past it: at least that share does better (the figure does not count
  the respondents in between, who do better too);
- "not measured", or no answer: no position.

Whether satisfaction is measured after a contact is read the same way, on the scale
"every time" > "sometimes" > "never": a figure whose quote says "systématiquement" counts the
companies measuring every time, another the companies measuring at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Literal, cast

from app.core.answers import Answers
from app.core.benchmarks import Benchmarks, ClusterFigures, SectorBenchmark
from app.core.figures import Figure, ThresholdFigure, normalise_text
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
    (30, 3, 10),
    (100 / 3, 1, 3),
    (40, 2, 5),
    (50, 1, 2),
    (60, 3, 5),
    (200 / 3, 2, 3),
    (70, 7, 10),
    (75, 3, 4),
    (80, 4, 5),
    (90, 9, 10),
)
_FR_NUM = {1: "un", 2: "deux", 3: "trois", 4: "quatre", 7: "sept", 9: "neuf"}
_FR_DEN = {2: "deux", 3: "trois", 4: "quatre", 5: "cinq", 10: "dix"}
_EN_NUM = {1: "one", 2: "two", 3: "three", 4: "four", 7: "seven", 9: "nine"}
_EN_DEN = {2: "two", 3: "three", 4: "four", 5: "five", 10: "ten"}


AT_LEAST_SLACK = 1.0
"""Points a share may fall short of the fraction said "at least" of it (66% is "at least two in
three"): the report's shares are rounded to the unit."""


@lru_cache(maxsize=512)
def share_in_words(share: float, at_least: bool = False) -> LocalizedText:
    """A share of respondents as a reader says it: 68 -> "about two respondents in three".

    ``at_least``: the share is a lower bound (the figure counts only part of the respondents
    concerned), said as the largest fraction it reaches: 78 -> "at least three respondents in
    four", never rounded up."""
    if at_least:
        reached = [f for f in _FRACTIONS if f[0] <= share + AT_LEAST_SLACK]
        if not reached:
            return t("au moins quelques répondants", "at least a few respondents")
        _, num, den = max(reached)
        fr_adverb, en_adverb = "au moins", "at least"
    elif share >= 95:
        return t("presque tous les répondants", "almost every respondent")
    elif share <= 5:
        return t("presque aucun répondant", "almost no respondent")
    else:
        _, num, den = min(_FRACTIONS, key=lambda f: abs(f[0] - share))
        fr_adverb, en_adverb = "environ", "about"
    fr_noun = "répondant" if num == 1 else "répondants"
    en_noun = "respondent" if num == 1 else "respondents"
    return t(
        f"{fr_adverb} {_FR_NUM[num]} {fr_noun} sur {_FR_DEN[den]}",
        f"{en_adverb} {_EN_NUM[num]} {en_noun} in {_EN_DEN[den]}",
    )


def _pct(value: float) -> str:
    return f"{value:.0f}"


_QUALIFIERS: dict[str, LocalizedText] = {
    "about": t("environ", "about"),
    "more_than": t("plus de", "more than"),
    "less_than": t("moins de", "less than"),
}
_FLIPPED = {"more_than": "less_than", "less_than": "more_than"}


def _share(figure: Figure, share: float) -> LocalizedText:
    """A figure's share for its statement, as precise as the report printed it: "près d'une
    sur deux" is "about 50", not "50" (and "more than" the printed side is "less than" its
    complement)."""
    qualifier: str = figure.qualifier
    if figure.complement:
        qualifier = _FLIPPED.get(qualifier, qualifier)
    word = _QUALIFIERS.get(qualifier)
    number = _pct(share)
    return t(number, number) if word is None else t(f"{word.fr} {number}", f"{word.en} {number}")


# --- the three kinds of comparison -------------------------------------------------------------


def _threshold_reference(
    scope: Scope,
    group: LocalizedText,
    figures: list[tuple[Figure, str, float]],
    buckets: tuple[str, ...],
    answer: object,
    describe: LocalizedText,
) -> Reference:
    """``figures``: (figure, threshold bucket, share meeting it); ``buckets``: the answer's
    scale, best first. ``describe`` takes {share} and {threshold}.

    The figure splits respondents in two: the share whose answer is the threshold bucket or
    better, and the rest. The position sentence says where the company's bucket falls and
    only what that split supports (see the module's docstring)."""
    if not figures:
        return Reference(scope, group, None, None, "no_figure")
    if answer == NOT_MEASURED or answer is None:
        figure, bucket, share = figures[0]
        statement = describe.format(share=_share(figure, share), threshold=_BUCKET_WORDS[bucket])
        position = _UNANSWERED if answer is None else None
        return Reference(scope, group, figure, statement, "not_comparable", position, share)
    rank = buckets.index(str(answer))
    met = [f for f in figures if rank <= buckets.index(f[1])]
    missed = [f for f in figures if rank > buckets.index(f[1])]
    if met:
        # the strictest threshold the company reaches says most about it
        figure, bucket, share = min(met, key=lambda f: f[2])
        verdict: Verdict = "better" if share < 50 else "in_line"
        beyond = rank < buckets.index(bucket)
        position = _reaching(share, _BUCKET_WORDS[str(answer)] if beyond else None)
    else:
        # the loosest threshold it misses: the largest share known to do better
        figure, bucket, share = max(missed, key=lambda f: f[2])
        verdict = "below" if share >= 50 else "in_line"
        # one bucket past the threshold: exactly the share does better; further: the
        # respondents in the buckets in between do better too, uncounted
        at_least = rank > buckets.index(bucket) + 1
        position = _SHORT_OF.format(who=share_in_words(share, at_least))
    statement = describe.format(share=_share(figure, share), threshold=_BUCKET_WORDS[bucket])
    return Reference(scope, group, figure, statement, verdict, position, value=share)


_UNANSWERED = t(
    "Sans réponse de votre part, pas de comparaison possible.",
    "Without your answer, there is nothing to compare.",
)
_SHORT_OF = t("Font mieux que vous : {who}.", "Doing better than you: {who}.")


def _reaching(share: float, beyond: LocalizedText | None) -> LocalizedText:
    """The company is one of the ``share`` reaching the threshold; ``beyond``: its answer, when
    it is better than the threshold (how many of the share do as well, the figure cannot say).
    Where the share is a minority, how many the company outdoes: the rest, or at least the rest
    when its answer is beyond the threshold (some of the share fall short of it too)."""
    fr, en = "Vous en faites partie", "You are one of them"
    if beyond is not None:
        fr += f", et faites même mieux : {beyond.fr}"
        en += f", and do even better: {beyond.en}"
    if share < 50:
        who = share_in_words(100 - share, at_least=beyond is not None)
        fr += f". Font moins bien que vous : {who.fr}"
        en += f". Doing less well than you: {who.en}"
    return t(fr + ".", en + ".")


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
    size = abs(round(gap, decimals))
    # French says "point" below 2 ("1,93 point"), English only for exactly one ("0.69 points")
    position = (
        t("Exactement le chiffre du rapport.", "Exactly the report's figure.")
        if size == 0
        else t("Écart : {gap} {unit}.", "Gap: {gap} {unit}.").format(
            gap=_signed(gap, decimals),
            unit=t("points" if size >= 2 else "point", "point" if size == 1 else "points"),
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
    statement = describe.format(share=_share(figure, value))
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
    # satisfaction measured after a contact
    "systematic": t("après chaque contact", "after every contact"),
    "sometimes": t("de temps en temps", "from time to time"),
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
    # the report's figures are on the average handling time (DMT), not on every request
    "{share} % traitent une demande en {threshold} en moyenne",
    "{share}% handle a request in {threshold} on average",
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


SATISFACTION_SCALE: tuple[str, ...] = ("systematic", "sometimes", "never")
"""The answers to "satisfaction measured after a contact?", best first."""


def _satisfaction_mark(figure: Figure) -> tuple[str, LocalizedText]:
    """What a satisfaction figure counts, read from its quote: the companies measuring after
    every contact when the quote says "systématiquement" (all respondents: 78%), else those
    measuring at all (the classiques' 71% who do, against 29% who do not), and the statement
    that keeps that meaning, in our words ("contact" only when the quote speaks of one).
    Computed with the row, which is remembered."""
    quote = normalise_text(figure.source.quote or "").lower()
    if "systématiquement" in quote:
        # our words, not the quote's: "every contact" keeps its meaning
        return "systematic", t(
            "{share} % interrogent leurs clients sur leur satisfaction à chaque contact",
            "{share}% ask customers about their satisfaction at every contact",
        )
    if "contact" in quote:
        return "sometimes", t(
            "{share} % interrogent leurs clients sur leur satisfaction après des contacts",
            "{share}% ask customers about their satisfaction after contacts",
        )
    return "sometimes", t(
        "{share} % suivent la satisfaction de leurs clients",
        "{share}% track their customers' satisfaction",
    )


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
        """Three answers, not a yes/no: "sometimes" measures less than "every time" and more
        than "never", so the row is read as a threshold on that scale (see _satisfaction_mark)."""
        answer = answers.choice("satisfaction_measured")

        def reference(scope: Scope, figure: Figure | None) -> Reference:
            if figure is None:
                return Reference(scope, names[scope], None, None, "no_figure")
            bucket, describe = _satisfaction_mark(figure)
            return _threshold_reference(
                scope,
                names[scope],
                [(figure, bucket, figure.value)],
                SATISFACTION_SCALE,
                answer,
                describe,
            )

        return KpiComparison(
            kpi="satisfaction_measured",
            label=t("Satisfaction mesurée après contact", "Satisfaction measured after contact"),
            answer=_answer_label("satisfaction_measured", answers),
            kind="practice",
            references=(
                reference("sector", None),
                reference("all", self.benchmarks.all_respondents.satisfaction_measured),
                reference("cluster", figures.satisfaction_measured),
            ),
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
