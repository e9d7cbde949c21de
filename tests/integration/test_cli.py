from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from app.cli.score_file import main
from app.core.answers import validate_answers
from app.core.assessment import Assessor
from tests.personas import PERSONAS

pytestmark = pytest.mark.integration


def _sites() -> list[dict[str, object]]:
    return [{"id": p.name, **p.answers} for personas in PERSONAS.values() for p in personas]


def test_scores_a_json_file(tmp_path: Path, assessor: Assessor) -> None:
    source = tmp_path / "sites.json"
    source.write_text(json.dumps(_sites()), encoding="utf-8")
    output = tmp_path / "results.json"
    assert main([str(source), "-o", str(output), "--lang", "en"]) == 0
    results = json.loads(output.read_text(encoding="utf-8"))["results"]
    assert len(results) == 9
    for item, site in zip(results, _sites(), strict=True):
        expected = assessor.model.place(
            validate_answers({k: v for k, v in site.items() if k != "id"})
        )
        assert item["id"] == site["id"]
        assert item["cluster"] == expected.cluster
        assert item["probabilities"] == pytest.approx(expected.probabilities)
        assert item["recommendations"]
        assert item["recommendations"][0]["why"]


def test_scores_a_csv_file_and_reports_bad_rows(tmp_path: Path) -> None:
    sites = _sites()
    columns = sorted({k for s in sites for k in s})
    source = tmp_path / "sites.csv"
    with source.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        for site in sites:
            writer.writerow({k: "|".join(v) if isinstance(v, list) else v for k, v in site.items()})
        writer.writerow(
            {
                **{k: "|".join(v) if isinstance(v, list) else v for k, v in sites[0].items()},
                "id": "bad",
                "phone_fcr": "lots",
                "sector": "moon",
            }
        )
    output = tmp_path / "results.csv"
    assert main([str(source), "-o", str(output)]) == 1
    rows = list(csv.DictReader(output.open(encoding="utf-8")))
    assert [r["status"] for r in rows] == ["scored"] * 9 + ["invalid"]
    assert [r["cluster"] for r in rows[:9]] == ["basiques"] * 3 + ["classiques"] * 3 + [
        "polyvalents"
    ] * 3
    assert "sector" in rows[-1]["errors"]
    assert "Cette réponse" in rows[-1]["errors"]
    assert float(rows[0]["p_basiques"]) > 0.5


def test_an_unreadable_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "sites.json"
    source.write_text("{not json", encoding="utf-8")
    assert main([str(source)]) == 2
    assert "not valid JSON" in capsys.readouterr().err
    assert main([str(tmp_path / "missing.csv")]) == 2
    assert main([str(tmp_path / "notes.txt")]) == 2
