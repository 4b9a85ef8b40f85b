"""Forms of the product pages: the product itself and its images."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, ValidationError

from suyuan.validators import gtin_check_digit, gtin_error
from suyuan.vocab import CATEGORIES


def validate_gtin(form, field):
    value = (field.data or "").strip()
    error = gtin_error(value) if value else None
    if error == "check":
        raise ValidationError(
            _l(
                "The check digit is wrong: for these digits it should be %(digit)s.",
                digit=gtin_check_digit(value[:-1]),
            )
        )
    if error:
        raise ValidationError(_l("A GTIN (barcode) has 8, 12, 13 or 14 digits."))


class ProductForm(FlaskForm):
    name = StringField(_l("Product name"), validators=[DataRequired(), Length(max=200)])
    category = SelectField(
        _l("Category"),
        choices=[
            SelectChoice("", _l("Choose…")),
            *(SelectChoice(value, label) for value, label in CATEGORIES.items()),
        ],
        validators=[DataRequired()],
    )
    spec = StringField(_l("Specification"), validators=[Length(max=64)])
    packaging_spec = StringField(_l("Packaging specification"), validators=[Length(max=64)])
    gtin = StringField(_l("GTIN (barcode)"), validators=[validate_gtin])
    description = TextAreaField(_l("Description"), validators=[Length(max=5000)])


class ImageForm(FlaskForm):
    image = FileField(_l("Image (PNG or JPEG)"), validators=[FileRequired()])
