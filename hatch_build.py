"""Compile the gettext catalogs (.po -> .mo) whenever the package is built or installed."""

from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from hatchling.builders.hooks.plugin.interface import BuildHookInterface


def compile_catalogs(root: Path) -> None:
    for po_path in (root / "suyuan" / "translations").glob("*/LC_MESSAGES/*.po"):
        with po_path.open("rb") as po_file:
            catalog = read_po(po_file)
        with po_path.with_suffix(".mo").open("wb") as mo_file:
            write_mo(mo_file, catalog)


class CatalogBuildHook(BuildHookInterface):
    def initialize(self, version, build_data):
        compile_catalogs(Path(self.root))
        build_data.setdefault("artifacts", []).append("suyuan/translations/*/LC_MESSAGES/*.mo")
