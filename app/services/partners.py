"""Partner keys (created and revoked by an administrator) and the per-key rate limit."""

from __future__ import annotations

import re
import secrets
import time
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from sqlmodel import Session, col, select

from app.services.tokens import digest
from app.storage.tables import PartnerKey, now


def embed_snippet(prefix: str, host: str = "https://BENCHMARK-HOST", lang: str = "fr") -> str:
    """The HTML a partner pastes to show the questionnaire in its page: the frame, and a few
    lines that let it grow with the questionnaire (the framed page reports its height, see
    app/static/js/embed.js; without them the frame keeps its first height and scrolls)."""
    title = _FRAME_TITLES.get(lang, _FRAME_TITLES["fr"])
    return (
        f'<iframe id="csmb-benchmark" src="{host}/embed/{prefix}?lang={lang}"\n'
        f'        title="{title}"\n'
        '        style="width:100%;height:900px;border:0" loading="lazy"></iframe>\n'
        "<script>\n"
        '  addEventListener("message", function (event) {\n'
        '    var frame = document.getElementById("csmb-benchmark");\n'
        f'    if (event.origin === "{host}" && event.source === frame.contentWindow &&\n'
        '        event.data && event.data.type === "csmb:height") {\n'
        '      frame.style.height = Math.max(200, Number(event.data.height) || 0) + "px";\n'
        "    }\n"
        "  });\n"
        "</script>"
    )


_FRAME_TITLES = {
    # what a screen reader announces for the frame, in the questionnaire's language
    "fr": "Baromètre de maturité du service client",
    "en": "Customer-service maturity benchmark",
}


class InvalidOrigin(ValueError):
    """An allowed origin must be scheme://host[:port], nothing else."""


_HOST = re.compile(r"[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*")
_DEFAULT_PORTS = {"http": 80, "https": 443}


def normalise_origin(origin: str) -> str:
    """``scheme://host[:port]`` as a browser sends it in Origin (lower case, no default port).
    Anything else is refused: the value goes into CORS and CSP headers, where a space, a
    semicolon or a wildcard would widen what the partner is allowed."""
    try:
        parts = urlsplit(origin.strip())
        port = parts.port
    except ValueError:
        raise InvalidOrigin(origin) from None
    host = parts.hostname or ""
    if (
        parts.scheme not in _DEFAULT_PORTS
        or parts.path not in ("", "/")
        or parts.query
        or parts.fragment
        or parts.username is not None
        or not _HOST.fullmatch(host)
        or (port is not None and not 1 <= port <= 65535)
    ):
        raise InvalidOrigin(origin)
    if port is None or port == _DEFAULT_PORTS[parts.scheme]:
        return f"{parts.scheme}://{host}"
    return f"{parts.scheme}://{host}:{port}"


def safe_origins(origins: Iterable[str]) -> list[str]:
    """Stored origins that are still in normalised form, sorted: what may go into a CSP or a
    page. Rows were normalised on the way in; checked again so that a row written by other
    means cannot add a source, a directive or markup."""
    return sorted(o for o in origins if is_origin(o))


def is_origin(origin: str) -> bool:
    """Already in the form ``normalise_origin`` gives."""
    try:
        return normalise_origin(origin) == origin
    except InvalidOrigin:
        return False


@dataclass(frozen=True)
class NewKey:
    record: PartnerKey
    key: str
    """Shown once to the administrator; only its digest is stored."""


def create(session: Session, name: str, origins: list[str], rate_per_minute: int = 600) -> NewKey:
    if rate_per_minute < 1:
        raise ValueError(f"a key's rate is at least 1 call a minute, not {rate_per_minute}")
    prefix = secrets.token_hex(4)
    key = f"csmb_{prefix}_{secrets.token_urlsafe(24)}"
    record = PartnerKey(
        name=name.strip()[:120] or prefix,
        prefix=prefix,
        key_hash=digest(key),
        origins=sorted({normalise_origin(o) for o in origins}),
        rate_per_minute=rate_per_minute,
    )
    session.add(record)
    session.commit()
    session.refresh(record)
    return NewKey(record, key)


