"""The label engine: check a run before printing, render it to one stream or to files.

Pure: data in, bytes or files out, no Flask. ``render_files`` splits a run into files of at
most ``per_file`` labels and renders them in worker processes; each file appears under its
final name only once complete (temp name + ``os.replace``).
"""

import os
import zipfile
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass, replace
from multiprocessing import get_context
from pathlib import Path
from typing import BinaryIO

from labels import readiness
from labels.layouts import Layout
from labels.pdf import PageInfo, render_pdf
from labels.texts import _

__all__ = [
    "FileInfo",
    "LabelItem",
    "NotReady",
    "PageInfo",
    "Readiness",
    "RenderOptions",
    "check_readiness",
    "render",
    "render_files",
    "render_preview_png",
]

Readiness = readiness.Readiness
EXTENSIONS = {"pdf": "pdf", "zpl": "zpl", "png": "zip", "svg": "zip"}


@dataclass(frozen=True)
class LabelItem:
    code: str
    url: str
    product_name: str | None = None
    lot: str | None = None


@dataclass(frozen=True)
class RenderOptions:
    layout: Layout
    fmt: str = "pdf"  # pdf | zpl | png | svg
    error_correction: str = "M"
    show_product: bool = True
    show_lot: bool = True
    dpi: int | None = None  # printer resolution; the layout's default when None
    lot_label: str | None = None  # word printed before the lot; translated "Lot" when None

    def resolved(self) -> "RenderOptions":
        """Fix the translated words in the caller's language before work leaves the process."""
        return self if self.lot_label is not None else replace(self, lot_label=_("Lot"))


@dataclass(frozen=True)
class FileInfo:
    name: str
    pages: list[PageInfo]
    count: int


class NotReady(ValueError):
    """The run would not print well; ``problems`` says what to change."""

    def __init__(self, problems: list[str]):
        super().__init__(" ".join(problems))
        self.problems = problems


def check_readiness(options: RenderOptions, sample_url: str) -> Readiness:
    return readiness.check_readiness(options, sample_url)


def _ensure_ready(options: RenderOptions, sample_url: str) -> None:
    verdict = check_readiness(options, sample_url)
    if not verdict.ok:
        raise NotReady(verdict.problems)


def render(
    items: Iterable[LabelItem],
    options: RenderOptions,
    out: BinaryIO,
    progress: Callable[[int], None] | None = None,
) -> list[PageInfo]:
    """Render every item into ``out``: one PDF or ZPL stream, or a ZIP of one PNG/SVG per code.
    Raises ``NotReady`` when the first label would not print well."""
    iterator = iter(items)
    first = next(iterator, None)
    if first is None:
        raise NotReady([_("There are no codes to print.")])
    _ensure_ready(options, first.url)
    return _render_stream(_chain(first, iterator), options.resolved(), out, progress, 1)


def _chain(first, rest):
    yield first
    yield from rest


def _render_stream(items, options, out, progress, first_page) -> list[PageInfo]:
    if options.fmt == "pdf":
        return render_pdf(items, options, out, progress, first_page)
    if options.fmt == "zpl":
        from labels.zpl import render_zpl

        return render_zpl(items, options, out, progress, first_page)
    return _render_images(items, options, out, progress, first_page)


def _render_images(items, options, out, progress, first_page) -> list[PageInfo]:
    from labels.render import qr_png, qr_svg

    draw = qr_png if options.fmt == "png" else qr_svg
    pages = []
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:
        for number, item in enumerate(items, start=first_page):
            archive.writestr(f"{item.code}.{options.fmt}", draw(item.url))
            pages.append(PageInfo(number, item.code, item.code, 1))
            if progress and len(pages) % 100 == 0:
                progress(len(pages))
    if progress:
        progress(len(pages))
    return pages


def render_preview_png(
    items: list[LabelItem], options: RenderOptions, dpi: int | None = None
) -> bytes:
    """The first page (sheet or roll label) as a PNG, drawn even when not ready so the user
    sees why; PNG/SVG runs preview as their label layout too."""
    from labels.preview import preview_png

    return preview_png(items[: options.layout.per_page], options.resolved(), dpi or 100)


