"""Forms for batches (生产批次) and their stage records (生产档案)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import MultipleFileField
from wtforms import (
    DateField,
    DateTimeLocalField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from suyuan.services.records import DEFAULT_TZ

#: Zones a recorder may enter a time in; China first, then places goods commonly come from.
TIME_ZONES = (
    DEFAULT_TZ,
    "Asia/Urumqi",
    "Asia/Hong_Kong",
    "Asia/Taipei",
    "Asia/Tokyo",
    "Asia/Seoul",
    "Asia/Singapore",
    "Asia/Bangkok",
    "Europe/London",
    "Europe/Paris",
    "America/New_York",
    "America/Los_Angeles",
    "Australia/Sydney",
    "UTC",
)


class BatchFields(FlaskForm):
    lot_number = StringField(_l("Lot number"), validators=[DataRequired(), Length(max=64)])
    production_date = DateField(_l("Production date"), validators=[DataRequired()])
    production_area_id = SelectField(_l("Production area"), coerce=int, default=0)
    notes = TextAreaField(_l("Notes"), validators=[Optional()])

    def set_areas(self, areas) -> None:
        self.production_area_id.choices = [SelectChoice(0, _l("— none —"))] + [
            SelectChoice(area.id, area.name) for area in areas
        ]


class BatchForm(BatchFields):
    # validate_choice is off so that a product whose filing is not approved reaches the
    # service and is refused with the reason instead of "Not a valid choice".
    product_id = SelectField(
        _l("Product"), coerce=int, validators=[DataRequired()], validate_choice=False
    )


class BatchEditForm(BatchFields):
    status = SelectField(_l("Status"), validators=[DataRequired()])


class RecordForm(FlaskForm):
    # The service refuses a stage outside the category's vocabulary with a clear message.
    stage_type = SelectField(_l("Stage"), validators=[DataRequired()], validate_choice=False)
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    occurred_at = DateTimeLocalField(
        _l("Occurred at"),
        validators=[DataRequired()],
        format=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
    )
    occurred_tz = SelectField(
        _l("Time zone"),
        choices=[SelectChoice(zone) for zone in TIME_ZONES],
        default=DEFAULT_TZ,
        validators=[DataRequired()],
    )
    place = StringField(_l("Place"), validators=[Length(max=200)])
    operator = StringField(_l("Operator"), validators=[Length(max=64)])
    details = TextAreaField(_l("Details"))
    attachments = MultipleFileField(_l("Attachments (PNG, JPEG or PDF)"))
    save = SubmitField(_l("Save"))
    submit = SubmitField(_l("Submit"))

    def set_stage_types(self, types: dict) -> None:
        self.stage_type.choices = [SelectChoice(value, label) for value, label in types.items()]

    def values(self) -> dict:
        names = ("stage_type", "title", "occurred_at", "occurred_tz", "place", "operator")
        return {name: getattr(self, name).data for name in (*names, "details")}


class CorrectionForm(RecordForm):
    reason = TextAreaField(_l("Reason for the correction"), validators=[DataRequired()])
    save = None
    submit = SubmitField(_l("Submit correction"))
