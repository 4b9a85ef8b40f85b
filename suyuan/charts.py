"""Server-side SVG charts: data in, an SVG string out; no JavaScript, no external CDN.

Every chart has a ``<title>`` and ``role="img"``; the page puts the same figures in a table
beside it, which is what screen readers and CSV exports use.
"""

from markupsafe import Markup, escape

WIDTH = 640
BAR_HEIGHT = 22


def _nice_max(value: int) -> int:
    if value <= 5:
        return 5
    magnitude = 10 ** (len(str(value)) - 1)
    return ((value + magnitude - 1) // magnitude) * magnitude


def column_chart(title: str, points: list[tuple[str, int]], height: int = 200) -> Markup:
    """Vertical bars, one per point (e.g. scans per day); labels shown every few bars."""
    top = _nice_max(max((value for _, value in points), default=0))
    left, bottom = 40, 30
    plot_w, plot_h = WIDTH - left - 10, height - bottom - 10
    step = plot_w / max(len(points), 1)
    every = max(1, len(points) // 10)
    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>',
        f'<line class="axis" x1="{left}" y1="{10 + plot_h}" x2="{WIDTH - 10}" y2="{10 + plot_h}"/>',
        f'<text x="{left - 4}" y="14" text-anchor="end">{top}</text>',
        f'<text x="{left - 4}" y="{10 + plot_h}" text-anchor="end">0</text>',
    ]
    for n, (label, value) in enumerate(points):
        bar_h = plot_h * value / top if top else 0
        x = left + n * step
        parts.append(
            f'<rect class="bar" x="{x + 1:.1f}" y="{10 + plot_h - bar_h:.1f}" '
            f'width="{max(step - 2, 1):.1f}" height="{bar_h:.1f}">'
            f"<title>{escape(label)}: {value}</title></rect>"
        )
        if n % every == 0:
            parts.append(
                f'<text x="{x + step / 2:.1f}" y="{height - 10}" text-anchor="middle">'
                f"{escape(label)}</text>"
            )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every text inside went through escape()


def bar_chart(title: str, rows: list[tuple[str, int]]) -> Markup:
    """Horizontal bars with their labels and values (products, batches, regions)."""
    top = max((value for _, value in rows), default=0) or 1
    label_w, value_w = 200, 60
    plot_w = WIDTH - label_w - value_w
    height = max(len(rows), 1) * BAR_HEIGHT + 10
    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>'
    ]
    for n, (label, value) in enumerate(rows):
        y = 5 + n * BAR_HEIGHT
        width = plot_w * value / top
        parts.append(
            f'<text x="{label_w - 6}" y="{y + 15}" text-anchor="end">{escape(label[:30])}</text>'
            f'<rect class="bar alt" x="{label_w}" y="{y + 3}" width="{width:.1f}" '
            f'height="{BAR_HEIGHT - 6}"/>'
            f'<text x="{label_w + width + 4:.1f}" y="{y + 15}">{value}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every text inside went through escape()
