"""The questionnaire: one typed definition for the HTML form, the API schema, validation and docs.

It follows the survey sections of the report (chapter 01, "L'enquête"). Every question and
option has a stable id (see vocabulary.py: ids are a public contract). Labels and help are
ours, in French and English.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import Final, Literal

from app.core.text import LocalizedText, t
from app.core.vocabulary import (
    AHT_BUCKETS,
    AHT_CHANNELS,
    CHANNELS,
    DELAY_BUCKETS,
    DONT_KNOW,
    NOT_MEASURED,
    Channel,
)

Kind = Literal["single", "multiple", "boolean", "scale", "percent", "integer"]
"""
single: one option id; multiple: a list of option ids; boolean: true/false;
scale: an integer from 1 to 5; percent: an integer from 0 to 100, or "dont_know";
integer: an integer between ``minimum`` and ``maximum``.
"""

OptionId = str | bool


@dataclass(frozen=True)
class Option:
    id: str
    label: LocalizedText


@dataclass(frozen=True)
class AppliesWhen:
    """The question is asked only when ``question``'s answer is one of ``values`` (or, for a
    multiple choice, includes one of them)."""

    question: str
    values: tuple[OptionId, ...]


@dataclass(frozen=True)
class Question:
    id: str
    kind: Kind
    label: LocalizedText
    help: LocalizedText | None = None
    options: tuple[Option, ...] = ()
    required: bool = True
    applies_when: AppliesWhen | None = None
    minimum: int | None = None
    maximum: int | None = None
    exclusive_option: str | None = None
    """For a multiple choice: the option that cannot be ticked with others ("not measured")."""
    allow_unknown: bool = False
    """For a percent: "dont_know" is an accepted answer."""
    channel: Channel | None = None

    def __post_init__(self) -> None:
        numeric = self.kind in ("scale", "percent", "integer")
        if numeric and (self.minimum is None or self.maximum is None):
            raise ValueError(f"{self.id}: a number question needs its minimum and maximum")
        if self.kind in ("single", "multiple") and not self.options:
            raise ValueError(f"{self.id}: a choice question needs options")

    def option_ids(self) -> tuple[str, ...]:
        return self._option_ids

    @cached_property
    def _option_ids(self) -> tuple[str, ...]:
        # validation reads them for every choice answered
        return tuple(o.id for o in self.options)

    def known_option(self, value: str) -> str | None:
        """The option id equal to ``value``, as this definition holds it, or None. Validation
        keeps that object rather than the caller's equal string: every answer then shares the
        definition's strings, whose hashes are computed once, and the core's remembered keys
        compare them by identity."""
        return self._options_by_id.get(value)

    @cached_property
    def _options_by_id(self) -> dict[str, str]:
        return {o.id: o.id for o in self.options}

    def option(self, option_id: str) -> Option:
        for candidate in self.options:
            if candidate.id == option_id:
                return candidate
        raise KeyError(option_id)


@dataclass(frozen=True)
class Section:
    id: str
    title: LocalizedText
    intro: LocalizedText
    questions: tuple[Question, ...]


@dataclass(frozen=True)
class Questionnaire:
    sections: tuple[Section, ...]
    _by_id: dict[str, Question] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_id: dict[str, Question] = {}
        for question in self.questions():
            if question.id in by_id:
                raise ValueError(f"duplicate question id {question.id}")
            by_id[question.id] = question
        for question in by_id.values():
            if question.applies_when and question.applies_when.question not in by_id:
                raise ValueError(f"{question.id} depends on unknown {question.applies_when}")
        object.__setattr__(self, "_by_id", by_id)

    def questions(self) -> Iterator[Question]:
        for section in self.sections:
            yield from section.questions

    def __getitem__(self, question_id: str) -> Question:
        return self._by_id[question_id]

    def __contains__(self, question_id: object) -> bool:
        return question_id in self._by_id

    def ids(self) -> tuple[str, ...]:
        return tuple(self._by_id)


# --- Option labels shared by several questions -------------------------------------------------

_NOT_MEASURED = Option(NOT_MEASURED, t("Non mesuré", "Not measured"))
_DONT_KNOW = Option(DONT_KNOW, t("Je ne sais pas", "Don't know"))

CHANNEL_NAMES: Final[dict[Channel, LocalizedText]] = {
    "phone": t("Téléphone", "Phone"),
    "email": t("Email et formulaire de contact", "Email and contact form"),
    "mail": t("Courrier postal", "Postal mail"),
    "chat": t("Chat en direct (live chat)", "Live chat"),
    "social": t(
        "Messageries des réseaux sociaux (Facebook, Instagram, X…)",
        "Social-media messaging (Facebook, Instagram, X…)",
    ),
    "whatsapp": t("WhatsApp", "WhatsApp"),
}

CHANNEL_SHORT_NAMES: Final[dict[Channel, LocalizedText]] = {
    "phone": t("Téléphone", "Phone"),
    "email": t("Email", "Email"),
    "mail": t("Courrier", "Post"),
    "chat": t("Chat", "Live chat"),
    "social": t("Réseaux sociaux", "Social media"),
    "whatsapp": t("WhatsApp", "WhatsApp"),
}
"""For tables and charts, where the full names (with their examples) do not fit."""

_BUCKET_LABELS: Final[dict[str, LocalizedText]] = {
    "lt_2min": t("Moins de 2 minutes", "Under 2 minutes"),
    "2_5min": t("De 2 à 5 minutes", "2 to 5 minutes"),
    "gt_5min": t("Plus de 5 minutes", "Over 5 minutes"),
    "lt_24h": t("Moins de 24 heures", "Under 24 hours"),
    "24_72h": t("De 24 à 72 heures", "24 to 72 hours"),
    "gt_72h": t("Plus de 72 heures", "Over 72 hours"),
    "lt_72h": t("Moins de 72 heures", "Under 72 hours"),
    "3_7d": t("De 3 à 7 jours", "3 to 7 days"),
    "gt_7d": t("Plus de 7 jours", "Over 7 days"),
    "lt_5min": t("Moins de 5 minutes", "Under 5 minutes"),
    "5_30min": t("De 5 à 30 minutes", "5 to 30 minutes"),
    "gt_30min": t("Plus de 30 minutes", "Over 30 minutes"),
    "lt_1h": t("Moins d'une heure", "Under an hour"),
    "1_24h": t("D'une heure à 24 heures", "1 to 24 hours"),
    "gt_24h": t("Plus de 24 heures", "Over 24 hours"),
    "5_60min": t("De 5 minutes à une heure", "5 minutes to an hour"),
    "gt_1h": t("Plus d'une heure", "Over an hour"),
    "lt_10min": t("Moins de 10 minutes", "Under 10 minutes"),
    "5_10min": t("De 5 à 10 minutes", "5 to 10 minutes"),
    "gt_10min": t("Plus de 10 minutes", "Over 10 minutes"),
    "10_60min": t("De 10 minutes à une heure", "10 minutes to an hour"),
}

_DELAY_QUESTION: Final[dict[Channel, LocalizedText]] = {
    "phone": t(
        "Au téléphone, en combien de temps décrochez-vous habituellement ?",
        "On the phone, how quickly do you usually pick up?",
    ),
    "email": t(
        "Par email, en combien de temps répondez-vous habituellement ?",
        "By email, how quickly do you usually reply?",
    ),
    "mail": t(
        "Par courrier, en combien de temps répondez-vous habituellement ?",
        "By postal mail, how quickly do you usually reply?",
    ),
    "chat": t(
        "Sur le chat, en combien de temps un conseiller répond-il habituellement ?",
        "On live chat, how quickly does an agent usually answer?",
    ),
    "social": t(
        "Sur les messageries des réseaux sociaux, en combien de temps répondez-vous ?",
        "On social-media messaging, how quickly do you reply?",
    ),
    "whatsapp": t(
        "Sur WhatsApp, en combien de temps répondez-vous habituellement ?",
        "On WhatsApp, how quickly do you usually reply?",
    ),
}

_DELAY_HELP = t(
    "Le délai habituel, tel que vous le mesurez. "
    "Choisissez « Non mesuré » si vous ne le suivez pas.",
    "Your usual delay as you measure it. Choose “Not measured” if you do not track it.",
)


def _options(ids: tuple[str, ...], labels: dict[str, LocalizedText]) -> tuple[Option, ...]:
    return tuple(Option(i, labels[i]) for i in ids)


def _channel_questions(channel: Channel) -> tuple[Question, ...]:
    open_question = Question(
        id=f"{channel}_open",
        kind="boolean",
        channel=channel,
        label=t(
            f"Proposez-vous le canal « {CHANNEL_NAMES[channel].fr} » à vos clients ?",
            f"Do you offer “{CHANNEL_NAMES[channel].en}” to your customers?",
        ),
    )
    delay = Question(
        id=f"{channel}_delay",
        kind="single",
        channel=channel,
        label=_DELAY_QUESTION[channel],
        help=_DELAY_HELP,
        options=(*_options(DELAY_BUCKETS[channel], _BUCKET_LABELS), _NOT_MEASURED),
        applies_when=AppliesWhen(f"{channel}_open", (True,)),
    )
    return open_question, delay


_AHT_HELP = t(
    "La DMT (durée moyenne de traitement) est le temps passé sur une demande, "
    "tâches de back-office comprises. En anglais : AHT (average handling time).",
    "Average handling time (AHT; “DMT” in French) is the time spent on one request, "
    "back-office tasks included.",
)
_FCR_HELP = t(
    "Part des demandes réglées dès le premier contact, sans que le client ait à revenir "
    "(« once & done », ou FCR). Un nombre de 0 à 100, ou « Je ne sais pas ».",
    "Share of requests settled at the first contact, with no need for the customer to come "
    "back (“once & done”, or FCR). A number from 0 to 100, or “Don't know”.",
)
_SCALE_HELP = t(
    "De 1 (pas du tout d'accord) à 5 (tout à fait d'accord).",
    "From 1 (strongly disagree) to 5 (strongly agree).",
)


def _fcr_question(channel: Channel) -> Question:
    name = {"phone": t("au téléphone", "on the phone"), "email": t("par email", "by email")}
    return Question(
        id=f"{channel}_fcr",
        kind="percent",
        channel=channel,
        minimum=0,
        maximum=100,
        allow_unknown=True,
        label=t(
            f"Taux de résolution au premier contact {name[channel].fr} (%)",
            f"First-contact resolution rate {name[channel].en} (%)",
        ),
        help=_FCR_HELP,
        applies_when=AppliesWhen(f"{channel}_open", (True,)),
    )


def _orientation(question_id: str, fr: str, en: str) -> Question:
    return Question(
        id=question_id, kind="scale", minimum=1, maximum=5, label=t(fr, en), help=_SCALE_HELP
    )


ORIENTATION_QUESTIONS: Final[tuple[str, ...]] = (
    "orientation_satisfaction_goal",
    "orientation_customer_understanding",
    "orientation_value_creation",
    "orientation_relationship_key",
)

QUESTIONNAIRE: Final = Questionnaire(
    sections=(
        Section(
            id="profile",
            title=t("Votre organisation", "Your organisation"),
            intro=t(
                "Quelques repères pour vous comparer à des entreprises qui vous ressemblent.",
                "A few facts so that we compare you with companies like yours.",
            ),
            questions=(
                Question(
                    id="sector",
                    kind="single",
                    label=t("Secteur d'activité", "Sector"),
                    options=(
                        Option(
                            "banking_insurance",
                            t("Banque, mutuelle, assurance", "Banking, mutual, insurance"),
                        ),
                        Option(
                            "retail_consumer_goods",
                            t(
                                "Distribution et produits de grande consommation",
                                "Retail and consumer goods",
                            ),
                        ),
                        Option(
                            "transport_tourism", t("Transport et tourisme", "Transport and tourism")
                        ),
                        Option(
                            "industry_energy_telecom",
                            t("Industrie, énergie, télécoms", "Industry, energy, telecoms"),
                        ),
                        Option("public_sector", t("Secteur public", "Public sector")),
                        Option("other", t("Autre secteur", "Other sector")),
                    ),
                ),
                Question(
                    id="business_model",
                    kind="single",
                    label=t("Vos clients", "Your customers"),
                    options=(
                        Option("b2b", t("Des entreprises (B2B)", "Businesses (B2B)")),
                        Option("b2c", t("Des particuliers (B2C)", "Consumers (B2C)")),
                        Option(
                            "b2b2c",
                            t(
                                "Des particuliers via des entreprises (B2B2C)",
                                "Consumers through businesses (B2B2C)",
                            ),
                        ),
                    ),
                ),
                Question(
                    id="headcount",
                    kind="single",
                    label=t("Effectif de l'entreprise", "Company headcount"),
                    options=(
                        Option("lt_200", t("Moins de 200 salariés", "Under 200 employees")),
                        Option("200_to_999", t("De 200 à 999 salariés", "200 to 999 employees")),
                        Option("ge_1000", t("1 000 salariés ou plus", "1,000 employees or more")),
                    ),
                ),
                Question(
                    id="monthly_volume",
                    kind="single",
                    label=t(
                        "Demandes clients traitées par mois, tous canaux confondus",
                        "Customer requests handled per month, all channels together",
                    ),
                    options=(
                        Option("lt_1k", t("Moins de 1 000", "Under 1,000")),
                        Option("1k_to_8k", t("De 1 000 à 8 000", "1,000 to 8,000")),
                        Option("8k_to_50k", t("De 8 000 à 50 000", "8,000 to 50,000")),
                        Option("gt_50k", t("Plus de 50 000", "Over 50,000")),
                        _DONT_KNOW,
                    ),
                ),
            ),
        ),
        Section(
            id="channels",
            title=t("Canaux et délais de réponse", "Channels and response times"),
            intro=t(
                "Pour chaque canal que vous proposez, votre délai de réponse habituel.",
                "For each channel you offer, your usual response time.",
            ),
            questions=(
                *(q for channel in CHANNELS for q in _channel_questions(channel)),
                Question(
                    id="selfcare",
                    kind="boolean",
                    label=t(
                        "Proposez-vous un outil de selfcare (FAQ, espace client, assistant) ?",
                        "Do you offer a self-care tool (FAQ, customer portal, assistant)?",
                    ),
                    help=t(
                        "Un outil qui permet au client de trouver sa réponse ou de faire sa "
                        "démarche seul, sans contacter un conseiller.",
                        "A tool that lets customers find an answer or complete a task on their "
                        "own, without contacting an agent.",
                    ),
                ),
            ),
        ),
        Section(
            id="handling",
            title=t("Traitement des demandes", "Handling requests"),
            intro=t(
                "Le temps passé sur une demande et la part des demandes réglées du premier coup.",
                "Time spent per request and the share of requests settled the first time.",
            ),
            questions=(
                Question(
                    id="phone_aht",
                    kind="single",
                    channel="phone",
                    label=t(
                        "Durée moyenne de traitement (DMT) au téléphone",
                        "Average handling time (AHT) on the phone",
                    ),
                    help=_AHT_HELP,
                    options=(*_options(AHT_BUCKETS["phone"], _BUCKET_LABELS), _NOT_MEASURED),
                    applies_when=AppliesWhen("phone_open", (True,)),
                ),
                Question(
                    id="email_aht",
                    kind="single",
                    channel="email",
                    label=t(
                        "Durée moyenne de traitement (DMT) d'un email",
                        "Average handling time (AHT) of an email",
                    ),
                    help=_AHT_HELP,
                    options=(*_options(AHT_BUCKETS["email"], _BUCKET_LABELS), _NOT_MEASURED),
                    applies_when=AppliesWhen("email_open", (True,)),
                ),
                *(_fcr_question(channel) for channel in AHT_CHANNELS),
            ),
        ),
        Section(
            id="satisfaction",
            title=t("Satisfaction client", "Customer satisfaction"),
            intro=t(
                "Comment vous écoutez vos clients après un contact.",
                "How you listen to customers after a contact.",
            ),
            questions=(
                Question(
                    id="satisfaction_measured",
                    kind="single",
                    label=t(
                        "Mesurez-vous la satisfaction client après un contact avec le service ?",
                        "Do you measure customer satisfaction after a contact with the service?",
                    ),
                    options=(
                        Option("systematic", t("Oui, systématiquement", "Yes, every time")),
                        Option("sometimes", t("Parfois", "Sometimes")),
                        Option("never", t("Non", "No")),
                    ),
                ),
                Question(
                    id="satisfaction_indicators",
                    kind="multiple",
                    label=t("Avec quels indicateurs ?", "With which indicators?"),
                    help=t(
                        "NPS : propension à recommander (de -100 à 100). CSAT : note de "
                        "satisfaction après l'échange. CES : effort que le client a dû fournir.",
                        "NPS: likelihood to recommend (from -100 to 100). CSAT: satisfaction "
                        "rating after the exchange. CES: effort the customer had to make.",
                    ),
                    options=(
                        Option("nps", t("NPS (Net Promoter Score)", "NPS (Net Promoter Score)")),
                        Option(
                            "csat",
                            t("CSAT (score de satisfaction)", "CSAT (customer satisfaction score)"),
                        ),
                        Option(
                            "ces", t("CES (score d'effort client)", "CES (customer effort score)")
                        ),
                        Option("other", t("Un autre indicateur", "Another indicator")),
                    ),
                    applies_when=AppliesWhen("satisfaction_measured", ("systematic", "sometimes")),
                ),
                Question(
                    id="nps_value",
                    kind="integer",
                    minimum=-100,
                    maximum=100,
                    required=False,
                    label=t(
                        "Votre NPS actuel, si vous le connaissez",
                        "Your current NPS, if you know it",
                    ),
                    help=t(
                        "Un nombre entier de -100 à 100. "
                        "Laissez vide si vous ne le connaissez pas.",
                        "A whole number from -100 to 100. Leave empty if you do not know it.",
                    ),
                    applies_when=AppliesWhen("satisfaction_indicators", ("nps",)),
                ),
                Question(
                    id="contact_reasons_analysed",
                    kind="boolean",
                    label=t(
                        "Analysez-vous les motifs de contact de vos clients ?",
                        "Do you analyse why customers contact you?",
                    ),
                ),
                Question(
                    id="verbatims_analysed",
                    kind="boolean",
                    label=t(
                        "Analysez-vous les verbatims (commentaires libres) de vos clients ?",
                        "Do you analyse your customers' verbatim comments?",
                    ),
                ),
            ),
        ),
        Section(
            id="orientation",
            title=t("Orientation client", "Customer orientation"),
            intro=t(
                "Quatre affirmations : dites à quel point elles décrivent votre entreprise. "
                "Leur moyenne donne votre score d'orientation client sur 5.",
                "Four statements: say how well they describe your company. Their mean is your "
                "customer-orientation score out of 5.",
            ),
            questions=(
                _orientation(
                    "orientation_satisfaction_goal",
                    "La satisfaction de nos clients est le premier objectif de l'entreprise.",
                    "Customer satisfaction is our company's first objective.",
                ),
                _orientation(
                    "orientation_customer_understanding",
                    "Ce qui nous distingue de nos concurrents, c'est notre connaissance fine "
                    "de nos clients.",
                    "What sets us apart from competitors is how well we understand our customers.",
                ),
                _orientation(
                    "orientation_value_creation",
                    "Nous savons ce qui apporte de la valeur à nos clients.",
                    "We know what brings value to our customers.",
                ),
                _orientation(
                    "orientation_relationship_key",
                    "La relation client est l'une des clés de notre réussite.",
                    "The customer relationship is one of the keys to our success.",
                ),
            ),
        ),
        Section(
            id="complaints",
            title=t("Réclamations", "Complaints"),
            intro=t(
                "La place des réclamations dans vos demandes, et ce que l'entreprise en fait.",
                "How many of your requests are complaints, and what the company does with them.",
            ),
            questions=(
                Question(
                    id="complaint_share",
                    kind="single",
                    label=t(
                        "Quelle part de vos demandes sont des réclamations ?",
                        "What share of your requests are complaints?",
                    ),
                    options=(
                        Option("lt_10pct", t("Moins de 10 %", "Under 10%")),
                        Option("10_30pct", t("De 10 à 30 %", "10 to 30%")),
                        Option("30_50pct", t("De 30 à 50 %", "30 to 50%")),
                        Option("50_70pct", t("De 50 à 70 %", "50 to 70%")),
                        Option("gt_70pct", t("Plus de 70 %", "Over 70%")),
                        _DONT_KNOW,
                    ),
                ),
                Question(
                    id="complaint_opportunity",
                    kind="scale",
                    minimum=1,
                    maximum=5,
                    label=t(
                        "Dans l'entreprise, chaque service voit la réclamation comme une occasion "
                        "de progresser.",
                        "Across the company, every department sees a complaint as a chance to "
                        "improve.",
                    ),
                    help=_SCALE_HELP,
                ),
            ),
        ),
        Section(
            id="organisation",
            title=t("Organisation", "Organisation"),
            intro=t(
                "Comment vos canaux, vos équipes et vos outils sont organisés.",
                "How your channels, teams and tools are organised.",
            ),
            questions=(
                Question(
                    id="channel_strategy",
                    kind="single",
                    label=t(
                        "Comment vos canaux sont-ils orchestrés ?", "How are your channels run?"
                    ),
                    help=t(
                        "Omnicanal : toutes les demandes, quel que soit le canal, sont gérées "
                        "au même endroit avec l'historique du client, et le client peut passer "
                        "d'un canal à l'autre sans se répéter.",
                        "Omnichannel: every request, whatever the channel, is handled in one "
                        "place with the customer's history, and customers can switch channels "
                        "without repeating themselves.",
                    ),
                    options=(
                        Option("single", t("Un seul canal principal", "One main channel")),
                        Option(
                            "multi_silo",
                            t(
                                "Plusieurs canaux, gérés chacun de leur côté",
                                "Several channels, each handled separately",
                            ),
                        ),
                        Option("omni", t("Omnicanal", "Omnichannel")),
                    ),
                ),
                Question(
                    id="outsourcing",
                    kind="single",
                    label=t(
                        "Externalisez-vous le traitement des demandes ?",
                        "Do you outsource request handling?",
                    ),
                    options=(
                        Option("none", t("Non", "No")),
                        Option("partial", t("En partie", "Partly")),
                        Option("total", t("En totalité", "Entirely")),
                    ),
                ),
                Question(
                    id="software",
                    kind="single",
                    label=t(
                        "Quel outil de gestion de la relation client utilisez-vous ?",
                        "Which customer-service software do you use?",
                    ),
                    options=(
                        Option("market", t("Un logiciel du marché", "Off-the-shelf software")),
                        Option("in_house", t("Un outil développé en interne", "An in-house tool")),
                        Option("none", t("Aucun outil dédié", "No dedicated tool")),
                    ),
                ),
            ),
        ),
        Section(
            id="team",
            title=t("Équipe", "Team"),
            intro=t(
                "Comment vous suivez l'engagement et la performance des conseillers.",
                "How you follow your agents' engagement and performance.",
            ),
            questions=(
                Question(
                    id="engagement_measures",
                    kind="multiple",
                    exclusive_option=NOT_MEASURED,
                    label=t(
                        "Comment mesurez-vous l'engagement des conseillers ?",
                        "How do you measure your agents' engagement?",
                    ),
                    help=t(
                        "eNPS : la probabilité qu'un salarié recommande l'entreprise comme "
                        "employeur.",
                        "eNPS: how likely an employee is to recommend the company as an employer.",
                    ),
                    options=(
                        Option(
                            "satisfaction_survey",
                            t(
                                "Enquête de satisfaction des salariés",
                                "Employee satisfaction survey",
                            ),
                        ),
                        Option("enps", t("eNPS", "eNPS")),
                        Option(
                            "online_verbatims",
                            t(
                                "Verbatims d'un questionnaire en ligne",
                                "Comments from an online survey",
                            ),
                        ),
                        Option(
                            "interview_verbatims",
                            t("Verbatims d'entretiens", "Comments from interviews"),
                        ),
                        Option(NOT_MEASURED, t("Nous ne la mesurons pas", "We do not measure it")),
                    ),
                ),
                Question(
                    id="agent_kpis",
                    kind="multiple",
                    required=False,
                    label=t(
                        "Quels indicateurs utilisez-vous pour piloter les conseillers ?",
                        "Which indicators do you use to steer your agents?",
                    ),
                    help=t(
                        "Double écoute : un manager écoute des appels avec le conseiller pour "
                        "l'aider à progresser. Laissez vide si vous n'en utilisez aucun.",
                        "Double listening: a manager listens to calls with the agent to coach "
                        "them. Leave empty if you use none.",
                    ),
                    options=(
                        Option(
                            "customer_satisfaction",
                            t("Satisfaction client", "Customer satisfaction"),
                        ),
                        Option(
                            "requests_per_day",
                            t("Demandes traitées par jour", "Requests handled per day"),
                        ),
                        Option("upsell", t("Vente additionnelle", "Upselling")),
                        Option(
                            "repeat_contact_rate",
                            t("Taux de réitération des demandes", "Repeat-contact rate"),
                        ),
                        Option("double_listening", t("Double écoute", "Double listening")),
                        Option(
                            "aht", t("DMT (durée moyenne de traitement)", "AHT (handling time)")
                        ),
                        Option(
                            "customer_verbatims",
                            t("Analyse des verbatims clients", "Customer verbatim analysis"),
                        ),
                    ),
                ),
            ),
        ),
    )
)


def answer_label(question: Question, value: object) -> LocalizedText:
    """An answer as the user saw it: the option's label, Yes/No, "Don't know", "3 out of 5"."""
    if value is None:
        return t("Sans réponse", "No answer")
    if isinstance(value, bool):
        return t("Oui", "Yes") if value else t("Non", "No")
    if value == DONT_KNOW:
        return t("Je ne sais pas", "Don't know")
    if question.kind in ("single", "multiple") and isinstance(value, str):
        return question.option(value).label
    if isinstance(value, tuple):
        labels = [question.option(v).label for v in value]
        return t(
            ", ".join(x.fr for x in labels) or "aucune", ", ".join(x.en for x in labels) or "none"
        )
    if question.kind == "scale":
        return t(f"{value} sur {question.maximum}", f"{value} out of {question.maximum}")
    if question.kind == "percent":
        return t(f"{value} %", f"{value}%")
    return t(str(value), str(value))


@dataclass(frozen=True)
class FormStep:
    """One page of the online questionnaire."""

    id: str
    title: LocalizedText
    intro: LocalizedText
    questions: tuple[Question, ...]


def _form_steps() -> tuple[FormStep, ...]:
    """The report's sections, one page each, except that the channels section is split in two
    so that, without JavaScript too, a delay is asked only for a channel the company opens."""
    steps: list[FormStep] = []
    for section in QUESTIONNAIRE.sections:
        if section.id != "channels":
            steps.append(FormStep(section.id, section.title, section.intro, section.questions))
            continue
        steps.append(
            FormStep(
                "channels",
                t("Vos canaux", "Your channels"),
                t(
                    "Les canaux par lesquels vos clients peuvent vous joindre.",
                    "The channels through which customers can reach you.",
                ),
                tuple(q for q in section.questions if q.applies_when is None),
            )
        )
        steps.append(
            FormStep(
                "delays",
                t("Délais de réponse", "Response times"),
                section.intro,
                tuple(q for q in section.questions if q.applies_when is not None),
            )
        )
    return tuple(steps)


FORM_STEPS: Final = _form_steps()
