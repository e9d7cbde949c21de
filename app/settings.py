"""The one settings class: every knob comes from the environment (prefix CSMB_)."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Literal

from pydantic_settings import BaseSettings, SettingsConfigDict

from app.reference.loader import DEFAULT_DIR


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CSMB_", env_file=".env", extra="ignore")

    reference_data_dir: Path = DEFAULT_DIR
    """Folder of the reference YAML files (edition 2022)."""
    default_locale: Literal["fr", "en"] = "fr"
    """Language when neither the user's choice nor Accept-Language says otherwise."""
    locale_cookie: str = "lang"
    database_url: str = "sqlite:///data/app.db"
    """SQLite file (created with its folder) by default; postgresql+psycopg://... for hosting."""
    draft_cookie: str = "draft"
    anonymous_api_rate_per_minute: int = 60
    """API calls a minute allowed per client address without a partner key."""
    api_max_body_bytes: int = 65_536
    """Largest request body the API reads (413 above): an answer set takes 1-2 KB."""
    secure_cookies: bool = False
    """Set true behind HTTPS so cookies carry the Secure flag."""
    opentelemetry: bool = False
    """FastAPI's own OpenTelemetry traces, metrics and logs (FastAPI 0.16x), for a deployment
    that configures an OpenTelemetry SDK and exporter. Off, FastAPI does not look for a
    configured provider on every request (about 7 µs a request, 3-4% of a score call)."""


@cache
def get_settings() -> Settings:
    return Settings()
