"""Property-based run of the whole API against its own OpenAPI spec (schemathesis): for
generated valid and invalid requests, no server error and every response matches the spec.
Bounded: a few examples per operation, so it stays part of the normal test run."""

import re

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from suyuan.services import nonconformance, recalls
from tests import factories
from tests.factories_flow import confirm, document, make_counterparty

#: Examples per operation: valid requests (with real ids in the path, so they reach the
#: services) and invalid ones (random ids, wrong types, missing fields).
MAX_EXAMPLES = {GenerationMode.POSITIVE: 20, GenerationMode.NEGATIVE: 6}


@pytest.fixture
def api_schema(app):
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)


@pytest.fixture
def real_ids(world) -> dict:
    """Ids of enterprise a's data (records, a bound range, a product without batches) and of
    a filing in the Gansu regulator's region, by path parameter name."""
    author = world.a.recorder
    factories.make_record(world.a.batch, author, title="Sown")
    draft = factories.make_record(world.a.batch, author, title="Draft", status="draft")
    factories.make_range(world.a.pool, world.a.batch, 0, 99, author)
    product = factories.make_product(world.a.enterprise, "Unfiled pear", approved=False)
    flow = goods_flow(world)
    factories.db.session.commit()
    return {
        **flow,
        "product_id": product.id,
        "batch_id": world.a.batch.id,
        "record_id": draft.id,
        "item_type": "batch",
        "item_id": world.a.batch.id,
        "enterprise_id": world.a.enterprise.id,
        "filing_id": world.a.enterprise.enterprise_filing.id,
    }


def goods_flow(world) -> dict:
    """a's draft document, counterparty, recall and non-conformance record, and a notice a
    received of b's recall (b shipped the recalled batch to a)."""
    a, b = world.a, world.b
    to_a = make_counterparty(b.enterprise, a.enterprise, role="customer")
    document(b.enterprise, b.recorder, "finished_in", "B-IN", [(b.batch, 100, "box")])
    shipped = document(b.enterprise, b.recorder, "sales_out", "B-OUT", [(b.batch, 10, "box")], to_a)
    confirm(shipped, a.recorder)
    received = recalls.declare_recall(
        b.admin, b.product, severity="II", reason="Mould", consumer_advice="Return it",
        batches=[b.batch],
    )  # fmt: skip
    recalls.notify_downstream(received, b.admin)
    (notice,) = received.notices
    draft = document(a.enterprise, a.recorder, "finished_in", "A-IN", [(a.batch, 5, "box")],
                     submit=False)  # fmt: skip
    recall = recalls.declare_recall(
        a.admin, a.product, severity="III", reason="Label", consumer_advice="Check the label",
        batches=[a.batch],
    )  # fmt: skip
    record = nonconformance.record_nonconformance(a.admin, a.product, [a.batch], "Too sour")
    return {
        "transaction_id": draft.id,
        "counterparty_id": make_counterparty(a.enterprise, name="Outside").id,
        "recall_id": recall.id,
        "notice_id": notice.id,
        "nonconformance_id": record.id,
    }


CHECKS = [not_a_server_error, response_schema_conformance]


def fuzz(operation, mode, headers: dict, path_parameters: dict | None) -> None:
    """Run generated requests against one operation."""
    strategy = operation.as_strategy(generation_mode=mode, path_parameters=path_parameters)

    @given(case=strategy)
    @settings(
        max_examples=MAX_EXAMPLES[mode],
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def call(case):
        case.call_and_validate(headers=headers, checks=CHECKS)

    call()


# schemathesis's own pytest integration (``from_fixture`` + ``parametrize``) reads a private
# pytest attribute that pytest 9 removed, so each operation's strategy drives Hypothesis here.
@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_api_matches_its_spec_and_never_fails(api_schema, tokens, real_ids, mode):
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 25
    for operation in operations:
        secret = tokens.gansu if operation.path.startswith("/api/v1/regulator/") else tokens.a
        headers = {"Authorization": f"Bearer {secret}", "Accept-Language": "en"}
        names = re.findall(r"{(\w+)}", operation.path)
        ids = {name: real_ids[name] for name in names} if mode is GenerationMode.POSITIVE else None
        fuzz(operation, mode, headers, ids or None)
