"""Production batches (生产批次): list, create, show with the stage-record timeline, edit."""

from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from wtforms.fields.choices import SelectChoice

from portal import bp
from portal.forms.batches import BatchEditForm, BatchForm
from suyuan.extensions import db
from suyuan.models import Batch, Product
from suyuan.models.products import BATCH_STATUSES
from suyuan.permissions import enterprise_role_required, get_owned_or_404
from suyuan.services.batches import (
    approved_products,
    batch_query,
    bound_code_counts,
    create_batch,
    record_counts,
    update_batch,
)
from suyuan.services.errors import DomainError
from suyuan.services.records import local_occurred_at
from suyuan.vocab import label_for, stage_types_for


def show_error(form, error: DomainError, aliases: dict | None = None) -> int:
    """Put a service's refusal on its field (or flash it) and give the status to answer.
    ``aliases`` maps a service's field name to the form's (e.g. "file" → "attachments")."""
    db.session.rollback()
    name = (aliases or {}).get(error.field, error.field)
    field = getattr(form, name, None) if name else None
    if field is not None:
        field.errors = [*field.errors, error.message]
    else:
        flash(error.message, "error")
    return error.status_code


@bp.route("/batches")
@enterprise_role_required()
def batches():
    enterprise = g.enterprise
    status = request.args.get("status", "")
    query = batch_query(
        enterprise,
        request.args.get("q", ""),
        request.args.get("product", type=int),
        status if status in BATCH_STATUSES else "",
    )
    page = db.paginate(query, page=request.args.get("page", 1, type=int), per_page=20)
    ids = [batch.id for batch in page.items]
    return render_template(
        "portal/batches/list.html",
        page=page,
        records=record_counts(ids),
        codes=bound_code_counts(ids),
        products=enterprise.products,
        statuses=BATCH_STATUSES,
    )


@bp.route("/batches/new", methods=["GET", "POST"])
@enterprise_role_required("recorder")
def batch_new():
    enterprise = g.enterprise
    products = approved_products(enterprise)
    form = BatchForm(product_id=request.args.get("product", type=int))
    form.product_id.choices = [SelectChoice(p.id, product_label(p)) for p in products]
    form.set_areas(enterprise.areas)
    status = 400 if form.is_submitted() else 200
    if form.validate_on_submit():
        product = get_owned_or_404(Product, form.product_id.data)
        try:
            batch = create_batch(enterprise, product, batch_values(form))
        except DomainError as error:
            status = show_error(form, error)
        else:
            db.session.commit()
            flash(_("Batch %(lot)s created.", lot=batch.lot_number), "success")
            return redirect(url_for("portal.batch_detail", batch_id=batch.id))
    return render_template(
        "portal/batches/new.html", form=form, enterprise=enterprise, products=products
    ), status


@bp.route("/batches/<int:batch_id>")
@enterprise_role_required()
def batch_detail(batch_id):
    batch = get_owned_or_404(Batch, batch_id)
    return render_template(
        "portal/batches/detail.html",
        batch=batch,
        stage_types=stage_types_for(batch.product.category),
        bound_codes=bound_code_counts([batch.id])[batch.id],
        local_time=local_occurred_at,
    )


@bp.route("/batches/<int:batch_id>/edit", methods=["GET", "POST"])
@enterprise_role_required("recorder")
def batch_edit(batch_id):
    batch = get_owned_or_404(Batch, batch_id)
    form = BatchEditForm(obj=batch, production_area_id=batch.production_area_id or 0)
    form.set_areas(g.enterprise.areas)
    form.status.choices = [SelectChoice(v, label_for("batch_status", v)) for v in BATCH_STATUSES]
    status = 400 if form.is_submitted() else 200
    if form.validate_on_submit():
        try:
            update_batch(batch, {**batch_values(form), "status": form.status.data})
        except DomainError as error:
            status = show_error(form, error)
        else:
            db.session.commit()
            flash(_("Batch %(lot)s saved.", lot=batch.lot_number), "success")
            return redirect(url_for("portal.batch_detail", batch_id=batch.id))
    return render_template("portal/batches/edit.html", form=form, batch=batch), status


def batch_values(form) -> dict:
    return {
        "lot_number": form.lot_number.data,
        "production_date": form.production_date.data,
        "production_area_id": form.production_area_id.data or None,
        "notes": form.notes.data,
    }


def product_label(product) -> str:
    return f"{product.name} ({product.spec})" if product.spec else product.name
