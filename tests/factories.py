"""Small factories that build rows directly, for tests (``gen_*`` in CTFd's words)."""

import itertools
from dataclasses import dataclass
from datetime import UTC, date, datetime

from suyuan.extensions import db
from suyuan.models import (
    Batch,
    CodePool,
    CodeRange,
    Enterprise,
    Filing,
    Membership,
    Product,
    ProductionArea,
    StageRecord,
    User,
)
from suyuan.services.accounts import hash_password
from suyuan.validators import credit_check_char

PASSWORD = "correct horse battery"
_seq = itertools.count(1)


def credit_code(region: str = "620100") -> str:
    """A valid unified social credit code, different on every call."""
    body = f"91{region}{next(_seq):09d}"[:17]
    return body + credit_check_char(body)


def make_user(email=None, *, name="Test User", **fields) -> User:
    user = User(
        email=email or f"user{next(_seq)}@example.com",
        name=name,
        password_hash=hash_password(PASSWORD),
        **fields,
    )
    db.session.add(user)
    db.session.flush()
    return user


def make_enterprise(name=None, *, region="620100", approved=True, **fields) -> Enterprise:
    enterprise = Enterprise(
        name=name or f"Enterprise {next(_seq)}",
        credit_code=fields.pop("credit_code", None) or credit_code(region),
        region_code=region,
        address="1 Orchard Road",
        legal_representative="Li Lei",
        contact_name="Han Meimei",
        contact_phone="0931-0000000",
        **fields,
    )
    db.session.add(enterprise)
    db.session.flush()
    status = "approved" if approved else "draft"
    db.session.add(Filing(enterprise=enterprise, kind="enterprise", status=status))
    db.session.flush()
    return enterprise


def make_member(enterprise, *, recorder=True, admin=False, **fields) -> User:
    user = make_user(**fields)
    db.session.add(
        Membership(user=user, enterprise=enterprise, is_recorder=recorder, is_admin=admin)
    )
    db.session.flush()
    return user


def make_regulator(region="000000", **fields) -> User:
    return make_user(regulator_region=region, **fields)


def make_area(enterprise, name=None, **fields) -> ProductionArea:
    area = ProductionArea(enterprise=enterprise, name=name or f"Area {next(_seq)}", **fields)
    db.session.add(area)
    db.session.flush()
    return area


def make_product(enterprise, name=None, *, category="fruit", approved=True, **fields) -> Product:
    product = Product(
        enterprise=enterprise, name=name or f"Product {next(_seq)}", category=category, **fields
    )
    db.session.add(product)
    db.session.flush()
    status = "approved" if approved else "draft"
    db.session.add(Filing(enterprise=enterprise, kind="product", product=product, status=status))
    db.session.flush()
    return product


def make_batch(product, lot=None, **fields) -> Batch:
    batch = Batch(
        enterprise_id=product.enterprise_id,
        product=product,
        lot_number=lot or f"LOT-{next(_seq)}",
        production_date=fields.pop("production_date", date(2026, 9, 1)),
        **fields,
    )
    db.session.add(batch)
    db.session.flush()
    return batch


def make_record(batch, author, *, stage_type="fertilizing", status="submitted", **fields):
    record = StageRecord(
        batch=batch,
        stage_type=stage_type,
        title=fields.pop("title", f"Record {next(_seq)}"),
        occurred_at=fields.pop("occurred_at", datetime(2026, 5, 1, 2, 0, tzinfo=UTC)),
        status=status,
        created_by=author,
        submitted_at=datetime.now(UTC) if status == "submitted" else None,
        **fields,
    )
    db.session.add(record)
    db.session.flush()
    return record


def make_pool(enterprise, start, size) -> CodePool:
    pool = CodePool(enterprise=enterprise, start_index=start, end_index=start + size - 1)
    db.session.add(pool)
    db.session.flush()
    return pool


def make_range(pool, batch, start, end, author, status="bound") -> CodeRange:
    code_range = CodeRange(
        enterprise_id=pool.enterprise_id,
        pool=pool,
        batch=batch,
        start_index=start,
        end_index=end,
        status=status,
        created_by=author,
    )
    db.session.add(code_range)
    db.session.flush()
    return code_range


@dataclass
class Side:
    enterprise: Enterprise
    recorder: User
    admin: User
    product: Product
    batch: Batch
    pool: CodePool


@dataclass
class World:
    a: Side
    b: Side
    national: User
    gansu: User
    zhejiang: User
    platform_admin: User


def make_side(name, region, pool_start) -> Side:
    enterprise = make_enterprise(name, region=region)
    recorder = make_member(enterprise, recorder=True, name=f"{name} recorder")
    admin = make_member(enterprise, recorder=False, admin=True, name=f"{name} admin")
    product = make_product(enterprise, f"{name} product")
    batch = make_batch(product)
    pool = make_pool(enterprise, pool_start, 1000)
    return Side(enterprise, recorder, admin, product, batch, pool)


def make_world() -> World:
    world = World(
        a=make_side("Gansu Apples", "620100", 0),
        b=make_side("Zhejiang Tea", "330100", 1000),
        national=make_regulator("000000", name="National regulator"),
        gansu=make_regulator("620000", name="Gansu regulator"),
        zhejiang=make_regulator("330000", name="Zhejiang regulator"),
        platform_admin=make_user(name="Platform admin", is_platform_admin=True),
    )
    db.session.commit()
    return world


def png_bytes(width: int = 2, height: int = 2, color=(200, 40, 40)) -> bytes:
    """A real, decodable PNG (uploads are decoded, so magic bytes alone are refused)."""
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (width, height), color).save(out, format="PNG")
    return out.getvalue()


def make_stored_attachment(enterprise, *, filename, data=None, content_type=None, **owner):
    """An attachment whose bytes are really stored (``owner``: stage_record= or product=)."""
    import hashlib

    from suyuan.models import Attachment
    from suyuan.services.files import storage_path

    data = data if data is not None else b"\x89PNG\r\n\x1a\n" + filename.encode()
    sha256 = hashlib.sha256(data).hexdigest()
    path = storage_path(sha256)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    is_pdf = data.startswith(b"%PDF-")
    attachment = Attachment(
        enterprise_id=enterprise.id,
        filename=filename,
        content_type=content_type or ("application/pdf" if is_pdf else "image/png"),
        size=len(data),
        sha256=sha256,
        **owner,
    )
    db.session.add(attachment)
    db.session.flush()
    return attachment
