"""Validation of a whole answer set against the questionnaire, with one error per field.

Two entry points:
- ``validate_answers`` takes typed values (JSON: booleans, integers, strings, lists) and is
  strict: ``"true"`` is not a boolean and ``50.0`` is not a percentage.
- ``parse_text_answers`` first reads text values (an HTML form, a CSV cell) into those types,
  then the same validation applies.
``validate_partial_answers`` is the partner API's reading of typed values: conditional
questions may be left out, and well-formed answers to questions that do not apply are set
aside and reported instead of refused.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal, cast

from app.core.errors import DomainError
from app.core.questionnaire import CHANNEL_NAMES, ORIENTATION_QUESTIONS, QUESTIONNAIRE, Question
from app.core.records import record
from app.core.text import LocalizedText, t
from app.core.vocabulary import DONT_KNOW, Channel

AnswerValue = str | bool | int | tuple[str, ...]

ErrorCode = Literal[
    "unknown_question",
    "required",
    "wrong_type",
    "invalid_option",
    "out_of_range",
    "not_applicable",
    "duplicate_option",
    "exclusive_option",
]


@dataclass(frozen=True)
class FieldError:
    field: str
    code: ErrorCode
    message: LocalizedText
    item: int | None = None
    """The position of the offending item in a multiple-choice answer's list, when one is."""


class InvalidAnswers(DomainError):
    """The answer set cannot be scored; ``errors`` says what is wrong, field by field."""

    def __init__(self, errors: Sequence[FieldError]) -> None:
        self.errors = tuple(errors)
        super().__init__("; ".join(f"{e.field}: {e.code}" for e in self.errors))


class Answers(Mapping[str, AnswerValue]):
    """A validated answer set: only questions that apply (in the partner API's partial reading,
    some conditional ones may be missing), every value of its question's type."""

    __slots__ = ("_score", "_validated", "_values")

    def __init__(self, values: Mapping[str, AnswerValue], *, validated: bool = False) -> None:
        # a plain dict, kept private (no proxy): the core reads it some 200 times an assessment
        self._values: dict[str, AnswerValue] = dict(values)
        self._score: float | None = None
        self._validated = validated
        """Made by ``validate_answers``: each question's values are of one type, so a value
        alone tells two answers to a question apart (no ``True`` where ``1`` could be)."""

    def __getitem__(self, key: str) -> AnswerValue:
        return self._values[key]

    def get(self, key: str, default: AnswerValue | None = None) -> AnswerValue | None:  # type: ignore[override]
        """``Mapping.get`` without its exception handling: the core calls it ~200 times per
        assessment."""
        return self._values.get(key, default)

    def __contains__(self, key: object) -> bool:
        return key in self._values

    @property
    def getter(self) -> Callable[[str], AnswerValue | None]:
        """``get`` without a Python call per answer, for the core's loops over many answers."""
        return self._values.get

    @property
    def validated(self) -> bool:
        return self._validated

    @property
    def mapping(self) -> Mapping[str, AnswerValue]:
        """The answers as a read-only mapping, without a copy (``dict.update`` reads it at C
        speed)."""
        return self._values

    @classmethod
    def _validated_from(cls, values: dict[str, AnswerValue]) -> Answers:
        """``Answers(values, validated=True)`` taking ``values`` as they are, without a copy:
        for ``_validate``, which made the dict and keeps no other reference to it."""
        answers = cls.__new__(cls)
        answers._values = values
        answers._score = None
        answers._validated = True
        return answers

    def as_dict(self) -> dict[str, AnswerValue]:
        """A plain, mutable copy."""
        return self._values.copy()

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __repr__(self) -> str:
        return f"Answers({dict(self._values)!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Answers) and dict(self._values) == dict(other._values)

    def __hash__(self) -> int:
        return hash(tuple(sorted(self._values.items(), key=lambda item: item[0])))

    def is_open(self, channel: Channel) -> bool:
        return self._values.get(f"{channel}_open") is True

    def choice(self, question_id: str) -> str | None:
        value = self._values.get(question_id)
        return value if isinstance(value, str) else None

    def number(self, question_id: str) -> int | None:
        value = self._values.get(question_id)
        return value if isinstance(value, int) and not isinstance(value, bool) else None

    def selected(self, question_id: str) -> tuple[str, ...]:
        value = self._values.get(question_id)
        return value if isinstance(value, tuple) else ()

    @property
    def orientation_score(self) -> float:
        """Mean of the four orientation statements (report chapter 01, "Construction d'une
        note d'orientation client"). Computed once: the answers never change."""
        if self._score is None:
            scores = [self.number(q) for q in ORIENTATION_QUESTIONS]
            known = [s for s in scores if s is not None]
            self._score = sum(known) / len(known) if known else 0.0
        return self._score

    def replace(self, **changes: AnswerValue | None) -> Answers:
        """A copy with some answers changed (None removes one); not re-validated."""
        values = dict(self._values)
        for key, value in changes.items():
            if value is None:
                values.pop(key, None)
            else:
                values[key] = value
        return Answers(values)

    def to_json(self) -> dict[str, object]:
        return {k: list(v) if isinstance(v, tuple) else v for k, v in self._values.items()}

    def to_text(self) -> dict[str, str | list[str]]:
        """The answers as a form keeps them (what ``validate_text_answers`` reads back)."""
        return as_text(self.to_json())


