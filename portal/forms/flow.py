"""Forms of the goods flow: counterparties, documents with their lines, corrections, disputes."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    FieldList,
    Form,
    FormField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from suyuan.models.flow import COUNTERPARTY_ROLES, COUNTERPARTY_TYPES
from suyuan.vocab import COUNTERPARTY_ROLE_LABELS, COUNTERPARTY_TYPE_LABELS, UNITS

LINE_ROWS = 5


class CounterpartyForm(FlaskForm):
    role = SelectField(
        _l("Relationship"),
        choices=[SelectChoice(v, COUNTERPARTY_ROLE_LABELS[v]) for v in COUNTERPARTY_ROLES],
        validators=[DataRequired()],
    )
    business_type = SelectField(
        _l("Type"),
        choices=[SelectChoice(v, COUNTERPARTY_TYPE_LABELS[v]) for v in COUNTERPARTY_TYPES],
        validators=[DataRequired()],
    )
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    credit_code = StringField(
        _l("Unified social credit code"), validators=[DataRequired(), Length(max=18)]
    )
    contact_name = StringField(_l("Contact"), validators=[Length(max=64)])
    contact_phone = StringField(_l("Phone"), validators=[Length(max=64)])
    region_code = StringField(_l("Region code"), validators=[DataRequired(), Length(max=6)])
    address = StringField(_l("Address"), validators=[Length(max=200)])
    legal_representative = StringField(_l("Legal representative"), validators=[Length(max=64)])
    licence_number = StringField(_l("Licence number"), validators=[Length(max=64)])
    licence_valid_until = DateField(_l("Licence valid until"), validators=[Optional()])

    FIELDS = (
        "role", "business_type", "name", "credit_code", "contact_name", "contact_phone",
        "region_code", "address", "legal_representative", "licence_number",
        "licence_valid_until",
    )  # fmt: skip

    def values(self) -> dict:
        return {name: getattr(self, name).data for name in self.FIELDS}


class LineForm(Form):
    # The view checks the batch against the enterprise's choices; an empty row is skipped.
    batch_id = SelectField(_l("Batch"), coerce=int, default=0, validate_choice=False)
    quantity = StringField(_l("Quantity"), validators=[Length(max=20)])
    unit = SelectField(
        _l("Unit"), choices=[SelectChoice(v, label) for v, label in UNITS.items()], default="box"
    )
    first_code = StringField(_l("First code"), validators=[Length(max=40)])
    last_code = StringField(_l("Last code"), validators=[Length(max=40)])

    @property
    def is_empty(self) -> bool:
        return not self.batch_id.data and not (self.quantity.data or "").strip()


class TransactionForm(FlaskForm):
    number = StringField(_l("Document number"), validators=[DataRequired(), Length(max=64)])
    moved_on = DateField(_l("Date"), validators=[DataRequired()])
    counterparty_id = SelectField(_l("Counterparty"), coerce=int, default=0, validate_choice=False)
    note = TextAreaField(_l("Note"), validators=[Length(max=2000)])
    lines = FieldList(FormField(LineForm), min_entries=LINE_ROWS, max_entries=50)
    save = SubmitField(_l("Save"))
    submit = SubmitField(_l("Submit"))

    def set_choices(self, counterparties, batches) -> None:
        self.counterparty_id.choices = [SelectChoice(0, _l("— none —"))] + [
            SelectChoice(c.id, f"{c.name} ({c.credit_code})") for c in counterparties
        ]
        options = [SelectChoice(0, "—")] + [
            SelectChoice(b.id, f"{b.product.name} · {b.lot_number}") for b in batches
        ]
        for entry in self.lines:
            entry.form.batch_id.choices = options


class CorrectionForm(TransactionForm):
    reason = TextAreaField(
        _l("Reason for the correction"), validators=[DataRequired(), Length(max=2000)]
    )
    save = None
    submit = SubmitField(_l("Submit correction"))


class DisputeForm(FlaskForm):
    reason = TextAreaField(
        _l("Reason for the dispute"), validators=[DataRequired(), Length(max=2000)]
    )
