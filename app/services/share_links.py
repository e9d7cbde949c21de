"""The share link as seen from the private (manage) link.

Only the share token's digest is stored. Since this module exists, an assessment's share token
is derived from its manage secret when it is stored (an HMAC: it reveals nothing of the secret
and is as hard to guess as a drawn token), so the manage page can always show it. An assessment
stored before that had its share token drawn apart, which cannot be shown again: its holder may
ask for the derived one, which then replaces it (the older share link stops working, as the
page says before). A derived link cannot be changed for another; an owner who wants a shared
link to stop working deletes the assessment.
"""

from __future__ import annotations

import base64
import hashlib
import hmac

from sqlmodel import Session

from app.services.tokens import TOKEN_BYTES, digest
from app.storage.tables import Assessment

_PURPOSE = b"csmb share link v1"


def derived_share_token(manage_secret: str) -> str:
    """The share token that belongs to this manage secret: 128 bits, URL-safe."""
    mac = hmac.new(manage_secret.encode("utf-8"), _PURPOSE, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac[:TOKEN_BYTES]).rstrip(b"=").decode("ascii")


def share_token_of(assessment: Assessment, manage_secret: str) -> str | None:
    """The assessment's share token, if it is the one derived from ``manage_secret``."""
    token = derived_share_token(manage_secret)
    return token if hmac.compare_digest(digest(token), assessment.share_hash) else None


def issue_share_token(session: Session, assessment: Assessment, manage_secret: str) -> str:
    """Makes the derived token the assessment's share token (the previous share link stops
    working); asking again changes nothing."""
    token = derived_share_token(manage_secret)
    if not hmac.compare_digest(digest(token), assessment.share_hash):
        assessment.share_hash = digest(token)
        session.add(assessment)
        session.commit()
    return token
