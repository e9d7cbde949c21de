"""The share link as seen from the private (manage) link.

Only the share token's digest is stored. Since this module exists, an assessment's share token
is derived from its manage secret when it is stored (an HMAC: it reveals nothing of the secret
and is as hard to guess as a drawn token), so the manage page can always show it. An assessment
stored before that had its share token drawn apart, which cannot be shown again: its holder may
ask for the derived one, which then replaces it (the older share link stops working, as the
page says before). A derived link cannot be changed for another; an owner who wants a shared
link to stop working deletes the assessment.

The consultant of the workspace an assessment was made in has a share link of its own (the
client's is not known to the server), derived the same way from the dashboard secret and the
assessment's public id, and kept beside the client's: one can stop without the other.
"""

from __future__ import annotations

import base64
import hashlib
import hmac

from sqlmodel import Session

from app.services.tokens import TOKEN_BYTES, digest
from app.storage.tables import Assessment

_PURPOSE = b"csmb share link v1"


def _token(secret: str, message: bytes) -> str:
    """A token derived from ``secret``: 128 bits, URL-safe, revealing nothing of the secret."""
    mac = hmac.new(secret.encode("utf-8"), message, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac[:TOKEN_BYTES]).rstrip(b"=").decode("ascii")


def derived_share_token(manage_secret: str) -> str:
    """The share token that belongs to this manage secret."""
    return _token(manage_secret, _PURPOSE)


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


_CONSULTANT_PURPOSE = b"csmb consultant share link v1:"


def consultant_share_token(dashboard_secret: str, assessment: Assessment) -> str:
    """The consultant's share token for this assessment under this dashboard link."""
    return _token(dashboard_secret, _CONSULTANT_PURPOSE + assessment.public_id.encode("ascii"))


def consultant_share_of(assessment: Assessment, dashboard_secret: str) -> str | None:
    """The consultant's share token, if one was made under this dashboard link (a link made
    before the dashboard link was changed is still valid but can no longer be shown)."""
    stored = assessment.consultant_share_hash
    token = consultant_share_token(dashboard_secret, assessment)
    return token if stored and hmac.compare_digest(digest(token), stored) else None


def set_consultant_share(
    session: Session, assessment: Assessment, dashboard_secret: str | None
) -> str | None:
    """Makes (``dashboard_secret``) or stops (None) the consultant's share link; a link made
    earlier stops working either way. The client's own link is untouched."""
    token = (
        None if dashboard_secret is None else consultant_share_token(dashboard_secret, assessment)
    )
    assessment.consultant_share_hash = None if token is None else digest(token)
    session.add(assessment)
    session.commit()
    return token
