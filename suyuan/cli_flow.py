"""``suyuan drill``: a mock recall drill from the command line, timed."""

import click
from flask.cli import with_appcontext

from suyuan.extensions import db


@click.command("drill")
@click.option("--batch", "batch_ref", required=True, help="Batch id or lot number.")
@with_appcontext
def drill_command(batch_ref: str) -> None:
    """Trace a lot forward and backward, build the export, record and print the time."""
    from flask_babel import force_locale

    from suyuan.services.drills import find_batch, run_drill
    from suyuan.services.errors import DomainError

    with force_locale("en"):
        try:
            batch = find_batch(batch_ref)
        except DomainError as error:
            raise click.ClickException(str(error.message)) from error
        drill, trace, workbook = run_drill(batch, None)
    db.session.commit()
    click.echo(
        f"Mock recall of lot {batch.lot_number} ({batch.product.name}): "
        f"{drill.duration_ms} ms — {drill.backward_count} movements backward, "
        f"{drill.forward_count} forward, {drill.export_rows} export rows "
        f"({len(workbook):,} bytes), {drill.enterprise_count} receiving enterprises."
    )
    for enterprise in trace.receivers:
        click.echo(f"  {enterprise.name}  {enterprise.credit_code}")
