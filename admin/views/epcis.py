"""A batch's full chain as an EPCIS 2.0 JSON-LD download, for regulators of its region."""

from flask import current_app, jsonify
from flask_login import current_user

from admin import bp
from suyuan.models import Batch
from suyuan.permissions import get_in_region_or_404, regulator_required
from suyuan.services.epcis import MEDIA_TYPE, batch_document


@bp.route("/batches/<int:batch_id>/epcis.json")
@regulator_required
def batch_epcis(batch_id):
    batch = get_in_region_or_404(Batch, batch_id)
    response = jsonify(
        batch_document(batch, current_app.config["BASE_URL"], current_user.regulator_region)
    )
    response.mimetype = MEDIA_TYPE
    response.headers["Content-Disposition"] = f'attachment; filename="epcis-batch-{batch.id}.json"'
    response.headers["Cache-Control"] = "private, no-store"
    return response
