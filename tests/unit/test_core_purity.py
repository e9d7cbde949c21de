"""The core is pure: no web framework, database layer or plotting library, even indirectly."""

from __future__ import annotations

import ast
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

import app.core

pytestmark = pytest.mark.unit

FORBIDDEN = (
    "fastapi",
    "starlette",
    "sqlmodel",
    "sqlalchemy",
    "plotly",
    "uvicorn",
    "jinja2",
    "httpx",
)
CORE_DIR = Path(app.core.__file__).parent


def _core_modules() -> list[str]:
    return [f"app.core.{m.name}" for m in pkgutil.iter_modules([str(CORE_DIR)])]


def test_core_modules_import_nothing_forbidden_directly() -> None:
    offenders = []
    for path in CORE_DIR.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                if name.split(".")[0] in FORBIDDEN or (
                    name.startswith("app.") and not name.startswith("app.core")
                ):
                    offenders.append(f"{path.name}: {name}")
    assert offenders == []


def test_importing_the_whole_core_loads_no_forbidden_package() -> None:
    """Run in a fresh interpreter, so that what the test session already imported does not hide
    an indirect import."""
    modules = _core_modules()
    assert len(modules) >= 10
    code = (
        "import sys\n"
        + "".join(f"import {m}\n" for m in modules)
        + f"bad = sorted(m for m in sys.modules if m.split('.')[0] in {FORBIDDEN!r})\n"
        + "print(','.join(bad))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""
