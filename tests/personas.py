"""Companies written from the report's description of each cluster (chapter 03, "Zoom sur les
3 niveaux de maturité"). Each is a full, valid answer set; the comments say which part of the
description it follows. They are test data, not model inputs: they were written from the text,
not from the stored profiles."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app.core.vocabulary import Cluster

_COMMON: dict[str, Any] = {
    "business_model": "b2c",
    "selfcare": False,
    "contact_reasons_analysed": True,
    "verbatims_analysed": False,
    "orientation_satisfaction_goal": 4,
    "orientation_customer_understanding": 4,
    "orientation_value_creation": 4,
    "orientation_relationship_key": 4,
    "complaint_share": "30_50pct",
    "complaint_opportunity": 4,
    "channel_strategy": "multi_silo",
    "outsourcing": "none",
    "software": "market",
    "engagement_measures": ["satisfaction_survey"],
    "agent_kpis": ["customer_satisfaction"],
}

_CLOSED = {f"{c}_open": False for c in ("phone", "email", "mail", "chat", "social", "whatsapp")}


def _company(**answers: Any) -> dict[str, Any]:
    full: dict[str, Any] = {**_COMMON, **_CLOSED, **answers}
    if full.get("phone_open"):
        full.setdefault("phone_fcr", 70)
    if full.get("email_open"):
        full.setdefault("email_fcr", 69)
    if full["satisfaction_measured"] != "never":
        full.setdefault("satisfaction_indicators", ["nps"])
    return full


@dataclass(frozen=True)
class Persona:
    name: str
    answers: dict[str, Any]


PERSONAS: dict[Cluster, list[Persona]] = {
    "basiques": [
        Persona(
            # "principalement par email et formulaire de contact", few channels, delays
            # "hors des standards de performance", single channel (63%), small volume
            "small online shop answering by email only, slowly",
            _company(
                sector="other",
                headcount="lt_200",
                monthly_volume="lt_1k",
                email_open=True,
                email_delay="gt_72h",
                email_aht="gt_1h",
                satisfaction_measured="never",
                channel_strategy="single",
            ),
        ),
        Persona(
            # email first, the phone "dans une moindre mesure", no phone handling under 10 min,
            # satisfaction measured (78% of basiques do), total outsourcing (43%)
            "email-first insurer's claims desk with a slow phone line, outsourced",
            _company(
                sector="banking_insurance",
                headcount="200_to_999",
                monthly_volume="1k_to_8k",
                email_open=True,
                email_delay="24_72h",
                email_aht="gt_1h",
                phone_open=True,
                phone_delay="gt_5min",
                phone_aht="gt_10min",
                satisfaction_measured="systematic",
                outsourcing="total",
            ),
        ),
        Persona(
            # cold channels (email, postal mail), "certains basiques s'essaient ... au chat",
            # limited performance whatever the channel
            "public body on email, post and a trial chat, all slow",
            _company(
                sector="public_sector",
                headcount="lt_200",
                monthly_volume="lt_1k",
                email_open=True,
                email_delay="gt_72h",
                email_aht="10_60min",
                mail_open=True,
                mail_delay="gt_7d",
                chat_open=True,
                chat_delay="gt_30min",
                satisfaction_measured="sometimes",
                channel_strategy="single",
            ),
        ),
    ],
    "classiques": [
        Persona(
            # "investissent majoritairement les canaux email et téléphone", very good delays on
            # both, handling times between basiques and polyvalents, satisfaction not always
            # measured (29% do not)
            "retailer's phone-and-email team, quick to answer",
            _company(
                sector="retail_consumer_goods",
                headcount="200_to_999",
                monthly_volume="1k_to_8k",
                phone_open=True,
                phone_delay="lt_2min",
                phone_aht="5_10min",
                email_open=True,
                email_delay="lt_24h",
                email_aht="10_60min",
                satisfaction_measured="sometimes",
                outsourcing="partial",
                software="in_house",
            ),
        ),
        Persona(
            # the same two channels plus "plus d'un tiers ... réseaux sociaux" answered within
            # the hour (42%), no satisfaction measurement
            "consumer brand on phone, email and social media, no satisfaction survey",
            _company(
                sector="retail_consumer_goods",
                headcount="lt_200",
                monthly_volume="1k_to_8k",
                phone_open=True,
                phone_delay="lt_2min",
                phone_aht="5_10min",
                email_open=True,
                email_delay="lt_24h",
                email_aht="10_60min",
                social_open=True,
                social_delay="lt_1h",
                satisfaction_measured="never",
                outsourcing="total",
            ),
        ),
        Persona(
            # phone-centred ("privilégient davantage le téléphone"), fast pick-up, handling
            # times better than basiques' but not the polyvalents' best, satisfaction
            # measured, no digital channel
            "energy supplier's phone-centred service",
            _company(
                sector="industry_energy_telecom",
                headcount="ge_1000",
                monthly_volume="8k_to_50k",
                phone_open=True,
                phone_delay="lt_2min",
                phone_aht="5_10min",
                email_open=True,
                email_delay="24_72h",
                email_aht="10_60min",
                satisfaction_measured="systematic",
            ),
        ),
    ],
    "polyvalents": [
        Persona(
            # present on hot and cold channels, better delays and handling times "sur
            # quasiment tous les canaux", satisfaction measured systematically, large volumes
            "bank with every channel open and fast",
            _company(
                sector="banking_insurance",
                headcount="ge_1000",
                monthly_volume="gt_50k",
                phone_open=True,
                phone_delay="lt_2min",
                phone_aht="lt_5min",
                email_open=True,
                email_delay="lt_24h",
                email_aht="lt_10min",
                mail_open=True,
                mail_delay="lt_72h",
                chat_open=True,
                chat_delay="lt_5min",
                social_open=True,
                social_delay="lt_1h",
                satisfaction_measured="systematic",
                outsourcing="partial",
                selfcare=True,
            ),
        ),
        Persona(
            # conversational: chat (near one in two), social (62%), WhatsApp (15%), no post
            "travel company on chat, social media and WhatsApp",
            _company(
                sector="transport_tourism",
                headcount="200_to_999",
                monthly_volume="8k_to_50k",
                phone_open=True,
                phone_delay="lt_2min",
                phone_aht="5_10min",
                email_open=True,
                email_delay="lt_24h",
                email_aht="10_60min",
                chat_open=True,
                chat_delay="lt_5min",
                social_open=True,
                social_delay="lt_1h",
                whatsapp_open=True,
                whatsapp_delay="lt_5min",
                satisfaction_measured="systematic",
            ),
        ),
        Persona(
            # "même s'il est possible d'être polyvalent quelle que soit sa taille": a small
            # company present on phone, email, post and social media with good delays
            "small insurer, many channels, good but not perfect delays",
            _company(
                sector="banking_insurance",
                headcount="lt_200",
                monthly_volume="1k_to_8k",
                phone_open=True,
                phone_delay="lt_2min",
                phone_aht="lt_5min",
                email_open=True,
                email_delay="lt_24h",
                email_aht="10_60min",
                mail_open=True,
                mail_delay="3_7d",
                social_open=True,
                social_delay="1_24h",
                satisfaction_measured="systematic",
            ),
        ),
    ],
}


FIVE_CHANNEL_BANK: dict[str, Any] = {
    # a reviewer's profile: five channels open, middling delays; with its phone handling time
    # not measured, that one answer decides its level
    "sector": "banking_insurance",
    "business_model": "b2c",
    "headcount": "200_to_999",
    "monthly_volume": "8k_to_50k",
    **{f"{c}_open": True for c in ("phone", "email", "mail", "chat", "social")},
    "whatsapp_open": False,
    "selfcare": True,
    "phone_delay": "2_5min",
    "email_delay": "24_72h",
    "mail_delay": "3_7d",
    "chat_delay": "5_30min",
    "social_delay": "1_24h",
    "phone_aht": "5_10min",
    "email_aht": "10_60min",
    "phone_fcr": 70,
    "email_fcr": 55,
    "satisfaction_measured": "sometimes",
    "satisfaction_indicators": ["csat"],
    "contact_reasons_analysed": True,
    "verbatims_analysed": False,
    "orientation_satisfaction_goal": 3,
    "orientation_customer_understanding": 4,
    "orientation_value_creation": 3,
    "orientation_relationship_key": 4,
    "complaint_share": "10_30pct",
    "complaint_opportunity": 3,
    "channel_strategy": "multi_silo",
    "outsourcing": "partial",
    "software": "market",
    "engagement_measures": ["satisfaction_survey"],
    "agent_kpis": ["requests_per_day", "aht"],
}


BEST_EVERYWHERE: dict[str, Any] = {
    "sector": "industry_energy_telecom",
    "business_model": "b2b2c",
    "headcount": "ge_1000",
    "monthly_volume": "gt_50k",
    **{f"{c}_open": True for c in ("phone", "email", "mail", "chat", "social", "whatsapp")},
    "selfcare": True,
    "phone_delay": "lt_2min",
    "email_delay": "lt_24h",
    "mail_delay": "lt_72h",
    "chat_delay": "lt_5min",
    "social_delay": "lt_1h",
    "whatsapp_delay": "lt_5min",
    "phone_aht": "lt_5min",
    "email_aht": "lt_10min",
    "phone_fcr": 85,
    "email_fcr": 80,
    "satisfaction_measured": "systematic",
    "satisfaction_indicators": ["nps", "csat", "ces"],
    "nps_value": 45,
    "contact_reasons_analysed": True,
    "verbatims_analysed": True,
    "orientation_satisfaction_goal": 5,
    "orientation_customer_understanding": 5,
    "orientation_value_creation": 5,
    "orientation_relationship_key": 5,
    "complaint_share": "lt_10pct",
    "complaint_opportunity": 5,
    "channel_strategy": "omni",
    "outsourcing": "partial",
    "software": "market",
    "engagement_measures": ["enps", "satisfaction_survey", "interview_verbatims"],
    "agent_kpis": ["customer_satisfaction", "repeat_contact_rate", "double_listening"],
}
"""The review's P3: the best answer everywhere, at the top with no move left to suggest."""
