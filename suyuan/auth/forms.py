"""Forms for signing in and registering an enterprise."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length, ValidationError

from suyuan.validators import credit_code_error, region_error


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email()])
    password = PasswordField(_l("Password"), validators=[DataRequired()])


def validate_credit_code(form, field):
    error = credit_code_error(field.data.strip().upper())
    if error == "check":
        raise ValidationError(_l("The check character does not match: please re-check the code."))
    if error:
        raise ValidationError(
            _l(
                "A unified social credit code has 18 characters (digits and capital letters except I, O, S, V, Z)."
            )
        )


def validate_region_code(form, field):
    if region_error(field.data.strip()):
        raise ValidationError(_l("Enter a six-digit GB/T 2260 region code, e.g. 620100."))


class EnterpriseFieldsMixin:
    name = StringField(_l("Enterprise name"), validators=[DataRequired(), Length(max=200)])
    credit_code = StringField(
        _l("Unified social credit code"), validators=[DataRequired(), validate_credit_code]
    )
    region_code = StringField(
        _l("Region code (GB/T 2260)"), validators=[DataRequired(), validate_region_code]
    )
    address = StringField(_l("Address"), validators=[DataRequired(), Length(max=200)])
    legal_representative = StringField(
        _l("Legal representative"), validators=[DataRequired(), Length(max=64)]
    )
    contact_name = StringField(_l("Contact person"), validators=[DataRequired(), Length(max=64)])
    contact_phone = StringField(_l("Contact phone"), validators=[DataRequired(), Length(max=64)])


class RegisterForm(EnterpriseFieldsMixin, FlaskForm):
    account_name = StringField(_l("Your name"), validators=[DataRequired(), Length(max=200)])
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(min=10, max=128)])
    confirm = PasswordField(
        _l("Repeat password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The passwords differ."))],
    )
