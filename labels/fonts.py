"""Fonts for label text: Helvetica for the digits (a PDF standard font, no embedding needed
for ASCII) and a TrueType CJK font, subset-embedded, for product names and lots."""

import os
from functools import lru_cache

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from labels.texts import _

DIGITS_FONT = "Helvetica"
TEXT_FONT = "WenQuanYiMicroHei"
CJK_FONT_PATH = os.environ.get(
    "SUYUAN_LABEL_FONT", "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"
)


class FontError(RuntimeError):
    """The CJK font for label text is missing or unreadable."""


@lru_cache(maxsize=1)
def text_font() -> str:
    """Register the CJK TrueType font once per process; its name for ``setFont``."""
    if not os.path.isfile(CJK_FONT_PATH):
        raise FontError(
            _(
                "The font for label text is missing: %(path)s. Install the Debian package "
                "fonts-wqy-microhei or point SUYUAN_LABEL_FONT at a TrueType CJK font.",
                path=CJK_FONT_PATH,
            )
        )
    try:
        pdfmetrics.registerFont(TTFont(TEXT_FONT, CJK_FONT_PATH, subfontIndex=0))
    except TTFError as error:
        raise FontError(
            _("The font for label text cannot be read: %(error)s", error=str(error))
        ) from error
    return TEXT_FONT


def text_width(text: str, font: str, size_pt: float) -> float:
    """Width in points of ``text`` set in ``font`` at ``size_pt``."""
    return pdfmetrics.stringWidth(text, font, size_pt)


@lru_cache(maxsize=1024)
def fit_lines(
    text: str, font: str, width_pt: float, max_lines: int, max_pt: float, min_pt: float
) -> tuple[float, tuple[str, ...]]:
    """The largest size (down to ``min_pt``) at which ``text`` wraps into ``max_lines`` of
    ``width_pt``; at ``min_pt`` the last line is cut with an ellipsis."""
    size = max_pt
    while True:
        lines = _wrap(text, font, size, width_pt)
        if len(lines) <= max_lines:
            return size, tuple(lines)
        if size - 0.5 < min_pt:
            break
        size -= 0.5
    lines = lines[:max_lines]
    last = lines[-1]
    while last and text_width(last + "…", font, size) > width_pt:
        last = last[:-1]
    lines[-1] = last.rstrip() + "…"
    return size, tuple(lines)


_CLOSERS = frozenset("）)]}」』》〉，。、；：！？,.;:!?")


def _wrap(text: str, font: str, size: float, width_pt: float) -> list[str]:
    """Greedy wrap: at spaces for Latin words, between any two characters for CJK."""
    lines: list[str] = []
    line = ""
    for char in text:
        if text_width(line + char, font, size) <= width_pt or not line:
            line += char
            continue
        cut = line.rfind(" ")
        if char in _CLOSERS and len(line) > 1:  # no line starts with closing punctuation
            lines.append(line[:-1])
            line = line[-1] + char
        elif char != " " and cut > 0 and line[cut + 1 :].isascii():
            lines.append(line[:cut])
            line = line[cut + 1 :] + char
        else:
            lines.append(line.rstrip())
            line = char.lstrip()
    if line:
        lines.append(line)
    return lines
