"""The site stylesheet inlined into a page, allowed by the Content-Security-Policy by hash.

A consumer opens the scan page cold from a QR code. A linked stylesheet blocks the first
paint for one more request: about 0.56 s on slow 4G, a third of the 1.5 s LCP budget
(measured by ``bench/page_budget.py``). Pages that render ``inline_stylesheet()`` instead of
the ``<link>`` paint after one request; the CSP admits exactly this text and nothing else.
"""

import base64
import hashlib
from pathlib import Path

from markupsafe import Markup

STATIC = Path(__file__).resolve().parent / "static"
#: The site stylesheet and the scan page's own (verdict, sharing, reporting), in that order.
STYLESHEETS = (STATIC / "suyuan.css", STATIC / "scan.css")

_cache: dict[str, tuple[float, str, str]] = {}


def _load() -> tuple[str, str]:
    """(css, CSP source) for the stylesheet; read again when the file changes (debug edits)."""
    mtime = max(path.stat().st_mtime for path in STYLESHEETS)
    cached = _cache.get("css")
    if cached is None or cached[0] != mtime:
        css = "\n".join(path.read_text(encoding="utf-8") for path in STYLESHEETS)
        digest = base64.b64encode(hashlib.sha256(css.encode("utf-8")).digest()).decode()
        cached = _cache["css"] = (mtime, css, f"'sha256-{digest}'")
    return cached[1], cached[2]


def inline_stylesheet() -> Markup:
    css, _ = _load()
    return Markup(f"<style>{css}</style>")  # noqa: S704 - our own static file, not user input


def style_source() -> str:
    """The CSP ``style-src`` entry that admits the inlined stylesheet."""
    return _load()[1]
