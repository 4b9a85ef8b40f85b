"""Console forms: filing decisions and account creation."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, Length, ValidationError

from suyuan.regions import NATIONAL
from suyuan.validators import region_error


class RejectForm(FlaskForm):
    reason = TextAreaField(
        _l("Reason for the rejection"), validators=[DataRequired(), Length(max=2000)]
    )


def validate_scope(form, field):
    if form.kind.data != "regulator":
        return
    value = (field.data or "").strip()
    if not value:
        raise ValidationError(_l("A regulator needs the region they oversee."))
    if value != NATIONAL and region_error(value):
        raise ValidationError(
            _l("Enter 000000 for national, or a six-digit GB/T 2260 region code, e.g. 620000.")
        )


class AccountForm(FlaskForm):
    kind = SelectField(
        _l("Account type"),
        choices=[
            SelectChoice("regulator", _l("Regulator")),
            SelectChoice("platform_admin", _l("Platform administrator")),
        ],
        validators=[DataRequired()],
    )
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email(), Length(max=254)])
    password = PasswordField(
        _l("Initial password"), validators=[DataRequired(), Length(min=10, max=128)]
    )
    region = StringField(_l("Region overseen (regulators)"), validators=[validate_scope])