ItemSource = Sequence[LabelItem] | Callable[[int, int], list[LabelItem]]


def render_files(
    items: ItemSource,
    total: int,
    options: RenderOptions,
    directory: Path,
    per_file: int = 10_000,
    workers: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> list[FileInfo]:
    """Render ``total`` labels into files of at most ``per_file`` labels in ``directory``.

    ``items`` is a sequence or a picklable ``fetch(start, stop)`` (a module-level function or
    ``functools.partial``) that workers call to build their own slice. A file's pages stay
    whole: ``per_file`` is rounded down to whole pages for sheets.
    """
    if total <= 0:
        raise NotReady([_("There are no codes to print.")])
    per_page = options.layout.per_page if options.fmt in ("pdf", "zpl") else 1
    per_file = max(per_page, per_file - per_file % per_page)
    first = _slice(items, 0, 1)[0]
    _ensure_ready(options, first.url)
    options = options.resolved()
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    jobs = []
    for number, start in enumerate(range(0, total, per_file), start=1):
        stop = min(total, start + per_file)
        name = f"labels-{number:04d}.{EXTENSIONS[options.fmt]}"
        chunk = items if callable(items) else list(items[start:stop])
        first_page = start // per_page + 1
        jobs.append((chunk, start, stop, options, str(directory / name), first_page))
    workers = workers or min(os.cpu_count() or 1, len(jobs))
    if workers <= 1 or len(jobs) == 1:
        return _render_serially(jobs, progress)
    return _render_in_pool(jobs, workers, progress)


def _slice(items: ItemSource, start: int, stop: int) -> list[LabelItem]:
    return list(items(start, stop)) if callable(items) else list(items[start:stop])


def _render_serially(jobs, progress) -> list[FileInfo]:
    files, done = [], 0
    for job in jobs:
        base = done

        def report(n, base=base):
            if progress:
                progress(base + n)

        files.append(_render_file(*job, report=report))
        done += files[-1].count
    return files


def _render_file(chunk, start, stop, options, path, first_page, report=None) -> FileInfo:
    items = chunk(start, stop) if callable(chunk) else chunk
    global _writing
    temp = _writing = Path(path).with_name(f".{Path(path).name}.{os.getpid()}.part")
    try:
        with open(temp, "wb") as out:
            pages = _render_stream(items, options, out, report, first_page)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, path)
    finally:
        temp.unlink(missing_ok=True)
        _writing = None
    return FileInfo(Path(path).name, pages, sum(page.count for page in pages))


_writing: Path | None = None  # the temp file this process is writing, if any


def _render_in_pool(jobs, workers: int, progress) -> list[FileInfo]:
    from labels import worker

    context = get_context("forkserver")
    # Workers fork from a server that has imported the engine and loaded the CJK font once:
    # no import per worker, and those pages stay shared between workers.
    context.set_forkserver_preload(["__main__", "labels.worker"])
    queue = context.SimpleQueue()
    results: dict[int, FileInfo] = {}
    done = 0
    try:
        # One file per worker process: a file's memory goes back to the system with it.
        with ProcessPoolExecutor(
            workers, context, worker.start, (queue, os.getpid()), max_tasks_per_child=1
        ) as pool:
            pending = {pool.submit(worker.render_file, job): i for i, job in enumerate(jobs)}
            while pending:
                finished, _running = wait(pending, timeout=0.2, return_when=FIRST_COMPLETED)
                for future in finished:
                    results[pending.pop(future)] = future.result()
                while not queue.empty():
                    done += queue.get()
                    if progress:
                        progress(done)
    except BaseException:
        # A killed worker cannot clean up after itself: drop its half-written temp file.
        for part in Path(jobs[0][4]).parent.glob(".labels-*.part"):
            part.unlink(missing_ok=True)
        raise
    return [results[index] for index in range(len(jobs))]
