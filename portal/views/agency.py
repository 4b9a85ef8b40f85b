"""Agency products (本企业代理): the products the enterprise sells as agent, by GTIN."""

from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal import bp
from suyuan.extensions import db
from suyuan.forms import page_arg
from suyuan.models import Product
from suyuan.permissions import active_role, enterprise_role_required, get_owned_or_404
from suyuan.services import agency as service
from suyuan.services.errors import DomainError


@bp.route("/agency")
@enterprise_role_required()
def agency():
    q = request.args.get("q", "").strip()
    query = service.bindings_query(enterprise=g.enterprise, q=q)
    return render_template(
        "portal/recalls/agency.html",
        page=db.paginate(query, page=page_arg(), per_page=20),
        products=[p for p in g.enterprise.products if p.gtin],
        is_admin=active_role() == "admin",
        q=q,
    )


@bp.route("/agency", methods=["POST"])
@enterprise_role_required("admin")
def agency_bind():
    product = get_owned_or_404(Product, request.form.get("product_id", type=int) or 0)
    try:
        service.bind_agency(current_user, product)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(url_for("portal.agency")), 303
    db.session.commit()
    flash(_("%(name)s is declared as an agency product.", name=product.name), "success")
    return redirect(url_for("portal.agency"))
