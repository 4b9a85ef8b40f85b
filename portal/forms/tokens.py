"""The form that creates an API token."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectMultipleField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length
from wtforms.widgets import CheckboxInput, ListWidget


def permission_choices() -> list[SelectChoice]:
    return [
        SelectChoice("read", _l("read — see the enterprise's data")),
        SelectChoice("write", _l("write — products, batches, stage records, the profile")),
        SelectChoice("publish", _l("publish — open and close items for public query")),
        SelectChoice("codes", _l("codes — bind, release and void identity codes")),
    ]


class TokenForm(FlaskForm):
    name = StringField(
        _l("Name"), validators=[DataRequired(), Length(max=200)], description=_l("What it is for")
    )
    permissions = SelectMultipleField(
        _l("Permissions"),
        choices=permission_choices,
        default=["read"],
        validators=[DataRequired(message=_l("Choose at least one permission."))],
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )
