"""What an Idempotency-Key keeps: which answers it was used for and, sealed, the share token
of the assessment they stored; never the manage secret.

The share token is kept only sealed under the caller's own key: the record's id is a digest of
the caller and its Idempotency-Key, and the seal a different digest of the same, so a copy of
the database does not hold a single share link in clear (as for the assessments themselves)
while a retry, which brings the key again, opens it."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime, timedelta

from sqlmodel import Session, col, delete

from app.storage.tables import IdempotentRequest

WINDOW = timedelta(hours=24)
"""How long a key answers its retries; older records are dropped."""


def _material(owner: str, key: str) -> bytes:
    # a JSON list, not "owner:key": an address with colons (IPv6) cannot run into the key
    return json.dumps([owner, key]).encode("utf-8")


def record_id(owner: str, key: str) -> str:
    return hashlib.sha256(b"csmb idempotency record\0" + _material(owner, key)).hexdigest()


def _pad(owner: str, key: str) -> bytes:
    return hashlib.sha256(b"csmb idempotency seal\0" + _material(owner, key)).digest()


def seal(share_token: str, owner: str, key: str) -> str:
    data = share_token.encode("ascii")
    if len(data) > 32:
        raise ValueError("a share token is at most 32 bytes")
    return bytes(a ^ b for a, b in zip(data, _pad(owner, key), strict=False)).hex()


def unseal(sealed: str, owner: str, key: str) -> str | None:
    try:
        data = bytes.fromhex(sealed)
        return bytes(a ^ b for a, b in zip(data, _pad(owner, key), strict=False)).decode("ascii")
    except (ValueError, UnicodeDecodeError):
        return None


def record(
    record_key: str, body_hash: str, share_token: str, owner: str, key: str
) -> IdempotentRequest:
    return IdempotentRequest(
        key_hash=record_key,
        body_hash=body_hash,
        status=201,
        response={"sealed_share": seal(share_token, owner, key)},
    )


def share_token_of(previous: IdempotentRequest, owner: str, key: str) -> str | None:
    sealed = previous.response.get("sealed_share")
    if isinstance(sealed, str):
        return unseal(sealed, owner, key)
    clear = previous.response.get("share_token")  # a record kept before sealing
    return clear if isinstance(clear, str) else None


def previous(session: Session, record_key: str) -> IdempotentRequest | None:
    """The key's record within the window; expired ones, this key's and any other, go."""
    cutoff = datetime.now(UTC) - WINDOW
    found = session.get(IdempotentRequest, record_key)
    if found is not None and _aware(found.created_at) < cutoff:
        found = None
    stale = delete(IdempotentRequest).where(col(IdempotentRequest.created_at) < cutoff)
    if session.exec(stale).rowcount:
        session.commit()
    return found


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
