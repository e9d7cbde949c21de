"""Typed reference figures: all respondents, each maturity cluster, each benchmarked sector.

The YAML files in reference_data/ are loaded into these models at start-up, so a missing,
misspelt or out-of-range figure stops the app before any page is served. Where the report
gives no figure, the field is present and null: "the report gives no figure" is information
the result page shows, not a gap in our data.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, model_validator

from app.core.figures import Figure, ThresholdFigure
from app.core.text import LocalizedText
from app.core.vocabulary import AHT_BUCKETS, DELAY_BUCKETS, BenchmarkedSector, Cluster

Edition = Literal["2022"]

EngagementMethod = Literal["satisfaction_survey", "enps", "online_verbatims", "interview_verbatims"]
AgentKpi = Literal[
    "customer_satisfaction",
    "requests_per_day",
    "upsell",
    "repeat_contact_rate",
    "double_listening",
    "aht",
    "customer_verbatims",
]


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ChannelFigures(_Strict):
    """Share of companies that use each channel; null where the report gives no figure."""

    phone: Figure | None
    email: Figure | None
    mail: Figure | None
    chat: Figure | None
    social: Figure | None
    whatsapp: Figure | None


class DelayFigures(_Strict):
    """Share answering within a threshold on each channel (``bucket`` or faster)."""

    phone: ThresholdFigure | None
    email: ThresholdFigure | None
    mail: ThresholdFigure | None
    chat: ThresholdFigure | None
    social: ThresholdFigure | None
    whatsapp: ThresholdFigure | None

    @model_validator(mode="after")
    def _buckets_exist(self) -> DelayFigures:
        for channel, buckets in DELAY_BUCKETS.items():
            figure = getattr(self, channel)
            if figure is not None and figure.bucket not in buckets:
                raise ValueError(f"{channel}: unknown delay bucket {figure.bucket!r}")
        return self


class AhtFigures(_Strict):
    """Share of companies whose handling time (DMT/AHT) is ``bucket`` or faster, per channel.

    ``phone``/``email`` list the thresholds the source prints (e.g. 32% < 5 min, 84% < 10 min).
    """

    phone: tuple[ThresholdFigure, ...] = ()
    email: tuple[ThresholdFigure, ...] = ()

    @model_validator(mode="after")
    def _buckets_exist(self) -> AhtFigures:
        for channel in ("phone", "email"):
            for figure in getattr(self, channel):
                if figure.bucket not in AHT_BUCKETS[channel]:
                    raise ValueError(f"{channel}: unknown handling-time bucket {figure.bucket!r}")
        return self


class OutsourcingFigures(_Strict):
    none: Figure | None
    partial: Figure | None
    total: Figure | None
    any: Figure | None
    """Partial or total."""


class ChannelStrategyFigures(_Strict):
    single: Figure | None
    multi_silo: Figure | None
    omni: Figure | None


class SoftwareFigures(_Strict):
    market: Figure | None
    in_house: Figure | None
    none: Figure | None


class VolumeFigures(_Strict):
    """Monthly request volume."""

    under_1000: Figure | None
    under_8000: Figure | None
    between_1000_8000: Figure | None
    over_8000: Figure | None
    over_50000: Figure | None


class HeadcountFigures(_Strict):
    under_200: Figure | None
    under_1000: Figure | None
    over_1000: Figure | None


class AllRespondents(_Strict):
    """Chapter 02 key figures and the all-respondent figures of chapters 03-05 and 07."""

    edition: Edition
    respondents: Figure
    channel_use: ChannelFigures
    delays: DelayFigures
    aht: AhtFigures
    fcr_phone: Figure
    fcr_email: Figure
    nps_average: Figure
    nps_usage: Figure
    satisfaction_measured: Figure
    selfcare: Figure | None
    omnichannel: Figure
    complaint_share_over_70: Figure
    complaint_opportunity: Figure
    orientation_score: Figure
    crm_software: Figure
    outsourcing: OutsourcingFigures
    engagement_measured: Figure
    engagement_methods: dict[EngagementMethod, Figure]
    agent_kpis: dict[AgentKpi, Figure]
    business_model: dict[Literal["b2b", "b2c", "b2b2c"], Figure]
    headcount: HeadcountFigures


class ClusterFigures(_Strict):
    """One maturity cluster, chapter 03 (and 04-05 where they break figures down by cluster)."""

    cluster: Cluster
    name: LocalizedText
    tagline: LocalizedText
    """One line in our own words (the report's section subtitle, paraphrased)."""
    description: LocalizedText
    """What characterises the cluster, in our own words, for the result page."""
    share: Figure
    channel_use: ChannelFigures
    delays: DelayFigures
    aht: AhtFigures
    fcr_phone: Figure | None
    fcr_email: Figure | None
    satisfaction_measured: Figure
    indicator_combination: Figure | None
    """Share using more than one satisfaction indicator."""
    contact_reasons_analysed: Figure | None
    selfcare: Figure | None
    outsourcing: OutsourcingFigures
    channel_strategy: ChannelStrategyFigures
    software: SoftwareFigures
    volume: VolumeFigures
    headcount: HeadcountFigures
    orientation_score: Figure
    relationship_key_statement: Figure | None
    """Mean agreement (1-5) with "the customer relationship is a key success factor"."""
    complaint_opportunity: Figure
    engagement_methods: dict[EngagementMethod, Figure]
    agent_kpis: dict[AgentKpi, Figure]


class SectorBenchmark(_Strict):
    """One of the four benchmarked sectors, chapter 06: its "Pour se comparer" box and its text."""

    sector: BenchmarkedSector
    name: LocalizedText
    summary: LocalizedText
    """The sector in a sentence or two, in our own words."""
    email_aht_under_10min: Figure | None
    """The box prints "ont une DMT > 10 min par email", but the figures only make sense as the
    share UNDER 10 minutes: retail's 48% is the highest of the four, and the retail text calls
    it the best sector on email handling time, "1 entreprise sur 2" under 10 minutes. The
    product reads them as shares under 10 minutes (reference_data/METHODOLOGY.md)."""
    phone_aht_under_10min: Figure | None
    fcr_email: Figure | None
    fcr_phone: Figure | None
    nps: Figure | None
    omnichannel: Figure | None
    complaint_opportunity: Figure | None
    selfcare: Figure | None
    complaint_share: Figure | None
    """Share of requests that are complaints (a mean share, not a share of companies)."""
    volume: VolumeFigures
    outsourcing: OutsourcingFigures
    channel_strategy: ChannelStrategyFigures
    agent_kpis: dict[AgentKpi, Figure]


class Benchmarks(_Strict):
    """Everything the comparisons read."""

    edition: Edition
    all_respondents: AllRespondents
    clusters: dict[Cluster, ClusterFigures]
    sectors: dict[BenchmarkedSector, SectorBenchmark]

    @model_validator(mode="after")
    def _complete(self) -> Benchmarks:
        if set(self.clusters) != {"basiques", "classiques", "polyvalents"}:
            raise ValueError("the three clusters must all be described")
        for key, cluster in self.clusters.items():
            if cluster.cluster != key:
                raise ValueError(f"cluster {key} is filed as {cluster.cluster}")
        for sector_key, sector in self.sectors.items():
            if sector.sector != sector_key:
                raise ValueError(f"sector {sector_key} is filed as {sector.sector}")
        if len(self.sectors) != 4:
            raise ValueError("the four benchmarked sectors must all be present")
        return self
