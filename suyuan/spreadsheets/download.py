"""A written workbook or CSV file as a download, streamed and closed once sent."""

from datetime import date

from flask import Response, abort, flash, redirect
from flask_babel import gettext as _

from suyuan.spreadsheets.export import TooManyRows, csv_file, write_xlsx

MIMETYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


def download(output, fmt: str, filename: str) -> Response:
    """``output``: a rewound binary file (closed when the last chunk is sent)."""

    def chunks():
        with output:
            while chunk := output.read(64 * 1024):
                yield chunk

    return Response(
        chunks(),
        mimetype=MIMETYPES[fmt],
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def list_download(title: str, name: str, fmt: str, headers: list[str], rows, back: str):
    """A list as ``name-<today>.xlsx`` or ``.csv``; past the export cap, back to the list
    page ``back`` with a message."""
    if fmt not in ("xlsx", "csv"):
        abort(404)
    try:
        output = write_xlsx(title, headers, rows) if fmt == "xlsx" else csv_file(headers, rows)
    except TooManyRows as error:
        flash(
            _(
                "The list has more than %(n)s rows: narrow it with the filters and export again.",
                n=f"{error.args[0]:,}",
            ),
            "error",
        )
        return redirect(back, 303)
    return download(output, fmt, f"{name}-{date.today().isoformat()}.{fmt}")
