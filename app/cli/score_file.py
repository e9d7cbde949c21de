"""Scores a JSON or CSV file of answer sets and writes the results.

For a consultant who surveyed several sites at once:

    csmb-score sites.csv -o results.csv            # one row per site
    csmb-score sites.json -o results.json --lang en

JSON input: a list of answer objects, or {"assessments": [...]}; an item may carry an "id".
CSV input: a header row of question ids (plus an optional "id" column), one row per answer
set, several choices separated by "|", booleans as true/false (oui/non also read), blank cells
for questions that do not apply. Rows with errors are reported, field by field, and the others
are still scored. Exit status: 0 all scored, 1 some rows invalid, 2 the file could not be read.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from app.core.answers import InvalidAnswers
from app.core.assessment import Assessor
from app.core.vocabulary import CLUSTERS, Locale
from app.services.assessment_service import assessor_for, score, score_text
from app.services.result_payload import errors_payload, result_payload
from app.settings import get_settings

CSV_COLUMNS = (
    "id",
    "status",
    "cluster",
    *(f"p_{c}" for c in CLUSTERS),
    "borderline",
    "next_level",
    "next_level_changes",
    "top_recommendations",
    "errors",
)


class InputError(Exception):
    """The input file cannot be read as answer sets."""


def read_rows(path: Path) -> tuple[str, list[tuple[str, Mapping[str, Any]]]]:
    """(format, [(row id, answers)])."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror}") from exc
    if path.suffix.lower() == ".json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError(f"{path}: not valid JSON ({exc.msg}, line {exc.lineno})") from exc
        items = data.get("assessments") if isinstance(data, dict) else data
        if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
            raise InputError(f"{path}: expected a list of answer objects")
        rows: list[tuple[str, Mapping[str, Any]]] = []
        for n, item in enumerate(items, start=1):
            answers = {k: v for k, v in item.items() if k != "id"}
            rows.append((str(item.get("id", n)), answers))
        return "json", rows
    if path.suffix.lower() == ".csv":
        reader = csv.DictReader(text.splitlines())
        if not reader.fieldnames:
            raise InputError(f"{path}: the CSV file has no header row")
        rows = []
        for n, row in enumerate(reader, start=1):
            answers = {k: (v or "") for k, v in row.items() if k and k != "id"}
            rows.append((row.get("id") or str(n), answers))
        return "csv", rows
    raise InputError(f"{path}: use a .json or .csv file")


def score_rows(
    assessor: Assessor, kind: str, rows: list[tuple[str, Mapping[str, Any]]], locale: Locale
) -> Iterator[dict[str, Any]]:
    for row_id, answers in rows:
        try:
            result = score_text(assessor, answers) if kind == "csv" else score(assessor, answers)
        except InvalidAnswers as invalid:
            yield {
                "id": row_id,
                "status": "invalid",
                "errors": errors_payload(invalid.errors, locale),
            }
            continue
        yield {"id": row_id, "status": "scored", **result_payload(result, locale)}


def _csv_line(item: dict[str, Any]) -> dict[str, Any]:
    if item["status"] == "invalid":
        return {
            "id": item["id"],
            "status": "invalid",
            "errors": "; ".join(f"{e['field']}: {e['message']}" for e in item["errors"]),
        }
    next_level = item["next_level"]
    return {
        "id": item["id"],
        "status": "scored",
        "cluster": item["cluster"],
        **{f"p_{c}": f"{item['probabilities'][c]:.3f}" for c in CLUSTERS},
        "borderline": str(item["borderline"]).lower(),
        "next_level": next_level["target"] or "",
        "next_level_changes": "; ".join(
            f"{c['question']}={c['to']}" for c in next_level["changes"]
        ),
        "top_recommendations": " | ".join(r["title"] for r in item["recommendations"][:5]),
        "errors": "",
    }


def write_results(items: list[dict[str, Any]], output: Path | None, fmt: str) -> None:
    handle = output.open("w", encoding="utf-8", newline="") if output else sys.stdout
    try:
        if fmt == "json":
            json.dump({"results": items}, handle, ensure_ascii=False, indent=2)
            handle.write("\n")
        else:
            writer = csv.DictWriter(handle, fieldnames=CSV_COLUMNS)
            writer.writeheader()
            for item in items:
                writer.writerow(_csv_line(item))
    finally:
        if output:
            handle.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="csmb-score", description=__doc__.split("\n\n")[0])
    parser.add_argument("input", type=Path, help="a .json or .csv file of answer sets")
    parser.add_argument(
        "-o", "--output", type=Path, help="where to write (default: standard output)"
    )
    parser.add_argument(
        "--format",
        choices=("json", "csv"),
        help="output format (default: the output file's extension, else json)",
    )
    parser.add_argument(
        "--lang", choices=("fr", "en"), default="fr", help="language of labels and advice"
    )
    args = parser.parse_args(argv)
    fmt = args.format or ("csv" if args.output and args.output.suffix.lower() == ".csv" else "json")
    try:
        kind, rows = read_rows(args.input)
    except InputError as exc:
        print(f"csmb-score: {exc}", file=sys.stderr)
        return 2
    assessor = assessor_for(get_settings().reference_data_dir)
    items = list(score_rows(assessor, kind, rows, args.lang))
    write_results(items, args.output, fmt)
    invalid = sum(1 for i in items if i["status"] == "invalid")
    print(f"csmb-score: {len(items) - invalid} scored, {invalid} invalid", file=sys.stderr)
    return 1 if invalid else 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
