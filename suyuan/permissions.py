"""Access control: coarse decorators for views, named predicates for objects and templates.

A view loads its object through a scoped lookup (another tenant's object answers 404, exactly
like one that does not exist), then asks a predicate (403), then acts.
"""

from functools import wraps

from flask import abort, g, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from suyuan.errors import wants_json
from suyuan.extensions import db
from suyuan.validators import region_covers

ROLES = ("recorder", "admin")


def _refuse(status: int, message: str):
    """Abort with ``message``; the error handler renders it as HTML or JSON for the client."""
    abort(status, description=message)


def login_required(view):
    @wraps(view)
    def wrapped(*args, **kwargs):
        if not current_user.is_authenticated:
            if wants_json():
                _refuse(401, _("Please log in."))
            return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
        return view(*args, **kwargs)

    return wrapped


def membership():
    """The current user's enterprise membership, or None."""
    if not current_user.is_authenticated:
        return None
    return current_user.membership


def granted_roles(member) -> list[str]:
    if member is None:
        return []
    return [
        role for role, has in (("recorder", member.is_recorder), ("admin", member.is_admin)) if has
    ]


def active_role() -> str | None:
    """The role the member works in now (seed 002: one person may switch between both)."""
    roles = granted_roles(membership())
    if not roles:
        return None
    chosen = session.get("role")
    return chosen if chosen in roles else roles[0]


def current_enterprise():
    member = membership()
    return member.enterprise if member else None


def enterprise_role_required(*roles: str):
    """The view needs an enterprise member working in one of ``roles`` (any role if empty)."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            member = membership()
            if member is None:
                _refuse(403, _("This page is for enterprise members."))
            role = active_role()
            if roles and role not in roles:
                _refuse(403, role_refusal(roles))
            g.enterprise = member.enterprise
            return view(*args, **kwargs)

        return wrapped

    return decorator


def role_refusal(roles) -> str:
    if "admin" in roles:
        return _("Only the enterprise admin can do this. Switch role if you hold it.")
    return _("Only a recorder can do this. Switch role if you hold it.")


def regulator_required(view):
    @wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        if not current_user.is_regulator:
            _refuse(403, _("This page is for regulators."))
        return view(*args, **kwargs)

    return wrapped


def module_required(module: str):
    """The view is part of console ``module``: a regulator needs that module's permission."""

    def decorator(view):
        @wraps(view)
        @regulator_required
        def wrapped(*args, **kwargs):
            if not current_user.has_module(module):
                _refuse(403, _("Your account has no permission for this part of the console."))
            return view(*args, **kwargs)

        return wrapped

    return decorator


def platform_admin_required(view):
    @wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        if not current_user.is_platform_admin:
            _refuse(403, _("This page is for platform administrators."))
        return view(*args, **kwargs)

    return wrapped


def get_owned_or_404(model, object_id, enterprise=None):
    """Load ``model`` by id inside the caller's enterprise; anything else answers 404."""
    enterprise = enterprise or current_enterprise()
    obj = db.session.get(model, object_id)
    if obj is None or enterprise is None or obj.enterprise_id != enterprise.id:
        abort(404)
    return obj


def get_in_region_or_404(model, object_id, user=None):
    """Load ``model`` by id if its enterprise lies in the regulator's region; else 404."""
    user = user or current_user
    from suyuan.models import Enterprise

    obj = db.session.get(model, object_id)
    if obj is None:
        abort(404)
    enterprise = (
        obj if isinstance(obj, Enterprise) else db.session.get(Enterprise, obj.enterprise_id)
    )
    if enterprise is None or not can_oversee(user, enterprise):
        abort(404)
    return obj


# Named predicates, shared by views and templates.


def can_oversee(user, enterprise) -> bool:
    """A regulator sees every enterprise whose region falls under the regulator's own."""
    return bool(
        user.is_authenticated
        and user.is_regulator
        and region_covers(user.regulator_region, enterprise.region_code)
    )


def can_review_filing(user, filing) -> bool:
    return can_oversee(user, filing.enterprise) and filing.status == "submitted"


def can_record(user, enterprise) -> bool:
    member = user.membership if user.is_authenticated else None
    return bool(member and member.enterprise_id == enterprise.id and active_role() == "recorder")


def can_publish(user, enterprise) -> bool:
    member = user.membership if user.is_authenticated else None
    return bool(member and member.enterprise_id == enterprise.id and active_role() == "admin")


def can_operate(enterprise) -> bool:
    """Only an enterprise whose filing is approved may create batches and bind codes."""
    return enterprise.is_approved


TEMPLATE_PREDICATES = {
    "can_oversee": can_oversee,
    "can_review_filing": can_review_filing,
    "can_record": can_record,
    "can_publish": can_publish,
    "can_operate": can_operate,
    "has_module": lambda module: current_user.is_authenticated and current_user.has_module(module),
    "active_role": active_role,
    "granted_roles": granted_roles,
}
