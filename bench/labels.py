"""Benchmark: label runs through ``render_files`` against the QR encoder alone and two peers.

For each run size (default 10,000 and 100,000 labels, A4 3×8 with a Chinese product name and
a lot) it measures, in the same process run:

* the encoder floor: zxing-cpp building the QR matrix of every URL and nothing else, split
  over the same number of worker processes;
* ``render_files``: codes derived from a key, vector PDF files of 10,000 labels, 2 workers;
* Debian's ``zint`` CLI writing one SVG per URL in ``--batch`` mode, one process per core
  (at most ``--peer-max`` codes: 100,000 small files alone take minutes on a busy disk);
* ``glabels-3-batch`` merging the URLs into a QR + text template (once, on ``--glabels``
  labels: it runs at tens of labels per second, so a 10k run would not fit in 5 minutes).

Peak memory is sampled over the whole process tree of a run: PSS (each shared page
counted once, what the machine really spends) and summed RSS.

    .venv/bin/python bench/labels.py [--sizes 10000 100000] [--workers 2] [--glabels 1000]
"""

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing import forkserver, get_context
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Run as a script, this file's folder comes first on sys.path and would shadow ``labels``.
sys.path[:] = [str(ROOT)] + [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]

import zxingcpp  # noqa: E402

from labels.engine import LabelItem, RenderOptions, render_files  # noqa: E402
from labels.layouts import get_layout  # noqa: E402
from labels.render import code_url  # noqa: E402
from suyuan.identity import CodeKey  # noqa: E402

BASE_URL = "https://suyuan.example.cn"
KEY = CodeKey.from_secret("bench-labels")
PRODUCT, LOT = "甘肃定西马铃薯（特级）", "L2026-0901"


def bench_items(start: int, stop: int) -> list[LabelItem]:
    """What a print run hands each worker: codes derived from the key, their URLs."""
    codes = [KEY.encode(index) for index in range(start, stop)]
    return [LabelItem(code, code_url(BASE_URL, code), PRODUCT, LOT) for code in codes]


def urls(start: int, stop: int) -> list[str]:
    return [code_url(BASE_URL, KEY.encode(index)) for index in range(start, stop)]


def encode_only(start: int, stop: int) -> tuple[float, float]:
    """(wall, CPU) seconds zxing-cpp spends building the matrices of these URLs."""
    batch = urls(start, stop)
    began, cpu = time.perf_counter(), time.process_time()
    for url in batch:
        barcode = zxingcpp.create_barcode(url, zxingcpp.BarcodeFormat.QRCode, ec_level="M")
        zxingcpp.write_barcode_to_image(barcode, scale=1, add_quiet_zones=True)
    return time.perf_counter() - began, time.process_time() - cpu


