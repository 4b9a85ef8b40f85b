"""Forms of the public site: sharing a region with a scan, reporting a problem, following a
report with its check code."""

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from suyuan.models.feedback import FEEDBACK_CATEGORIES
from suyuan.regions import CITIES, PROVINCES


def region_choices() -> list[tuple[str, str]]:
    """Provinces, with the cities we know under their province, in the reader's language."""
    index = 0 if str(get_locale()) == "zh" else 1
    choices = []
    for code, names in PROVINCES.items():
        choices.append((code, names[index]))
        for city, city_names in CITIES.items():
            if city[:2] == code[:2] and city != code:
                choices.append((city, f"{names[index]} · {city_names[index]}"))
    return choices


def category_choices() -> list[tuple[str, str]]:
    from suyuan.services.feedback import category_label

    return [(value, category_label(value)) for value in FEEDBACK_CATEGORIES]


class RegionForm(FlaskForm):
    region = SelectField(_l("Your city or province"), validators=[DataRequired()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.region.choices = region_choices()


class FeedbackForm(FlaskForm):
    category = SelectField(_l("What is the problem?"), validators=[DataRequired()])
    description = TextAreaField(
        _l("Describe what you noticed"), validators=[DataRequired(), Length(max=4000)]
    )
    photo = FileField(_l("Photo (optional, PNG or JPEG, at most 10 MB)"))
    contact = StringField(
        _l("How can the producer reach you? (optional)"), validators=[Optional(), Length(max=200)]
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.category.choices = category_choices()


class CheckCodeForm(FlaskForm):
    class Meta:
        csrf = False  # a GET form: looking up a status changes nothing

    check = StringField(_l("Check code"), validators=[DataRequired(), Length(max=40)])
