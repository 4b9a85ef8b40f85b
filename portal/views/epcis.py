"""A batch's full chain as an EPCIS 2.0 JSON-LD download, for its own enterprise."""

from flask import current_app, jsonify

from portal import bp
from suyuan.models import Batch
from suyuan.permissions import enterprise_role_required, get_owned_or_404
from suyuan.services.epcis import MEDIA_TYPE, batch_document


@bp.route("/batches/<int:batch_id>/epcis.json")
@enterprise_role_required()
def batch_epcis(batch_id):
    batch = get_owned_or_404(Batch, batch_id)
    response = jsonify(batch_document(batch, current_app.config["BASE_URL"]))
    response.mimetype = MEDIA_TYPE
    response.headers["Content-Disposition"] = f'attachment; filename="epcis-batch-{batch.id}.json"'
    response.headers["Cache-Control"] = "private, no-store"
    return response
