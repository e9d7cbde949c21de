"""Languages: Babel catalogs for the page text, the user's choice, then Accept-Language.

Catalogs live in app/locales/<lang>/LC_MESSAGES/messages.po and are compiled in memory at
start-up, so there is no build step (``pybabel extract -F babel.cfg -o messages.pot app`` then
``pybabel update`` refresh them). Domain text (questions, advice, figures' descriptions) is
bilingual in the core and reference data instead.
"""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path

from babel.core import Locale as BabelLocale
from babel.core import UnknownLocaleError, negotiate_locale
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

from app.core.vocabulary import LOCALES, Locale

LOCALES_DIR = Path(__file__).resolve().parents[1] / "locales"


@cache
def translations(locale: Locale) -> Translations:
    with (LOCALES_DIR / locale / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalog = read_po(handle, locale=locale)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(fp=buffer)


def parse_locale(value: str | None) -> Locale | None:
    """A supported language from a language tag (``fr``, ``en-GB``, ``fr_CA``): its primary
    subtag exactly, so that ``frog`` or ``english`` name no language rather than a wrong one."""
    if value is None:
        return None
    value = value.strip().lower().replace("_", "-").partition("-")[0]
    for locale in LOCALES:
        if value == locale:
            return locale
    return None


def from_accept_language(header: str | None) -> Locale | None:
    """The first supported language in an Accept-Language header, by its q-values."""
    if not header:
        return None
    preferred: list[tuple[float, str]] = []
    for position, part in enumerate(header.split(",")):
        pieces = part.strip().split(";")
        tag = pieces[0].strip().replace("-", "_")
        quality = 1.0
        for param in pieces[1:]:
            name, _, value = param.strip().partition("=")
            if name == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if tag and quality > 0:
            preferred.append((-quality + position * 1e-6, tag))
    tags = [tag for _, tag in sorted(preferred)]
    found = negotiate_locale(tags, list(LOCALES), sep="_")
    if found is None:
        for tag in tags:
            try:
                language = BabelLocale.parse(tag).language
            except (ValueError, TypeError, UnknownLocaleError):  # "zz": well formed, unknown
                continue
            found_locale = parse_locale(language)
            if found_locale is not None:
                return found_locale
        return None
    return parse_locale(found)


PERCENT_SIGN: dict[Locale, str] = {"fr": "\u202f%", "en": "%"}
"""French puts a narrow no-break space before %, English nothing."""


def percent_text(value: float, locale: Locale, decimals: int = 0) -> str:
    """92 %, 73,7 % in French; 92%, 73.7% in English; no trailing 0."""
    number = f"{value:.{decimals}f}"
    if "." in number:
        number = number.rstrip("0").rstrip(".")
    return (number.replace(".", ",") if locale == "fr" else number) + PERCENT_SIGN[locale]
