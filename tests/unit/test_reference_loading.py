"""A wrong value in the reference data fails at start-up, not on a page."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from app.reference.loader import DEFAULT_DIR, ReferenceDataError, load_reference

pytestmark = pytest.mark.unit


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    target = tmp_path / "reference_data"
    shutil.copytree(DEFAULT_DIR, target)
    return target


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_the_shipped_data_loads(data_dir: Path) -> None:
    reference = load_reference(data_dir)
    assert reference.edition == "2022"
    assert reference.benchmarks.sectors["industry_energy_telecom"].nps is None


def test_a_value_that_does_not_match_its_citation_fails(data_dir: Path) -> None:
    _edit(data_dir / "all_respondents.yaml", "value: 87", "value: 78")
    with pytest.raises(ReferenceDataError, match="does not match printed"):
        load_reference(data_dir)


def test_counts_that_do_not_add_up_fail(data_dir: Path) -> None:
    _edit(data_dir / "cluster_profiles.yaml", "open: 30.25", "open: 31.25")
    with pytest.raises(ReferenceDataError, match="add up"):
        load_reference(data_dir)


def test_a_trigger_on_an_unknown_question_fails(data_dir: Path) -> None:
    _edit(
        data_dir / "recommendations.yaml",
        "answer: satisfaction_measured",
        "answer: satisfaction_mesured",
    )
    with pytest.raises(ReferenceDataError, match="unknown question"):
        load_reference(data_dir)


def test_a_wrong_edition_fails(data_dir: Path) -> None:
    _edit(data_dir / "sectors.yaml", 'edition: "2022"', 'edition: "2021"')
    with pytest.raises(ReferenceDataError, match="edition"):
        load_reference(data_dir)


def test_an_estimate_without_reasoning_fails(data_dir: Path) -> None:
    path = data_dir / "cluster_profiles.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    del data["factors"][0]["clusters"]["basiques"]["reasoning"]
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ReferenceDataError, match="reasoning"):
        load_reference(data_dir)


def test_sourced_profile_distributions_point_at_real_figures(data_dir: Path) -> None:
    _edit(
        data_dir / "cluster_profiles.yaml",
        "figure: clusters.polyvalents.channel_use.social",
        "figure: clusters.polyvalents.channel_use.fax",
    )
    with pytest.raises(ReferenceDataError, match="no figure at"):
        load_reference(data_dir)