def as_text(values: Mapping[str, object]) -> dict[str, str | list[str]]:
    """Typed answers (JSON) as text answers: booleans "true"/"false", numbers as digits,
    lists kept as lists of option ids."""
    text: dict[str, str | list[str]] = {}
    for key, value in values.items():
        if isinstance(value, bool):
            text[key] = "true" if value else "false"
        elif isinstance(value, list | tuple):
            text[key] = [str(v) for v in value]
        else:
            text[key] = str(value)
    return text


# --- Messages ----------------------------------------------------------------------------------

_MESSAGES: dict[ErrorCode, LocalizedText] = {
    "unknown_question": t(
        "Cette question n'existe pas dans le questionnaire.",
        "This question is not part of the questionnaire.",
    ),
    "required": t("Merci de répondre à cette question.", "Please answer this question."),
    "wrong_type": t("{expected_fr}", "{expected_en}"),
    "invalid_option": t(
        "Cette réponse ne fait pas partie des choix proposés.",
        "This answer is not one of the choices offered.",
    ),
    "out_of_range": t(
        "Indiquez un nombre entier entre {minimum} et {maximum}.",
        "Enter a whole number between {minimum} and {maximum}.",
    ),
    "not_applicable": t(
        "Cette question ne s'applique pas à vos réponses : {reason_fr}",
        "This question does not apply given your answers: {reason_en}",
    ),
    "duplicate_option": t("Un même choix est coché deux fois.", "The same choice is ticked twice."),
    "exclusive_option": t(
        "« {option_fr} » ne peut pas être coché avec d'autres choix.",
        "“{option_en}” cannot be ticked together with other choices.",
    ),
}

_EXPECTED: dict[str, LocalizedText] = {
    "single": t("Choisissez une des réponses proposées.", "Choose one of the answers offered."),
    "multiple": t("Cochez une ou plusieurs réponses.", "Tick one or more answers."),
    "boolean": t("Répondez par oui ou par non.", "Answer yes or no."),
    "scale": t("Choisissez une note de 1 à 5.", "Choose a rating from 1 to 5."),
    "percent": t(
        "Indiquez un pourcentage entier de 0 à 100, ou « Je ne sais pas ».",
        "Enter a whole percentage from 0 to 100, or “Don't know”.",
    ),
    "integer": t("Indiquez un nombre entier.", "Enter a whole number."),
}


def _error(field: str, code: ErrorCode, item: int | None = None, **values: object) -> FieldError:
    return FieldError(field, code, _MESSAGES[code].format(**values), item)


def _wrong_type(question: Question, item: int | None = None) -> FieldError:
    expected = _EXPECTED[question.kind]
    return _error(question.id, "wrong_type", item, expected_fr=expected.fr, expected_en=expected.en)


# --- Applicability -----------------------------------------------------------------------------

Applicability = Literal["applies", "does_not_apply", "undetermined"]


def applicability(question: Question, values: Mapping[str, object]) -> Applicability:
    """Whether a question is asked, given the (already validated) answers it depends on."""
    rule = question.applies_when
    if rule is None:
        return "applies"
    if rule.question not in values:
        parent = QUESTIONNAIRE[rule.question]
        parent_state = applicability(parent, values)
        return "does_not_apply" if parent_state == "does_not_apply" else "undetermined"
    answer = values[rule.question]
    if isinstance(answer, tuple):
        hit = any(v in answer for v in rule.values)
    else:
        hit = answer in rule.values
    return "applies" if hit else "does_not_apply"


