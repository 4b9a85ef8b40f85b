"""The objects of enterprise A that the access matrix requests: the ``world`` plus one of
everything a route can name (a published stage record with an attachment, a draft, a product
image, a submitted filing, a production area, a bound code range, an import run with an error
report, and the objects of the goods flow, recalls, notices, scans, print runs and API
tokens)."""

import io
from dataclasses import dataclass
from datetime import UTC, datetime

from werkzeug.datastructures import FileStorage

from suyuan.extensions import db
from suyuan.identity import code_key
from suyuan.models import (
    AgencyBinding,
    ApiToken,
    Attachment,
    CodeRange,
    Counterparty,
    Feedback,
    Filing,
    ImportRun,
    NonConformance,
    Notice,
    PrintRun,
    ProductionArea,
    Recall,
    RecallNotice,
    StageRecord,
    SuspicionFlag,
    Transaction,
)
from suyuan.services.agency import bind_agency
from suyuan.services.feedback import submit_feedback
from suyuan.services.nonconformance import record_nonconformance
from suyuan.services.notices import create_notice, mark_read
from suyuan.services.tokens import create_enterprise_token, create_regulator_token
from suyuan.spreadsheets.importer import import_workbook
from suyuan.spreadsheets.kinds import get_kind
from tests import factories
from tests.factories_excel import filled
from tests.factories_flow import document, make_counterparty
from tests.factories_labels import make_run
from tests.factories_recalls import make_recall


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
    more: "More"


@dataclass
class More:
    """A's objects of the routes merged after the matrix was first written."""

    print_run: PrintRun
    counterparty: Counterparty
    transaction: Transaction  # a submitted receipt of finished goods
    draft_transaction: Transaction
    recall: Recall  # declared by A's admin
    received: RecallNotice  # B's recall reaching A
    nonconformance: NonConformance  # with an inspection report
    notice: Notice  # published by A's provincial regulator, with a file; A has read it
    feedback: Feedback  # a consumer's report on A's code, with a photo
    flag: SuspicionFlag
    binding: AgencyBinding  # A sells its product as agent (by GTIN)
    token: ApiToken  # an API token of enterprise A
    regulator_token: ApiToken  # an API token A's provincial regulator made


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
        more=more_objects(world, code_range),
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


def upload(name: str, data: bytes, mimetype: str = "image/png") -> FileStorage:
    return FileStorage(io.BytesIO(data), filename=name, content_type=mimetype)


def more_objects(world, code_range) -> More:
    a, b = world.a, world.b
    a.product.gtin = "06901234567892"
    counterparty = make_counterparty(a.enterprise, name="Lanzhou market")
    transaction = document(
        a.enterprise, a.recorder, "finished_in", "R-ACCESS-1", [(a.batch, 5, "kg")]
    )
    received = make_recall(b.admin, b.product, batches=[b.batch])
    notice_of_b = RecallNotice(enterprise_id=a.enterprise.id)
    received.notices.append(notice_of_b)
    nonconformance = record_nonconformance(
        a.admin,
        a.product,
        [a.batch],
        "Pesticide above limit",
        upload("report.png", factories.png_bytes(7, 3)),
    )
    notice = create_notice(
        world.gansu,
        "Gansu spring inspection",
        "All orchards",
        upload("n.png", factories.png_bytes(3, 7)),
    )
    feedback = submit_feedback(
        code_range,
        code_range.start_index,
        "suspected_fake",
        "The seal looks reprinted",
        photo=upload("photo.png", factories.png_bytes(5, 7)),
    )
    now = datetime.now(UTC)
    flag = SuspicionFlag(
        enterprise_id=a.enterprise.id,
        batch_id=a.batch.id,
        code_index=code_range.start_index,
        rule="regions",
        detail="620100 330100",
        first_at=now,
        last_at=now,
    )
    db.session.add(flag)
    mark_read(notice, a.enterprise, a.admin)
    token, _secret = create_enterprise_token(a.admin, a.enterprise, "ERP", ("read",))
    more = More(
        print_run=None,
        counterparty=counterparty,
        transaction=transaction,
        draft_transaction=document(
            a.enterprise,
            a.recorder,
            "finished_in",
            "R-ACCESS-2",
            [(a.batch, 2, "kg")],
            submit=False,
        ),
        recall=make_recall(a.admin, a.product, batches=[a.batch]),
        received=notice_of_b,
        nonconformance=nonconformance,
        notice=notice,
        feedback=feedback,
        flag=flag,
        binding=bind_agency(a.admin, a.product),
        token=token,
        regulator_token=create_regulator_token(world.gansu, "Provincial dashboard")[0],
    )
    more.print_run = make_run(a, batch=a.batch)
    return more
