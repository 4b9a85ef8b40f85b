"""Forms of the identity-code pages: bind a continuous range, release or void part of it."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange

CODE_HINT = _l("20 digits; spaces between groups are fine.")


class BindByCodesForm(FlaskForm):
    """添加连续身份码: the first and the last code printed on the labels."""

    mode = HiddenField(default="codes", id="mode-codes")
    first_code = StringField(_l("First code"), validators=[DataRequired(), Length(max=40)])
    last_code = StringField(_l("Last code"), validators=[DataRequired(), Length(max=40)])


class BindByPositionsForm(FlaskForm):
    """The same, by position inside one of the enterprise's pools (1 = the pool's first code)."""

    mode = HiddenField(default="positions", id="mode-positions")
    pool_id = SelectField(_l("Pool"), coerce=int, validators=[DataRequired()])
    first_position = IntegerField(
        _l("From position"), validators=[DataRequired(), NumberRange(min=1)]
    )
    last_position = IntegerField(_l("To position"), validators=[DataRequired(), NumberRange(min=1)])


class EndCodesForm(FlaskForm):
    """Release (解绑) or void (作废) a part of a bound range."""

    first_code = StringField(_l("First code"), validators=[DataRequired(), Length(max=40)])
    last_code = StringField(_l("Last code"), validators=[DataRequired(), Length(max=40)])
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(), Length(max=500)])
