"""The questionnaire as data and as a JSON Schema: both derived from the one definition in
app/core/questionnaire.py, so the API documents exactly what validation accepts."""

from __future__ import annotations

from typing import Any

from app.core.questionnaire import QUESTIONNAIRE, Question, answer_label
from app.core.text import LocalizedText
from app.core.vocabulary import DONT_KNOW


def _text(text: LocalizedText | None) -> dict[str, str] | None:
    return None if text is None else {"fr": text.fr, "en": text.en}


def question_payload(question: Question) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "id": question.id,
        "kind": question.kind,
        "label": _text(question.label),
        "help": _text(question.help),
        "required": question.required,
        "options": [{"id": o.id, "label": _text(o.label)} for o in question.options],
        "applies_when": None
        if question.applies_when is None
        else {
            "question": question.applies_when.question,
            "values": list(question.applies_when.values),
        },
    }
    if question.kind in ("scale", "percent", "integer"):
        payload["minimum"] = question.minimum
        payload["maximum"] = question.maximum
    if question.kind == "percent" and question.allow_unknown:
        payload["unknown_value"] = DONT_KNOW
        # the words the result page shows for it
        payload["unknown_label"] = _text(answer_label(question, DONT_KNOW))
    if question.exclusive_option:
        payload["exclusive_option"] = question.exclusive_option
    return payload


def questionnaire_payload() -> dict[str, Any]:
    return {
        "sections": [
            {
                "id": section.id,
                "title": _text(section.title),
                "intro": _text(section.intro),
                "questions": [question_payload(q) for q in section.questions],
            }
            for section in QUESTIONNAIRE.sections
        ]
    }


def _property(question: Question) -> dict[str, Any]:
    description = question.label.en
    rule = question.applies_when
    if rule is not None:
        parent = QUESTIONNAIRE[rule.question]
        values = " or ".join(str(v).lower() for v in rule.values)
        verb = "includes" if parent.kind == "multiple" else "is"
        if parent.applies_when is not None:  # conditions chain
            verb = f"is asked and {verb}"
        description += (
            f" (asked only when {rule.question} {verb} {values}: may then be left out, scored"
            " as unanswered; otherwise ignored and listed in ignored_answers)"
        )
    if question.kind == "boolean":
        return {"type": "boolean", "description": description}
    if question.kind == "single":
        return {"type": "string", "enum": list(question.option_ids()), "description": description}
    if question.kind == "multiple":
        return {
            "type": "array",
            "items": {"type": "string", "enum": list(question.option_ids())},
            "uniqueItems": True,
            "minItems": 1 if question.required and question.applies_when is None else 0,
            "description": description,
        }
    number = {"type": "integer", "minimum": question.minimum, "maximum": question.maximum}
    if question.kind == "percent" and question.allow_unknown:
        return {
            "oneOf": [number, {"type": "string", "enum": [DONT_KNOW]}],
            "description": description,
        }
    return {**number, "description": description}


def answers_json_schema() -> dict[str, Any]:
    """The answer set as the API reads it (``validate_partial_answers``): one property per
    question id, every unconditional question required; a conditional question may be left out
    (unanswered), and a well-formed answer to one that does not apply is set aside. So the
    schema states exactly what is accepted with no rule across fields, which keeps it readable
    and lets test generators cover it."""
    questions = list(QUESTIONNAIRE.questions())
    rules: list[dict[str, Any]] = []
    for question in questions:
        if question.exclusive_option:
            alone = question.exclusive_option
            rules.append(
                {
                    "properties": {
                        question.id: {
                            "anyOf": [
                                {"items": {"not": {"const": alone}}},
                                {"maxItems": 1},
                            ]
                        }
                    }
                }
            )
    return {
        "title": "Answers",
        "type": "object",
        "properties": {q.id: _property(q) for q in questions},
        "required": [q.id for q in questions if q.required and q.applies_when is None],
        "additionalProperties": False,
        "allOf": rules,
    }
