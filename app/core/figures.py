"""A figure from the report, with the sentence it comes from.

Every number the product shows or uses carries its source: the report section and the short
passage where it is printed. A figure also keeps the token exactly as printed ("36%", "4,18",
"1 sur 4", "près d'une sur 2"), so a test can check that the stored value is the printed one.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, model_validator

Unit = Literal["percent", "score", "nps", "count"]
Qualifier = Literal["exact", "about", "more_than", "less_than"]

Document = Literal[
    "barometre_2022",  # seeds/003: the report itself
    "amarc_dauphine_2022",  # seeds/000: AMARC and Dauphine's complaint-handling prescription
    "sens_du_client_2017",  # seeds/001: "Le client sera KPI" (KPI sharing)
    "ipsos_closed_loop",  # seeds/002: closed-loop feedback, customer effort
    "dauphine_post_covid",  # seeds/004: NPS / CSAT / CES definitions, first-contact resolution
]

_WORD_NUMBERS = {
    "un": 1,
    "une": 1,
    "deux": 2,
    "trois": 3,
    "quatre": 4,
    "cinq": 5,
    "six": 6,
    "sept": 7,
    "huit": 8,
    "neuf": 9,
    "dix": 10,
}
_FRACTION_WORDS = {"tiers": 3, "quart": 4, "moitié": 2}


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Source(_Frozen):
    """Where a figure or a piece of advice comes from."""

    document: Document = "barometre_2022"
    section: str
    quote: str | None = None
    """The passage as printed (French), short; required for figures, optional for advice."""


class AlternativeFigure(_Frozen):
    """Another value the report gives for the same quantity (it contradicts itself at times)."""

    value: float
    printed: str
    source: Source


def normalise_text(text: str) -> str:
    """Folds the typographic differences between our citations and the report's text."""
    text = text.replace("**", "").replace("’", "'").replace("\u00a0", " ").replace("\u202f", " ")
    return re.sub(r"\s+", " ", text).strip()


def parse_printed(printed: str) -> float | None:
    """The value a printed figure stands for, in its own unit (percent for shares).

    "36%" -> 36, "4,18" -> 4.18, "1 sur 4" -> 25, "près d'une sur 2" -> 50, "un tiers" -> 33.3,
    "deux tiers" -> 66.7, "9 entreprises sur 10" -> 90, "-12" -> -12. None if unparseable.
    """
    text = normalise_text(printed).lower()
    tokens = [t.split("'")[-1].strip(",.;:()") for t in text.split()]
    if "sur" in tokens:
        at = tokens.index("sur")
        before = [_number(t) for t in tokens[max(0, at - 2) : at]]
        num = next((n for n in reversed(before) if n is not None), None)
        den = _number(tokens[at + 1]) if at + 1 < len(tokens) else None
        if num is not None and den:
            return 100.0 * num / den
    for word, den in _FRACTION_WORDS.items():
        if word in tokens:
            at = tokens.index(word)
            num = _number(tokens[at - 1]) if at > 0 else None
            return 100.0 * (num or 1) / den
    number = re.search(r"-?\d+(?:,\d+)?", text)
    if number:
        return float(number.group(0).replace(",", "."))
    return None


def _number(token: str) -> float | None:
    if token.isdigit():
        return float(token)
    return _WORD_NUMBERS.get(token)


class Figure(_Frozen):
    """One number from a source, as printed there."""

    value: float
    unit: Unit = "percent"
    printed: str
    """The figure as printed, a substring of ``source.quote``."""
    complement: bool = False
    """The value is 100 minus the printed share (the report printed the other side)."""
    qualifier: Qualifier = "exact"
    source: Source
    alternatives: tuple[AlternativeFigure, ...] = ()
    note: str | None = None
    """Why this value is the one the product shows, when ``alternatives`` contradict it."""

    @model_validator(mode="after")
    def _check(self) -> Figure:
        if self.source.quote is None:
            raise ValueError("a figure needs the quote it is printed in")
        if normalise_text(self.printed) not in normalise_text(self.source.quote):
            raise ValueError(f"printed {self.printed!r} is not in its quote {self.source.quote!r}")
        bounds = {"percent": (0, 100), "score": (1, 5), "nps": (-100, 100), "count": (0, 1e9)}
        low, high = bounds[self.unit]
        if not low <= self.value <= high:
            raise ValueError(f"{self.value} is outside the range of a {self.unit}")
        parsed = parse_printed(self.printed)
        if parsed is None:
            raise ValueError(f"cannot read a number in {self.printed!r}")
        expected = 100.0 - parsed if self.complement else parsed
        tolerance = 0.051 if self.qualifier == "exact" else 0.6
        if abs(expected - self.value) > tolerance:
            raise ValueError(f"value {self.value} does not match printed {self.printed!r}")
        if self.alternatives and not self.note:
            raise ValueError("a figure with alternatives must say why this value is shown")
        return self


class ThresholdFigure(Figure):
    """A share of respondents whose answer is ``bucket`` or faster (e.g. phone: 87% < 2 min)."""

    bucket: str