def _not_applicable(question: Question) -> FieldError:
    reason = _not_applicable_reason(question)
    return _error(question.id, "not_applicable", reason_fr=reason.fr, reason_en=reason.en)


def _not_applicable_reason(question: Question) -> LocalizedText:
    rule = question.applies_when
    assert rule is not None  # noqa: S101 - only called for conditional questions
    parent = QUESTIONNAIRE[rule.question]
    if parent.kind == "boolean" and question.channel is not None:
        name = CHANNEL_NAMES[question.channel]
        return t(
            f"vous avez indiqué ne pas proposer le canal {name.fr}.",
            f"you said you do not offer {name.en}.",
        )
    return t(
        f"elle dépend de votre réponse à « {parent.label.fr} ».",
        f"it depends on your answer to “{parent.label.en}”.",
    )


# --- Validation --------------------------------------------------------------------------------


def _check_value(question: Question, value: object) -> tuple[AnswerValue | None, FieldError | None]:
    kind = question.kind
    if kind == "boolean":
        return (value, None) if isinstance(value, bool) else (None, _wrong_type(question))
    if kind == "single":
        if not isinstance(value, str):
            return None, _wrong_type(question)
        known = question.known_option(value)
        if known is None:
            return None, _error(question.id, "invalid_option")
        return known, None
    if kind == "multiple":
        if isinstance(value, str) or not isinstance(value, list | tuple):
            return None, _wrong_type(question)
        for position, v in enumerate(value):
            if not isinstance(v, str):
                return None, _wrong_type(question, position)
        chosen = [question.known_option(v) for v in value]
        if None in chosen:
            return None, _error(question.id, "invalid_option", chosen.index(None))
        if len(set(chosen)) != len(chosen):
            again = next(i for i, c in enumerate(chosen) if c in chosen[:i])
            return None, _error(question.id, "duplicate_option", again)
        exclusive = question.exclusive_option
        if exclusive and exclusive in chosen and len(chosen) > 1:
            label = question.option(exclusive).label
            return None, _error(
                question.id, "exclusive_option", option_fr=label.fr, option_en=label.en
            )
        order = question.option_ids()
        return tuple(sorted(cast(list[str], chosen), key=order.index)), None
    # scale, percent, integer: whole numbers (booleans are not numbers here)
    if kind == "percent" and question.allow_unknown and value == DONT_KNOW:
        return DONT_KNOW, None
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # JSON Schema counts 4.0 as an integer; so do we
    if isinstance(value, bool) or not isinstance(value, int):
        return None, _wrong_type(question)
    # Question.__post_init__ guarantees both bounds for number questions
    low = question.minimum if question.minimum is not None else value
    high = question.maximum if question.maximum is not None else value
    if not low <= value <= high:
        return None, _error(question.id, "out_of_range", minimum=low, maximum=high)
    return value, None


def _is_blank(question: Question, value: object) -> bool:
    """No answer: nothing at all, or an empty list for a multiple choice. (A form's empty
    text field never reaches here: ``parse_text_answers`` drops it.) An empty text or list
    given to any other question is a wrong answer, not a missing one."""
    if value is None:
        return True
    return question.kind == "multiple" and isinstance(value, list | tuple) and len(value) == 0


def validate_answers(raw: Mapping[str, object], *, drop_inapplicable: bool = False) -> Answers:
    """Checks a whole answer set and returns it typed, or raises InvalidAnswers listing every
    faulty field. ``drop_inapplicable`` silently ignores answers to questions that do not apply
    (an HTML form keeps a closed channel's delay in its hidden fields); without it an answer to
    a question that does not apply is an error."""
    answers, _ = _validate(raw, drop_inapplicable=drop_inapplicable, partial=False)
    return answers


@record
class PartialAnswers:
    answers: Answers
    set_aside: tuple[FieldError, ...]
    """Well-formed answers to questions that do not apply, ignored (code ``not_applicable``)."""


