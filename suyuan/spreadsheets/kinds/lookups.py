"""The enterprise's own products and batches, loaded once per import and found by the names a
person types (product name and specification, lot number). Only the importer's enterprise
is loaded, so a row naming another enterprise's product or lot finds nothing."""

from collections import defaultdict

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from suyuan.extensions import db
from suyuan.models import Batch, Product
from suyuan.spreadsheets.columns import CellError


class Catalogue:
    def __init__(self, enterprise, with_batches: bool = True):
        products = db.session.scalars(
            select(Product)
            .where(Product.enterprise_id == enterprise.id)
            .options(selectinload(Product.filing))
        ).all()
        self.products = defaultdict(list)
        for product in products:
            self.products[product.name].append(product)
        self.batches = defaultdict(list)
        if with_batches:
            for batch in db.session.scalars(
                select(Batch)
                .where(Batch.enterprise_id == enterprise.id)
                .options(selectinload(Batch.product))
            ):
                self.batches[batch.lot_number].append(batch)

    def product(self, name: str, spec: str, column: str = "product") -> Product:
        found = [p for p in self.products.get(name, []) if not spec or p.spec == spec]
        if not found:
            raise CellError(column, _("Your enterprise has no product “%(name)s”.", name=name))
        if len(found) > 1:
            raise CellError(
                "spec",
                _(
                    "Several of your products are called “%(name)s”: fill in the specification.",
                    name=name,
                ),
            )
        return found[0]

    def batch(self, lot: str, product_name: str, spec: str) -> Batch:
        found = self.batches.get(lot, [])
        if product_name:
            found = [b for b in found if b.product.name == product_name]
        if spec:
            found = [b for b in found if b.product.spec == spec]
        if not found:
            raise CellError(
                "lot_number", _("Your enterprise has no batch with lot number %(lot)s.", lot=lot)
            )
        if len(found) > 1:
            raise CellError(
                "product",
                _(
                    "Several of your products have a batch %(lot)s: fill in the product (and its specification).",
                    lot=lot,
                ),
            )
        return found[0]
