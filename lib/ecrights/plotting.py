"""One house style for every figure, with a CJK font from a package.

The font is Noto Sans CJK SC as shipped inside the `mplfonts` wheel: nothing is
fetched at run time, and a missing font is an error, never a silent fallback
to tofu boxes.
"""

from __future__ import annotations

import json
import sys
from functools import lru_cache
from pathlib import Path

import matplotlib

if "ipykernel" not in sys.modules:
    matplotlib.use("Agg")  # scripts and tests: no display; in a kernel, keep its inline backend
import matplotlib.pyplot as plt  # noqa: E402
import mplfonts  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib import font_manager  # noqa: E402

from .i18n import label  # noqa: E402, F401  (re-exported: figures import it from here)

FONT_FILE_NAME = "NotoSansCJKsc-Regular.otf"
PALETTE = ["#c0392b", "#2c7fb8", "#7fbc41", "#f39c12", "#8e44ad", "#7f8c8d"]


@lru_cache(maxsize=1)
def cjk_font_path() -> Path:
    path = Path(mplfonts.__file__).parent / "fonts" / FONT_FILE_NAME
    if not path.is_file():
        raise FileNotFoundError(f"CJK font {FONT_FILE_NAME} not found in the mplfonts package at {path}")
    return path


@lru_cache(maxsize=1)
def cjk_font_name() -> str:
    path = cjk_font_path()
    font_manager.fontManager.addfont(str(path))
    return font_manager.FontProperties(fname=str(path)).get_name()


# Seaborn's whitegrid theme, frozen: importing seaborn costs every kernel ~0.6 s
# (it imports scipy.stats) for a few dozen rcParams. house_style.json holds exactly
# what sns.set_theme(THEME) sets with the pinned seaborn; `python -m ecrights.plotting`
# rewrites it and tests/test_plotting.py fails when the two differ.
HOUSE_STYLE_FILE = Path(__file__).with_name("house_style.json")
THEME = {"style": "whitegrid", "context": "notebook", "palette": PALETTE}
# seaborn's default colormap "rocket" exists only once seaborn is imported; every
# figure here names its colormap, so matplotlib's default is left in place
NOT_FROZEN = ("image.cmap",)
HOUSE_RC = {"font.family": "sans-serif", "axes.unicode_minus": False, "figure.dpi": 110, "savefig.dpi": 130,
            "svg.hashsalt": "ecrights", "figure.figsize": (8, 4.2)}


def seaborn_theme_rc() -> dict:
    """The rcParams sns.set_theme(**THEME) changes, as JSON-ready values (imports seaborn)."""
    # seaborn (and the scipy.stats it imports) costs 1.1 s of CPU (measured): frozen in
    # house_style.json so that kernels never import it; only rewriting that file does
    import seaborn as sns  # noqa: PLC0415

    with matplotlib.rc_context():
        matplotlib.rcdefaults()
        before = dict(matplotlib.rcParams)
        sns.set_theme(**THEME)
        after = dict(matplotlib.rcParams)
    out = {}
    for key in sorted(after):
        value = after[key]
        if key in NOT_FROZEN or value == before.get(key):
            continue
        if key == "axes.prop_cycle":
            value = repr(value)  # "cycler('color', [...])": matplotlib's validator parses it back
        elif hasattr(value, "value"):  # enums such as CapStyle
            value = value.value
        out[key] = value
    return out


@lru_cache(maxsize=1)
def frozen_theme_rc() -> dict:
    return json.loads(HOUSE_STYLE_FILE.read_text(encoding="utf-8"))


def use_house_style() -> None:
    """Seaborn's whitegrid (frozen, see above) with the CJK font; called by every plotting function."""
    name = cjk_font_name()
    matplotlib.rcParams.update(frozen_theme_rc())
    matplotlib.rcParams.update({**HOUSE_RC, "font.sans-serif": [name, "DejaVu Sans"]})


def write_house_style() -> Path:
    HOUSE_STYLE_FILE.write_text(json.dumps(seaborn_theme_rc(), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return HOUSE_STYLE_FILE


GAP_COLOR = "#bbbbbb"


def new_figure(width: float = 8, height: float = 4.2):
    use_house_style()
    return plt.subplots(figsize=(width, height), layout="constrained")


def save(fig, path: Path) -> Path:
    """Save a PNG without volatile metadata (so two builds give the same bytes)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, format="png", metadata={"Software": None})
    return path


def mark_assumption(ax, language: str) -> None:
    """Stamp a figure built on assumed (non-public) quantities: right-aligned under the x axis
    (its tick labels and label), outside the data area, so it never covers a point."""
    def under_x_axis(renderer):  # an axis drawn without labels has no box: the axes' own then
        return ax.xaxis.get_tightbbox(renderer) or ax.get_window_extent(renderer)

    ax.annotate(label("基于假设参数，非平台观测数据", "built on assumed parameters, not platform data", language),
                xy=(1.0, 0.0), xycoords=("axes fraction", under_x_axis),
                xytext=(0, -2), textcoords="offset points", ha="right", va="top", fontsize=8, color="#a0522d")


def report_figure_title(figures, figure: str, language: str) -> str:
    """'图1 <title as printed>' / 'Figure 1 <translation>', from data/published/report_figures.csv."""
    row = figures.loc[figure]
    if language == "zh":
        return f"{figure} {row['title_zh']}" if row["title_zh"] else f"{figure}（报告正文未印标题）"
    return f"Figure {row['number']} {row['title_en']}"


def report_caption(report_figures, figure: str, note: str, language: str) -> str:
    """A redrawn report figure's caption: its title as printed (in English, its
    translation; data/published/report_figures.csv), then what is drawn here.
    Never its number: the report puts that before the caption."""
    title = str(report_figures.loc[figure, "title_zh" if language == "zh" else "title_en"] or "").strip()
    if not title:
        return note
    return f"{title}。{note}" if language == "zh" else f"{title}. {note}"


def break_at_years(x, values, periods):
    """`x` and `values` with a gap (NaN) between one year's last month and the next
    year's first: a cumulative (1 至当月) series restarts each January/1–2月, and a
    line joining December to the next January would draw a fall that never happened.
    `periods`: the monthly periods of `x`, in order."""
    x, values = np.asarray(x, dtype=float), np.asarray(values, dtype=float)
    years = np.array([p.year for p in periods])
    cut = np.flatnonzero(years[1:] != years[:-1]) + 1
    return np.insert(x, cut, x[cut] - 0.5), np.insert(values, cut, np.nan)


def month_labels(index, language: str) -> list[str]:
    """'1-2月' for NBS's combined January–February, the year under each January."""
    out = []
    for i, p in enumerate(index):
        if p.month == 2 and (p - 1) not in index:
            text = label("1-2月", "Jan-Feb", language)
        else:
            text = f"{p.month}月" if language == "zh" else p.strftime("%b")
        if i == 0 or index[i - 1].year != p.year:
            text = f"{text}\n{p.year}"
        out.append(text)
    return out


def mark_gaps(ax, x, values, y, language: str) -> int:
    """A visible marker where a value is a gap: never bridged."""
    gaps = [xi for xi, v in zip(x, values) if pd.isna(v)]
    if gaps:
        ax.scatter(gaps, [y] * len(gaps), marker="x", color=GAP_COLOR, zorder=5,
                   label=label("数据缺口（尚未转录）", "gap (not transcribed)", language))
    return len(gaps)


if __name__ == "__main__":
    print(f"wrote {write_house_style()}")
