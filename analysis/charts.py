"""Charts drawn on the server as SVG with matplotlib, for the dashboard and the bulletins.

Only Latin digits and p-codes are drawn inside a chart: words, in English or Arabic, stay in the
HTML around it (a caption and a table of the same data), because SVG text is not shaped for
Arabic by browsers' image renderers nor by WeasyPrint. Text is drawn as paths, so a chart
needs no font and looks the same everywhere; the output holds no script and no outside link.
"""

import datetime
import io
import re
import threading

import matplotlib

matplotlib.use("svg")

from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

BAR = "#1f5fa8"
ACCENT = "#b3261e"
GRID = "#d0d7de"
TEXT = "#1f2328"
_NO_METADATA = {"Date": None, "Creator": None, "Format": None, "Type": None}
_STYLE = re.compile(r"\s*<style[^>]*>.*?</style>", re.DOTALL)
_METADATA = re.compile(r"\s*<metadata>.*?</metadata>", re.DOTALL)
_lock = threading.Lock()  # matplotlib's font and text caches are not thread-safe

matplotlib.rcParams.update(
    {
        "svg.fonttype": "path",
        "svg.hashsalt": "cluster-portal",  # the same data gives the same file
        "font.family": "DejaVu Sans",
        "font.size": 9,
        "axes.edgecolor": GRID,
        "axes.labelcolor": TEXT,
        "xtick.color": TEXT,
        "ytick.color": TEXT,
        "axes.spines.top": False,
        "axes.spines.right": False,
    }
)


def _compact(value: float, _position=None) -> str:
    for limit, suffix in ((1_000_000_000, "B"), (1_000_000, "M"), (1_000, "k")):
        if abs(value) >= limit:
            return f"{value / limit:.3g}{suffix}"
    return f"{value:.0f}"


def _svg(figure: Figure) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight", metadata=_NO_METADATA)
    text = buffer.getvalue()
    text = _STYLE.sub("", text[text.index("<svg") :])
    return _METADATA.sub("", text)


def _figure(width: float, height: float) -> tuple[Figure, object]:
    figure = Figure(figsize=(width, height))
    axes = figure.add_subplot()
    axes.grid(axis="y", color=GRID, linewidth=0.6)
    axes.set_axisbelow(True)
    return figure, axes


def _drawn(positions: list[int], values: list[int | None]) -> tuple[list[int], list[int]]:
    """The positions and values of the bars to draw: a value of None (a figure not shown)
    keeps its label but gets no bar."""
    pairs = [(position, value) for position, value in zip(positions, values, strict=True)]
    kept = [(position, value) for position, value in pairs if value is not None]
    return [position for position, _ in kept], [value for _, value in kept]


def bars_svg(
    values: list[int | None],
    *,
    labels: list[str] | None = None,
    horizontal=False,
    limit: int | None = None,
) -> str:
    """Bars in the order given; labels are short Latin codes (p-codes, numbers), or none.

    ``limit`` fixes the end of the value axis (100 for percentages) instead of fitting it.
    A value of None draws no bar: the table beside the chart says why.
    """
    labels = labels if labels is not None else [str(n) for n in range(1, len(values) + 1)]
    count = max(len(values), 1)
    with _lock:
        if horizontal:
            figure, axes = _figure(6.4, max(1.6, 0.28 * count + 0.6))
            axes.grid(axis="y", visible=False)
            axes.grid(axis="x", color=GRID, linewidth=0.6)
            positions = list(range(len(values)))[::-1]
            drawn, heights = _drawn(positions, values)
            axes.barh(drawn, heights, color=BAR)
            axes.set_yticks(positions, labels)
            if len(drawn) < len(values):  # keep the place of a bar not drawn
                axes.set_ylim(-0.5, len(values) - 0.5)
            axes.xaxis.set_major_formatter(FuncFormatter(_compact))
            axes.xaxis.set_major_locator(MaxNLocator(5, integer=True))
            if limit is not None:
                axes.set_xlim(0, max(limit, *heights, 1))
        else:
            figure, axes = _figure(max(3.2, 0.45 * count + 1.2), 2.8)
            positions = list(range(len(values)))
            drawn, heights = _drawn(positions, values)
            axes.bar(drawn, heights, color=BAR)
            axes.set_xticks(positions, labels, rotation=45 if count > 8 else 0)
            if len(drawn) < len(values):
                axes.set_xlim(-0.5, len(values) - 0.5)
            axes.yaxis.set_major_formatter(FuncFormatter(_compact))
            axes.yaxis.set_major_locator(MaxNLocator(5, integer=True))
            if limit is not None:
                axes.set_ylim(0, max(limit, *heights, 1))
        return _svg(figure)


def months_svg(values: list[int | None], *, months: list[datetime.date]) -> str:
    """People reached month by month, as columns labelled YYYY-MM; no column for None."""
    labels = [f"{month:%Y-%m}" for month in months]
    step = max(1, len(labels) // 12)
    with _lock:
        figure, axes = _figure(6.4, 2.8)
        drawn, heights = _drawn(list(range(len(values))), values)
        axes.bar(drawn, heights, color=BAR)
        if len(drawn) < len(values):
            axes.set_xlim(-0.5, len(values) - 0.5)
        ticks = list(range(0, len(values), step))
        axes.set_xticks(ticks, [labels[i] for i in ticks], rotation=45, ha="right")
        axes.yaxis.set_major_formatter(FuncFormatter(_compact))
        axes.yaxis.set_major_locator(MaxNLocator(5, integer=True))
        return _svg(figure)


def progress_svg(percent: int) -> str:
    """A single progress bar towards a target, capped at 100 on the scale (the figure is not)."""
    shown = max(0, min(int(percent), 100))
    with _lock:
        figure = Figure(figsize=(3.2, 0.5))
        axes = figure.add_axes((0, 0.25, 1, 0.5))
        axes.set_xlim(0, 100)
        axes.barh([0], [100], color=GRID, height=1)
        axes.barh([0], [shown], color=BAR if percent < 100 else ACCENT, height=1)
        axes.set_axis_off()
        return _svg(figure)
