"""Pure QR renderers for identity codes: data in, bytes out, no Flask.

A label's QR carries ``<base URL>/q/<20 digits>`` as two segments, the prefix in byte mode
and the digits in numeric mode (without error-level boosting): a version 3 symbol (29×29)
where one byte-mode segment needs version 4, so modules are larger on the same label.
"""

import io

import segno
from segno import consts

ERROR_LEVEL = "M"


def code_url(base_url: str, code: str) -> str:
    """The URL a scanner opens for ``code``."""
    return f"{base_url.rstrip('/')}/q/{code}"


def make_code_qr(url: str) -> segno.QRCode:
    prefix, digits = _split_digits(url)
    segments = [(prefix, consts.MODE_BYTE)]
    if digits:
        segments.append((digits, consts.MODE_NUMERIC))
    return segno.make_qr(segments, error=ERROR_LEVEL, boost_error=False)


def _split_digits(url: str) -> tuple[str, str]:
    """``http://h/q/123`` → (``http://h/q/``, ``123``): the trailing run of digits."""
    cut = len(url.rstrip("0123456789"))
    return url[:cut], url[cut:]


def qr_svg(url: str, scale: int = 4) -> bytes:
    out = io.BytesIO()
    make_code_qr(url).save(out, kind="svg", scale=scale, border=4, xmldecl=True, title=url)
    return out.getvalue()


def qr_png(url: str, scale: int = 8) -> bytes:
    out = io.BytesIO()
    make_code_qr(url).save(out, kind="png", scale=scale, border=4)
    return out.getvalue()
