"""A written workbook or CSV file as a download, streamed and closed once sent."""

from flask import Response

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
