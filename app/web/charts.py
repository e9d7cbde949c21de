"""Chart figures built on the server from the core's results (plotly's figure schema).

The page embeds each figure as JSON in a non-executable <script type="application/json">
block, which the app's own static/js/charts.js draws with the app's own plotly.js bundle.
Every chart repeats a table that is on the page, so the charts enhance and never gate.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import plotly.graph_objects as go

from app.core.text import t
from app.core.vocabulary import Cluster, Locale
from app.services.presentation import ResultPage
from app.web.i18n import PERCENT_SIGN, percent_text

_COLOURS = {"basiques": "#9a6700", "classiques": "#0b5cad", "polyvalents": "#1a7f37"}
_YOU = "#0b5cad"
_PEERS = "#8c959f"
_FONT = {"family": "system-ui, -apple-system, Segoe UI, Roboto, sans-serif", "size": 13}


@dataclass(frozen=True)
class Chart:
    id: str
    title: str
    summary: str
    """Text alternative: what the chart shows, in one sentence."""
    figure_json: str


def _percent_ticks(values: list[int], locale: Locale) -> dict[str, Any]:
    """Value-axis ticks written out: plotly.js ignores ``ticksuffix`` on ticks given as
    ``tickvals`` (the position chart read "0 50 100"), so each tick carries its own text."""
    return {
        "tickmode": "array",
        "tickvals": values,
        "ticktext": [percent_text(v, locale) for v in values],
    }


def _layout(height: int, **extra: Any) -> dict[str, Any]:
    return {
        "height": height,
        "margin": {"l": 10, "r": 10, "t": 10, "b": 30},
        "font": _FONT,
        "paper_bgcolor": "rgba(0,0,0,0)",
        "plot_bgcolor": "rgba(0,0,0,0)",
        "showlegend": False,
        **extra,
    }


WRAP = 40
"""Characters on one line of a bar's label: plotly.js never wraps text, and a longer line ran
past the right edge of a phone ("… De 10 minutes à une heure")."""
ROW = 50
"""Height of a bar and of its label when the label is one line, in pixels."""
LINE = 16
"""Height of each further line of a label, in pixels (12-pixel text)."""
BAR = 20
"""Thickness of a labelled bar, in pixels."""


def _glued(text: str) -> list[str]:
    """The words of ``text``, with a lone ":" (French typography) or dash kept at the end of
    the word before it, so that no line starts with one."""
    words: list[str] = []
    for word in text.split(" "):
        if words and word in (":", ";", "!", "?", "—"):
            words[-1] += " " + word
        else:
            words.append(word)
    return words


def _lines(text: str, width: int) -> list[str]:
    lines: list[str] = []
    for word in _glued(text):
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines


def wrap(text: str, width: int = WRAP) -> str:
    """``text`` in lines of at most ``width`` characters (a longer word keeps a line of its own)
    joined by plotly's ``<br>``: a "question — answer" label breaks after its "—" first. Each
    ``<br>`` stands for one space: ``wrap(s).replace("<br>", " ") == s``."""
    if len(text) <= width:
        return text
    question, dash, answer = text.partition(" — ")
    if not dash:
        return "<br>".join(_lines(text, width))
    head = _lines(question + " —", width)
    return "<br>".join([*head, *_lines(answer, width)])


@dataclass(frozen=True)
class _LabelledRows:
    """Horizontal bars each labelled above, from the left edge: readable at any width, unlike
    axis labels that squeeze the bars on a phone. The value axis is laid out in pixels, top
    down, so that a row whose label wraps is taller by its further lines and no label runs
    into the bar above it."""

    centres: list[int]
    """Where each bar is, in pixels from the top of the plot."""
    annotations: list[dict[str, Any]]
    total: int
    """Height of all the rows, in pixels."""

    def yaxis(self) -> dict[str, Any]:
        return {
            "range": [self.total, 0],
            "showticklabels": False,
            "showgrid": False,
            "zeroline": False,
            "fixedrange": True,
        }

    def layout(self, bottom: int, left: int = 10) -> dict[str, Any]:
        """Height and margins: the plot is exactly as tall as the rows (the first label rises
        6 pixels above its row, into the top margin), ``bottom`` pixels below it for the value
        axis."""
        return {
            "height": self.total + 10 + bottom,
            "margin": {"l": left, "r": 10, "t": 10, "b": bottom},
        }


def _labelled_rows(labels: list[str]) -> _LabelledRows:
    centres: list[int] = []
    annotations: list[dict[str, Any]] = []
    top = 0
    for label in labels:
        text = wrap(label)
        extra = LINE * text.count("<br>")
        centre = top + extra + ROW // 2
        centres.append(centre)
        annotations.append(
            {
                "x": 0,
                "xref": "paper",
                "y": centre,
                "yref": "y",
                "yshift": BAR // 2 + 5,
                "text": text,
                "showarrow": False,
                "xanchor": "left",
                "yanchor": "bottom",
                "align": "left",
                "font": {"size": 12},
            }
        )
        top += ROW + extra
    return _LabelledRows(centres, annotations, top)


def _dump(figure: go.Figure) -> str:
    # "</" never appears inside the JSON block, so it cannot close the script element
    return json.dumps(figure.to_plotly_json(), separators=(",", ":")).replace("</", "<\\/")


def probabilities_chart(page: ResultPage, locale: Locale) -> Chart:
    names = [p.name for p in page.probabilities]
    values = [p.percent for p in page.probabilities]
    figure = go.Figure(
        go.Bar(
            x=values,
            y=names,
            orientation="h",
            marker={"color": [_COLOURS[p.cluster] for p in page.probabilities]},
            text=[percent_text(v, locale) for v in values],
            textposition="auto",
            hoverinfo="skip",
        ),
        layout=_layout(
            170,
            xaxis={"range": [0, 100], "ticksuffix": PERCENT_SIGN[locale], "fixedrange": True},
            yaxis={"autorange": "reversed", "automargin": True, "fixedrange": True},
            # the "100 %" tick is centred on the right edge of the bars
            margin={"l": 10, "r": 30, "t": 10, "b": 30},
        ),
    )
    summary = t("Probabilité de chaque niveau : ", "Probability of each level: ").in_(
        locale
    ) + ", ".join(f"{n} {percent_text(v, locale)}" for n, v in zip(names, values, strict=True))
    return Chart(
        "chart-probabilities",
        t("Probabilité de chaque niveau", "Probability of each level").in_(locale),
        summary,
        _dump(figure),
    )


def lead(pulls: dict[Cluster, float], cluster: Cluster) -> float:
    """How much more an answer pulls toward ``cluster`` than toward any other level: positive
    exactly when ``cluster`` is the level it pulls most toward (the table's "pulls most
    toward"), so that chart and table never disagree."""
    return pulls[cluster] - max(v for c, v in pulls.items() if c != cluster)


def pulls_chart(page: ResultPage, locale: Locale) -> Chart:
    rows = sorted(page.factors, key=lambda f: lead(f.pulls, page.cluster), reverse=True)
    values = [round(lead(f.pulls, page.cluster), 2) for f in rows]
    labelled = _labelled_rows([f"{f.label} — {f.answer}" for f in rows])
    figure = go.Figure(
        go.Bar(
            x=values,
            y=labelled.centres,
            orientation="h",
            width=BAR,
            marker={"color": [_COLOURS[page.cluster] if v >= 0 else _PEERS for v in values]},
            hoverinfo="skip",
        ),
        layout=_layout(
            **labelled.layout(bottom=50),
            xaxis={
                "zeroline": True,
                "zerolinecolor": "#57606a",
                "fixedrange": True,
                "showticklabels": False,
                "title": {
                    "text": t(
                        "← vers un autre niveau · vers celui-ci →",
                        "← toward another level · toward this one →",
                    ).in_(locale),
                    # 12 pixels, like the labels: at 13 it overran a 320-pixel-wide phone
                    "font": {"size": 12},
                },
            },
            yaxis=labelled.yaxis(),
            annotations=labelled.annotations,
        ),
    )
    toward = [f.label for f in rows if lead(f.pulls, page.cluster) > 0][:3]
    summary = t(
        f"Réponses qui vous rapprochent le plus des {page.cluster_name} : ",
        f"Answers that pull you most toward the {page.cluster_name}: ",
    ).in_(locale) + ", ".join(toward)
    return Chart(
        "chart-pulls",
        t(
            f"Ce qui vous rapproche des {page.cluster_name}",
            f"What pulls you toward the {page.cluster_name}",
        ).in_(locale),
        summary,
        _dump(figure),
    )


def position_chart(page: ResultPage, locale: Locale) -> Chart | None:
    """For each KPI with an all-respondent threshold figure: the share of respondents who reach
    the report's threshold, coloured by whether the company reaches it too."""
    labels, values, colours, texts = [], [], [], []
    for row in page.comparisons:
        if row.kind not in ("threshold", "practice"):
            continue
        cell = next(c for c in row.cells if c.scope == "all")
        if cell.value is None or cell.statement is None or cell.verdict == "not_comparable":
            continue
        reaches = cell.verdict == "better" or (cell.verdict == "in_line" and cell.value >= 50)
        labels.append(row.label)
        values.append(round(cell.value))
        colours.append(_YOU if reaches else _PEERS)
        yes = t("vous aussi", "so do you") if reaches else t("pas vous", "not you")
        texts.append(f"{percent_text(round(cell.value), locale)} — {yes.in_(locale)}")
    if not labels:
        return None
    labelled = _labelled_rows(labels)
    figure = go.Figure(
        go.Bar(
            x=values,
            y=labelled.centres,
            orientation="h",
            width=BAR,
            marker={"color": colours},
            text=texts,
            textposition="outside",
            cliponaxis=False,
            textfont={"size": 12},
            hoverinfo="skip",
        ),
        layout=_layout(
            # room on the left for half the "0 %" tick, centred on the bars' start
            **labelled.layout(bottom=40, left=20),
            xaxis={
                "range": [0, 140],
                "tickangle": 0,
                "fixedrange": True,
                **_percent_ticks([0, 50, 100], locale),
            },
            yaxis=labelled.yaxis(),
            annotations=labelled.annotations,
        ),
    )
    return Chart(
        "chart-position",
        t(
            "Vous face aux répondants du baromètre",
            "You against the barometer's respondents",
        ).in_(locale),
        t(
            "Pour chaque indicateur, la part des répondants qui atteignent le seuil du rapport ; "
            "en bleu quand vous l'atteignez aussi (le détail est dans le tableau).",
            "For each indicator, the share of respondents who reach the report's threshold; blue "
            "when you reach it too (details in the table).",
        ).in_(locale),
        _dump(figure),
    )


def result_charts(page: ResultPage, locale: Locale) -> dict[str, Chart]:
    charts = {
        "probabilities": probabilities_chart(page, locale),
        "pulls": pulls_chart(page, locale),
    }
    position = position_chart(page, locale)
    if position is not None:
        charts["position"] = position
    return charts


def progress_chart(rows: list[dict[str, object]], locale: Locale) -> Chart:
    """A company's probabilities across retakes: one line per cluster, named in a legend above
    the plot (names written at the end of the lines ran past the right edge and onto each
    other when two levels ended close)."""
    # numbered, so that two assessments on the same day stay two points; the time under the
    # date, so that a phone need not turn the dates aslant
    dates = [wrap(f"{n}. {r['date']}", 14) for n, r in enumerate(rows, start=1)]
    names = {
        "basiques": t("Basiques", "Basics"),
        "classiques": t("Classiques", "Classics"),
        "polyvalents": t("Polyvalents", "All-rounders"),
    }
    traces = [
        go.Scatter(
            x=dates,
            y=[r["probabilities"][i] for r in rows],  # type: ignore[index]
            mode="lines+markers",
            name=names[cluster].in_(locale),
            line={"color": _COLOURS[cluster], "width": 3},
            marker={"size": 8},
            hoverinfo="skip",
        )
        for i, cluster in enumerate(("basiques", "classiques", "polyvalents"))
    ]
    figure = go.Figure(
        traces,
        layout=_layout(
            360,
            showlegend=True,
            legend={
                "orientation": "h",
                "x": 0,
                "xanchor": "left",
                "y": 1.02,
                "yanchor": "bottom",
                "traceorder": "normal",
                "itemwidth": 30,
            },
            xaxis={
                "type": "category",
                # half a step before the first assessment and after the last, so that their
                # dates stay clear of the value axis and of the right edge
                "range": [-0.5, len(rows) - 0.5],
                # dates level, or else upright: turned aslant, they pushed the plot aside
                "autotickangles": [0, 90],
                # plotly.js spaces category labels as if they were one line: at most 6 dates
                "nticks": 6,
                "automargin": True,
                "fixedrange": True,
            },
            yaxis={
                "range": [-2, 105],
                "automargin": True,
                "ticksuffix": PERCENT_SIGN[locale],
                "fixedrange": True,
            },
            margin={"l": 10, "r": 10, "t": 40, "b": 10},
        ),
    )
    last = rows[-1]
    return Chart(
        "chart-progress",
        t(
            "Probabilité de chaque niveau, évaluation après évaluation",
            "Probability of each level, assessment after assessment",
        ).in_(locale),
        t(
            f"Dernière évaluation : {last['cluster_name']}.",
            f"Latest assessment: {last['cluster_name']}.",
        ).in_(locale),
        _dump(figure),
    )
