"""Columns of an importable kind and how a cell's raw value becomes a checked value.

A parser takes the raw cell value (str, number, date, datetime or None) and returns the
value the service expects, or raises ``CellError`` with a message a person understands.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import force_locale
from flask_babel import gettext as _


class CellError(Exception):
    """One thing wrong with one cell; ``column`` is the column key."""

    def __init__(self, column: str, message: str):
        super().__init__(message)
        self.column = column
        self.message = message


@dataclass(frozen=True)
class Column:
    """``label`` is lazy (translated when shown); ``choices`` returns key → lazy label for an
    enumeration (a drop-down list in the template); ``export_only`` columns are written by
    exports for people to read and ignored by the importer."""

    key: str
    label: object
    required: bool = False
    choices: Callable[[], dict] | None = None
    hint: object = ""
    width: int = 18
    number_format: str | None = None
    export_only: bool = False
    aliases: tuple = field(default=())


LANGUAGES = ("zh", "en")


def in_every_language(lazy) -> set[str]:
    """The text of a lazy string in every interface language, normalized for matching."""
    names = set()
    for language in LANGUAGES:
        with force_locale(language):
            names.add(normalize(str(lazy)))
    return names


def normalize(text: str) -> str:
    return " ".join(str(text).replace("*", " ").split()).casefold()


def enum_lookup(choices: dict) -> dict[str, str]:
    """Every accepted spelling (key, or label in any language) → key."""
    lookup = {}
    for key, label in choices.items():
        lookup[normalize(key)] = key
        for name in in_every_language(label):
            lookup[name] = key
    return lookup


def text(raw, column: str, limit: int | None = None, required: bool = False) -> str:
    if raw is None:
        value = ""
    elif isinstance(raw, float) and raw.is_integer():
        value = str(int(raw))  # a lot number typed as 2026001 arrives as a number
    else:
        value = str(raw).strip()
    if required and not value:
        raise CellError(column, _("This column is required."))
    if limit and len(value) > limit:
        raise CellError(column, _("At most %(n)s characters.", n=limit))
    return value


def choice(raw, column: str, lookup: dict[str, str], required: bool = False) -> str:
    value = text(raw, column, required=required)
    if not value:
        return ""
    key = lookup.get(normalize(value))
    if key is None:
        raise CellError(column, _("Choose a value from the drop-down list."))
    return key


DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d")
DATETIME_FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y/%m/%d %H:%M:%S")


def a_date(raw, column: str, required: bool = False) -> date | None:
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    value = text(raw, column, required=required)
    if not value:
        return None
    for pattern in DATE_FORMATS:
        try:
            return datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    raise CellError(column, _("Enter a date as YYYY-MM-DD."))


def a_datetime(raw, column: str, required: bool = False) -> datetime | None:
    """A local date and time without a zone (the zone is a column of its own)."""
    if isinstance(raw, datetime):
        return raw.replace(tzinfo=None, microsecond=0)
    if isinstance(raw, date):
        return datetime(raw.year, raw.month, raw.day)
    value = text(raw, column, required=required)
    if not value:
        return None
    for pattern in DATETIME_FORMATS:
        try:
            return datetime.strptime(value, pattern)
        except ValueError:
            continue
    raise CellError(column, _("Enter a date and time as YYYY-MM-DD HH:MM."))


def an_int(raw, column: str, required: bool = False) -> int | None:
    if isinstance(raw, int) and not isinstance(raw, bool):
        return raw
    if isinstance(raw, float) and raw.is_integer():
        return int(raw)
    value = text(raw, column, required=required)
    if not value:
        return None
    if not value.isdigit():
        raise CellError(column, _("Enter a whole number."))
    return int(value)


class RowErrors(Exception):
    """Every ``CellError`` found in one row."""

    def __init__(self, errors: list[CellError]):
        super().__init__(errors)
        self.errors = errors


class RowParser:
    """Collects cell errors while a kind parses a row: ``parser.take(fn, key, ...)``."""

    def __init__(self, cells: dict):
        self.cells = cells
        self.errors: list[CellError] = []

    def take(self, parse, key: str, *args, **kwargs):
        try:
            return parse(self.cells.get(key), key, *args, **kwargs)
        except CellError as error:
            self.errors.append(error)
            return None

    def done(self) -> None:
        if self.errors:
            raise RowErrors(self.errors)


class LaterErrors(Exception):
    """Errors a kind finds in ``finish`` (after every row was read), each one blamed on the
    row it comes from: ``(row, column key, value, message)``."""

    def __init__(self, errors: list[tuple[int, str, str, str]]):
        super().__init__(errors)
        self.errors = errors
