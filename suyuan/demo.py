"""The demo data set (``suyuan demo``): a Gansu apple cooperative, a Shanghai cosmetics maker,
a provincial and a national regulator, a platform admin; bound ranges; some records
published and some not."""

import io
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select

from suyuan.demo_flow import FLOW_LOGINS, seed_goods_flow
from suyuan.demo_media import add_apple_photos
from suyuan.demo_recalls import RECALLED_INDEX, RECALLED_LOT, seed_recall
from suyuan.extensions import db
from suyuan.identity import code_key, group
from suyuan.models import (
    Batch,
    CodePool,
    CodeRange,
    Enterprise,
    Filing,
    FilingEvent,
    Product,
    ProductionArea,
    StageRecord,
    User,
)
from suyuan.services.accounts import add_member, create_user
from suyuan.services.files import store_upload

PASSWORD = "suyuan-demo-2026"  # noqa: S105 - the published demo login, never production
SHANGHAI = ZoneInfo("Asia/Shanghai")

LOGINS = (
    ("admin@suyuan.demo", "Platform admin / 平台管理员"),
    ("national@regulator.demo", "National regulator / 国家级监管"),
    ("gansu@regulator.demo", "Gansu provincial regulator / 甘肃省监管"),
    ("admin@apple.demo", "Apple cooperative: enterprise admin + recorder / 企业管理员+记录员"),
    ("recorder@apple.demo", "Apple cooperative: recorder / 记录员"),
    ("admin@cosmetics.demo", "Cosmetics maker: enterprise admin + recorder"),
)

#: Code indices printed by the demo summary.
FULL_INDEX = 17
PARTIAL_INDEX = 5017
UNKNOWN_INDEX = 987_654_321


def local(year, month, day, hour=9, minute=0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=SHANGHAI).astimezone(UTC)


def seed_demo() -> bool:
    """Seed when the database has no users; return whether anything was written."""
    if db.session.scalar(select(User.id).limit(1)) is not None:
        return False
    users = {email: _user(email, label) for email, label in LOGINS}
    for email in ("admin@suyuan.demo",):
        users[email].is_platform_admin = True
    users["national@regulator.demo"].regulator_region = "000000"
    users["gansu@regulator.demo"].regulator_region = "620000"
    _apple_cooperative(users)
    _cosmetics_maker(users)
    users.update({email: _user(email, label) for email, label in FLOW_LOGINS})
    seed_goods_flow(users, _enterprise)
    db.session.flush()
    seed_recall(users)
    db.session.flush()
    return True


def _user(email: str, label: str) -> User:
    name = label.split(" / ")[0].split(":")[-1].strip()
    return create_user(email, name, PASSWORD)


def _enterprise(users, admin_email, regulator_email, **fields) -> Enterprise:
    enterprise = Enterprise(**fields, is_profile_public=True, is_filings_public=True)
    db.session.add(enterprise)
    db.session.flush()
    add_member(users[admin_email], enterprise, is_recorder=True, is_admin=True)
    _approved_filing(enterprise, users[admin_email], users[regulator_email])
    return enterprise


def _approved_filing(enterprise, submitter, regulator, product=None) -> None:
    kind = "product" if product else "enterprise"
    filing = Filing(
        enterprise=enterprise,
        kind=kind,
        product=product,
        status="approved",
        snapshot="{}",
        submitted_at=local(2026, 1, 10),
        decided_at=local(2026, 1, 15),
        decided_by=regulator,
    )
    filing.events = [
        FilingEvent(action="submit", actor=submitter),
        FilingEvent(action="approve", actor=regulator),
    ]
    db.session.add(filing)


def _product(enterprise, users, admin_email, regulator_email, **fields) -> Product:
    product = Product(enterprise=enterprise, is_public=True, **fields)
    db.session.add(product)
    db.session.flush()
    _approved_filing(enterprise, users[admin_email], users[regulator_email], product)
    return product


def _records(batch, author, rows, published) -> list[StageRecord]:
    records = []
    for i, (stage, title, when, place, operator, details) in enumerate(rows):
        record = StageRecord(
            batch=batch,
            stage_type=stage,
            title=title,
            occurred_at=when,
            place=place,
            operator=operator,
            details=details,
            status="submitted",
            submitted_at=when,
            created_by=author,
            is_public=i in published,
        )
        db.session.add(record)
        records.append(record)
    db.session.flush()
    return records


def _bind(enterprise, pool, batch, start, end, author) -> None:
    db.session.add(
        CodeRange(
            enterprise_id=enterprise.id,
            pool=pool,
            batch=batch,
            start_index=start,
            end_index=end,
            created_by=author,
        )
    )


