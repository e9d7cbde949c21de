"""Administration: partner API keys.

    csmb-admin keys create --name "CRM Vendor" --origin https://crm.example --rate 600
    csmb-admin keys list
    csmb-admin keys revoke 1a2b3c4d

The key is printed once, at creation; only its digest is stored. The database is the one the
app uses (CSMB_DATABASE_URL).
"""

from __future__ import annotations

import argparse
import sys

from sqlmodel import Session

from app.services import partners
from app.settings import get_settings
from app.storage.db import engine_for


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1 call a minute, not {value}")
    return value


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="csmb-admin", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="area", required=True)
    keys = commands.add_parser("keys", help="partner API keys").add_subparsers(
        dest="action", required=True
    )
    create = keys.add_parser("create", help="create a key (printed once)")
    create.add_argument("--name", required=True)
    create.add_argument("--origin", action="append", default=[], help="allowed web origin (repeat)")
    create.add_argument("--rate", type=_positive, default=600, help="calls per minute (at least 1)")
    keys.add_parser("list", help="list keys (never their values)")
    revoke = keys.add_parser("revoke", help="revoke a key by its prefix")
    revoke.add_argument("prefix")
    args = parser.parse_args(argv)

    with Session(engine_for(get_settings().database_url)) as session:
        if args.action == "create":
            try:
                new = partners.create(session, args.name, args.origin, args.rate)
            except partners.InvalidOrigin as bad:
                print(f"csmb-admin: not an origin (scheme://host[:port]): {bad}", file=sys.stderr)
                return 2
            print(new.key)
            print(
                f"created {new.record.prefix} for {new.record.name}; "
                f"origins: {', '.join(new.record.origins) or 'none'}; "
                f"{new.record.rate_per_minute} calls/minute. The key is shown only now.",
                file=sys.stderr,
            )
            if new.record.origins:
                print(
                    "To embed the assessment on those origins (replace each BENCHMARK-HOST with "
                    "this site's address):\n" + partners.embed_snippet(new.record.prefix),
                    file=sys.stderr,
                )
            return 0
        if args.action == "list":
            for record in partners.listing(session):
                state = "revoked" if record.revoked_at else "active"
                origins = ",".join(record.origins) or "-"
                print(
                    f"{record.prefix}\t{state}\t{record.rate_per_minute}/min\t{origins}\t{record.name}"
                )
            return 0
        revoked = partners.revoke(session, args.prefix)
        if revoked is None:
            print(f"csmb-admin: no key with prefix {args.prefix}", file=sys.stderr)
            return 1
        print(f"revoked {revoked.prefix} ({revoked.name})", file=sys.stderr)
        return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
