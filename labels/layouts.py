"""Label stock: where each label sits on a page, in millimetres.

Sheet presets follow common label stock (the Avery-compatible sizes sold for A4 and US Letter);
roll presets are thermal labels printed one per page.
"""

from dataclasses import dataclass, fields, replace

from labels.texts import _

SHEET_DPI = 300
ROLL_DPI = 203
MIN_LABEL_MM = 10.0
MAX_PAGE_MM = 1200.0


class LayoutError(ValueError):
    """A layout that cannot be printed; the message says what to change."""


@dataclass(frozen=True)
class Layout:
    key: str
    kind: str  # "sheet" (office printer) or "roll" (thermal printer, one label per page)
    page_w_mm: float
    page_h_mm: float
    label_w_mm: float
    label_h_mm: float
    rows: int
    cols: int
    margin_left_mm: float
    margin_top_mm: float
    gap_x_mm: float
    gap_y_mm: float
    dpi: int

    @property
    def per_page(self) -> int:
        return self.rows * self.cols

    def label_origin_mm(self, slot: int) -> tuple[float, float]:
        """Top-left corner of the ``slot``-th label on a page (row-major), from the page's
        top-left corner."""
        row, col = divmod(slot, self.cols)
        return (
            self.margin_left_mm + col * (self.label_w_mm + self.gap_x_mm),
            self.margin_top_mm + row * (self.label_h_mm + self.gap_y_mm),
        )


def _sheet(key, page, label, grid, margins, gaps=(0.0, 0.0)) -> Layout:
    (page_w, page_h), (label_w, label_h), (cols, rows) = page, label, grid
    return Layout(
        key, "sheet", page_w, page_h, label_w, label_h, rows, cols, *margins, *gaps, SHEET_DPI
    )


def _roll(key: str, width: float, height: float) -> Layout:
    return Layout(key, "roll", width, height, width, height, 1, 1, 0.0, 0.0, 0.0, 0.0, ROLL_DPI)


A4 = (210.0, 297.0)
LETTER = (215.9, 279.4)

PRESETS: dict[str, Layout] = {
    layout.key: layout
    for layout in (
        # 24 labels of 70×37 mm, edge to edge (Avery 3474 size).
        _sheet("a4-3x8", A4, (70.0, 37.0), (3, 8), (0.0, 0.5)),
        # 40 labels of 52.5×29.7 mm, edge to edge (Avery 3651 size).
        _sheet("a4-4x10", A4, (52.5, 29.7), (4, 10), (0.0, 0.0)),
        # 14 labels of 99.1×38.1 mm (Avery L7163).
        _sheet("a4-2x7", A4, (99.1, 38.1), (2, 7), (4.65, 15.15), (2.5, 0.0)),
        # 30 labels of 2⅝×1 in (Avery 5160).
        _sheet("letter-3x10", LETTER, (66.675, 25.4), (3, 10), (4.7625, 12.7), (3.175, 0.0)),
        # 10 labels of 4×2 in (Avery 5163).
        _sheet("letter-2x5", LETTER, (101.6, 50.8), (2, 5), (3.96875, 12.7), (4.7625, 0.0)),
        _roll("roll-40x30", 40.0, 30.0),
        _roll("roll-50x30", 50.0, 30.0),
        _roll("roll-60x40", 60.0, 40.0),
    )
}

_NUMBERS = {f.name for f in fields(Layout)} - {"key", "kind"}


def get_layout(key: str) -> Layout:
    try:
        return PRESETS[key]
    except KeyError:
        raise LayoutError(
            _(
                "Unknown label layout “%(key)s”. Choose one of: %(choices)s, or a custom layout.",
                key=key,
                choices=", ".join(PRESETS),
            )
        ) from None


def custom_layout(**mm_values) -> Layout:
    """A layout from millimetre values. ``kind`` "roll" needs only ``label_w_mm`` and
    ``label_h_mm`` (the page is the label); a sheet needs the page, grid, margins and gaps."""
    kind = mm_values.pop("kind", "sheet")
    unknown = set(mm_values) - _NUMBERS
    if unknown:
        raise LayoutError(_("Unknown layout fields: %(names)s.", names=", ".join(sorted(unknown))))
    if kind not in ("sheet", "roll"):
        raise LayoutError(_("A layout is either for sheets or for a roll."))
    try:
        values = {name: float(value) for name, value in mm_values.items() if value is not None}
    except (TypeError, ValueError):
        raise LayoutError(_("Every layout size must be a number of millimetres.")) from None
    if kind == "roll":
        layout = _roll("custom", values.get("label_w_mm", 0.0), values.get("label_h_mm", 0.0))
        if "dpi" in values:
            layout = replace(layout, dpi=int(values["dpi"]))
    else:
        layout = _custom_sheet(values)
    _validate(layout)
    return layout


def _custom_sheet(values: dict[str, float]) -> Layout:
    defaults = {"page_w_mm": A4[0], "page_h_mm": A4[1], "margin_left_mm": 0.0}
    defaults |= {"margin_top_mm": 0.0, "gap_x_mm": 0.0, "gap_y_mm": 0.0, "dpi": SHEET_DPI}
    merged = defaults | values
    for name in ("label_w_mm", "label_h_mm", "rows", "cols"):
        if name not in merged:
            raise LayoutError(_("A custom sheet layout needs the label size, rows and columns."))
    for name in ("rows", "cols", "dpi"):
        if merged[name] != int(merged[name]):
            raise LayoutError(_("Rows, columns and printer resolution are whole numbers."))
        merged[name] = int(merged[name])
    return Layout(key="custom", kind="sheet", **merged)


def _validate(layout: Layout) -> None:
    if min(layout.label_w_mm, layout.label_h_mm) < MIN_LABEL_MM:
        raise LayoutError(
            _("A label must be at least %(min)s mm wide and tall.", min=f"{MIN_LABEL_MM:g}")
        )
    if max(layout.page_w_mm, layout.page_h_mm) > MAX_PAGE_MM:
        raise LayoutError(_("A page can be at most %(max)s mm long.", max=f"{MAX_PAGE_MM:g}"))
    if layout.rows < 1 or layout.cols < 1:
        raise LayoutError(_("A sheet needs at least one row and one column."))
    if min(layout.margin_left_mm, layout.margin_top_mm, layout.gap_x_mm, layout.gap_y_mm) < 0:
        raise LayoutError(_("Margins and gaps cannot be negative."))
    if not 100 <= layout.dpi <= 1200:
        raise LayoutError(_("The printer resolution must be between 100 and 1200 dpi."))
    used_w = layout.margin_left_mm + layout.cols * layout.label_w_mm
    used_w += (layout.cols - 1) * layout.gap_x_mm
    used_h = layout.margin_top_mm + layout.rows * layout.label_h_mm
    used_h += (layout.rows - 1) * layout.gap_y_mm
    if used_w > layout.page_w_mm + 0.01 or used_h > layout.page_h_mm + 0.01:
        raise LayoutError(
            _(
                "The labels need %(w)s × %(h)s mm but the page is %(pw)s × %(ph)s mm: "
                "use fewer rows or columns, smaller labels, or smaller margins and gaps.",
                w=f"{used_w:.1f}",
                h=f"{used_h:.1f}",
                pw=f"{layout.page_w_mm:g}",
                ph=f"{layout.page_h_mm:g}",
            )
        )
