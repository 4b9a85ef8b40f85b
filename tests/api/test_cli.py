"""``suyuan tokens``: the printed token works on the API at once."""

from suyuan.extensions import db
from suyuan.models import ApiToken


def test_create_token_then_use_it(runner, api, world):
    result = runner.invoke(
        args=["tokens", "create", "--enterprise", world.a.enterprise.credit_code,
              "--name", "ERP sync", "--permissions", "read,write"]
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    secret = result.stdout.strip()
    assert secret.startswith("sy_")
    client = api(secret)
    assert client.get("/products").status_code == 200
    assert client.post("/products", json={"name": "Jam", "category": "fruit"}).status_code == 201
    assert (
        client.put(f"/publication/batch/{world.a.batch.id}", json={"is_public": True}).status_code
        == 403
    )
    token = db.session.query(ApiToken).filter_by(name="ERP sync").one()
    assert token.created_by_id == world.a.admin.id  # acts as the enterprise's admin


def test_regulator_token_from_the_cli(runner, api, world):
    result = runner.invoke(
        args=["tokens", "create", "--regulator", world.gansu.email, "--name", "Audit"]
    )
    assert result.exit_code == 0, result.output
    assert api(result.stdout.strip()).get("/regulator/enterprises").status_code == 200


def test_cli_refusals(runner, world):
    both = runner.invoke(
        args=["tokens", "create", "--enterprise", "x", "--regulator", "y", "--name", "n"]
    )
    assert both.exit_code != 0 and "exactly one" in both.output
    unknown = runner.invoke(
        args=["tokens", "create", "--enterprise", "91620100MA0000000X", "--name", "n"]
    )
    assert unknown.exit_code != 0 and "credit code" in unknown.output
    bad = runner.invoke(
        args=["tokens", "create", "--enterprise", world.a.enterprise.credit_code,
              "--name", "n", "--permissions", "read,fly"]
    )  # fmt: skip
    assert bad.exit_code != 0 and "Unknown permission: fly" in bad.output


def test_list_and_revoke(runner, api, world):
    created = runner.invoke(
        args=["tokens", "create", "--enterprise", world.a.enterprise.credit_code, "--name", "Old"]
    )
    secret = created.stdout.strip()
    listed = runner.invoke(args=["tokens", "list", "--enterprise", world.a.enterprise.credit_code])
    assert secret[:10] in listed.output and secret not in listed.output
    token_id = listed.output.split("\t", 1)[0]
    assert runner.invoke(args=["tokens", "revoke", token_id]).output.strip() == "Revoked."
    assert api(secret).get("/products").status_code == 401
