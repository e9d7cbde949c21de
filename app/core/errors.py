"""Domain errors. Each carries its meaning; the web and API layers map them to responses in
one place (app/web/errors.py), so the core never knows about HTTP."""

from __future__ import annotations


class DomainError(Exception):
    """Base of every error the core raises on purpose."""
