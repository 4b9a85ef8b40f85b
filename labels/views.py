"""Label views: one code's QR, and the print pages of a batch or a code pool (settings, a
preview of the first page with the readiness verdict, starting a run). Every object is
loaded inside the caller's enterprise (another enterprise's answers 404)."""

from flask import (
    Response,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from labels import bp
from labels.engine import render_preview_png
from labels.forms import BatchRunForm, PoolRunForm
from labels.layouts import Layout
from labels.render import code_url, qr_png, qr_svg
from labels.runs import create_run, label_source, source_segments, start_run
from labels.settings import readiness
from labels.sources import bound_ranges, check_size
from suyuan.extensions import db
from suyuan.identity import CodeError, code_key
from suyuan.models import Batch, CodePool
from suyuan.permissions import (
    current_enterprise,
    enterprise_role_required,
    get_owned_or_404,
    login_required,
)
from suyuan.services.codes import parse_code, pool_at, printed
from suyuan.services.errors import DomainError, NotAllowed

RENDERERS = {"svg": (qr_svg, "image/svg+xml"), "png": (qr_png, "image/png")}
#: Sharp on high-density screens; at 100 dpi the 4×10 sheet's modules blur together.
PREVIEW_DPI = 150
#: The pool page suggests this many codes from the pool's start.
POOL_DEFAULT_COUNT = 1000


@bp.route("/code/<code>.<any(svg, png):fmt>")
@login_required
def code_qr(code: str, fmt: str):
    """The QR of one code, for a member of the enterprise whose pool holds it."""
    try:
        index = code_key().decode(code)
    except CodeError:
        abort(404)
    enterprise = current_enterprise()
    pool = pool_at(index)
    if enterprise is None or pool is None or pool.enterprise_id != enterprise.id:
        abort(404)
    canonical = code_key().encode(index)
    render, mimetype = RENDERERS[fmt]
    body = render(code_url(current_app.config["BASE_URL"], canonical))
    return Response(
        body,
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="{canonical}.{fmt}"'},
    )


def describe_layout(layout: Layout) -> str:
    if layout.kind == "roll":
        return _(
            "%(key)s — roll: one %(w)s × %(h)s mm label per page (thermal, %(dpi)s dpi)",
            key=layout.key, w=f"{layout.label_w_mm:g}", h=f"{layout.label_h_mm:g}", dpi=layout.dpi,
        )  # fmt: skip
    return _(
        "%(key)s — sheet %(pw)s × %(ph)s mm: %(cols)s × %(rows)s labels of %(w)s × %(h)s mm",
        key=layout.key, pw=f"{layout.page_w_mm:g}", ph=f"{layout.page_h_mm:g}",
        cols=layout.cols, rows=layout.rows, w=f"{layout.label_w_mm:g}", h=f"{layout.label_h_mm:g}",
    )  # fmt: skip


# A batch's codes


def _batch_form(batch: Batch, formdata, **defaults) -> BatchRunForm:
    form = BatchRunForm(formdata=formdata, **defaults)
    form.set_layout_choices(describe_layout)
    ranges = bound_ranges(batch)
    total = sum(r.size for r in ranges)
    every = _("Every bound code of the batch (%(n)s)", n=f"{total:,}")
    form.code_range.choices = [SelectChoice("all", every)]
    form.code_range.choices += [
        SelectChoice(str(r.id), f"{printed(r.start_index)} – {printed(r.end_index)} ({r.size:,})")
        for r in ranges
    ]
    return form


def _batch_source(batch: Batch, form: BatchRunForm) -> dict:
    if form.code_range.data == "all":
        return {"batch": batch}
    chosen = [r for r in bound_ranges(batch) if str(r.id) == form.code_range.data]
    if not chosen:
        raise DomainError(_("Choose one of the batch's bound ranges."), field="code_range")
    return {"code_range": chosen[0]}


@bp.route("/batches/<int:batch_id>/print", methods=["GET", "POST"])
@enterprise_role_required()
def batch_print(batch_id: int):
    batch = get_owned_or_404(Batch, batch_id)
    posted = request.method == "POST"
    form = _batch_form(
        batch, request.form if posted else None, code_range=request.args.get("range")
    )
    if not posted:
        form.code_range.data = form.code_range.data or "all"
    return _print_page(
        form,
        lambda: _batch_source(batch, form),
        title=_("Print labels of batch %(lot)s", lot=batch.lot_number),
        subject=batch,
        preview=url_for("labels.batch_preview", batch_id=batch.id, **form.query_args()),
        empty=not form.code_range.choices[1:],
    )


@bp.get("/batches/<int:batch_id>/preview.png")
@enterprise_role_required()
def batch_preview(batch_id: int):
    batch = get_owned_or_404(Batch, batch_id)
    form = _batch_form(batch, request.args, meta={"csrf": False})
    return _preview(form, lambda: _batch_source(batch, form))


# A pool's codes


def _pool_form(pool: CodePool, formdata, **kwargs) -> PoolRunForm:
    last = min(pool.end_index, pool.start_index + POOL_DEFAULT_COUNT - 1)
    form = PoolRunForm(
        formdata=formdata,
        first_code=printed(pool.start_index),
        last_code=printed(last),
        **kwargs,
    )
    form.set_layout_choices(describe_layout)
    return form


def _pool_source(pool: CodePool, form: PoolRunForm) -> dict:
    first = parse_code(form.first_code.data, field="first_code")
    last = parse_code(form.last_code.data, field="last_code")
    return {"pool": pool, "first": first, "last": last}


@bp.route("/pools/<int:pool_id>/print", methods=["GET", "POST"])
@enterprise_role_required()
def pool_print(pool_id: int):
    pool = get_owned_or_404(CodePool, pool_id)
    form = _pool_form(pool, request.form if request.method == "POST" else None)
    return _print_page(
        form,
        lambda: _pool_source(pool, form),
        title=_("Print labels from code pool #%(id)s", id=pool.id),
        subject=pool,
        preview=url_for("labels.pool_preview", pool_id=pool.id, **form.query_args()),
    )


@bp.get("/pools/<int:pool_id>/preview.png")
@enterprise_role_required()
def pool_preview(pool_id: int):
    pool = get_owned_or_404(CodePool, pool_id)
    form = _pool_form(pool, request.args, meta={"csrf": False})
    return _preview(form, lambda: _pool_source(pool, form))


# Shared: the verdict, the page, the preview image


def _verdict(form, source):
    """(labels, settings, readiness) for the form's codes and settings; DomainError if the
    codes or the layout are wrong."""
    settings = form.settings(current_app.config["LABELS_PER_FILE"])
    labels = label_source(source_segments(**source()))
    check_size(labels.total)
    return labels, settings, readiness(settings, labels)


def _print_page(form, source, *, title, subject, preview, empty=False):
    status, verdict, labels, refusal = 200, None, None, None
    if empty:
        refusal = _("No codes are bound to this batch yet: bind codes first, then print them.")
    elif request.method == "POST" and not form.validate_on_submit():
        status = 400
    else:
        try:
            labels, settings, verdict = _verdict(form, source)
            if request.method == "POST" and request.form.get("action") == "start":
                return _start(form, source, settings, verdict)
        except DomainError as error:
            status, refusal = _show_refusal(form, error)
    page = render_template(
        "labels/print.html",
        form=form,
        title=title,
        subject=subject,
        verdict=verdict,
        labels=labels,
        refusal=refusal,
        preview_url=preview if verdict is not None else None,
    )
    return page, status


def _start(form, source, settings, verdict):
    if not verdict.ok:
        raise NotAllowed(_("This layout is not print-ready: fix the problems listed first."))
    run = create_run(current_user, g.enterprise, settings, **source())
    run_id, attempt, total = run.id, run.attempt, run.total
    db.session.commit()
    start_run(run_id, attempt)
    flash(_("Print run #%(id)s queued: %(n)s labels.", id=run_id, n=f"{total:,}"), "success")
    return redirect(url_for("labels.run_detail", run_id=run_id))


def _show_refusal(form, error: DomainError) -> tuple[int, str]:
    db.session.rollback()
    if error.field and error.field in form:
        form[error.field].errors = [*form[error.field].errors, error.message]
    return error.status_code, error.message


def _preview(form, source):
    if not form.validate():
        abort(400, description=_("These label settings are not valid."))
    try:
        labels, settings, _verdict_ = _verdict(form, source)
    except DomainError as error:
        abort(error.status_code, description=error.message)
    items = list(labels.items(0, settings.layout().per_page))
    png = render_preview_png(items, settings.options(), dpi=PREVIEW_DPI)
    return Response(png, mimetype="image/png", headers={"Cache-Control": "private, no-store"})
