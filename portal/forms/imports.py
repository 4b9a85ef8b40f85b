"""The spreadsheet import form: which kind of rows, and the workbook."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import SelectField
from wtforms.validators import DataRequired


class ImportForm(FlaskForm):
    kind = SelectField(_l("What the file holds"), validators=[DataRequired()])
    file = FileField(_l("Excel workbook (.xlsx)"), validators=[FileRequired()])
