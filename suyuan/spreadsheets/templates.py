"""The workbook of an importable kind: the blank template, and the same layout filled with
exported rows (so an export imports back as it is).

Sheet 1 holds the data: a header row in the current language with required columns marked
``*``, and drop-down lists for enumerations. The lists live on a hidden sheet and are
referred to by defined names (a list written into the validation itself is capped at 255
characters by Excel). The last sheet explains how to fill it in.
"""

from collections.abc import Iterable

from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, PatternFill
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation

from suyuan.spreadsheets.export import (
    Progress,
    column_letter,
    counted,
    saved,
    sheet_title,
    xlsx_cell,
)
from suyuan.spreadsheets.reader import MAX_ROWS

LISTS_SHEET = "lists"
REQUIRED_FILL = PatternFill("solid", fgColor="FDE9D9")
HEADER_FILL = PatternFill("solid", fgColor="E8F0FE")


def header_text(column) -> str:
    return f"{column.label} *" if column.required else str(column.label)


def kind_workbook(kind, rows: Iterable[list] = (), progress: Progress = None):
    """The kind's workbook with ``rows`` (values in ``kind.COLUMNS`` order), rewound."""
    workbook = Workbook(write_only=True)
    data = workbook.create_sheet(sheet_title(kind.TITLE))
    _header(data, kind.COLUMNS)
    lists = workbook.create_sheet(LISTS_SHEET)
    _lists(workbook, lists, data, kind.COLUMNS)
    for row in counted(rows, progress):
        data.append(
            [
                xlsx_cell(data, None if value == "" else value, column.number_format)
                for column, value in zip(kind.COLUMNS, row, strict=True)
            ]
        )
    _instructions(workbook.create_sheet(sheet_title(_("Instructions"))), kind)
    return saved(workbook)


def _header(sheet, columns) -> None:
    sheet.freeze_panes = "A2"
    for position, column in enumerate(columns):
        sheet.column_dimensions[column_letter(position)].width = column.width
    cells = []
    for column in columns:
        cell = xlsx_cell(sheet, header_text(column), bold=True)
        cell.fill = REQUIRED_FILL if column.required else HEADER_FILL
        cells.append(cell)
    sheet.append(cells)


def _lists(workbook, lists, data, columns) -> None:
    """One column of the hidden sheet per enumeration, a defined name for each, and a
    drop-down on the data sheet's column that refers to it."""
    lists.sheet_state = "hidden"
    enumerations = [(p, c) for p, c in enumerate(columns) if c.choices and not c.export_only]
    labels = [[str(label) for label in column.choices().values()] for _, column in enumerations]
    depth = max((len(values) for values in labels), default=0)
    for index in range(depth):
        lists.append([values[index] if index < len(values) else None for values in labels])
    for list_position, ((position, column), values) in enumerate(
        zip(enumerations, labels, strict=True)
    ):
        name = f"list_{column.key}"
        letter = column_letter(list_position)
        workbook.defined_names[name] = DefinedName(
            name, attr_text=f"{LISTS_SHEET}!${letter}$1:${letter}${len(values)}"
        )
        validation = DataValidation(
            type="list",
            formula1=name,
            allow_blank=not column.required,
            showErrorMessage=True,
            errorTitle=str(column.label),
            error=_("Choose a value from the drop-down list."),
        )
        data_letter = column_letter(position)
        validation.add(f"{data_letter}2:{data_letter}{MAX_ROWS + 1}")
        data.data_validations.append(validation)


def _instructions(sheet, kind) -> None:
    sheet.column_dimensions["A"].width = 28
    sheet.column_dimensions["B"].width = 90
    wrap = Alignment(wrap_text=True, vertical="top")
    sheet.append([xlsx_cell(sheet, str(kind.TITLE), bold=True)])
    sheet.append([])
    for line in (*kind.INSTRUCTIONS, *_general_rules()):
        cell = xlsx_cell(sheet, str(line))
        cell.alignment = wrap
        sheet.append([None, cell])
    sheet.append([])
    head = [
        xlsx_cell(sheet, _("Column"), bold=True),
        xlsx_cell(sheet, _("How to fill it in"), bold=True),
    ]
    sheet.append(head)
    for column in kind.COLUMNS:
        hint = str(column.hint) if column.hint else ""
        if column.export_only:
            hint = _("Shown in exports; ignored when importing.")
        elif column.choices:
            hint = (hint + " " if hint else "") + _("Choose from the drop-down list.")
        label = xlsx_cell(sheet, header_text(column), bold=column.required)
        text = xlsx_cell(sheet, hint)
        text.alignment = wrap
        sheet.append([label, text])


def _general_rules() -> list[str]:
    return [
        _("Columns marked * are required."),
        _(
            "The import is all or nothing: every row is checked first; if any row is wrong, nothing is imported and you get a report of every error to download."
        ),
        _("Up to %(n)s rows per file. Enter values, not formulas.", n=f"{MAX_ROWS:,}"),
        _("The same file is imported only once."),
    ]
