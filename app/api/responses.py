"""JSON Schemas of the API's answers, from the core's own vocabularies: documented in the
OpenAPI schema, and checked against every generated call by the schemathesis run."""

from __future__ import annotations

from typing import Any, get_args

from app.core.benchmarks import Benchmarks
from app.core.catalogue import Theme
from app.core.comparison import Scope, Verdict
from app.core.figures import Document, Unit
from app.core.placement import SkipReason
from app.core.questionnaire import Kind
from app.core.vocabulary import DONT_KNOW, Cluster

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
DOCUMENTS = list(get_args(Document))
SOURCE = _object({"document": {"enum": DOCUMENTS}, "section": TEXT, "quote": _nullable(TEXT)})
FIGURE = _object(
    {"value": NUMBER, "printed": TEXT, "unit": {"enum": list(get_args(Unit))}, "source": SOURCE}
)
CHANGE = _object({"question": TEXT, "from": {}, "to": {}})
FIELD_NOTE = _object({"pointer": TEXT, "field": TEXT, "code": TEXT, "detail": TEXT})

RESULT: dict[str, Any] = _object(
    {
        "edition": TEXT,
        "cluster": CLUSTER,
        "cluster_profile": _object(
            {"name": TEXT, "tagline": TEXT, "description": TEXT, "share": FIGURE}
        ),
        "probabilities": _per_cluster({"type": "number", "minimum": 0, "maximum": 1}),
        "borderline": {"type": "boolean"},
        "decisive_answer": _nullable(
            {
                **_object(
                    {
                        "factor": TEXT,
                        "question": TEXT,
                        "answer": {"type": ["string", "boolean", "integer", "null"]},
                        "level_without_it": CLUSTER,
                    }
                ),
                "description": "An answer the level hinges on, when there is one: left out, "
                "the other answers would more likely than not place in `level_without_it` (of "
                "several such answers, the one that moves the odds most). Null when no single "
                "answer decides, on a borderline placement (which says so already), and for "
                "results stored before this was computed.",
            }
        ),
        "confidence": {"enum": ["full", "reduced"]},
        "factors_left_out": {"type": "array", "items": TEXT},
        "factor_pulls": {
            "type": "array",
            "items": _object(
                {
                    "factor": TEXT,
                    "question": TEXT,
                    "answer": {"type": ["string", "boolean", "integer", "null"]},
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
        "documents": {
            **_object(dict.fromkeys(DOCUMENTS, _object({"title": TEXT}))),
            "description": "The title of every document a source names (`source.document`).",
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

LOCALIZED: dict[str, Any] = {
    **_object({"fr": TEXT, "en": TEXT}),
    "description": "The text in French and in English (`lang` changes neither).",
}
_OPTIONAL_INTEGER = {"type": "integer", "description": "`scale`, `percent` and `integer` only."}
QUESTION: dict[str, Any] = {
    "type": "object",
    "properties": {
        "id": {**TEXT, "description": "Stable id: the answer's key in the answer set."},
        "kind": {
            "enum": list(get_args(Kind)),
            "description": "What the answer is. `single`: one option id. `multiple`: a list of "
            "option ids. `boolean`: true or false. `scale`: an integer from `minimum` to "
            "`maximum` (a rating). `percent`: an integer from `minimum` to `maximum`, or "
            "`unknown_value` where the question has one. `integer`: an integer from `minimum` "
            "to `maximum`.",
        },
        "label": LOCALIZED,
        "help": {**_nullable(LOCALIZED), "description": "Help shown with the question, if any."},
        "required": {
            "type": "boolean",
            "description": "true: must be answered whenever the question applies (see "
            "`applies_when`). A question without `applies_when` always applies: leaving it out "
            "is a 422 (`required`). A conditional question that applies may still be left out "
            "of an API call: it is scored as unanswered and `confidence` is `reduced`. false: "
            "may be left out.",
        },
        "options": {
            "type": "array",
            "items": _object({"id": TEXT, "label": LOCALIZED}),
            "description": "The choices of a `single` or `multiple` question, whose answer "
            "gives their ids; empty for the other kinds.",
        },
        "applies_when": {
            **_nullable(
                _object(
                    {
                        "question": TEXT,
                        "values": {"type": "array", "items": {"type": ["string", "boolean"]}},
                    }
                )
            ),
            "description": "null: the question always applies. Otherwise it applies only when "
            "the answer to `question` is one of `values` (when `question` is a `multiple` "
            "choice: when its list contains one of them). Conditions chain: `question` may have "
            "a condition of its own, and a question applies only if the question it depends on "
            "applies too. An answer to a question that does not apply is ignored and listed in "
            "`ignored_answers`.",
        },
        "minimum": _OPTIONAL_INTEGER,
        "maximum": _OPTIONAL_INTEGER,
        "unknown_value": {
            "const": DONT_KNOW,
            "description": "`percent` questions that accept it: the answer for "
            '"don\'t know", instead of a number.',
        },
        "unknown_label": {**LOCALIZED, "description": "How to show `unknown_value`."},
        "exclusive_option": {
            **TEXT,
            "description": "`multiple` questions only: the option id that cannot be ticked "
            'together with another (e.g. "not measured").',
        },
    },
    "required": ["id", "kind", "label", "help", "required", "options", "applies_when"],
    "additionalProperties": False,
}
QUESTIONNAIRE: dict[str, Any] = {
    **_object(
        {
            "sections": {
                "type": "array",
                "items": _object(
                    {
                        "id": TEXT,
                        "title": LOCALIZED,
                        "intro": LOCALIZED,
                        "questions": {"type": "array", "items": QUESTION},
                    }
                ),
            }
        }
    ),
    "description": "Every question, in the order of the form, by section. The answer set (POST "
    "/score, POST /assessments) has one property per question id.",
}


_DATA = frozenset({"default", "const", "enum", "examples"})


def _inlined(schema: dict[str, Any]) -> dict[str, Any]:
    """A pydantic model's JSON Schema standing alone: every ``$ref`` replaced by its definition
    (in a response schema ``#`` is the OpenAPI document's root, and the response examples are
    checked against the schema on its own), without the titles pydantic makes of the field
    names."""
    definitions = schema.get("$defs", {})

    def resolve(node: Any) -> Any:
        if isinstance(node, list):
            return [resolve(item) for item in node]
        if not isinstance(node, dict):
            return node
        if "$ref" in node:
            siblings = {k: v for k, v in node.items() if k != "$ref"}
            return {**resolve(definitions[node["$ref"].rsplit("/", 1)[-1]]), **resolve(siblings)}
        return {k: keyword(k, v) for k, v in node.items() if k not in ("$defs", "title")}

    def keyword(key: str, value: Any) -> Any:
        if key in _DATA:
            return value
        if key == "properties":  # names, not keywords: a field may be called "title"
            return {name: resolve(subschema) for name, subschema in value.items()}
        return resolve(value)

    result: dict[str, Any] = resolve(schema)
    return result


BENCHMARKS: dict[str, Any] = _object(
    {
        "edition": {**TEXT, "description": "The edition of the report the figures come from."},
        "benchmarks": {
            **_inlined(Benchmarks.model_json_schema(mode="serialization")),
            "description": "The reference figures: `all_respondents`, each maturity cluster "
            "(`clusters`) and each benchmarked sector (`sectors`). Every figure carries its "
            "value, its unit, the token as printed and its source (document, section, quote); "
            "a figure the report does not give is null.",
        },
    }
)


def json_response(
    description: str, schema: dict[str, Any], headers: dict[str, Any] | None = None
) -> dict[str, Any]:
    response: dict[str, Any] = {
        "description": description,
        "content": {"application/json": {"schema": schema}},
    }
    if headers:
        response["headers"] = headers
    return response
