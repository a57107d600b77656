"""ECharts options built on the server from the pre-computed figures, embedded in the page with
``json_script`` and drawn by static/supervision/charts.js. Every chart is usable without colour
alone: ARIA description and decal patterns on, a different symbol and line style per series,
values written as labels; every chart has a table beside it with the same numbers."""

from __future__ import annotations

from typing import Any, Sequence

SYMBOLS = ("circle", "rect", "triangle", "diamond", "pin", "arrow", "roundRect")
LINE_TYPES = ("solid", "dashed", "dotted")


def _base(title: str) -> dict[str, Any]:
    return {
        "title": {"text": title, "left": "center", "top": 4, "textStyle": {"fontSize": 14}},
        "aria": {"enabled": True, "decal": {"show": True}},
        "tooltip": {"trigger": "axis"},
        "legend": {"top": 34},
        "grid": {"top": 80, "left": 60, "right": 30, "bottom": 60, "containLabel": True},
        "animation": False,
    }


def line_chart(title: str, categories: Sequence[str], series: Sequence[tuple[str, Sequence[Any]]],
               unit: str = "", right: Sequence[int] = (), right_unit: str = "") -> dict[str, Any]:
    """Lines over the categories; the series whose positions are in ``right`` use a second
    y-axis on the right (counts of a different size, e.g. agencies beside applications)."""
    option = _base(title)
    option["xAxis"] = {"type": "category", "data": list(categories)}
    option["yAxis"] = [{"type": "value", "name": unit}]
    if right:
        option["yAxis"].append({"type": "value", "name": right_unit, "minInterval": 1})
    option["series"] = [
        {"name": name, "type": "line", "data": list(values), "symbol": SYMBOLS[i % len(SYMBOLS)], "symbolSize": 9,
         "yAxisIndex": 1 if i in right else 0,
         "lineStyle": {"type": LINE_TYPES[i % len(LINE_TYPES)], "width": 2},
         "label": {"show": True, "position": "top"}, "connectNulls": False}
        for i, (name, values) in enumerate(series)
    ]
    return option


def bar_chart(title: str, categories: Sequence[str], series: Sequence[tuple[str, Sequence[Any]]],
              unit: str = "") -> dict[str, Any]:
    option = _base(title)
    option["xAxis"] = {"type": "category", "data": list(categories), "axisLabel": {"interval": 0, "rotate": 30}}
    option["yAxis"] = {"type": "value", "name": unit}
    option["series"] = [
        {"name": name, "type": "bar", "data": list(values), "label": {"show": True, "position": "top"}}
        for name, values in series
    ]
    return option


def matrix_chart(title: str, agencies: Sequence[str], rules: Sequence[str],
                 cells: Sequence[tuple[int, int, int]]) -> dict[str, Any]:
    """Agencies × rules, the count of findings in each cell written on it (0 cells left empty)."""
    option = _base(title)
    option["tooltip"] = {"position": "top"}
    option["grid"] = {"top": 50, "left": 10, "right": 20, "bottom": 40, "containLabel": True}
    option["xAxis"] = {"type": "category", "data": list(rules), "splitArea": {"show": True},
                       "axisLabel": {"interval": 0, "rotate": 30}}
    option["yAxis"] = {"type": "category", "data": list(agencies), "splitArea": {"show": True}, "inverse": True}
    high = max([c[2] for c in cells] or [1])
    option["visualMap"] = {"min": 0, "max": high, "calculable": False, "orient": "horizontal", "left": "center",
                           "bottom": 0, "show": False}
    option["series"] = [{"name": "问题数", "type": "heatmap", "data": [list(c) for c in cells],
                         "label": {"show": True}}]
    option.pop("legend")
    return option
