"""Excel import and export in the portal: templates to download, uploads imported all or
nothing, the history of imports with their error reports, and every list as xlsx or CSV.

Imports and exports run in the request, bounded by the reader's row and size caps and the
export row cap; ``progress`` callbacks are where a job queue reports from.
"""

from datetime import date

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from portal import bp
from portal.forms.imports import ImportForm
from suyuan.extensions import db
from suyuan.models import ImportRun
from suyuan.permissions import active_role, enterprise_role_required, get_owned_or_404, role_refusal
from suyuan.services.errors import DomainError
from suyuan.spreadsheets.download import download
from suyuan.spreadsheets.export import TooManyRows, csv_file
from suyuan.spreadsheets.importer import import_workbook, report_path
from suyuan.spreadsheets.kinds import KINDS, get_kind
from suyuan.spreadsheets.reader import MAX_BYTES, limit
from suyuan.spreadsheets.templates import header_text, kind_workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
REPORT_ROWS_SHOWN = 200


def kind_or_404(name: str):
    kind = get_kind(name)
    if kind is None:
        abort(404)
    return kind


def refuse_unless_role(kind) -> None:
    if kind.ROLES and active_role() not in kind.ROLES:
        abort(403, description=role_refusal(kind.ROLES))


@bp.route("/imports")
@enterprise_role_required()
def imports():
    return _imports_page(_form())


def _form(**kwargs) -> ImportForm:
    form = ImportForm(kind=request.args.get("kind"), **kwargs)
    form.kind.choices = [(name, str(kind.TITLE)) for name, kind in KINDS.items()]
    return form


def _imports_page(form, status: int = 200):
    runs = db.paginate(
        select(ImportRun)
        .where(ImportRun.enterprise_id == g.enterprise.id)
        .order_by(ImportRun.created_at.desc(), ImportRun.id.desc()),
        page=request.args.get("page", 1, type=int),
        per_page=20,
    )
    return render_template(
        "portal/imports/index.html",
        form=form,
        runs=runs,
        kinds=KINDS,
        max_mb=limit("IMPORT_MAX_BYTES", MAX_BYTES) // (1024 * 1024),
    ), status


@bp.get("/imports/templates/<kind_name>.xlsx")
@enterprise_role_required()
def import_template(kind_name: str):
    kind = kind_or_404(kind_name)
    return download(kind_workbook(kind), "xlsx", f"{kind.NAME}.xlsx")


@bp.post("/imports")
@enterprise_role_required()
def import_upload():
    form = _form()
    if not form.validate_on_submit():
        return _imports_page(form, 400)
    kind = kind_or_404(form.kind.data)
    refuse_unless_role(kind)
    upload = form.file.data
    data = upload.stream.read(limit("IMPORT_MAX_BYTES", MAX_BYTES) + 1)
    try:
        run = import_workbook(g.enterprise, current_user, kind, data, upload.filename)
    except DomainError as error:
        db.session.rollback()
        form.file.errors = [*form.file.errors, error.message]
        return _imports_page(form, error.status_code)
    db.session.commit()
    if run.status == "imported":
        flash(
            _("Imported %(n)s rows from %(name)s.", n=f"{run.row_count:,}", name=run.filename),
            "success",
        )
    else:
        flash(_("Nothing was imported: the file has errors."), "error")
    return redirect(url_for("portal.import_detail", run_id=run.id), 303)


@bp.get("/imports/<int:run_id>")
@enterprise_role_required()
def import_detail(run_id: int):
    run = get_owned_or_404(ImportRun, run_id)
    errors = _report_rows(run)
    return render_template(
        "portal/imports/detail.html",
        run=run,
        kind=get_kind(run.kind),
        errors=errors[:REPORT_ROWS_SHOWN],
        more=max(0, len(errors) - REPORT_ROWS_SHOWN),
    )


def _report_rows(run: ImportRun) -> list[tuple]:
    if not run.error_report_path:
        return []
    from openpyxl import load_workbook

    workbook = load_workbook(report_path(run.error_report_path), read_only=True)
    try:
        rows = list(workbook.worksheets[0].iter_rows(min_row=2, values_only=True))
    finally:
        workbook.close()
    return rows


@bp.get("/imports/<int:run_id>/errors.xlsx")
@enterprise_role_required()
def import_report(run_id: int):
    run = get_owned_or_404(ImportRun, run_id)
    if not run.error_report_path:
        abort(404)
    output = report_path(run.error_report_path).open("rb")
    return download(output, "xlsx", f"errors-{run.id}.xlsx")


@bp.get("/exports/<kind_name>.<fmt>")
@enterprise_role_required()
def export_list(kind_name: str, fmt: str):
    """The list of ``kind`` with the list page's filters (its query string), as xlsx (the
    import template's layout, so it imports back) or CSV."""
    kind = kind_or_404(kind_name)
    if fmt not in ("xlsx", "csv"):
        abort(404)
    rows = kind.export_rows(g.enterprise, request.args)
    name = f"{kind.NAME}-{date.today().isoformat()}.{fmt}"
    try:
        if fmt == "xlsx":
            output = kind_workbook(kind, rows)
        else:
            output = csv_file([header_text(column) for column in kind.COLUMNS], rows)
    except TooManyRows as error:
        flash(
            _(
                "The list has more than %(n)s rows: narrow it with the filters and export again.",
                n=f"{error.args[0]:,}",
            ),
            "error",
        )
        return redirect(url_for("portal.imports"), 303)
    return download(output, fmt, name)
