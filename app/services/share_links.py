"""The share link as seen from the private (manage) link.

Only the share token's digest is stored, so the token drawn when the assessment was completed
cannot be shown again. The manage page shows instead a share token derived from the manage
secret (an HMAC: it reveals nothing of the secret, and is as hard to guess as a drawn token)
once its holder has asked for it: that replaces the stored share digest, so the share link
drawn at completion stops working, which the page says before.
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
