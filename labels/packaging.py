"""The deliverable of a print run: one ZIP with the label files and a manifest (CSV and JSON:
file, page, first code, last code, count) so an operator can reprint one damaged page.

The ZIP is written under a temporary name and renamed into place (``os.replace`` is atomic
on one file system): a reader sees either no file or the whole file.
"""

import csv
import io
import json
import os
import zipfile
from pathlib import Path

MANIFEST_FIELDS = ("file", "page", "first_code", "last_code", "count")
#: PDF and PNG are compressed already; deflating them again costs time for nothing.
STORED_FORMATS = ("pdf", "png")


def manifest_rows(files) -> list[dict]:
    """One row per page of every file, in print order."""
    return [
        {
            "file": file.name,
            "page": page.page,
            "first_code": page.first_code,
            "last_code": page.last_code,
            "count": page.count,
        }
        for file in files
        for page in file.pages
    ]


def manifest_csv(rows: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=MANIFEST_FIELDS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def manifest_json(rows: list[dict], about: dict) -> str:
    return json.dumps({**about, "pages": rows}, ensure_ascii=False, indent=1)


def write_zip(target: Path, directory: Path, files, fmt: str, about: dict) -> int:
    """Pack ``files`` (rendered into ``directory``) and the manifest into ``target``
    atomically; return the ZIP's size in bytes."""
    rows = manifest_rows(files)
    partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
    compression = zipfile.ZIP_STORED if fmt in STORED_FORMATS else zipfile.ZIP_DEFLATED
    try:
        with zipfile.ZipFile(partial, "w", compression=compression) as archive:
            for file in files:
                archive.write(directory / file.name, arcname=file.name)
            archive.writestr("manifest.csv", manifest_csv(rows), zipfile.ZIP_DEFLATED)
            archive.writestr("manifest.json", manifest_json(rows, about), zipfile.ZIP_DEFLATED)
        with open(partial, "rb") as handle:
            os.fsync(handle.fileno())
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return target.stat().st_size


def counted(files) -> int:
    """How many labels the manifest accounts for."""
    return sum(page.count for file in files for page in file.pages)
