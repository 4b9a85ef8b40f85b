"""Pure renderers of a trace: the export spreadsheet (xlsx and CSV, one row per movement) and
the chain graph (server-rendered SVG). Data in, bytes or text out; no Flask, no database."""

import csv
import io
from collections import defaultdict
from xml.sax.saxutils import escape

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from suyuan.models.flow import INBOUND_KINDS
from suyuan.services.tracing import ROW_FIELDS

#: A cell starting with one of these is a formula to a spreadsheet (CSV/formula injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """Text that a spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def sort_rows(rows: list[dict], key: str, descending: bool = False) -> list[dict]:
    if key not in ROW_FIELDS:
        return rows
    return sorted(rows, key=lambda row: (str(type(row[key])), row[key]), reverse=descending)


def rows_to_xlsx(rows: list[dict], headers: dict, title: str = "Trace") -> bytes:
    """A workbook with a header row, frozen panes and an auto filter: sortable in any
    spreadsheet (the FSMA 204 "sortable spreadsheet")."""
    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    sheet.append([str(headers[name]) for name in ROW_FIELDS])
    for row in rows:
        sheet.append([safe_cell(row[name]) for name in ROW_FIELDS])
    for column, name in enumerate(ROW_FIELDS, start=1):
        letter = get_column_letter(column)
        sheet.column_dimensions[letter].width = 14 if name in ("quantity", "unit", "date") else 24
        if name == "date":
            for cell in sheet[letter][1:]:
                cell.number_format = "yyyy-mm-dd"
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(ROW_FIELDS))}{len(rows) + 1}"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def rows_to_csv(rows: list[dict], headers: dict) -> bytes:
    """UTF-8 with a byte-order mark, so that Excel opens Chinese names correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([str(headers[name]) for name in ROW_FIELDS])
    for row in rows:
        writer.writerow([_csv_value(row[name]) for name in ROW_FIELDS])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _csv_value(value):
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return safe_cell(str(value))


# The graph

NODE_W, NODE_H, COL_GAP, ROW_GAP, PAD = 190, 46, 90, 26, 16


def chain_graph(movements, highlight: set[str] | None = None) -> dict:
    """Nodes (enterprises, by credit code) in columns by distance from the origin, and edges
    (one per direction, quantities summed per unit)."""
    names: dict[str, str] = {}
    edges: dict[tuple[str, str], dict] = {}
    for m in movements:
        source, target = (
            m.from_credit_code or m.from_enterprise,
            m.to_credit_code or m.to_enterprise,
        )
        names.setdefault(source, m.from_enterprise)
        names.setdefault(target, m.to_enterprise)
        if source == target:
            continue
        edge = edges.setdefault(
            (source, target),
            {"sent": defaultdict(int), "received": defaultdict(int), "documents": set()},
        )
        # Both sides record a matched movement: count the sender's and the receiver's apart.
        side = "received" if m.kind in INBOUND_KINDS else "sent"
        edge[side][m.unit] += m.quantity
        edge["documents"].add(m.document_number)
    depth = _depths(list(names), list(edges))
    return {"names": names, "edges": edges, "depth": depth, "highlight": highlight or set()}


def _depths(nodes: list[str], edges: list[tuple[str, str]]) -> dict[str, int]:
    targets = {t for _s, t in edges}
    depth = {n: 0 for n in nodes if n not in targets} or ({nodes[0]: 0} if nodes else {})
    frontier = list(depth)
    while frontier:
        following = []
        for node in frontier:
            for source, target in edges:
                if source == node and target not in depth:
                    depth[target] = depth[node] + 1
                    following.append(target)
        frontier = following
    for node in nodes:  # only reachable through a cycle
        depth.setdefault(node, max(depth.values(), default=-1) + 1)
    return depth


def graph_svg(graph: dict, label: str, unit_label=str) -> str:
    """The graph as an SVG document: boxes per enterprise, arrows with quantities."""
    columns: dict[int, list[str]] = defaultdict(list)
    for node, d in sorted(
        graph["depth"].items(), key=lambda item: (item[1], graph["names"][item[0]])
    ):
        columns[d].append(node)
    place = {}
    for d, nodes in columns.items():
        for i, node in enumerate(nodes):
            place[node] = (PAD + d * (NODE_W + COL_GAP), PAD + i * (NODE_H + ROW_GAP))
    width = PAD * 2 + max(len(columns), 1) * (NODE_W + COL_GAP) - COL_GAP
    height = PAD * 2 + max((len(n) for n in columns.values()), default=1) * (NODE_H + ROW_GAP)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label="{escape(label, {chr(34): "&quot;"})}">',
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" '
        'markerHeight="8" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" '
        'fill="#555"/></marker></defs>',
    ]
    for (source, target), edge in graph["edges"].items():
        parts.append(_edge_svg(place[source], place[target], edge, unit_label))
    for node, (x, y) in place.items():
        cls = "#fde2e1" if node in graph["highlight"] else "#eef4fb"
        parts.append(
            f'<g><rect x="{x}" y="{y}" width="{NODE_W}" height="{NODE_H}" rx="6" fill="{cls}" '
            f'stroke="#36c"/><text x="{x + 8}" y="{y + 19}" font-size="12">'
            f"{escape(_short(graph['names'][node], 26))}</text>"
            f'<text x="{x + 8}" y="{y + 36}" font-size="10" fill="#555">{escape(node)}</text></g>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _edge_svg(start, end, edge, unit_label) -> str:
    (x1, y1), (x2, y2) = start, end
    if x2 > x1:
        ax, ay, bx, by = x1 + NODE_W, y1 + NODE_H / 2, x2, y2 + NODE_H / 2
    else:  # a return or a sideways move: curve under the boxes
        ax, ay, bx, by = x1 + NODE_W / 2, y1 + NODE_H, x2 + NODE_W / 2, y2 + NODE_H
    text = edge_quantity(edge, unit_label)
    mx, my = (ax + bx) / 2, (ay + by) / 2 + (18 if x2 <= x1 else -4)
    bend = f"Q{mx},{my + 30} " if x2 <= x1 else ""
    return (
        f'<path d="M{ax},{ay} {bend}{bx},{by}" fill="none" stroke="#555" '
        f'marker-end="url(#arrow)"/>'
        f'<text x="{mx}" y="{my}" font-size="10" text-anchor="middle">{escape(text)}</text>'
    )


def edge_quantity(edge: dict, unit_label=str) -> str:
    """ "400 carton" when both sides agree (or one recorded it), else "400 carton sent,
    390 carton received"."""
    parts = []
    for unit in dict.fromkeys([*edge["sent"], *edge["received"]]):
        sent, received = edge["sent"].get(unit, 0), edge["received"].get(unit, 0)
        if sent and received and sent != received:
            parts.append(f"{sent} {unit_label(unit)} ↦ {received} {unit_label(unit)}")
        else:
            parts.append(f"{sent or received} {unit_label(unit)}")
    return ", ".join(parts)


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def graph_table(graph: dict, unit_label=str) -> list[dict]:
    """The graph's edges as rows, for the accessible table beside the picture."""
    names = graph["names"]
    return [
        {
            "from": names[source],
            "to": names[target],
            "quantity": edge_quantity(edge, unit_label),
            "documents": sorted(edge["documents"]),
        }
        for (source, target), edge in sorted(
            graph["edges"].items(), key=lambda item: (graph["depth"][item[0][0]], names[item[0][1]])
        )
    ]