def revoke(session: Session, prefix: str) -> PartnerKey | None:
    record = session.exec(select(PartnerKey).where(col(PartnerKey.prefix) == prefix)).first()
    if record is None:
        return None
    record.revoked_at = now()
    session.add(record)
    session.commit()
    return record


def listing(session: Session) -> list[PartnerKey]:
    return list(session.exec(select(PartnerKey).order_by(col(PartnerKey.created_at))).all())


def by_key(session: Session, key: str) -> PartnerKey | None:
    """The active key with this value (a revoked or unknown key gives None)."""
    if not key.startswith("csmb_") or len(key) > 100:
        return None
    record = session.exec(select(PartnerKey).where(col(PartnerKey.key_hash) == digest(key))).first()
    if record is None or record.revoked_at is not None:
        return None
    return record


def all_origins(session: Session) -> set[str]:
    """Every origin some active key allows (a browser's preflight carries no key)."""
    rows = session.exec(select(PartnerKey).where(col(PartnerKey.revoked_at).is_(None))).all()
    return {origin for row in rows for origin in row.origins}


class RateLimiter:
    """A token bucket per caller, in this process's memory: ``rate`` calls a minute with
    bursts up to the same number. With several server processes each keeps its own buckets,
    so the effective limit is at most ``rate`` times the number of processes.

    Called from the event loop only (``ApiGateMiddleware``), so without a lock. A bucket left
    alone for a minute is full again, the same as no bucket: those are dropped when the table
    has doubled since it was last pruned (``prune_above`` entries at first), so that a stream
    of new addresses cannot grow it for ever, nor make every call scan it."""

    REFILL_SECONDS = 60.0
    """From empty to full: the rate is per minute and so is the burst."""

    def __init__(self, prune_above: int = 10_000) -> None:
        self._buckets: dict[str, tuple[float, float]] = {}
        """caller: (tokens, time of its last call)"""
        self._minimum = self._prune_above = prune_above

    def take(self, caller: str, rate_per_minute: int) -> float:
        """0 when the call may go ahead; otherwise the seconds to wait."""
        return self.take_counted(caller, rate_per_minute)[0]

    def take_counted(self, caller: str, rate_per_minute: int) -> tuple[float, float]:
        """``take``, and the tokens left after this call (what RateLimit-Remaining reports)."""
        per_second = rate_per_minute / 60.0
        moment = time.monotonic()
        full = float(rate_per_minute)
        bucket = self._buckets.get(caller)
        if bucket is None:
            if len(self._buckets) >= self._prune_above:
                self._prune(moment)
            tokens = full
        else:
            tokens = min(full, bucket[0] + (moment - bucket[1]) * per_second)
        if tokens >= 1.0:
            self._buckets[caller] = (tokens - 1.0, moment)
            return 0.0, tokens - 1.0
        self._buckets[caller] = (tokens, moment)
        return (1.0 - tokens) / per_second, tokens

    def _prune(self, moment: float) -> None:
        self._buckets = {
            caller: bucket
            for caller, bucket in self._buckets.items()
            if moment - bucket[1] < self.REFILL_SECONDS
        }
        self._prune_above = max(self._minimum, 2 * len(self._buckets))

    def __len__(self) -> int:
        return len(self._buckets)


def by_prefix(session: Session, prefix: str) -> PartnerKey | None:
    """The active key with this public prefix: how an embedding partner is named in URLs (the
    prefix reveals nothing of the key itself)."""
    if not (1 <= len(prefix) <= 12) or not prefix.isalnum():
        return None
    record = session.exec(select(PartnerKey).where(col(PartnerKey.prefix) == prefix)).first()
    if record is None or record.revoked_at is not None:
        return None
    return record
