"""Check-character validators: unified social credit code (GB 32100), GTIN (GS1), regions."""

from suyuan.regions import PROVINCES

CREDIT_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def credit_check_char(first17: str) -> str:
    """GB 32100-2015 clause 4.3: weighted sum mod 31 over the 31-character alphabet."""
    total = sum(CREDIT_CHARSET.index(ch) * w for ch, w in zip(first17, CREDIT_WEIGHTS, strict=True))
    return CREDIT_CHARSET[(31 - total % 31) % 31]


def credit_code_error(code: str) -> str | None:
    """None when ``code`` is a valid unified social credit code, else what is wrong with it."""
    if len(code) != 18:
        return "length"
    if any(ch not in CREDIT_CHARSET for ch in code):
        return "characters"
    if not code[2:8].isdigit():
        return "region"
    if credit_check_char(code[:17]) != code[17]:
        return "check"
    return None


def gtin_check_digit(body: str) -> int:
    """GS1 General Specifications 7.9.1: weights 3,1,3,... from the right, mod 10."""
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return (10 - total % 10) % 10


def gtin_error(gtin: str) -> str | None:
    if len(gtin) not in (8, 12, 13, 14) or not gtin.isascii() or not gtin.isdigit():
        return "length"
    if gtin_check_digit(gtin[:-1]) != int(gtin[-1]):
        return "check"
    return None


def region_error(code: str) -> str | None:
    """A GB/T 2260 six-digit code whose first two digits name a province."""
    if len(code) != 6 or not code.isascii() or not code.isdigit():
        return "format"
    if code[:2] + "0000" not in PROVINCES:
        return "province"
    return None


def region_prefix(region: str) -> str:
    """The prefix a region's sub-regions share: 620000 → "62", 620100 → "6201", 000000 → ""."""
    if region == "000000":
        return ""
    if region.endswith("0000"):
        return region[:2]
    if region.endswith("00"):
        return region[:4]
    return region


def region_covers(scope: str, region: str) -> bool:
    return region.startswith(region_prefix(scope))
