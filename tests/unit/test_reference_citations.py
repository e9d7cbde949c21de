"""Every benchmark figure is the number its citation prints, and every citation is in the report."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from pydantic import BaseModel

from app.core.benchmarks import Benchmarks
from app.core.figures import AlternativeFigure, Figure, normalise_text, parse_printed
from app.reference.loader import DEFAULT_DIR, load_benchmarks

pytestmark = pytest.mark.unit

DEFAULT_REPORT = Path(__file__).resolve().parents[3] / "shared/seeds/003_d5ca039c8ed33f9c.txt"
EXACT_TOLERANCE = 0.051
APPROX_TOLERANCE = 0.6

Cited = Figure | AlternativeFigure


def _walk(node: object, path: str) -> Iterator[tuple[str, Cited]]:
    """Every Figure below ``node``, and each of its alternatives, with a readable path."""
    if isinstance(node, Figure):
        yield path, node
        for index, alternative in enumerate(node.alternatives):
            yield f"{path}.alternatives[{index}]", alternative
        return
    if isinstance(node, BaseModel):
        for name in type(node).model_fields:
            yield from _walk(getattr(node, name), f"{path}.{name}")
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from _walk(value, f"{path}.{key}")
    elif isinstance(node, tuple | list):
        for index, value in enumerate(node):
            yield from _walk(value, f"{path}[{index}]")


@pytest.fixture(scope="module")
def benchmarks() -> Benchmarks:
    return load_benchmarks()


@pytest.fixture(scope="module")
def cited(benchmarks: Benchmarks) -> list[tuple[str, Cited]]:
    figures = [
        *_walk(benchmarks.all_respondents, "all_respondents"),
        *_walk(benchmarks.clusters, "clusters"),
        *_walk(benchmarks.sectors, "sectors"),
    ]
    assert len(figures) > 100
    return figures


@pytest.fixture(scope="module")
def report_text() -> str:
    path = Path(os.environ.get("CSMB_REPORT_PATH", str(DEFAULT_REPORT)))
    if not path.is_file():
        message = f"report text not found at {path} (set CSMB_REPORT_PATH)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return normalise_text(path.read_text(encoding="utf-8"))


def test_printed_token_is_in_its_quote(cited: list[tuple[str, Cited]]) -> None:
    bad = [
        path
        for path, figure in cited
        if figure.source.quote is None
        or normalise_text(figure.printed) not in normalise_text(figure.source.quote)
    ]
    assert not bad, f"printed token missing from its quote: {bad}"


def test_value_is_what_is_printed(cited: list[tuple[str, Cited]]) -> None:
    bad = []
    for path, figure in cited:
        parsed = parse_printed(figure.printed)
        if parsed is None:
            bad.append(f"{path}: cannot parse {figure.printed!r}")
            continue
        if isinstance(figure, Figure):
            expected = 100.0 - parsed if figure.complement else parsed
            tolerance = EXACT_TOLERANCE if figure.qualifier == "exact" else APPROX_TOLERANCE
        else:
            expected, tolerance = parsed, EXACT_TOLERANCE
        if abs(expected - figure.value) > tolerance:
            bad.append(f"{path}: value {figure.value} but printed {figure.printed!r}")
    assert not bad, "\n".join(bad)


def test_quotes_are_verbatim_from_the_report(
    cited: list[tuple[str, Cited]], report_text: str
) -> None:
    bad = [
        f"{path}: {figure.source.quote!r}"
        for path, figure in cited
        if figure.source.document == "barometre_2022"
        and normalise_text(figure.source.quote or "") not in report_text
    ]
    assert not bad, "quotes not found in the report:\n" + "\n".join(bad)


def test_quotes_are_short(cited: list[tuple[str, Cited]]) -> None:
    long = [path for path, figure in cited if len(figure.source.quote or "") > 250]
    assert not long, f"quotes should be short passages: {long}"


def test_alternatives_come_with_a_note(cited: list[tuple[str, Cited]]) -> None:
    bad = [
        path
        for path, figure in cited
        if isinstance(figure, Figure) and figure.alternatives and not figure.note
    ]
    assert not bad


def test_industry_has_an_explicit_null_nps(benchmarks: Benchmarks) -> None:
    assert benchmarks.sectors["industry_energy_telecom"].nps is None
    raw = yaml.safe_load((DEFAULT_DIR / "sectors.yaml").read_text(encoding="utf-8"))
    industry = raw["sectors"]["industry_energy_telecom"]
    assert "nps" in industry
    assert industry["nps"] is None


def test_the_other_sectors_have_an_nps(benchmarks: Benchmarks) -> None:
    for key, sector in benchmarks.sectors.items():
        if key != "industry_energy_telecom":
            assert sector.nps is not None, key
            assert sector.nps.unit == "nps"
