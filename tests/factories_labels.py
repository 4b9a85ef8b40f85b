"""Factories and helpers for print-run tests: bound ranges, runs, decoded ZIP manifests."""

import csv
import io
import json
import zipfile

from flask_babel import force_locale

from labels.runs import create_run
from labels.settings import RunSettings
from suyuan.extensions import db
from suyuan.identity import code_key
from tests.factories import make_batch, make_range


def bind(side, start: int, end: int, batch=None):
    """Bind ``start..end`` of ``side``'s pool to its batch (or ``batch``)."""
    return make_range(side.pool, batch or side.batch, start, end, side.recorder)


def second_batch(side, lot: str):
    return make_batch(side.product, lot)


def make_run(side, *, settings=None, **source):
    """A committed queued run of ``side``'s codes (``batch=``, ``code_range=`` or pool)."""
    with force_locale("en"):  # the run keeps its starter's language for its messages
        run = create_run(side.recorder, side.enterprise, settings or RunSettings(), **source)
    db.session.commit()
    return run


def read_zip(data: bytes) -> tuple[zipfile.ZipFile, list[dict], dict]:
    archive = zipfile.ZipFile(io.BytesIO(data))
    rows = list(csv.DictReader(io.StringIO(archive.read("manifest.csv").decode())))
    return archive, rows, json.loads(archive.read("manifest.json"))


def manifest_indices(rows: list[dict], order: list[int]) -> list[int]:
    """Every code index the manifest accounts for, page by page: each page's first and last
    code must be ``count`` positions apart in the run's ``order`` of indices."""
    key, position = code_key(), {index: n for n, index in enumerate(order)}
    covered = []
    for row in rows:
        first = position[key.decode(row["first_code"])]
        last = position[key.decode(row["last_code"])]
        assert last - first + 1 == int(row["count"]), row
        covered.extend(order[first : last + 1])
    return covered
