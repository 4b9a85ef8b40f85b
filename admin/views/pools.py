"""Platform admin: identity-code pools, listed and allocated to enterprises."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import or_, select
from wtforms import IntegerField, StringField
from wtforms.validators import DataRequired, Length, NumberRange

from admin import bp
from suyuan.extensions import db
from suyuan.identity import code_key
from suyuan.models import CodePool, Enterprise
from suyuan.permissions import platform_admin_required
from suyuan.services.codes import MAX_POOL_SIZE, allocate_pool, find_enterprise, printed
from suyuan.services.errors import DomainError


class AllocatePoolForm(FlaskForm):
    credit_code = StringField(
        _l("Enterprise unified social credit code"), validators=[DataRequired(), Length(max=18)]
    )
    count = IntegerField(
        _l("Number of codes"), validators=[DataRequired(), NumberRange(min=1, max=MAX_POOL_SIZE)]
    )


@bp.route("/pools", methods=["GET", "POST"])
@platform_admin_required
def pools():
    form = AllocatePoolForm()
    status = 200
    if form.validate_on_submit():
        try:
            enterprise = find_enterprise(form.credit_code.data)
            pool = allocate_pool(enterprise, form.count.data, current_user)
        except DomainError as error:
            db.session.rollback()
            field = form[error.field] if error.field in ("credit_code", "count") else form.count
            field.errors = [*field.errors, error.message]
            status = error.status_code
        else:
            db.session.commit()
            flash(_allocated_message(pool, enterprise), "success")
            return redirect(url_for("admin.pools"))
    elif form.is_submitted():
        status = 400
    return render_template(
        "admin/pools/index.html", form=form, page=_pool_page(), code_of=code_key().encode
    ), status


def _allocated_message(pool: CodePool, enterprise: Enterprise) -> str:
    return _(
        "Allocated %(n)s codes to %(name)s: first code %(first)s, last code %(last)s.",
        n=f"{pool.size:,}",
        name=enterprise.name,
        first=printed(pool.start_index),
        last=printed(pool.end_index),
    )


def _pool_page():
    query = select(CodePool).join(Enterprise).order_by(CodePool.start_index.desc())
    q = request.args.get("q", "").strip()
    if q:
        query = query.where(
            or_(
                Enterprise.name.contains(q, autoescape=True),
                Enterprise.credit_code.contains(q.upper(), autoescape=True),
            )
        )
    return db.paginate(query, page=request.args.get("page", 1, type=int), per_page=20)