def halves(total: int, workers: int) -> list[tuple[int, int]]:
    step = -(-total // workers)
    return [(start, min(total, start + step)) for start in range(0, total, step)]


@dataclass
class Measure:
    wall: float  # labels per second, wall clock
    cpu_ms: float  # CPU milliseconds per label, all processes together

    @property
    def dedicated(self) -> float:
        """Labels per second if the run had both cores to itself."""
        return 2 * 1000 / self.cpu_ms


def encoder_floor(total: int, workers: int) -> Measure:
    with ProcessPoolExecutor(workers, get_context("forkserver")) as pool:
        futures = [pool.submit(encode_only, a, b) for a, b in halves(total, workers)]
        times = [future.result() for future in futures]
    return Measure(total / max(w for w, _c in times), sum(c for _w, c in times) * 1000 / total)


def worker_cpu() -> float:
    """CPU seconds of this process plus the workers the forkserver has reaped."""
    own = time.process_time()
    pid = forkserver._forkserver._forkserver_pid  # noqa: SLF001 - a benchmark's peek
    if pid is None:
        return own
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return own + (int(fields[13]) + int(fields[14])) / os.sysconf("SC_CLK_TCK")


class MemoryPeak(threading.Thread):
    """Samples this process and every descendant (forkserver, workers) twice a second:
    the peak of their summed RSS, and of their summed PSS (shared pages counted once)."""

    def __init__(self):
        super().__init__(daemon=True)
        self.rss_mb = self.pss_mb = 0.0
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.wait(0.5):
            rss = pss = 0
            for pid in self.tree(os.getpid()):
                try:
                    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                        name, value = line.split(":", 1)[0], line.split()[1:2]
                        rss += int(value[0]) if name == "Rss" else 0
                        pss += int(value[0]) if name == "Pss" else 0
                except (OSError, IndexError, ValueError):
                    continue
            self.rss_mb, self.pss_mb = max(self.rss_mb, rss / 1024), max(self.pss_mb, pss / 1024)

    def tree(self, pid: int) -> list[int]:
        pids = [pid]
        for task in Path(f"/proc/{pid}/task").glob("*/children"):
            try:
                children = [int(child) for child in task.read_text().split()]
            except OSError:
                continue
            for child in children:
                pids += self.tree(child)
        return pids


def engine_run(total: int, workers: int) -> tuple[Measure, int, MemoryPeak]:
    options = RenderOptions(get_layout("a4-3x8"))
    memory = MemoryPeak()
    memory.start()
    with tempfile.TemporaryDirectory() as directory:
        time.sleep(1)  # let the forkserver reap earlier workers before counting
        began, cpu = time.perf_counter(), worker_cpu()
        files = render_files(bench_items, total, options, Path(directory), workers=workers)
        elapsed = time.perf_counter() - began
        time.sleep(1)  # ... and this run's workers after it
        cpu = worker_cpu() - cpu
        assert sum(f.count for f in files) == total
        size = sum(p.stat().st_size for p in Path(directory).iterdir())
    memory.done.set()
    memory.join()
    return Measure(total / elapsed, cpu * 1000 / total), size, memory


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def zint_run(total: int, workers: int) -> Measure | None:
    zint = shutil.which("zint")
    if zint is None:
        return None
    with tempfile.TemporaryDirectory() as directory:
        jobs = []
        for number, (a, b) in enumerate(halves(total, workers)):
            source = Path(directory) / f"urls-{number}.txt"
            source.write_text("\n".join(urls(a, b)) + "\n")
            (Path(directory) / str(number)).mkdir()
            jobs.append([zint, "-b", "58", "--secure=2", "--batch", "-i", str(source)])
            jobs[-1] += ["--filetype=SVG", "-o", f"{directory}/{number}/~~~~~~~.svg"]
        began, cpu = time.perf_counter(), children_cpu()
        running = [subprocess.Popen(job, stdout=subprocess.DEVNULL) for job in jobs]
        assert all(process.wait() == 0 for process in running)
        elapsed, cpu = time.perf_counter() - began, children_cpu() - cpu
        return Measure(total / elapsed, cpu * 1000 / total)


GLABELS = """<?xml version="1.0"?>
<Glabels-document xmlns="http://glabels.org/xmlns/3.0/">
  <Template brand="Bench" part="A4-3x8" size="A4" description="3x8 70x37 mm">
    <Meta category="label"/>
    <Label-rectangle id="0" width="70mm" height="37mm" round="0mm" x_waste="0mm" y_waste="0mm">
      <Markup-margin size="1mm"/>
      <Layout nx="3" ny="8" x0="0mm" y0="0.5mm" dx="70mm" dy="37mm"/>
    </Label-rectangle>
  </Template>
  <Objects id="0" rotate="False">
    <Object-barcode x="2mm" y="2mm" w="30mm" h="30mm" style="IEC18004" backend="libqrencode"
      field="url" text="False" checksum="True" color="0xff"
      a0="1" a1="0" a2="0" a3="1" a4="0" a5="0"/>
    <Object-text x="2mm" y="32mm" w="66mm" h="4mm" justify="Left" valign="Top"
      auto_shrink="False" a0="1" a1="0" a2="0" a3="1" a4="0" a5="0">
      <Span color="0xff" font_family="Sans" font_size="7" font_weight="Regular"
        font_italic="False" line_spacing="1"><Field name="code"/></Span>
    </Object-text>
  </Objects>
  <Merge type="Text/Comma/Line1Keys" src="{csv}"/>
</Glabels-document>
"""


def glabels_run(total: int) -> Measure | None:
    glabels = shutil.which("glabels-3-batch")
    if glabels is None or total <= 0:
        return None
    with tempfile.TemporaryDirectory() as directory:
        csv = Path(directory) / "urls.csv"
        rows = [f"{url},{url.rsplit('/', 1)[1]}" for url in urls(0, total)]
        csv.write_text("url,code\n" + "\n".join(rows) + "\n")
        template = Path(directory) / "bench.glabels"
        template.write_text(GLABELS.replace("{csv}", str(csv)))
        began, cpu = time.perf_counter(), children_cpu()
        subprocess.run(
            [glabels, "-o", f"{directory}/out.pdf", str(template)],
            check=True,
            capture_output=True,
        )
        elapsed, cpu = time.perf_counter() - began, children_cpu() - cpu
        return Measure(total / elapsed, cpu * 1000 / total)


def row(name: str, total: int, measure: Measure | None, engine: Measure | None) -> str:
    if measure is None:
        return f"| {name} | {total:,} | not installed | | | |"
    ratio = f"{engine.dedicated / measure.dedicated:.2f}×" if engine else ""
    return (
        f"| {name} | {total:,} | {measure.wall:,.0f} | {measure.cpu_ms:.3f} "
        f"| {measure.dedicated:,.0f} | {ratio} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 10_000])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--glabels", type=int, default=200)
    parser.add_argument("--peer-max", type=int, default=20_000, help="zint codes per row")
    args = parser.parse_args()
    print(f"cores: {os.cpu_count()}, workers: {args.workers}, files of 10,000 labels (A4 3×8)")
    print(f"load average at start: {os.getloadavg()[0]:.2f} (other jobs share the cores)\n")
    print(
        "| what | labels | labels/s (wall) | CPU ms/label | labels/s, 2 dedicated cores "
        "| engine ÷ this |"
    )
    print("|---|---:|---:|---:|---:|---:|")
    for total in args.sizes:
        engine, size, memory = engine_run(total, args.workers)
        floor = encoder_floor(total, args.workers)
        print(row("**engine** `render_files` → PDF", total, engine, None))
        print(row("encoder floor (zxing-cpp matrix only)", total, floor, engine))
        peer = min(total, args.peer_max)
        print(
            row("zint CLI `--batch`, one SVG per code", peer, zint_run(peer, args.workers), engine)
        )
        print(
            f"|  | PDF {size / 1e6:.1f} MB; peak memory of the run: {memory.pss_mb:.0f} MB PSS "
            f"({memory.rss_mb:.0f} MB summed RSS) | | | | |",
            flush=True,
        )
    if args.glabels:
        print(
            row(
                "glabels-3-batch (QR + code, A4 3×8)", args.glabels, glabels_run(args.glabels), None
            )
        )
    print(f"load average at end: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