def validate_partial_answers(raw: Mapping[str, object]) -> PartialAnswers:
    """The partner API's reading: every value must be well formed and every question asked
    unconditionally must be answered, but a question that applies only under a condition may be
    left out (scored as unanswered: the factor is left out and the confidence says so), and a
    well-formed answer to a question that does not apply is set aside and reported rather than
    refused. A partner's own form need not mirror our conditions, and the API's JSON Schema can
    then state exactly what is accepted without cross-field rules."""
    answers, set_aside = _validate(raw, drop_inapplicable=True, partial=True)
    return PartialAnswers(answers, tuple(set_aside))


def _validate(
    raw: Mapping[str, object], *, drop_inapplicable: bool, partial: bool
) -> tuple[Answers, list[FieldError]]:
    errors: list[FieldError] = [
        _error(key, "unknown_question") for key in raw if key not in QUESTIONNAIRE
    ]
    set_aside: list[FieldError] = []
    values: dict[str, AnswerValue] = {}
    for question in QUESTIONNAIRE.questions():
        given = raw.get(question.id)
        state = applicability(question, values)
        # In the partial reading, a question whose condition was left unanswered is not asked
        # either: its answer is set aside like any other that does not apply.
        if state == "does_not_apply" or (partial and state == "undetermined"):
            if question.id not in raw:
                continue
            if partial:
                malformed = (
                    _wrong_type(question) if given is None else _check_value(question, given)[1]
                )
                # the schema describes every property whatever the others: set aside only
                # what is well formed
                if malformed:
                    errors.append(malformed)
                else:
                    set_aside.append(_not_applicable(question))
            elif not drop_inapplicable and not _is_blank(question, given):
                errors.append(_not_applicable(question))  # a blank (null, []) counts as absent
            continue
        if question.id in raw and raw[question.id] is None:
            errors.append(_wrong_type(question))  # an explicit null is not an answer
            continue
        if partial and question.applies_when is not None and _is_blank(question, given):
            continue  # unanswered
        if _is_blank(question, given):
            if question.required and state == "applies":
                errors.append(_error(question.id, "required"))
            elif question.kind == "multiple" and state == "applies":
                values[question.id] = ()
            continue
        value, error = _check_value(question, given)
        if error is not None:
            errors.append(error)
        elif value is not None:
            values[question.id] = value
    if errors:
        raise InvalidAnswers(errors)
    return Answers._validated_from(values), set_aside


_TRUE = {"true", "yes", "oui", "1", "on"}
_FALSE = {"false", "no", "non", "0", "off"}


def parse_text_answers(
    raw: Mapping[str, str | Sequence[str]],
) -> tuple[dict[str, object], list[FieldError]]:
    """Reads text answers into typed values. Blank text is no answer. A multiple choice may be
    given as a list or as one text separated by ``|``. Returns the values it could read and an
    error for each it could not; unknown keys are passed through for validation to report."""
    values: dict[str, object] = {}
    errors: list[FieldError] = []
    for key, given in raw.items():
        if key not in QUESTIONNAIRE:
            values[key] = given
            continue
        question = QUESTIONNAIRE[key]
        items = [given] if isinstance(given, str) else list(given)
        items = [i.strip() for i in items if i.strip()]
        if not items:
            continue
        if question.kind == "multiple":
            values[key] = [p.strip() for i in items for p in i.split("|") if p.strip()]
            continue
        if len(items) > 1:
            errors.append(_wrong_type(question))
            continue
        text = items[0]
        if question.kind == "boolean":
            if text.lower() in _TRUE:
                values[key] = True
            elif text.lower() in _FALSE:
                values[key] = False
            else:
                errors.append(_wrong_type(question))
        elif question.kind == "single":
            values[key] = text
        elif question.kind == "percent" and text == DONT_KNOW:
            values[key] = DONT_KNOW
        else:
            try:
                values[key] = int(text.rstrip("%").strip())
            except ValueError:
                errors.append(_wrong_type(question))
    return values, errors


def validate_text_answers(
    raw: Mapping[str, str | Sequence[str]], *, drop_inapplicable: bool = True
) -> Answers:
    """Text answers (form, CSV) read and validated; every error of both steps is reported."""
    values, read_errors = parse_text_answers(raw)
    unreadable = {e.field for e in read_errors}
    try:
        answers = validate_answers(values, drop_inapplicable=drop_inapplicable)
    except InvalidAnswers as invalid:
        kept = [e for e in invalid.errors if not (e.field in unreadable and e.code == "required")]
        raise InvalidAnswers(read_errors + kept) from None
    if read_errors:
        raise InvalidAnswers(read_errors)
    return answers
