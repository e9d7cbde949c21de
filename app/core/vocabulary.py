"""Stable identifiers shared by the questionnaire, the reference data and the model.

These strings are part of the public contract (API payloads, stored answers, CSV columns):
never rename one, add a new one instead.
"""

from __future__ import annotations

from typing import Final, Literal, get_args

Cluster = Literal["basiques", "classiques", "polyvalents"]
CLUSTERS: Final[tuple[Cluster, ...]] = get_args(Cluster)
"""Ordered from the least to the most mature: the order the report reads them in."""

Channel = Literal["phone", "email", "mail", "chat", "social", "whatsapp"]
CHANNELS: Final[tuple[Channel, ...]] = get_args(Channel)

Sector = Literal[
    "banking_insurance",
    "retail_consumer_goods",
    "transport_tourism",
    "industry_energy_telecom",
    "public_sector",
    "other",
]
SECTORS: Final[tuple[Sector, ...]] = get_args(Sector)

BenchmarkedSector = Literal[
    "banking_insurance",
    "retail_consumer_goods",
    "transport_tourism",
    "industry_energy_telecom",
]
BENCHMARKED_SECTORS: Final[tuple[BenchmarkedSector, ...]] = get_args(BenchmarkedSector)

Locale = Literal["fr", "en"]
LOCALES: Final[tuple[Locale, ...]] = get_args(Locale)

NOT_MEASURED: Final = "not_measured"
DONT_KNOW: Final = "dont_know"

# Response-delay buckets per channel, fastest first. Each list contains the report's threshold
# for that channel as a bucket boundary (chapter 02, "Les délais de réponse des entreprises").
DELAY_BUCKETS: Final[dict[Channel, tuple[str, ...]]] = {
    "phone": ("lt_2min", "2_5min", "gt_5min"),
    "email": ("lt_24h", "24_72h", "gt_72h"),
    "mail": ("lt_72h", "3_7d", "gt_7d"),
    "chat": ("lt_5min", "5_30min", "gt_30min"),
    "social": ("lt_1h", "1_24h", "gt_24h"),
    "whatsapp": ("lt_5min", "5_60min", "gt_1h"),
}

# Handling-time (DMT/AHT) buckets, fastest first (chapter 02, "Focus sur le téléphone / l'email").
AHT_CHANNELS: Final[tuple[Channel, ...]] = ("phone", "email")
AHT_BUCKETS: Final[dict[Channel, tuple[str, ...]]] = {
    "phone": ("lt_5min", "5_10min", "gt_10min"),
    "email": ("lt_10min", "10_60min", "gt_1h"),
}
