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


def _labels_above(keys: list[str], labels: list[str]) -> list[dict[str, Any]]:
    """Each bar's label written above it, from the left edge: readable at any width, unlike
    axis labels that squeeze the bars on a phone."""
    return [
        {
            "x": 0,
            "xref": "paper",
            "y": key,
            "yref": "y",
            "yshift": 15,
            "text": label,
            "showarrow": False,
            "xanchor": "left",
            "yanchor": "bottom",
            "font": {"size": 12},
        }
        for key, label in zip(keys, labels, strict=True)
    ]


ROW = 50
"""Height of one labelled bar, in pixels."""


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
            text=[f"{v:.0f} %" if locale == "fr" else f"{v:.0f}%" for v in values],
            textposition="auto",
            hoverinfo="skip",
        ),
        layout=_layout(
            170,
            xaxis={
                "range": [0, 100],
                "ticksuffix": " %" if locale == "fr" else "%",
                "fixedrange": True,
            },
            yaxis={"autorange": "reversed", "automargin": True, "fixedrange": True},
        ),
    )
    summary = t("Probabilité de chaque niveau : ", "Probability of each level: ").in_(
        locale
    ) + ", ".join(f"{n} {v:.0f} %" for n, v in zip(names, values, strict=True))
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
    keys = [f"f{i}" for i in range(len(rows))]
    figure = go.Figure(
        go.Bar(
            x=values,
            y=keys,
            orientation="h",
            width=0.4,
            marker={"color": [_COLOURS[page.cluster] if v >= 0 else _PEERS for v in values]},
            hoverinfo="skip",
        ),
        layout=_layout(
            ROW * len(rows) + 70,
            xaxis={
                "zeroline": True,
                "zerolinecolor": "#57606a",
                "fixedrange": True,
                "showticklabels": False,
                "title": {
                    "text": t(
                        "← vers un autre niveau · vers celui-ci →",
                        "← toward another level · toward this one →",
                    ).in_(locale)
                },
            },
            yaxis={"showticklabels": False, "fixedrange": True, "autorange": "reversed"},
            annotations=_labels_above(keys, [f"{f.label} — {f.answer}" for f in rows]),
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
        share = f"{round(cell.value)} %" if locale == "fr" else f"{round(cell.value)}%"
        texts.append(f"{share} — {yes.in_(locale)}")
    if not labels:
        return None
    keys = [f"k{i}" for i in range(len(labels))]
    figure = go.Figure(
        go.Bar(
            x=values,
            y=keys,
            orientation="h",
            width=0.4,
            marker={"color": colours},
            text=texts,
            textposition="outside",
            cliponaxis=False,
            textfont={"size": 12},
            hoverinfo="skip",
        ),
        layout=_layout(
            ROW * len(labels) + 50,
            xaxis={
                "range": [0, 140],
                "tickvals": [0, 50, 100],
                "ticksuffix": " %" if locale == "fr" else "%",
                "tickangle": 0,
                "fixedrange": True,
            },
            yaxis={"showticklabels": False, "autorange": "reversed", "fixedrange": True},
            annotations=_labels_above(keys, labels),
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
    """A company's probabilities across retakes: one line per cluster."""
    # numbered, so that two assessments on the same day stay two points
    dates = [f"{n}. {r['date']}" for n, r in enumerate(rows, start=1)]
    names = {
        "basiques": t("Basiques", "Basics"),
        "classiques": t("Classiques", "Classics"),
        "polyvalents": t("Polyvalents", "All-rounders"),
    }
    traces = [
        go.Scatter(
            x=dates,
            y=[r["probabilities"][i] for r in rows],  # type: ignore[index]
            mode="lines+markers+text",
            name=names[cluster].in_(locale),
            line={"color": _COLOURS[cluster], "width": 3},
            text=["" for _ in rows[:-1]] + [names[cluster].in_(locale)],
            textposition="middle right",
            hoverinfo="skip",
        )
        for i, cluster in enumerate(("basiques", "classiques", "polyvalents"))
    ]
    figure = go.Figure(
        traces,
        layout=_layout(
            300,
            xaxis={"type": "category", "fixedrange": True},
            yaxis={
                "range": [0, 105],
                "ticksuffix": " %" if locale == "fr" else "%",
                "fixedrange": True,
            },
            margin={"l": 40, "r": 100, "t": 20, "b": 40},
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
