"""Replay (MODEL.md, "How to know the model is right"): a synthetic population drawn from the
stored profiles with the 22/35/43 mix is placed back; placement must recover the generating
cluster for most respondents and the overall shares within a few points. Also reproduces some
of the report's per-cluster statements from that population."""

from __future__ import annotations

import random
from collections import Counter

import pytest

from app.core.placement import PlacementModel
from app.core.profiles import ClusterProfiles
from app.core.vocabulary import CLUSTERS, Cluster

pytestmark = [pytest.mark.unit, pytest.mark.slow]

POPULATION = 20_000
SEED = (
    20220613  # publication date of the report: any seed works, this one is fixed for repeatability
)


def draw(profiles: ClusterProfiles, cluster: Cluster, rng: random.Random) -> dict[str, object]:
    """One synthetic respondent: factor by factor, from the cluster's category counts."""
    answers: dict[str, object] = {}
    for factor in profiles.factors:
        if factor.conditional and answers.get(f"{factor.channel}_open") is not True:
            continue
        counts = factor.clusters[cluster].counts
        category = rng.choices(list(counts), weights=list(counts.values()))[0]
        # the answer that maps to this category (first one: the measured bucket, not "not measured")
        answer = next(a for a, c in factor.answer_map.items() if c == category)
        answers[factor.question] = {"true": True, "false": False}.get(answer, answer)
    return answers


@pytest.fixture(scope="module")
def replay(model: PlacementModel) -> dict[str, object]:
    profiles = model.profiles
    rng = random.Random(SEED)
    weights = [profiles.sizes[c] for c in CLUSTERS]
    confusion: dict[Cluster, Counter[Cluster]] = {c: Counter() for c in CLUSTERS}
    top_probability = 0.0
    drawn: dict[Cluster, list[dict[str, object]]] = {c: [] for c in CLUSTERS}
    for _ in range(POPULATION):
        truth = rng.choices(CLUSTERS, weights=weights)[0]
        answers = draw(profiles, truth, rng)
        drawn[truth].append(answers)
        placement = model.place(answers)
        confusion[truth][placement.cluster] += 1
        top_probability += placement.probabilities[placement.cluster]
    return {"confusion": confusion, "mean_top": top_probability / POPULATION, "drawn": drawn}


def test_placement_recovers_the_generating_cluster(
    replay: dict[str, object], capsys: pytest.CaptureFixture[str]
) -> None:
    confusion: dict[Cluster, Counter[Cluster]] = replay["confusion"]  # type: ignore[assignment]
    correct = sum(confusion[c][c] for c in CLUSTERS)
    accuracy = correct / POPULATION
    lines = [
        f"\nreplay of {POPULATION} synthetic respondents"
        " (rows: generating cluster, columns: placed)",
        f"{'':12}" + "".join(f"{c:>12}" for c in CLUSTERS),
        *(f"{t:12}" + "".join(f"{confusion[t][c]:>12}" for c in CLUSTERS) for t in CLUSTERS),
        f"recovered: {accuracy:.1%}; mean probability of the placed cluster: "
        f"{replay['mean_top']:.1%}",
    ]
    with capsys.disabled():  # shown in every run's log, not only on failure
        print("\n".join(lines))
    assert accuracy >= 0.80


def test_placement_reproduces_the_cluster_shares(replay: dict[str, object]) -> None:
    confusion: dict[Cluster, Counter[Cluster]] = replay["confusion"]  # type: ignore[assignment]
    placed = Counter[Cluster]()
    for row in confusion.values():
        placed.update(row)
    shares = {c: placed[c] / POPULATION for c in CLUSTERS}
    print("\nplaced shares:", {c: f"{s:.1%}" for c, s in shares.items()})
    for cluster, expected in zip(CLUSTERS, (0.22, 0.35, 0.43), strict=True):
        assert abs(shares[cluster] - expected) <= 0.03, (cluster, shares[cluster])


def test_probabilities_are_calibrated_under_the_model(replay: dict[str, object]) -> None:
    """With T = 1 the mean probability of the placed cluster should match the recovery rate
    (the claim made in cluster_profiles.yaml's temperature_reasoning)."""
    confusion: dict[Cluster, Counter[Cluster]] = replay["confusion"]  # type: ignore[assignment]
    accuracy = sum(confusion[c][c] for c in CLUSTERS) / POPULATION
    assert abs(float(replay["mean_top"]) - accuracy) <= 0.03  # type: ignore[arg-type]


def test_the_population_reproduces_the_reports_cluster_statements(
    replay: dict[str, object],
) -> None:
    drawn: dict[Cluster, list[dict[str, object]]] = replay["drawn"]  # type: ignore[assignment]

    def share(cluster: Cluster, test: object) -> float:
        rows = drawn[cluster]
        return sum(1 for r in rows if test(r)) / len(rows)  # type: ignore[operator]

    # "aucune n'y parvient par téléphone": (almost) no basique handles a call in under 10 min
    fast_phone = share("basiques", lambda r: r.get("phone_aht") in ("lt_5min", "5_10min"))
    assert fast_phone < 0.02
    # "Près d'une entreprise sur 2 utilise le chat" (polyvalents); classiques under one in four
    assert 0.45 <= share("polyvalents", lambda r: r.get("chat_open") is True) <= 0.55
    assert share("classiques", lambda r: r.get("chat_open") is True) < 0.25
    # "62% ... utilisent les réseaux sociaux"
    assert abs(share("polyvalents", lambda r: r.get("social_open") is True) - 0.62) <= 0.02
    # WhatsApp 15% polyvalents, 9% classiques and basiques
    assert abs(share("polyvalents", lambda r: r.get("whatsapp_open") is True) - 0.15) <= 0.02
    assert abs(share("basiques", lambda r: r.get("whatsapp_open") is True) - 0.09) <= 0.02
    # "96% répondent en moins de 72h par email", among polyvalents who offer email
    email = [r for r in drawn["polyvalents"] if r.get("email_open")]
    assert sum(r["email_delay"] != "gt_72h" for r in email) / len(email) >= 0.94
