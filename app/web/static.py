"""Static assets, served by the app itself (no CDN): read once, gzip-compressed once, and
addressed by a content hash so that browsers may cache them for a year."""

from __future__ import annotations

import gzip
import hashlib
import mimetypes
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response

STATIC_DIR = Path(__file__).resolve().parents[1] / "static"
ONE_YEAR = 31_536_000
_COMPRESSIBLE = ("text/", "application/javascript", "application/json", "image/svg+xml")

router = APIRouter()


@dataclass(frozen=True)
class Asset:
    body: bytes
    gzipped: bytes | None
    media_type: str
    etag: str


@cache
def _assets() -> dict[str, Asset]:
    assets: dict[str, Asset] = {}
    for path in sorted(STATIC_DIR.rglob("*")):
        if not path.is_file() or path.name.endswith((".md", ".txt")):
            continue
        body = path.read_bytes()
        media_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        if media_type == "text/javascript":
            media_type = "application/javascript"
        packed = None
        if media_type.startswith(_COMPRESSIBLE) and len(body) > 512:
            packed = gzip.compress(body, compresslevel=9, mtime=0)
        digest = hashlib.sha256(body).hexdigest()[:16]
        assets[path.relative_to(STATIC_DIR).as_posix()] = Asset(body, packed, media_type, digest)
    return assets


def asset_url(path: str) -> str:
    """The URL of an asset with its content hash (templates call it ``static_url``)."""
    asset = _assets().get(path)
    if asset is None:
        raise KeyError(f"no static asset {path}")
    return f"/static/{path}?v={asset.etag}"


@router.get("/static/{path:path}", name="static", include_in_schema=False)
def static(path: str, request: Request) -> Response:
    asset = _assets().get(path)
    if asset is None:
        raise HTTPException(status_code=404)
    versioned = request.query_params.get("v") == asset.etag
    headers = {
        "ETag": f'"{asset.etag}"',
        "Cache-Control": f"public, max-age={ONE_YEAR}, immutable" if versioned else "no-cache",
        "Vary": "Accept-Encoding",
    }
    if request.headers.get("if-none-match") == f'"{asset.etag}"':
        return Response(status_code=304, headers=headers)
    accepts_gzip = "gzip" in request.headers.get("accept-encoding", "")
    if asset.gzipped is not None and accepts_gzip:
        headers["Content-Encoding"] = "gzip"
        return Response(asset.gzipped, media_type=asset.media_type, headers=headers)
    return Response(asset.body, media_type=asset.media_type, headers=headers)
