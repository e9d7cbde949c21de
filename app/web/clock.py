"""Times shown to users: French local time (the product serves the French market)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")
