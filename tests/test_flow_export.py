"""The pure trace renderers: formula-safe cells, sorting, and an SVG graph that escapes
enterprise names."""

from datetime import date

from defusedxml import ElementTree

from suyuan.services.trace_export import (
    chain_graph,
    graph_svg,
    graph_table,
    rows_to_csv,
    safe_cell,
    sort_rows,
)
from suyuan.services.tracing import Movement


def move(number, source, target, quantity=1, kind="sales_out", on=date(2026, 1, 1)):
    return Movement(1, number, kind, on, source, f"C-{source}", target, f"C-{target}", "Apple",
                    "L1", 1, quantity, "box")  # fmt: skip


def test_formula_cells_are_neutralised():
    for dangerous in ("=1+1", "+1", "-1", "@SUM(A1)", "\t=x"):
        assert safe_cell(dangerous) == "'" + dangerous
    assert safe_cell("Apple") == "Apple" and safe_cell(-1) == -1


def test_sort_rows_by_any_column():
    rows = [{"quantity": 2, "lot": "b"}, {"quantity": 10, "lot": "a"}]
    assert [r["quantity"] for r in sort_rows(rows, "quantity")] == [2, 10]
    assert [r["lot"] for r in sort_rows(rows, "lot", descending=True)] == ["b", "a"]
    assert sort_rows(rows, "not-a-column") == rows


def test_graph_columns_edges_and_escaping():
    movements = [
        move("1", "Maker", "Maker", 10, kind="finished_in"),
        move("2", "Maker", "<script>alert(1)</script>", 4),
        move("3", "<script>alert(1)</script>", "Shop", 3),
        move("4", "Shop", "<script>alert(1)</script>", 1, kind="purchase_return"),
        move("5", "Maker", "<script>alert(1)</script>", 4, kind="purchase_in"),  # matched
        move("6", "<script>alert(1)</script>", "Shop", 2, kind="purchase_in"),  # short
    ]
    graph = chain_graph(movements)
    assert graph["depth"] == {"C-Maker": 0, "C-<script>alert(1)</script>": 1, "C-Shop": 2}
    svg = graph_svg(graph, 'Flow "x"')
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    ElementTree.fromstring(svg)  # well-formed XML
    table = graph_table(graph)
    assert [(r["from"], r["to"], r["quantity"]) for r in table] == [
        ("Maker", "<script>alert(1)</script>", "4 box"),
        ("<script>alert(1)</script>", "Shop", "3 box ↦ 2 box"),
        ("Shop", "<script>alert(1)</script>", "1 box"),
    ]


def test_csv_has_bom_and_iso_dates():
    data = rows_to_csv([{"recorded_by": "=x", "document_number": "1", "kind": "k",
                         "date": date(2026, 1, 2), "product": "p", "lot": "l", "quantity": 1,
                         "unit": "box", "from_enterprise": "a", "from_credit_code": "",
                         "to_enterprise": "b", "to_credit_code": ""}],
                       {name: name for name in ("recorded_by", "document_number", "kind", "date",
                        "product", "lot", "quantity", "unit", "from_enterprise",
                        "from_credit_code", "to_enterprise", "to_credit_code")})  # fmt: skip
    assert data.startswith("\ufeff".encode())
    assert "'=x,1,k,2026-01-02" in data.decode("utf-8-sig")
