"""JSON Schemas of the API's answers, from the core's own vocabularies: documented in the
OpenAPI schema, and checked against every generated call by the schemathesis run."""

from __future__ import annotations

from typing import Any, get_args

from app.core.catalogue import Theme
from app.core.comparison import Scope, Verdict
from app.core.figures import Unit
from app.core.placement import SkipReason
from app.core.vocabulary import Cluster

CLUSTERS = list(get_args(Cluster))
TEXT: dict[str, Any] = {"type": "string"}
NUMBER: dict[str, Any] = {"type": "number"}


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    return {"anyOf": [schema, {"type": "null"}]}


def _object(properties: dict[str, Any]) -> dict[str, Any]:
    """Every property present (null where there is no value), nothing else."""
    return {
        "type": "object",
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }


def _per_cluster(value: dict[str, Any]) -> dict[str, Any]:
    return _object(dict.fromkeys(CLUSTERS, value))


CLUSTER = {"type": "string", "enum": CLUSTERS}
SOURCE = _object({"document": TEXT, "section": TEXT, "quote": _nullable(TEXT)})
FIGURE = _object(
    {"value": NUMBER, "printed": TEXT, "unit": {"enum": list(get_args(Unit))}, "source": SOURCE}
)
CHANGE = _object({"question": TEXT, "from": {}, "to": {}})
FIELD_NOTE = _object({"pointer": TEXT, "field": TEXT, "code": TEXT, "detail": TEXT})

RESULT: dict[str, Any] = _object(
    {
        "edition": TEXT,
        "cluster": CLUSTER,
        "probabilities": _per_cluster({"type": "number", "minimum": 0, "maximum": 1}),
        "borderline": {"type": "boolean"},
        "confidence": {"enum": ["full", "reduced"]},
        "factors_left_out": {"type": "array", "items": TEXT},
        "factor_pulls": {
            "type": "array",
            "items": _object(
                {
                    "factor": TEXT,
                    "question": TEXT,
                    "answer": _nullable(TEXT),
                    "pull": {"type": "object", "additionalProperties": NUMBER},
                    "left_out": _nullable({"enum": list(get_args(SkipReason))}),
                }
            ),
        },
        "next_level": _object(
            {
                "target": _nullable(CLUSTER),
                "reached": _nullable(CLUSTER),
                "skips_level": {"type": "boolean"},
                "changes": {"type": "array", "items": CHANGE},
                "questions_to_answer": {"type": "array", "items": TEXT},
                "probabilities_after": _nullable(_per_cluster(NUMBER)),
                "consolidate": {
                    "type": "array",
                    "items": _object(
                        {"block": TEXT, "changes": {"type": "array", "items": CHANGE}}
                    ),
                },
            }
        ),
        "comparisons": {
            "type": "array",
            "items": _object(
                {
                    "kpi": TEXT,
                    "label": TEXT,
                    "answer": TEXT,
                    "references": {
                        "type": "array",
                        "items": _object(
                            {
                                "scope": {"enum": list(get_args(Scope))},
                                "group": TEXT,
                                "verdict": {"enum": list(get_args(Verdict))},
                                "statement": _nullable(TEXT),
                                "position": _nullable(TEXT),
                                "figure": _nullable(FIGURE),
                            }
                        ),
                    },
                }
            ),
        },
        "orientation": _object(
            {
                "score": _nullable(NUMBER),
                "cluster_means": _per_cluster(NUMBER),
                "all_respondents": NUMBER,
                "closest_cluster": _nullable(CLUSTER),
            }
        ),
        "recommendations": {
            "type": "array",
            "items": _object(
                {
                    "id": TEXT,
                    "priority": {"type": "integer"},
                    "theme": {"enum": list(get_args(Theme))},
                    "title": TEXT,
                    "body": TEXT,
                    "why": {"type": "array", "items": TEXT},
                    "rests_on": {"type": "array", "items": SOURCE},
                }
            ),
        },
    }
)

IGNORED_ANSWERS: dict[str, Any] = {
    "type": "array",
    "items": FIELD_NOTE,
    "description": "Answers to questions that do not apply given the other answers: ignored.",
}

SCORE: dict[str, Any] = {
    **RESULT,
    "properties": {**RESULT["properties"], "ignored_answers": IGNORED_ANSWERS},
    "required": [*RESULT["required"], "ignored_answers"],
}

CREATED: dict[str, Any] = _object(
    {
        "replayed": {"type": "boolean"},
        "share_url": TEXT,
        "share_token": TEXT,
        "manage_url": _nullable(TEXT),
        "manage_secret": _nullable(TEXT),
        "result": RESULT,
        "ignored_answers": IGNORED_ANSWERS,
    }
)

_LOCALIZED = _nullable(_object({"fr": TEXT, "en": TEXT}))
QUESTIONNAIRE: dict[str, Any] = _object(
    {
        "sections": {
            "type": "array",
            "items": _object(
                {
                    "id": TEXT,
                    "title": _LOCALIZED,
                    "intro": _LOCALIZED,
                    "questions": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": [
                                "id",
                                "kind",
                                "label",
                                "help",
                                "required",
                                "options",
                                "applies_when",
                            ],
                        },
                    },
                }
            ),
        }
    }
)

BENCHMARKS: dict[str, Any] = _object(
    {
        "edition": TEXT,
        "benchmarks": {
            "type": "object",
            "required": ["all_respondents", "clusters", "sectors"],
        },
    }
)


def json_response(description: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}
