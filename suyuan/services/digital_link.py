"""GS1 Digital Link URIs (URI Syntax 1.2) for our products, batches and identity codes.

A product with a GTIN gets ``/01/<gtin>``, a batch ``/01/<gtin>/10/<lot>`` and one unit
``/01/<gtin>/21/<serial>``, where the serial (AI 21: up to 20 characters) is the unit's
20-digit identity code. The GTIN is always written with 14 digits, the canonical form;
resolving accepts GTIN-8, -12 and -13 too, as the standard asks of resolvers.
"""

from dataclasses import dataclass
from urllib.parse import quote, unquote

from flask_babel import gettext as _

from suyuan.services.errors import DomainError
from suyuan.validators import gtin_check_digit, gtin_error

GTIN_AI = "01"
LOT_AI = "10"
SERIAL_AI = "21"
#: GS1 General Specifications figure 7.11-1, character set 82: what AI 10 and AI 21 may hold.
CSET82 = frozenset(
    "!\"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz"
)
MAX_QUALIFIER_LENGTH = 20


class DigitalLinkError(DomainError):
    """The path is not a Digital Link we can read: 400, as GS1 resolvers answer."""


@dataclass(frozen=True)
class DigitalLink:
    gtin: str  # 14 digits
    lot: str | None = None
    serial: str | None = None

    @property
    def path(self) -> str:
        """``/01/<gtin>[/10/<lot>][/21/<serial>]``, values percent-encoded."""
        path = f"/{GTIN_AI}/{self.gtin}"
        if self.lot is not None:
            path += f"/{LOT_AI}/{quote(self.lot, safe='')}"
        if self.serial is not None:
            path += f"/{SERIAL_AI}/{quote(self.serial, safe='')}"
        return path

    def uri(self, base_url: str) -> str:
        return base_url.rstrip("/") + self.path

    @property
    def level(self) -> str:
        if self.serial is not None:
            return "serial"
        return "lot" if self.lot is not None else "product"


def gtin14(gtin: str) -> str:
    return gtin.zfill(14)


def gtin_forms(gtin: str) -> list[str]:
    """Every way the same GTIN may be stored: 14 digits and the shorter forms it pads."""
    full = gtin14(gtin)
    return [full[-n:] for n in (14, 13, 12, 8) if set(full[:-n]) <= {"0"}]


def check_gtin(gtin: str) -> str:
    """``gtin`` as 14 digits, or ``DigitalLinkError`` saying what is wrong with it."""
    error = gtin_error(gtin)
    if error == "check":
        raise DigitalLinkError(
            _(
                "%(gtin)s is not a valid GTIN: the check digit should be %(digit)s.",
                gtin=gtin,
                digit=gtin_check_digit(gtin[:-1]),
            )
        )
    if error:
        raise DigitalLinkError(
            _("%(gtin)s is not a valid GTIN: a GTIN has 8, 12, 13 or 14 digits.", gtin=gtin[:40])
        )
    return gtin14(gtin)


def is_encodable(value: str) -> bool:
    """Whether ``value`` can be a lot or serial in a Digital Link (AI 10 / AI 21)."""
    return 0 < len(value) <= MAX_QUALIFIER_LENGTH and set(value) <= CSET82


def parse_path(raw_path: str) -> DigitalLink:
    """Read ``/01/<gtin>[/10/<lot>][/21/<serial>]`` as sent (still percent-encoded, so that
    an encoded slash stays inside its value); raise ``DigitalLinkError`` otherwise."""
    segments = raw_path.strip("/").split("/")
    if len(segments) < 2 or segments[0] != GTIN_AI:
        raise DigitalLinkError(_("A Digital Link path starts with /01/ and a GTIN."))
    gtin = check_gtin(unquote(segments[1]))
    pairs = segments[2:]
    if len(pairs) % 2:
        raise DigitalLinkError(_("Each part after the GTIN needs a code and a value."))
    found = dict(zip(pairs[::2], (unquote(v) for v in pairs[1::2]), strict=True))
    order = list(pairs[::2])
    if order not in ([], [LOT_AI], [SERIAL_AI], [LOT_AI, SERIAL_AI]):
        raise DigitalLinkError(
            _("After the GTIN may come a lot (/10/...) and then a serial (/21/...), nothing else.")
        )
    for value in found.values():
        if not is_encodable(value):
            raise DigitalLinkError(
                _(
                    "A lot or serial number has 1 to 20 letters, digits or GS1 punctuation; "
                    "“%(value)s” is not one.",
                    value=value[:40],
                )
            )
    return DigitalLink(gtin, found.get(LOT_AI), found.get(SERIAL_AI))


# Building the links we print and publish.


def product_link(product) -> DigitalLink | None:
    return DigitalLink(gtin14(product.gtin)) if product.gtin else None


def batch_link(batch) -> DigitalLink | None:
    """The lot's Digital Link; None without a GTIN or for a lot number GS1 cannot carry."""
    product = batch.product
    if not product.gtin or not is_encodable(batch.lot_number):
        return None
    return DigitalLink(gtin14(product.gtin), lot=batch.lot_number)


def serial_link(code: str, product) -> DigitalLink | None:
    return DigitalLink(gtin14(product.gtin), serial=code) if product.gtin else None


def code_url(code: str, product, base_url: str) -> str:
    """What a label's QR carries: the Digital Link when the product has a GTIN, so that any
    GS1 scanner app understands it, else ``/q/<code>``."""
    link = serial_link(code, product) if product is not None else None
    if link is None:
        return f"{base_url.rstrip('/')}/q/{code}"
    return link.uri(base_url)
