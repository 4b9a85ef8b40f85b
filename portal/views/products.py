"""The product catalogue: list, create and edit (filed fields pinned by the product filing),
images, and the product page with its filing status."""

from flask import abort, flash, g, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _

from portal import bp
from portal.forms.products import ImageForm, ProductForm
from suyuan.extensions import db
from suyuan.forms import page_arg, show_domain_error
from suyuan.models import Attachment, Product
from suyuan.permissions import enterprise_role_required, get_owned_or_404
from suyuan.services import products as service
from suyuan.services.errors import DomainError
from suyuan.services.files import storage_path
from suyuan.services.filings import is_locked
from suyuan.vocab import CATEGORIES


@bp.route("/products")
@enterprise_role_required()
def products():
    q = request.args.get("q", "").strip()
    category = request.args.get("category") or None
    category = category if category in CATEGORIES else None
    query = service.products_query(g.enterprise, q=q, category=category)
    page = db.paginate(query, page=page_arg(), per_page=20)
    return render_template(
        "portal/products/list.html", page=page, q=q, category=category, categories=CATEGORIES
    )


@bp.route("/products/new", methods=["GET", "POST"])
@enterprise_role_required()
def products_new():
    return _product_form(None)


@bp.route("/products/<int:product_id>/edit", methods=["GET", "POST"])
@enterprise_role_required()
def products_edit(product_id: int):
    return _product_form(get_owned_or_404(Product, product_id))


def _product_form(product):
    form = ProductForm(obj=product)
    if form.validate_on_submit():
        try:
            if product is None:
                product = service.create_product(g.enterprise, form.data)
            else:
                service.update_product(product, form.data)
        except DomainError as error:
            db.session.rollback()
            show_domain_error(form, error)
            return _render_form(form, product, error.status_code)
        db.session.commit()
        flash(_("The product is saved."), "success")
        return redirect(url_for("portal.products_detail", product_id=product.id))
    return _render_form(form, product, 400 if form.is_submitted() else 200)


def _render_form(form, product, status):
    locked = product is not None and is_locked(product.filing)
    return render_template(
        "portal/products/form.html", form=form, product=product, locked=locked
    ), status


@bp.route("/products/<int:product_id>")
@enterprise_role_required()
def products_detail(product_id: int):
    product = get_owned_or_404(Product, product_id)
    return render_template(
        "portal/products/detail.html",
        product=product,
        image_form=ImageForm(),
        locked=is_locked(product.filing),
    )


@bp.route("/products/<int:product_id>/delete", methods=["POST"])
@enterprise_role_required()
def products_delete(product_id: int):
    product = get_owned_or_404(Product, product_id)
    try:
        service.delete_product(product)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(url_for("portal.products_detail", product_id=product_id)), 303
    db.session.commit()
    flash(_("The product is deleted."), "success")
    return redirect(url_for("portal.products"))


@bp.route("/products/<int:product_id>/images", methods=["POST"])
@enterprise_role_required()
def products_image_upload(product_id: int):
    product = get_owned_or_404(Product, product_id)
    form = ImageForm()
    if not form.validate_on_submit():
        flash(_("Choose a PNG or JPEG file to upload."), "error")
        return redirect(url_for("portal.products_detail", product_id=product.id)), 303
    try:
        service.add_product_image(product, form.image.data)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(url_for("portal.products_detail", product_id=product_id)), 303
    db.session.commit()
    flash(_("The image is added."), "success")
    return redirect(url_for("portal.products_detail", product_id=product.id))


@bp.route("/products/<int:product_id>/images/<int:image_id>/delete", methods=["POST"])
@enterprise_role_required()
def products_image_delete(product_id: int, image_id: int):
    image = _product_image_or_404(product_id, image_id)
    service.delete_product_image(image)
    db.session.commit()
    flash(_("The image is removed."), "success")
    return redirect(url_for("portal.products_detail", product_id=product_id))


@bp.route("/products/<int:product_id>/images/<int:image_id>")
@enterprise_role_required()
def product_image(product_id: int, image_id: int):
    image = _product_image_or_404(product_id, image_id)
    return send_file(storage_path(image.sha256), mimetype=image.content_type, max_age=3600)


def _product_image_or_404(product_id: int, image_id: int) -> Attachment:
    image = get_owned_or_404(Attachment, image_id)
    if image.product_id != product_id:
        abort(404)
    return image
