"""Benchmark: how long the pure core takes to score one answer set (placement, path to the next
level, comparisons, recommendations). A script, not a test: it measures, it does not assert.

    make bench    # or: .venv/bin/python bench/bench_core.py --sets 500 --rounds 20

It draws answer sets at random from the questionnaire definition (fixed seed), scores each
``rounds`` times and prints the median, p90 and p99 of one assessment, and the median of each
part. The figure and the command are recorded in docs/BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import platform
import random
import statistics
import time
from collections.abc import Callable
from typing import Any

from app.core.answers import Answers, applicability, validate_answers
from app.core.assessment import Assessor
from app.core.questionnaire import QUESTIONNAIRE
from app.core.vocabulary import DONT_KNOW
from app.reference.loader import default_reference


def random_answers(rng: random.Random) -> Answers:
    values: dict[str, Any] = {}
    for question in QUESTIONNAIRE.questions():
        if applicability(question, values) != "applies":
            continue
        if question.kind == "boolean":
            value: Any = rng.random() < 0.5
        elif question.kind == "single":
            value = rng.choice(question.option_ids())
        elif question.kind == "multiple":
            plain = [o for o in question.option_ids() if o != question.exclusive_option]
            value = tuple(rng.sample(plain, rng.randint(1, len(plain))))
        elif question.kind == "percent" and rng.random() < 0.2:
            value = DONT_KNOW
        else:
            low = question.minimum if question.minimum is not None else 1
            high = question.maximum if question.maximum is not None else 5
            value = rng.randint(low, high)
        values[question.id] = value
    return validate_answers({k: list(v) if isinstance(v, tuple) else v for k, v in values.items()})


def timings(fn: Callable[[], object], rounds: int) -> list[float]:
    out = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sets", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    assessor = Assessor(default_reference())
    rng = random.Random(args.seed)
    answer_sets = [random_answers(rng) for _ in range(args.sets)]
    for answers in answer_sets[:50]:  # warm caches the way a running server has them
        assessor.assess(answers)

    whole: list[float] = []
    parts: dict[str, list[float]] = {
        "placement": [],
        "path": [],
        "comparisons": [],
        "recommendations": [],
    }
    for answers in answer_sets:
        whole.extend(timings(lambda a=answers: assessor.assess(a), args.rounds))
        cluster = assessor.model.place(answers).cluster
        parts["placement"].extend(timings(lambda a=answers: assessor.model.place(a), 3))
        parts["path"].extend(timings(lambda a=answers: assessor.paths.find(a), 3))
        parts["comparisons"].extend(
            timings(lambda a=answers, c=cluster: assessor.comparator.compare(a, c), 3)
        )
        parts["recommendations"].extend(
            timings(lambda a=answers, c=cluster: assessor.recommender.recommend(a, c), 3)
        )

    ms = 1000.0
    print(
        f"python {platform.python_version()} on {platform.machine()}, "
        f"{args.sets} answer sets x {args.rounds} rounds"
    )
    print(
        f"one assessment: median {statistics.median(whole) * ms:.3f} ms, "
        f"p90 {percentile(whole, 0.9) * ms:.3f} ms, p99 {percentile(whole, 0.99) * ms:.3f} ms"
    )
    for name, values in parts.items():
        print(f"  {name:16} median {statistics.median(values) * ms:.3f} ms")


if __name__ == "__main__":
    main()
