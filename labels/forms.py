"""Forms of the print pages: the label settings, and which codes (a batch's ranges, or a
pool's first..last)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DecimalField, IntegerField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from labels.layouts import PRESETS
from labels.settings import RunSettings

FORMATS = [
    SelectChoice("pdf", _l("PDF (office or thermal printer)")),
    SelectChoice("zpl", _l("ZPL II (Zebra thermal printer)")),
    SelectChoice("png", _l("PNG images, one per code (artwork)")),
    SelectChoice("svg", _l("SVG images, one per code (artwork)")),
]
EC_LEVELS = [
    SelectChoice("L", _l("L — 7% (smallest modules)")),
    SelectChoice("M", _l("M — 15% (recommended)")),
    SelectChoice("Q", _l("Q — 25%")),
    SelectChoice("H", _l("H — 30% (most robust)")),
]
CUSTOM_SIZES = (
    "page_w_mm", "page_h_mm", "label_w_mm", "label_h_mm",
    "margin_left_mm", "margin_top_mm", "gap_x_mm", "gap_y_mm",
)  # fmt: skip


def _mm(label):
    return DecimalField(label, places=2, validators=[Optional(), NumberRange(min=0, max=1200)])


class LabelSettingsForm(FlaskForm):
    layout = SelectField(_l("Label layout"), validators=[DataRequired()], default="a4-3x8")
    kind = SelectField(
        _l("Custom label stock"),
        choices=[
            SelectChoice("sheet", _l("Sheets (office printer)")),
            SelectChoice("roll", _l("Roll (thermal printer)")),
        ],
        default="sheet",
    )
    page_w_mm = _mm(_l("Page width (mm)"))
    page_h_mm = _mm(_l("Page height (mm)"))
    label_w_mm = _mm(_l("Label width (mm)"))
    label_h_mm = _mm(_l("Label height (mm)"))
    cols = IntegerField(_l("Columns"), validators=[Optional(), NumberRange(min=1, max=50)])
    rows = IntegerField(_l("Rows"), validators=[Optional(), NumberRange(min=1, max=100)])
    margin_left_mm = _mm(_l("Left margin (mm)"))
    margin_top_mm = _mm(_l("Top margin (mm)"))
    gap_x_mm = _mm(_l("Gap between columns (mm)"))
    gap_y_mm = _mm(_l("Gap between rows (mm)"))
    fmt = SelectField(_l("File format"), choices=FORMATS, default="pdf")
    error_correction = SelectField(_l("Error correction"), choices=EC_LEVELS, default="M")
    dpi = IntegerField(
        _l("Printer resolution (dpi)"), validators=[Optional(), NumberRange(min=100, max=1200)]
    )
    show_product = BooleanField(_l("Print the product name"), default=True)
    show_lot = BooleanField(_l("Print the lot number"), default=True)
    per_file = IntegerField(
        _l("Labels per file"), validators=[Optional(), NumberRange(min=1, max=100_000)]
    )

    def set_layout_choices(self, describe) -> None:
        self.layout.choices = [SelectChoice(k, describe(layout)) for k, layout in PRESETS.items()]
        self.layout.choices.append(
            SelectChoice("custom", _l("Custom size (fill in the fields below)"))
        )

    def settings(self, default_per_file: int) -> RunSettings:
        custom = None
        if self.layout.data == "custom":
            custom = {"kind": self.kind.data}
            for name in (*CUSTOM_SIZES, "cols", "rows"):
                value = self[name].data
                if value is not None:
                    custom[name] = float(value) if name in CUSTOM_SIZES else value
            if self.dpi.data:
                custom["dpi"] = self.dpi.data
        return RunSettings(
            layout_key=self.layout.data,
            custom=custom,
            fmt=self.fmt.data,
            error_correction=self.error_correction.data,
            dpi=self.dpi.data or None,
            show_product=self.show_product.data,
            show_lot=self.show_lot.data,
            per_file=self.per_file.data or default_per_file,
        )

    def query_args(self) -> dict:
        """The settings as query arguments (for the preview image's URL)."""
        skip = {"csrf_token"}
        args = {}
        for f in self:
            if f.name in skip or f.data in (None, "", False):
                continue
            args[f.name] = "y" if f.data is True else str(f.data)
        return args


class BatchRunForm(LabelSettingsForm):
    code_range = SelectField(_l("Codes to print"), validators=[DataRequired()], default="all")


class PoolRunForm(LabelSettingsForm):
    first_code = StringField(_l("First code"), validators=[DataRequired(), Length(max=40)])
    last_code = StringField(_l("Last code"), validators=[DataRequired(), Length(max=40)])
