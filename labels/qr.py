"""Fast QR matrices for bulk label runs, as horizontal runs of dark modules.

zxing-cpp's writer (libzint inside) builds a matrix in ~0.1 ms where pure-Python segno needs
~5 ms. Its mode optimisation splits ``https://host/q/<20 digits>`` into byte and numeric
segments by itself: measured on 44–62 character URLs it gives the same version as segno's
hand-made two-segment encoding (``labels.render.make_code_qr``) at M and H, and one version
smaller at L and Q in some cases, never a larger one. So bulk runs use zxing-cpp and the
single-code PNG/SVG downloads keep segno.
"""

import re
from dataclasses import dataclass
from functools import lru_cache

import zxingcpp

EC_LEVELS = ("L", "M", "Q", "H")
QUIET_ZONE = 4  # modules of light margin on every side (ISO/IEC 18004 minimum)

_DARK_RUN = re.compile(rb"\x00+")


@dataclass(frozen=True, slots=True)
class QrMatrix:
    size: int  # modules per side, without the quiet zone
    runs: tuple[tuple[int, int, int], ...]  # (row, column, length) of each dark run

    @property
    def version(self) -> int:
        return (self.size - 17) // 4

    @property
    def modules(self) -> int:
        """Modules per side including the quiet zone on both sides."""
        return self.size + 2 * QUIET_ZONE


def _pixels(url: str, ec_level: str) -> tuple[bytes, int]:
    """One byte per module, 0 = dark, quiet zone included, and the width in modules."""
    barcode = zxingcpp.create_barcode(url, zxingcpp.BarcodeFormat.QRCode, ec_level=ec_level)
    # With the quiet zone drawn, no dark run wraps from one row into the next.
    image = zxingcpp.write_barcode_to_image(barcode, scale=1, add_quiet_zones=True)
    return bytes(image), image.shape[1]


def qr_path_ops(url: str, ec_level: str) -> tuple[int, str]:
    """(modules per side without quiet zone, PDF ``re`` operators of every dark run) with
    module coordinates from the quiet zone's top-left corner, y pointing down: the hot path
    of a PDF run, built in one pass without intermediate tuples."""
    pixels, width = _pixels(url, ec_level)
    spans = (match.span() for match in _DARK_RUN.finditer(pixels))
    ops = "\n".join([f"{s % width} {s // width} {e - s} 1 re" for s, e in spans])
    return width - 2 * QUIET_ZONE, ops


def qr_matrix(url: str, ec_level: str = "M") -> QrMatrix:
    pixels, width = _pixels(url, ec_level)
    runs = []
    for match in _DARK_RUN.finditer(pixels):
        start, end = match.span()
        row, col = divmod(start, width)
        runs.append((row - QUIET_ZONE, col - QUIET_ZONE, end - start))
    return QrMatrix(width - 2 * QUIET_ZONE, tuple(runs))


@lru_cache(maxsize=256)
def qr_size(url: str, ec_level: str) -> int:
    """Modules per side (without quiet zone) of the symbol for ``url``."""
    return qr_matrix(url, ec_level).size
