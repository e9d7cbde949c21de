"""Text the product shows, always in both languages."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from pydantic import ConfigDict

from app.core.vocabulary import Locale


@dataclass(frozen=True, slots=True)
class LocalizedText:
    """A sentence or label in French and English; neither may be missing or empty.

    A plain dataclass rather than a pydantic model because results build thousands of them
    per second; pydantic still validates it (extra keys refused) when reference data loads."""

    __pydantic_config__: ClassVar[ConfigDict] = ConfigDict(extra="forbid")

    fr: str
    en: str

    def __post_init__(self) -> None:
        if not isinstance(self.fr, str) or not isinstance(self.en, str):
            raise TypeError("both languages must be text")
        if not self.fr.strip() or not self.en.strip():
            raise ValueError("text must exist in French and in English")

    def in_(self, locale: Locale) -> str:
        return self.fr if locale == "fr" else self.en

    def format(self, **values: object) -> LocalizedText:
        """Fills ``{name}`` placeholders in both languages; values may be LocalizedText too."""
        fr = {k: v.fr if isinstance(v, LocalizedText) else v for k, v in values.items()}
        en = {k: v.en if isinstance(v, LocalizedText) else v for k, v in values.items()}
        return LocalizedText(self.fr.format(**fr), self.en.format(**en))


def t(fr: str, en: str) -> LocalizedText:
    return LocalizedText(fr, en)
