"""/regulator/recalls and /regulator/nonconformance: read-only, for a regulator's token with the
recalls module — the recalls of the region's enterprises and those that reached a holder in
the region; the region's non-conformance records. Anything else answers 404."""

from flask import abort, g
from flask_babel import gettext as _

from suyuan.api.auth import requires
from suyuan.api.common import get_or_404, resource_blueprint
from suyuan.api.pagination import page_of, paginate
from suyuan.api.resources.nonconformance import (
    NonConformanceQuerySchema,
    NonConformanceSchema,
    filters,
)
from suyuan.api.resources.recalls import RecallQuerySchema, RecallSchema, RecallSummarySchema
from suyuan.api.resources.regulator import in_region_or_404
from suyuan.models import NonConformance, Recall
from suyuan.services import nonconformance as nc_service
from suyuan.services import recalls as service

bp = resource_blueprint(
    "regulator_recalls",
    "Read-only recalls and non-conformance records for regulators, within their region.",
    kind="regulator",
)


@bp.before_request
def needs_recalls_module():
    if "api_user" in g and not g.api_user.has_module("recalls"):
        abort(403, description=_("Your account has no permission for this part of the console."))


@bp.route("/regulator/recalls", methods=["GET"])
@requires("read")
@bp.arguments(RecallQuerySchema, location="query")
@bp.response(200, page_of(RecallSummarySchema))
def list_recalls(args):
    """Recalls by the region's enterprises or reaching a holder in it, latest first"""
    query = service.regulator_recalls_query(
        g.api_user, q=args.get("q", ""), state=args.get("state"), severity=args.get("severity")
    )
    return paginate(query, args)


@bp.route("/regulator/recalls/<int:recall_id>", methods=["GET"])
@requires("read")
@bp.response(200, RecallSchema)
def get_recall(recall_id):
    """Show a recall the region follows"""
    recall = get_or_404(Recall, recall_id)
    if not service.regulator_sees(g.api_user, recall):
        abort(404)
    return recall


@bp.route("/regulator/nonconformance", methods=["GET"])
@requires("read")
@bp.arguments(NonConformanceQuerySchema, location="query")
@bp.response(200, page_of(NonConformanceSchema))
def list_nonconformance(args):
    """The region's non-conformance records, newest first"""
    return paginate(nc_service.regulator_query(g.api_user, **filters(args)), args)


@bp.route("/regulator/nonconformance/<int:nonconformance_id>", methods=["GET"])
@requires("read")
@bp.response(200, NonConformanceSchema)
def get_nonconformance(nonconformance_id):
    """Show a non-conformance record of the region"""
    return in_region_or_404(NonConformance, nonconformance_id)
