"""The whole result pinned, not just its cluster: for a seeded pool of answer sets (and the test
personas), a fingerprint of every field of ``Assessor.assess``'s result and of the API payload in
both languages, recorded with the straightforward code before the core was made faster
(result_fingerprints.json). Any change to what a result says, down to a float's last bit or a
word of a reason, fails here.

When a change to the output is intended (new wording, new reference data, a new question), record
the fingerprints again and review the diff of the results it explains:

    .venv/bin/python -m tests.unit.test_result_fingerprints --write
"""

from __future__ import annotations

import copy
import dataclasses
import hashlib
import json
import pickle
import sys
from pathlib import Path
from typing import Any

import pytest
from fastapi.responses import JSONResponse
from hypothesis import HealthCheck, given, settings

from app.api.rendering import dumps
from app.core.answers import Answers, validate_answers, validate_partial_answers
from app.core.assessment import AssessmentResult, Assessor
from app.reference.loader import default_reference
from app.services.result_payload import result_json, result_payload
from tests.personas import PERSONAS
from tests.strategies import answer_set_pool, answer_sets, partner_answer_sets

pytestmark = pytest.mark.unit

_WARM = Assessor(default_reference())
"""Shared by every example of the property test below: it remembers more and more."""
FINGERPRINTS = Path(__file__).with_name("result_fingerprints.json")
POOL_SIZE = 1000


def cases() -> list[tuple[str, dict[str, Any]]]:
    personas = [
        (f"{cluster}:{i}", persona.answers)
        for cluster, items in PERSONAS.items()
        for i, persona in enumerate(items)
    ]
    return personas + [(f"pool:{i}", raw) for i, raw in enumerate(answer_set_pool(POOL_SIZE))]


def _digest(text: str | bytes) -> str:
    data = text.encode() if isinstance(text, str) else text
    return hashlib.sha256(data).hexdigest()[:20]


def fingerprint(result: AssessmentResult) -> list[str]:
    """Every field of the result (its repr: dataclasses, dicts in order, floats exact), then the
    payload in French and in English (as Starlette's JSONResponse would write it)."""
    parts = [_digest(repr(result))]
    for locale in ("fr", "en"):
        payload = result_payload(result, locale)
        parts.append(_digest(json.dumps(payload, ensure_ascii=False, separators=(",", ":"))))
    return parts


def compute(assessor: Assessor) -> dict[str, list[str]]:
    return {name: fingerprint(assessor.assess(validate_answers(raw))) for name, raw in cases()}


def test_every_result_is_the_one_recorded(assessor: Assessor) -> None:
    recorded = json.loads(FINGERPRINTS.read_text())
    computed = compute(assessor)
    assert computed.keys() == recorded.keys()
    differing = [name for name in computed if computed[name] != recorded[name]]
    assert not differing, f"{len(differing)} results differ, first: {differing[:10]}"


@given(raw=answer_sets())
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_remembered_parts_never_change_a_result(raw: dict[str, Any]) -> None:
    """The core remembers parts of results (a factor's pull, a block's options, a comparison
    row, a recommendation's outcome) by the few answers each depends on. Against an assessor
    that has remembered nothing yet, the result and its payload are the same: a part keyed by
    less than what it depends on would show here as soon as two answer sets share that key."""
    _same_warm_and_cold(validate_answers(raw))


@given(raw=partner_answer_sets())
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_remembered_parts_never_change_a_partial_result(raw: dict[str, Any]) -> None:
    """The same with the API's partial answer sets (conditional answers left out): an
    unanswered question is a state of its own in every key."""
    _same_warm_and_cold(validate_partial_answers(raw).answers)


def _same_warm_and_cold(answers: Answers) -> None:
    warm = _WARM.assess(answers)
    cold = Assessor(_WARM.reference).assess(answers)
    assert repr(warm) == repr(cold)
    for locale in ("fr", "en"):
        assert result_payload(warm, locale) == result_payload(cold, locale)


def test_the_api_writes_the_same_json_values_as_starlette(assessor: Assessor) -> None:
    """orjson (app/api/rendering.py, and result_json with its parts serialised once) against
    JSONResponse: equal values, same key order, non-ASCII kept as UTF-8."""
    for name, raw in cases()[::5]:
        result = assessor.assess(validate_answers(raw))
        for locale in ("fr", "en"):
            payload = result_payload(result, locale)
            slow = JSONResponse(payload).body
            for fast in (dumps(payload), result_json(result, locale), result_json(result, locale)):
                assert json.loads(fast) == json.loads(slow), name
                assert list(json.loads(fast)) == list(json.loads(slow))
                if locale == "fr":
                    assert "é".encode() in fast
                    assert b"\\u00e9" not in fast


def test_served_parts_still_copy_and_pickle_as_their_fields(assessor: Assessor) -> None:
    """The API keeps each shared part's JSON on the part (result_payload._Fragments): copies
    and pickles of the parts, and of the result, are unaffected."""
    result = assessor.assess(validate_answers(cases()[0][1]))
    result_json(result, "fr")
    result_payload(result, "en")
    parts = [*result.placement.pulls, *result.comparisons, *result.recommendations]
    assert any(len(vars(part)) > len(dataclasses.fields(part)) for part in parts)
    assert pickle.loads(pickle.dumps(result)) == result  # noqa: S301 - bytes made just above
    for part in parts:
        assert copy.deepcopy(part) == part
        assert set(vars(copy.copy(part))) == {spec.name for spec in dataclasses.fields(part)}


def test_the_pool_is_distinct_and_valid() -> None:
    pool = answer_set_pool(POOL_SIZE)
    assert len({json.dumps(raw, sort_keys=True) for raw in pool}) == POOL_SIZE
    for raw in pool:
        validate_answers(raw)


if __name__ == "__main__":
    if sys.argv[1:] != ["--write"]:
        sys.exit("usage: python -m tests.unit.test_result_fingerprints --write")
    table = compute(Assessor(default_reference()))
    FINGERPRINTS.write_text(json.dumps(table, indent=0, sort_keys=False) + "\n")
    print(f"{len(table)} fingerprints written to {FINGERPRINTS}")
