"""Identity codes in the portal: the enterprise's pools and ranges, finding a code, and a
batch's ranges with binding (添加连续身份码), releasing and voiding."""

from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal import bp
from portal.forms.codes import CODE_HINT, BindByCodesForm, BindByPositionsForm, EndCodesForm
from suyuan.extensions import db
from suyuan.identity import code_key
from suyuan.models import Batch, CodePool
from suyuan.models.codes import RANGE_STATUSES
from suyuan.permissions import enterprise_role_required, get_owned_or_404
from suyuan.services.codes import (
    bind_code_range,
    enterprise_code_summary,
    find_code,
    parse_code,
    pool_positions,
    printed,
    range_history,
    ranges_query,
    release_codes,
    void_codes,
)
from suyuan.services.errors import DomainError


@bp.route("/codes")
@enterprise_role_required()
def codes():
    enterprise = g.enterprise
    status = request.args.get("status")
    status = status if status in RANGE_STATUSES else None
    page = db.paginate(
        ranges_query(enterprise, status, request.args.get("q", "")),
        page=request.args.get("page", 1, type=int),
        per_page=20,
    )
    typed = request.args.get("code", "").strip()
    lookup, lookup_error = _find(enterprise, typed) if typed else (None, None)
    return render_template(
        "portal/codes/index.html",
        summaries=enterprise_code_summary(enterprise),
        page=page,
        statuses=RANGE_STATUSES,
        typed=typed,
        lookup=lookup,
        lookup_error=lookup_error,
        lookup_code=code_key().encode(lookup.index) if lookup else None,
        code_of=code_key().encode,
    )


def _find(enterprise, typed: str):
    try:
        return find_code(enterprise, parse_code(typed)), None
    except DomainError as error:
        return None, error.message


@bp.get("/batches/<int:batch_id>/codes")
@enterprise_role_required()
def batch_codes(batch_id: int):
    batch = get_owned_or_404(Batch, batch_id)
    return _batch_page(batch)


@bp.post("/batches/<int:batch_id>/codes")
@enterprise_role_required("recorder")
def batch_codes_bind(batch_id: int):
    batch = get_owned_or_404(Batch, batch_id)
    by_positions = request.form.get("mode") == "positions"
    form = BindByPositionsForm() if by_positions else BindByCodesForm()
    forms = {"positions_form" if by_positions else "codes_form": form}
    if by_positions:
        form.pool_id.choices = _pool_choices(batch)
    if not form.validate_on_submit():
        return _batch_page(batch, 400, **forms)
    try:
        first, last = _bind_indices(batch, form, by_positions)
        bound = bind_code_range(batch, first, last, current_user)
    except DomainError as error:
        return _refused(batch, form, error, forms)
    db.session.commit()
    flash(
        _(
            "Bound %(n)s codes to batch %(lot)s: %(first)s – %(last)s.",
            n=f"{bound.size:,}",
            lot=batch.lot_number,
            first=printed(bound.start_index),
            last=printed(bound.end_index),
        ),
        "success",
    )
    return redirect(url_for("portal.batch_codes", batch_id=batch.id))


def _bind_indices(batch, form, by_positions: bool) -> tuple[int, int]:
    if by_positions:
        pool = get_owned_or_404(CodePool, form.pool_id.data)
        return pool_positions(pool, form.first_position.data, form.last_position.data)
    return (
        parse_code(form.first_code.data, field="first_code"),
        parse_code(form.last_code.data, field="last_code"),
    )


@bp.post("/batches/<int:batch_id>/codes/release")
@enterprise_role_required("recorder")
def batch_codes_release(batch_id: int):
    return _end_codes(batch_id, release_codes, "release", _("Released %(n)s codes."))


@bp.post("/batches/<int:batch_id>/codes/void")
@enterprise_role_required("recorder")
def batch_codes_void(batch_id: int):
    return _end_codes(batch_id, void_codes, "void", _("Voided %(n)s codes."))


def _end_codes(batch_id: int, action, kind: str, done: str):
    batch = get_owned_or_404(Batch, batch_id)
    form = EndCodesForm(prefix=kind)
    forms = {f"{kind}_form": form}
    if not form.validate_on_submit():
        return _batch_page(batch, 400, **forms)
    try:
        first = parse_code(form.first_code.data, field="first_code")
        last = parse_code(form.last_code.data, field="last_code")
        ended = action(batch, first, last, current_user, form.reason.data)
    except DomainError as error:
        return _refused(batch, form, error, forms)
    db.session.commit()
    flash(done % {"n": f"{ended.size:,}"}, "success")
    return redirect(url_for("portal.batch_codes", batch_id=batch.id))


def _refused(batch, form, error: DomainError, forms: dict):
    """Show a service's refusal on the form that caused it, with the refusal's status."""
    db.session.rollback()
    if error.field and error.field in form:
        form[error.field].errors = [*form[error.field].errors, error.message]
    form.refusal = error.message
    return _batch_page(batch, error.status_code, **forms)


def _pool_choices(batch) -> list[tuple[int, str]]:
    return [
        (
            s.pool.id,
            _(
                "%(first)s … (%(free)s of %(size)s free)",
                first=printed(s.pool.start_index),
                free=f"{s.free:,}",
                size=f"{s.pool.size:,}",
            ),
        )
        for s in enterprise_code_summary(g.enterprise)
    ]


def _batch_page(batch, status: int = 200, **forms):
    positions_form = forms.get("positions_form") or BindByPositionsForm(formdata=None)
    positions_form.pool_id.choices = _pool_choices(batch)
    history = range_history(batch)
    page = render_template(
        "portal/codes/batch.html",
        batch=batch,
        live=[r for r in history if r.status != "released"],
        history=history,
        codes_form=forms.get("codes_form") or BindByCodesForm(formdata=None),
        positions_form=positions_form,
        release_form=forms.get("release_form") or EndCodesForm(formdata=None, prefix="release"),
        void_form=forms.get("void_form") or EndCodesForm(formdata=None, prefix="void"),
        code_hint=CODE_HINT,
        code_of=code_key().encode,
    )
    return page, status