ORCHARD_ROWS = (
    (
        "grafting",
        "嫁接：红富士接穗 / Grafting Red Fuji scions",
        local(2026, 3, 18),
        "红寺村果园 3 号地块",
        "王建国",
        "M26 矮化中间砧，嫁接 1,200 株。",
    ),
    (
        "fertilizing",
        "施有机肥 / Organic fertilizer",
        local(2026, 4, 9),
        "红寺村果园",
        "李秀兰",
        "腐熟羊粪 2 吨/亩，沟施。",
    ),
    (
        "irrigation",
        "滴灌 / Drip irrigation",
        local(2026, 6, 21),
        "红寺村果园",
        "王建国",
        "滴灌 25 立方米/亩。",
    ),
    (
        "harvest",
        "采收 / Harvest",
        local(2026, 10, 5),
        "红寺村果园",
        "采收组",
        "果径 80–85 mm，糖度 15.2 °Brix。",
    ),
    (
        "cold_storage",
        "入冷库 / Into cold storage",
        local(2026, 10, 6, 16),
        "静宁县冷链仓",
        "赵强",
        "0–1 °C，湿度 90%。",
    ),
    (
        "shipping",
        "发货 / Shipped",
        local(2026, 11, 1, 8, 30),
        "静宁县冷链仓",
        "赵强",
        "冷链车发往兰州配送中心。",
    ),
)


def _apple_cooperative(users) -> None:
    admin, regulator = "admin@apple.demo", "gansu@regulator.demo"
    enterprise = _enterprise(
        users, admin, regulator,
        name="静宁县红寺苹果专业合作社",
        credit_code="93620826MA7HX8K2AE",
        region_code="620826",
        address="甘肃省平凉市静宁县威戎镇红寺村",
        legal_representative="王建国",
        contact_name="李秀兰",
        contact_phone="0933-5550123",
        profile="海拔 1,600 米的黄土高原果园，种植红富士苹果二十年。\nA Loess Plateau orchard at 1,600 m growing Red Fuji apples for twenty years.",
    )  # fmt: skip
    add_member(users["recorder@apple.demo"], enterprise, is_recorder=True, is_admin=False)
    orchard = ProductionArea(
        enterprise=enterprise, name="红寺村果园 Hongsi orchard", location="静宁县威戎镇",
        area_size="120 亩", description="旱塬果园，滴灌。", is_public=True,
    )  # fmt: skip
    db.session.add(orchard)
    product = _product(
        enterprise, users, admin, regulator,
        name="静宁红富士苹果 Jingning Red Fuji apple", category="fruit",
        spec="80–85 mm", packaging_spec="5 kg 纸箱 / carton", gtin="6901234001013",
        description="脆甜多汁。Crisp and sweet.",
    )  # fmt: skip
    recorder = users["recorder@apple.demo"]
    full = Batch(
        enterprise_id=enterprise.id, product=product, lot_number="JN-2026-HF-001",
        production_date=date(2026, 10, 5), production_area=orchard, status="released",
        is_public=True,
    )  # fmt: skip
    partial = Batch(
        enterprise_id=enterprise.id, product=product, lot_number="JN-2026-HF-002",
        production_date=date(2026, 10, 12), production_area=orchard, status="released",
        is_public=True,
    )  # fmt: skip
    db.session.add_all([full, partial])
    db.session.flush()
    full_records = _records(full, recorder, ORCHARD_ROWS, published=range(len(ORCHARD_ROWS)))
    add_apple_photos(enterprise, product, harvest_record=full_records[3])
    _records(partial, recorder, ORCHARD_ROWS, published={0, 3, 5})
    pool = CodePool(enterprise=enterprise, start_index=0, end_index=99_999)
    db.session.add(pool)
    db.session.flush()
    _bind(enterprise, pool, full, 0, 4_999, recorder)
    _bind(enterprise, pool, partial, 5_000, 9_999, recorder)


COSMETICS_ROWS = (
    (
        "raw_material_intake",
        "原料入库：透明质酸钠 / Sodium hyaluronate intake",
        local(2026, 8, 3),
        "原料库 A",
        "陈静",
        "供应商批号 HA-260731，COA 合格。",
    ),
    (
        "filling",
        "灌装 / Filling",
        local(2026, 8, 12),
        "灌装车间 2 号线",
        "刘洋",
        "50 g 瓶装 20,000 支。",
    ),
    (
        "inspection",
        "出厂检验 / Release inspection",
        local(2026, 8, 14),
        "质检实验室",
        "周敏",
        "微生物、重金属检验合格，见报告。",
    ),
    (
        "packaging",
        "包装 / Packaging",
        local(2026, 8, 15),
        "包装车间",
        "刘洋",
        "内部备注：2 号线贴标机偶发歪斜。",
    ),
)


