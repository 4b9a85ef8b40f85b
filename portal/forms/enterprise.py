"""Forms of the enterprise pages: the profile, members and production areas."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, Length

from suyuan.auth.forms import EnterpriseFieldsMixin


class EnterpriseForm(EnterpriseFieldsMixin, FlaskForm):
    profile = TextAreaField(_l("Profile"), validators=[Length(max=5000)])


class MemberForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email(), Length(max=254)])
    password = PasswordField(
        _l("Initial password"), validators=[DataRequired(), Length(min=10, max=128)]
    )
    roles = SelectField(
        _l("Roles"),
        choices=[
            SelectChoice("recorder", _l("Recorder")),
            SelectChoice("admin", _l("Enterprise admin")),
            SelectChoice("both", _l("Recorder and enterprise admin")),
        ],
        validators=[DataRequired()],
    )


class AreaForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    location = StringField(_l("Location"), validators=[Length(max=200)])
    area_size = StringField(_l("Size"), validators=[Length(max=64)])
    description = TextAreaField(_l("Description"), validators=[Length(max=5000)])
