"""Forms for recalls and non-conformance records, shared by the portal and the console."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import IntegerField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from suyuan.vocab_recalls import NONCONFORMANCE_STATUS_LABELS, SEVERITY_LABELS


class CheckboxesField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class BatchChoiceForm(FlaskForm):
    batches = CheckboxesField(_l("Batches"), coerce=int)

    def set_batches(self, product) -> None:
        self.batches.choices = [
            SelectChoice(b.id, f"{b.lot_number} ({b.production_date.isoformat()})")
            for b in product.batches
        ]


class RecallForm(BatchChoiceForm):
    severity = SelectField(
        _l("Severity"),
        choices=[SelectChoice(value, label) for value, label in SEVERITY_LABELS.items()],
        validators=[DataRequired()],
    )
    reason = TextAreaField(
        _l("What is wrong, in plain words"), validators=[DataRequired(), Length(max=2000)]
    )
    consumer_advice = TextAreaField(
        _l("What consumers should do"), validators=[DataRequired(), Length(max=2000)]
    )
    first_code = StringField(_l("First code of a range"), validators=[Optional(), Length(max=40)])
    last_code = StringField(_l("Last code of the range"), validators=[Optional(), Length(max=40)])
    nonconformance_id = SelectField(_l("Non-conformance record"), coerce=int, default=0)


class NoteForm(FlaskForm):
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=2000)])


class CompleteForm(NoteForm):
    quantity_recovered = IntegerField(
        _l("Quantity recovered"), validators=[InputRequired(), NumberRange(min=0)]
    )


class NonConformanceForm(BatchChoiceForm):
    reason = TextAreaField(
        _l("What does not conform"), validators=[DataRequired(), Length(max=2000)]
    )
    report = FileField(_l("Inspection report (PDF or image)"))


class NonConformanceStatusForm(NoteForm):
    status = SelectField(
        _l("New status"),
        choices=[SelectChoice(v, label) for v, label in NONCONFORMANCE_STATUS_LABELS.items()],
        validators=[DataRequired()],
    )


def declare_from_form(form: RecallForm, actor, product):
    """Call the recall service with the form's batches and optional code range."""
    from suyuan.extensions import db
    from suyuan.models import NonConformance
    from suyuan.services.codes import parse_code
    from suyuan.services.errors import DomainError
    from suyuan.services.recalls import declare_recall

    batches = [b for b in product.batches if b.id in (form.batches.data or [])]
    code_ranges = []
    first, last = (form.first_code.data or "").strip(), (form.last_code.data or "").strip()
    if first or last:
        if not (first and last):
            raise DomainError(_("Enter both the first and the last code."), field="last_code")
        code_ranges.append((parse_code(first, "first_code"), parse_code(last, "last_code")))
    record = None
    if form.nonconformance_id.data:
        record = db.session.get(NonConformance, form.nonconformance_id.data)
        if record is None or record.product_id != product.id:
            raise DomainError(_("Choose a record of this product."), field="nonconformance_id")
    return declare_recall(
        actor,
        product,
        severity=form.severity.data,
        reason=form.reason.data,
        consumer_advice=form.consumer_advice.data,
        batches=batches,
        code_ranges=code_ranges,
        nonconformance=record,
    )


def set_nonconformance_choices(form: RecallForm, product) -> None:
    from sqlalchemy import select

    from suyuan.extensions import db
    from suyuan.models import NonConformance

    records = db.session.scalars(
        select(NonConformance)
        .where(NonConformance.product_id == product.id)
        .order_by(NonConformance.id.desc())
    )
    form.nonconformance_id.choices = [SelectChoice(0, _l("— none —"))] + [
        SelectChoice(r.id, f"#{r.id} {r.reason[:60]}") for r in records
    ]


def record_from_form(form: NonConformanceForm, actor, product):
    """Call the non-conformance service with the form's batches (of this product only)."""
    from suyuan.services.nonconformance import record_nonconformance

    batches = [b for b in product.batches if b.id in (form.batches.data or [])]
    return record_nonconformance(actor, product, batches, form.reason.data, form.report.data)
