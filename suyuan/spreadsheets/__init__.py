"""Excel templates, imports and exports (Excel 导入/导出).

``kinds`` registers what can be imported (one module per kind), ``templates`` builds a kind's
workbook, ``reader`` opens an upload without trusting it, ``importer`` imports all or
nothing, ``export`` writes any list as xlsx or CSV.
"""
