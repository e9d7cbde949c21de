"""Reads reference_data/*.yaml and validates it into the core's models.

Called once at start-up: any error in the data (a typo in an id, a figure that does not match
its citation, counts that do not add up) raises ReferenceDataError and the app does not start.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from app.core.assessment import ReferenceData
from app.core.benchmarks import Benchmarks
from app.core.catalogue import Catalogue
from app.core.figures import Figure
from app.core.profiles import ClusterProfiles
from app.core.questionnaire import QUESTIONNAIRE
from app.core.recommendations import check_catalogue

DEFAULT_DIR = Path(__file__).resolve().parents[2] / "reference_data"


class ReferenceDataError(RuntimeError):
    """The reference data on disk is missing or invalid."""


def read_yaml(path: Path) -> dict[str, Any]:
    try:
        with path.open(encoding="utf-8") as handle:
            data = yaml.safe_load(handle)
    except (OSError, yaml.YAMLError) as exc:
        raise ReferenceDataError(f"{path}: {exc}") from exc
    if not isinstance(data, dict):
        raise ReferenceDataError(f"{path}: expected a mapping at the top level")
    if data.get("edition") != "2022":
        raise ReferenceDataError(f"{path}: expected edition '2022', got {data.get('edition')!r}")
    return data


def load_benchmarks(directory: Path = DEFAULT_DIR) -> Benchmarks:
    all_respondents = read_yaml(directory / "all_respondents.yaml")
    clusters = read_yaml(directory / "clusters.yaml")
    sectors = read_yaml(directory / "sectors.yaml")
    try:
        return Benchmarks(
            edition="2022",
            all_respondents=all_respondents,
            clusters=clusters.get("clusters"),
            sectors=sectors.get("sectors"),
        )
    except ValidationError as exc:
        raise ReferenceDataError(f"benchmark figures in {directory}:\n{exc}") from exc


@cache
def default_benchmarks() -> Benchmarks:
    return load_benchmarks(DEFAULT_DIR)


def load_catalogue(directory: Path = DEFAULT_DIR) -> Catalogue:
    data = read_yaml(directory / "recommendations.yaml")
    try:
        catalogue = Catalogue.model_validate(data)
    except ValidationError as exc:
        raise ReferenceDataError(f"recommendation catalogue in {directory}:\n{exc}") from exc
    problems = check_catalogue(catalogue)
    if problems:
        raise ReferenceDataError("recommendation catalogue:\n" + "\n".join(problems))
    return catalogue


def resolve_figure(benchmarks: Benchmarks, path: str) -> Figure | None:
    """The figure at a dotted path such as ``clusters.polyvalents.delays.phone``."""
    node: object = benchmarks
    for part in path.split("."):
        node = node.get(part) if isinstance(node, dict) else getattr(node, part, None)
        if node is None:
            return None
    if isinstance(node, tuple) and node and isinstance(node[0], Figure):
        node = node[0]
    return node if isinstance(node, Figure) else None


def load_profiles(
    directory: Path = DEFAULT_DIR, benchmarks: Benchmarks | None = None
) -> ClusterProfiles:
    data = read_yaml(directory / "cluster_profiles.yaml")
    try:
        profiles = ClusterProfiles.model_validate(data)
    except ValidationError as exc:
        raise ReferenceDataError(f"cluster profiles in {directory}:\n{exc}") from exc
    problems: list[str] = []
    for factor in profiles.factors:
        if factor.question not in QUESTIONNAIRE:
            problems.append(f"{factor.id}: unknown question {factor.question}")
            continue
        question = QUESTIONNAIRE[factor.question]
        expected = {"true", "false"} if question.kind == "boolean" else set(question.option_ids())
        if set(factor.answer_map) != expected:
            problems.append(f"{factor.id}: answer_map must cover exactly {sorted(expected)}")
        if benchmarks is None:
            continue
        for cluster, dist in factor.clusters.items():
            paths = [dist.figure] if dist.figure else []
            if dist.departs_from and dist.departs_from.figure.startswith(_FIGURE_ROOTS):
                paths.append(dist.departs_from.figure)
            for path in paths:
                if resolve_figure(benchmarks, path) is None:
                    problems.append(f"{factor.id}/{cluster}: no figure at {path}")
    if problems:
        raise ReferenceDataError("cluster profiles:\n" + "\n".join(problems))
    return profiles


_FIGURE_ROOTS = ("all_respondents.", "clusters.", "sectors.")


def load_reference(directory: Path = DEFAULT_DIR) -> ReferenceData:
    """Every reference file, cross-checked; raises ReferenceDataError on the first problem."""
    benchmarks = load_benchmarks(directory)
    return ReferenceData(
        benchmarks=benchmarks,
        profiles=load_profiles(directory, benchmarks),
        catalogue=load_catalogue(directory),
    )


@cache
def default_reference() -> ReferenceData:
    return load_reference(DEFAULT_DIR)
