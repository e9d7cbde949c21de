"""Access logs without secrets: every capability token in a path (share, manage, dashboard and
invitation links, resume links, the embedded questionnaire's draft and result) is replaced by
its first characters. Tokens are at least 22 URL-safe characters and no page or asset name is
that long without a dot, so any such path segment is taken for a token."""

from __future__ import annotations

import logging
import re

_TOKEN_IN_PATH = re.compile(r"/([A-Za-z0-9_-]{4})[A-Za-z0-9_-]{16,}(?![A-Za-z0-9_.-])")


def redact(text: str) -> str:
    return _TOKEN_IN_PATH.sub(r"/\1…", text)


class RedactTokens(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if record.args:
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
        record.msg = redact(str(record.msg))
        return True


def install() -> None:
    access = logging.getLogger("uvicorn.access")
    if not any(isinstance(f, RedactTokens) for f in access.filters):
        access.addFilter(RedactTokens())
