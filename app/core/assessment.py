"""One assessment, end to end: placement, path to the next level, comparisons, recommendations.

``Assessor`` is what the web pages, the API and the command line call: they differ only in how
answers come in and how the result goes out.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from app.core.answers import Answers, validate_answers
from app.core.benchmarks import Benchmarks, ClusterFigures
from app.core.catalogue import Catalogue
from app.core.comparison import Comparator, KpiComparison, OrientationPosition, orientation_position
from app.core.next_level import PathFinder, PathResult
from app.core.placement import Placement, PlacementModel
from app.core.profiles import ClusterProfiles
from app.core.recommendations import ChosenRecommendation, RecommendationEngine
from app.core.records import record


@dataclass(frozen=True)
class ReferenceData:
    """Everything the core reads, loaded and validated once at start-up."""

    benchmarks: Benchmarks
    profiles: ClusterProfiles
    catalogue: Catalogue

    @property
    def edition(self) -> str:
        return self.benchmarks.edition


@record
class AssessmentResult:
    edition: str
    answers: Answers
    placement: Placement
    next_level: PathResult
    comparisons: tuple[KpiComparison, ...]
    orientation: OrientationPosition
    recommendations: tuple[ChosenRecommendation, ...]
    profile: ClusterFigures
    """The placed cluster as the report describes it (name, tagline, description, share)."""


class Assessor:
    def __init__(self, reference: ReferenceData) -> None:
        self.reference = reference
        self.model = PlacementModel(reference.profiles)
        self.paths = PathFinder(self.model)
        self.comparator = Comparator(reference.benchmarks)
        self.recommender = RecommendationEngine(reference.catalogue)

    def assess(self, answers: Answers) -> AssessmentResult:
        placement = self.model.place(answers)
        return AssessmentResult(
            edition=self.reference.edition,
            answers=answers,
            placement=placement,
            next_level=self.paths.find(answers, placement),
            comparisons=self.comparator.compare(answers, placement.cluster),
            orientation=orientation_position(answers, self.reference.benchmarks),
            recommendations=self.recommender.recommend(answers, placement.cluster),
            profile=self.reference.benchmarks.clusters[placement.cluster],
        )

    def assess_raw(self, raw: Mapping[str, object]) -> AssessmentResult:
        """Validates typed answers (raises InvalidAnswers) and assesses them."""
        return self.assess(validate_answers(raw))
