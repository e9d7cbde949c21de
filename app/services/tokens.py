"""Capability tokens: 128 random bits, URL-safe; the database stores only their digest, so a
copy of the database gives no access and a token cannot be guessed or enumerated."""

from __future__ import annotations

import hashlib
import secrets

TOKEN_BYTES = 16  # 128 bits


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def plausible(token: str) -> bool:
    """Cheap shape check before any database look-up (same answer for every bad token)."""
    return 16 <= len(token) <= 64 and all(c.isalnum() or c in "-_" for c in token)
