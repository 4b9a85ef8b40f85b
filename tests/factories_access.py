"""The objects of enterprise A that the access matrix requests: the ``world`` plus one of
everything a route can name (a published stage record with an attachment, a draft, a product
image, a submitted filing, a production area, a bound code range, an import run with an error
report)."""

from dataclasses import dataclass

from suyuan.extensions import db
from suyuan.identity import code_key
from suyuan.models import Attachment, CodeRange, Filing, ImportRun, ProductionArea, StageRecord
from suyuan.spreadsheets.importer import import_workbook
from suyuan.spreadsheets.kinds import get_kind
from tests import factories
from tests.factories_excel import filled


@dataclass
class Objects:
    world: factories.World
    record: StageRecord  # submitted and published, with a published attachment
    draft_record: StageRecord
    attachment: Attachment
    image: Attachment  # a published product image
    filing: Filing  # a product filing waiting for review
    area: ProductionArea
    code_range: CodeRange
    code: str  # the first code of ``code_range``, as printed
    run: ImportRun  # a refused import with an error report


def make_objects() -> Objects:
    world = factories.make_world()
    a = world.a
    area = factories.make_area(a.enterprise, "North orchard", is_public=True)
    a.batch.production_area = area
    record = factories.make_record(a.batch, a.recorder, title="Spring fertilizing")
    attachment = factories.make_stored_attachment(
        a.enterprise, filename="soil-test.png", stage_record=record
    )
    # Bytes no other test uploads: files are stored by content hash, and a test that expects
    # an upload to be written (e.g. onto a full disk) must not find it already there.
    image = factories.make_stored_attachment(
        a.enterprise, filename="apples.png", data=factories.png_bytes(3, 5), product=a.product
    )
    for item in (a.product, a.batch, record, attachment, image):
        item.is_public = True
    a.enterprise.is_profile_public = True
    a.enterprise.is_filings_public = True
    pending = factories.make_product(a.enterprise, "Pending pears", approved=False)
    pending.filing.status = "submitted"
    pending.filing.submitted_at = record.submitted_at
    code_range = factories.make_range(a.pool, a.batch, 0, 9, a.recorder)
    objects = Objects(
        world=world,
        record=record,
        draft_record=factories.make_record(a.batch, a.recorder, status="draft"),
        attachment=attachment,
        image=image,
        filing=pending.filing,
        area=area,
        code_range=code_range,
        code=code_key().encode(code_range.start_index),
        run=refused_import(a),
    )
    db.session.commit()
    return objects


def refused_import(side) -> ImportRun:
    """An import of a batch naming an unknown product: refused, with an error report."""
    rows = [["No such product", None, "LOT-X", "2026-01-01"]]
    kind = get_kind("batches")
    run = import_workbook(side.enterprise, side.recorder, kind, filled("batches", rows), "b.xlsx")
    assert run.status == "refused" and run.error_report_path, run.message
    return run
