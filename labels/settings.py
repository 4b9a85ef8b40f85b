"""How a run prints: the layout (a preset or custom millimetres), format and options, and the
print-readiness verdict that must pass before anything is queued."""

from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _

from labels.engine import RenderOptions, check_readiness
from labels.layouts import Layout, LayoutError, custom_layout, get_layout
from labels.sources import LabelSource
from suyuan.services.errors import DomainError, NotAllowed


@dataclass
class RunSettings:
    """How to print: a preset layout key or "custom" with its millimetre values, and options."""

    layout_key: str = "a4-3x8"
    custom: dict[str, Any] | None = None
    fmt: str = "pdf"
    error_correction: str = "M"
    dpi: int | None = None
    show_product: bool = True
    show_lot: bool = True
    per_file: int = 10_000

    def layout(self) -> Layout:
        try:
            if self.layout_key == "custom":
                return custom_layout(**(self.custom or {}))
            return get_layout(self.layout_key)
        except LayoutError as error:
            raise DomainError(str(error), field="layout") from error

    def options(self) -> RenderOptions:
        return RenderOptions(
            self.layout(),
            fmt=self.fmt,
            error_correction=self.error_correction,
            show_product=self.show_product,
            show_lot=self.show_lot,
            dpi=self.dpi,
        )

    @classmethod
    def of(cls, run) -> "RunSettings":
        return cls(
            run.layout_key, run.custom_layout, run.format, run.error_correction, run.dpi,
            run.show_product, run.show_lot, run.per_file,
        )  # fmt: skip


def readiness(settings: RunSettings, source: LabelSource):
    """The print-readiness verdict for the run's first label."""
    first = next(source.items(0, 1))
    return check_readiness(settings.options(), first.url)


def refuse_unready(verdict) -> None:
    if not verdict.ok:
        raise NotAllowed(
            _("This layout is not print-ready: %(problems)s", problems=" ".join(verdict.problems))
        )