def _cosmetics_maker(users) -> None:
    admin, regulator = "admin@cosmetics.demo", "national@regulator.demo"
    enterprise = _enterprise(
        users, admin, regulator,
        name="上海柔雪化妆品有限公司",
        credit_code="91310115MA1K4Y2R8Q",
        region_code="310115",
        address="上海市浦东新区康桥工业园 88 号",
        legal_representative="陈静",
        contact_name="周敏",
        contact_phone="021-55501234",
        profile="护肤品生产企业，持有化妆品生产许可证。\nA skin-care manufacturer holding a cosmetics production licence.",
    )  # fmt: skip
    plant = ProductionArea(
        enterprise=enterprise, name="康桥工厂 Kangqiao plant", location="浦东新区康桥",
        area_size="8,000 m²", is_public=True,
    )  # fmt: skip
    db.session.add(plant)
    product = _product(
        enterprise, users, admin, regulator,
        name="柔雪保湿面霜 Rouxue moisturizing cream", category="cosmetics",
        spec="50 g", packaging_spec="瓶装 / jar", gtin="6901234002027",
    )  # fmt: skip
    batch = Batch(
        enterprise_id=enterprise.id, product=product, lot_number="RX-260812",
        production_date=date(2026, 8, 12), production_area=plant, status="released",
        is_public=True,
    )  # fmt: skip
    db.session.add(batch)
    db.session.flush()
    author = users[admin]
    records = _records(batch, author, COSMETICS_ROWS, published={0, 1, 2})
    report = store_upload(_PdfUpload(), enterprise, stage_record=records[2])
    report.is_public = True
    pool = CodePool(enterprise=enterprise, start_index=100_000, end_index=199_999)
    db.session.add(pool)
    db.session.flush()
    _bind(enterprise, pool, batch, 100_000, 119_999, author)


class _PdfUpload(io.BytesIO):
    """An in-memory inspection report that looks like an uploaded file."""

    filename = "inspection-report-RX-260812.pdf"

    def __init__(self):
        from reportlab.lib.pagesizes import A4
        from reportlab.pdfgen import canvas

        buffer = io.BytesIO()
        pdf = canvas.Canvas(buffer, pagesize=A4)
        pdf.setTitle("Inspection report RX-260812")
        lines = (
            "Release inspection report - batch RX-260812",
            "Product: Rouxue moisturizing cream 50 g",
            "Total aerobic count: < 10 CFU/g (limit 1000)   PASS",
            "Lead: 0.4 mg/kg (limit 10)   PASS",
            "Mercury: < 0.01 mg/kg (limit 1)   PASS",
            "Inspector: Zhou Min, 2026-08-14",
        )
        for i, line in enumerate(lines):
            pdf.drawString(72, 770 - 22 * i, line)
        pdf.showPage()
        pdf.save()
        super().__init__(buffer.getvalue())


def sample_codes() -> dict[str, str]:
    key = code_key()
    return {
        "full": key.encode(FULL_INDEX),
        "partial": key.encode(PARTIAL_INDEX),
        "unknown": key.encode(UNKNOWN_INDEX),
        "recalled": key.encode(RECALLED_INDEX),
    }


def demo_summary(base_url: str) -> str:
    codes = sample_codes()
    lines = [
        "",
        f"Suyuan demo — {base_url}",
        f"Logins (password for all: {PASSWORD}):",
        *(f"  {email:<28} {label}" for email, label in (*LOGINS, *FLOW_LOGINS)),
        "",
        "Sample identity codes (type them on the start page, or open the links):",
        "Fully published (apple lot JN-2026-HF-001):",
        codes["full"],
        f"  {group(codes['full'])}   {base_url}/q/{codes['full']}",
        "Partly published (apple lot JN-2026-HF-002, 3 of 6 records):",
        codes["partial"],
        f"  {group(codes['partial'])}   {base_url}/q/{codes['partial']}",
        f"Recalled (cosmetics lot {RECALLED_LOT}, class II recall, nothing published):",
        codes["recalled"],
        f"  {group(codes['recalled'])}   {base_url}/q/{codes['recalled']}",
        "Unknown (well-formed, never issued):",
        codes["unknown"],
        f"  {group(codes['unknown'])}   {base_url}/q/{codes['unknown']}",
        "",
    ]
    return "\n".join(lines)
