"""What every form view of the portal and the consoles shares: the page argument of a list,
a refusal shown on its form, and the save-a-form sequence (validate, call the service, commit
once or roll back and show why)."""

from collections.abc import Callable
from typing import TypeVar

from flask import flash, request

from suyuan.extensions import db
from suyuan.services.errors import DomainError

T = TypeVar("T")


def page_arg() -> int:
    """The list page asked for (``?page=``), 1 by default."""
    return request.args.get("page", 1, type=int)


def show_domain_error(form, error: DomainError) -> None:
    """Show a service's refusal beside the field it names, or as a flash message."""
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = [*field.errors, error.message]
    else:
        flash(error.message, "error")


def save_form(form, action: Callable[[], T]) -> tuple[T | None, int]:
    """Run ``action()`` for a valid submitted ``form`` and commit its work.

    Returns the action's result, or ``None`` when nothing was saved, and the status to render
    the form with: 200 when it was not submitted, 400 when its input is invalid, the refusal's
    own status when the service raised ``DomainError`` (its work is rolled back and the
    message shown on the form).
    """
    if not form.validate_on_submit():
        return None, 400 if form.is_submitted() else 200
    try:
        result = action()
    except DomainError as error:
        db.session.rollback()
        show_domain_error(form, error)
        return None, error.status_code
    db.session.commit()
    return result, 200
