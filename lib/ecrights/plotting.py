"""One house style for every figure, with a CJK font from a package, drawn for print.

The font is Noto Sans CJK SC as shipped inside the `mplfonts` wheel: nothing is
fetched at run time, and a missing font is an error, never a silent fallback
to tofu boxes.

Print: a figure is drawn at the size it is placed (PRINT_WIDTH_CM wide, the
report's text block less a margin), so a point in the figure is a point on
paper; no text in it is smaller than MIN_TEXT_PT (`print_problems`, checked
when it is saved). It is saved as SVG with its text kept as text (the report
embeds it, and sets it in the report's own embedded font) and as a PNG at
PNG_PPI for Word. Series differ in marker and line style as well as colour
(`series_style`), from the Okabe–Ito palette (safe for colour-blind readers,
no red/green pair); minus signs are U+2212 (`signed`, axes.unicode_minus).
"""

from __future__ import annotations

import json
import math
import re
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
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.patches import StepPatch  # noqa: E402

from .i18n import label  # noqa: E402, F401  (re-exported: figures import it from here)

FONT_FILE_NAME = "NotoSansCJKsc-Regular.otf"
# Okabe & Ito (2008), "Color Universal Design": vermillion, blue, bluish green, orange, reddish purple,
# then a neutral grey and sky blue. Told apart by readers with any common colour-vision deficiency;
# greyscale prints tell series apart by their markers and line styles (series_style), not by colour.
PALETTE = ["#D55E00", "#0072B2", "#009E73", "#E69F00", "#CC79A7", "#7F7F7F", "#56B4E9"]
MARKERS = ["o", "s", "^", "D", "v", "P", "X"]
LINESTYLES = ["-", "--", "-.", ":", (0, (9, 2.5)), (0, (1, 1)), (0, (5, 1.5, 1, 1.5, 1, 1.5))]

# -- print geometry: every figure is drawn at the size it is placed ----------------------
PRINT_WIDTH_CM = 16.0  # what figures are drawn at: within A4's text block, unscaled
TEXT_BLOCK_CM = (210 - 2 * 16) / 10  # A4 less print.css's 16 mm side margins: a wider figure would be scaled down
PRINT_WIDTH = PRINT_WIDTH_CM / 2.54  # inches, matplotlib's unit
MIN_TEXT_PT = 7.0  # nothing smaller on paper (tests measure the PDF's glyphs)
PNG_PPI = 300  # the raster copy, for Word only: print resolution at the placed size
# the sizes figures use, in points at print size
SMALL, NOTE, BODY, TITLE = 7.0, 7.5, 8.0, 9.0


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
HOUSE_RC = {"font.family": "sans-serif", "axes.unicode_minus": True, "figure.dpi": 110, "savefig.dpi": PNG_PPI,
            "svg.hashsalt": "ecrights", "svg.fonttype": "none", "figure.figsize": (PRINT_WIDTH, 3.3),
            # print sizes on top of the theme (its "notebook" context is for screens)
            "font.size": BODY, "axes.titlesize": TITLE, "axes.labelsize": BODY, "xtick.labelsize": NOTE,
            "ytick.labelsize": NOTE, "legend.fontsize": NOTE, "legend.title_fontsize": BODY,
            "figure.titlesize": TITLE, "lines.linewidth": 1.3, "lines.markersize": 4.5,
            "axes.linewidth": 0.8, "grid.linewidth": 0.6, "patch.linewidth": 0.6}


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


def new_figure(width: float = PRINT_WIDTH, height: float = 3.3, **kwargs):
    """A figure of the size it is printed at (inches; the full print width by default)."""
    use_house_style()
    return plt.subplots(figsize=(width, height), layout="constrained", **kwargs)


def new_subplots(nrows: int, ncols: int, height: float, width: float = PRINT_WIDTH, **kwargs):
    """Several panels, at print size (see new_figure)."""
    use_house_style()
    return plt.subplots(nrows, ncols, figsize=(width, height), layout="constrained", **kwargs)


def series_style(i: int) -> dict:
    """The i-th series' colour, marker and line style: each differs from its neighbours' in all
    three, so series stay apart in greyscale and for colour-blind readers."""
    return {"color": PALETTE[i % len(PALETTE)], "marker": MARKERS[i % len(MARKERS)],
            "linestyle": LINESTYLES[i % len(LINESTYLES)]}


def wrap(text: str, width_pt: float, size: float = BODY) -> str:
    """`text` broken into lines no wider than about `width_pt` at `size` points, the lines of about
    equal length: a CJK character is one em wide, a Latin one about half; a number or a Latin word
    is never split (a title the width of a figure stays inside it)."""
    if "\n" in text:  # lines already broken: each wrapped on its own
        return "\n".join(wrap(line, width_pt, size) for line in text.split("\n"))
    tokens = _TOKENS.findall(text)
    widths = [sum(1.0 if ord(c) > 0x2E80 else 0.55 for c in t) for t in tokens]
    per_line = max(width_pt / size, 4.0)
    lines = max(math.ceil(sum(widths) / per_line), 1)
    target = min(per_line, sum(widths) / lines + 1.0)  # balanced: no word left alone on the last line
    out, line, used = [], "", 0.0
    for token, w in zip(tokens, widths):
        if used + w > target and line.strip():
            out.append(line.rstrip())
            line, used = "", 0.0
            if token.isspace():
                continue
        line += token
        used += w
    return "\n".join(out + [line.rstrip()])


# a CJK character (a break may fall before or after it), a run of anything else, or spaces
_TOKENS = re.compile(r"[\u2E80-\u9FFF\uF900-\uFAFF\uFF00-\uFFEF]|[^\s\u2E80-\u9FFF\uF900-\uFAFF\uFF00-\uFFEF]+|\s+")


def axes_width_pt(ax) -> float:
    """About how wide the axes will be, in points (its grid cell before layout, less a margin)."""
    return 0.9 * ax.get_position().width * ax.figure.get_figwidth() * 72


def fit_title(ax, text: str, size: float = TITLE, **kwargs):
    """The axes' title, wrapped to its width (a long English title would run off the figure)."""
    return ax.set_title(wrap(text, axes_width_pt(ax), size), fontsize=size, **kwargs)


def fit_xlabel(ax, text: str, size: float = BODY, **kwargs):
    """The x-axis label, wrapped to the axes' width."""
    return ax.set_xlabel(wrap(text, axes_width_pt(ax), size), fontsize=size, **kwargs)


def signed(value: float, spec: str = "g") -> str:
    """A number formatted with `spec` and a true minus sign (U+2212), as the tables print it."""
    return format(value, spec).replace("-", "\u2212")


# an opaque box behind a label drawn in the plot area: no gridline or line runs through it
LABEL_BOX = {"facecolor": "white", "edgecolor": "none", "pad": 1.0, "alpha": 1.0}


def drawn_texts(fig) -> list[tuple[str, float, bool, object]]:
    """Every piece of text the figure draws, as drawn: (text, size in points, mathtext?, its Text
    artist). Recorded from the renderer, so ticks outside the view or hidden artists are not in."""
    renderer = fig.canvas.get_renderer()
    seen = []
    original = renderer.draw_text

    def record(gc, x, y, s, prop, angle, ismath=False, mtext=None):
        if s.strip():
            seen.append((s, prop.get_size_in_points(), bool(ismath), mtext))
        return original(gc, x, y, s, prop, angle, ismath=ismath, mtext=mtext)

    renderer.draw_text = record
    try:
        fig.draw(renderer)
    finally:
        del renderer.draw_text
    # matplotlib passes its Text artist only for a one-line text: each line of a wrapped title,
    # label or legend entry came without it, and so escaped the "runs off the figure" check
    from matplotlib.text import Text  # noqa: PLC0415

    multiline = [t for t in fig.findobj(Text) if "\n" in t.get_text() and t.get_visible()]
    return [(s, size, ismath, mtext if mtext is not None else
             next((t for t in multiline if s in t.get_text().split("\n")), None))
            for s, size, ismath, mtext in seen]


# a hyphen-minus standing for a minus: before a digit, not inside a word or a range ("1-2月", "2016-01")
HYPHEN_MINUS = re.compile(r"(?<![\w)\]])-(?=\.?\d)")


def series_problems(fig) -> list[str]:
    """Series that only colour tells apart: within an axes, two labelled lines (or steps) with the
    same marker and line style. A greyscale print, or a colour-blind reader, could not tell them
    apart. Empty when every series differs from the others in marker or line style."""
    problems = []
    for ax in fig.axes:
        seen: dict[tuple, str] = {}
        for artist in [*ax.get_lines(), *[p for p in ax.patches if isinstance(p, StepPatch)]]:
            name = artist.get_label()
            if not name or name.startswith("_") or not artist.get_visible():
                continue
            marker = artist.get_marker() if isinstance(artist, Line2D) else "None"
            style = (str(marker), repr(artist.get_linestyle()) if marker in ("None", "none", "", " ") or
                     artist.get_linestyle() not in ("None", "none", "", " ") else "None")
            if style in seen and seen[style] != name:
                problems.append(f"series {seen[style]!r} and {name!r} share marker and line style {style}")
            seen.setdefault(style, name)
    return problems


def print_problems(fig, measured: tuple | None = None) -> list[str]:
    """What keeps the figure from printing as drawn: wider than the text block (it would be scaled
    down, and its text with it), text smaller than MIN_TEXT_PT, text running off the figure, or
    mathtext (its sub- and superscripts are set at 70%). Empty when it prints.
    `measured`: measure(fig) when the caller has it (each measurement draws the figure)."""
    texts, saved_bounds = measured or measure(fig)
    problems = []
    width = fig.get_figwidth() * 2.54
    if width > TEXT_BLOCK_CM + 1e-6:
        problems.append(f"figure is {width:.1f} cm wide, wider than the text block ({TEXT_BLOCK_CM:g} cm)")
    elif saved_bounds.width * 2.54 > TEXT_BLOCK_CM + 1e-6:  # as saved: with room for its text to be set wider
        problems.append(f"figure saved is {saved_bounds.width * 2.54:.1f} cm wide with its text's slack, wider "
                        f"than the text block ({TEXT_BLOCK_CM:g} cm)")
    renderer = fig.canvas.get_renderer()
    bounds = fig.bbox.padded(1.0)
    for text, size, is_mathtext, artist in texts:
        if size < MIN_TEXT_PT - 1e-6:
            problems.append(f"text {text[:40]!r} is {size:g} pt, below {MIN_TEXT_PT:g} pt")
        if is_mathtext:
            problems.append(f"text {text[:40]!r} is mathtext (sub- and superscripts print below {MIN_TEXT_PT:g} pt)")
        if HYPHEN_MINUS.search(text):
            problems.append(f"text {text[:40]!r} has a hyphen for a minus sign (use U+2212: signed())")
        if artist is not None:
            box = artist.get_window_extent(renderer)
            if not (bounds.x0 <= box.x0 and box.x1 <= bounds.x1 and bounds.y0 <= box.y0 and box.y1 <= bounds.y1):
                problems.append(f"text {text[:40]!r} runs off the figure")
    return list(dict.fromkeys(problems))


def save(fig, path: Path) -> Path:
    """Save a PNG without volatile metadata (so two builds give the same bytes)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, format="png", metadata={"Software": None})
    return path


# The SVG keeps its text as text: its reader (a browser, weasyprint) sets it in the page's font with
# its own metrics, and a browser may set a line several percent wider than matplotlib measured it
# (hinting, a fallback font). print_problems measures with matplotlib and found every text inside
# the figure, yet the HTML cut labels at the figure's edges ("auty & cosmetics", "…no tolerance
# give"). The saved canvas therefore leaves each text room to grow by TEXT_SLACK of its length,
# on the side it grows towards (its alignment), and EDGE_PAD_PT beyond.
TEXT_SLACK = 0.10
EDGE_PAD_PT = 2.0


def _grown(box, artist, dpi: float):
    """`box` (a text's window extent) widened by TEXT_SLACK towards where a wider setting of the
    text would go: right for left-aligned text, left for right-aligned, both halves for centred;
    rotated text along its longer side, both ways."""
    from matplotlib.transforms import Bbox  # noqa: PLC0415

    (x0, y0), (x1, y1) = box.get_points()
    if artist is not None and artist.get_rotation() % 180 == 0:
        grow = TEXT_SLACK * (x1 - x0)
        ha = artist.get_horizontalalignment()
        left, right = {"left": (0, grow), "right": (grow, 0)}.get(ha, (grow / 2, grow / 2))
        x0, x1 = x0 - left, x1 + right
    elif (x1 - x0) >= (y1 - y0):
        x0, x1 = x0 - TEXT_SLACK * (x1 - x0) / 2, x1 + TEXT_SLACK * (x1 - x0) / 2
    else:
        y0, y1 = y0 - TEXT_SLACK * (y1 - y0) / 2, y1 + TEXT_SLACK * (y1 - y0) / 2
    pad = EDGE_PAD_PT * dpi / 72
    return Bbox([[x0 - pad, y0 - pad], [x1 + pad, y1 + pad]])


def measure(fig) -> tuple[list, object]:
    """Draw the figure once (its layout is then done and its text extents final) and return
    (drawn_texts, the canvas it is saved on): a Bbox in inches, the figure grown where a text,
    set TEXT_SLACK wider than matplotlib measures it, would otherwise run off it."""
    from matplotlib.transforms import Bbox  # noqa: PLC0415

    texts = drawn_texts(fig)
    renderer = fig.canvas.get_renderer()
    boxes = [fig.bbox] + [_grown(artist.get_window_extent(renderer), artist, fig.dpi)
                          for _, _, _, artist in texts if artist is not None]
    union = Bbox.union(boxes)
    return texts, Bbox.from_extents(*(v / fig.dpi for v in union.extents))


def print_bounds(fig):
    """The canvas the figure is saved on (measure)."""
    return measure(fig)[1]


def save_print(fig, stem: Path) -> tuple[Path, Path]:
    """The figure as print: `<stem>.svg` (vector, text kept as text: the report sets it in its own
    embedded font) and `<stem>.png` at PNG_PPI (for Word), both on the canvas print_bounds gives.
    Refused, naming what is wrong, when the figure would not print at its size (print_problems).
    Both without volatile metadata."""
    measured = measure(fig)  # the one draw that lays the figure out
    problems = print_problems(fig, measured)
    if problems:
        raise ValueError("figure not printable as drawn: " + "; ".join(problems[:5]))
    stem = Path(stem)
    stem.parent.mkdir(parents=True, exist_ok=True)
    svg, png = stem.with_suffix(".svg"), stem.with_suffix(".png")
    bounds = measured[1]
    # the layout measured and checked above is the one saved: a layout engine would solve it again at
    # each save (constrained layout is most of a draw's time) and could move a text the checks passed
    fig.set_layout_engine("none")
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": HOUSE_RC["svg.hashsalt"]}):
        fig.savefig(svg, format="svg", metadata={"Date": None, "Creator": None}, bbox_inches=bounds)
    fig.savefig(png, format="png", dpi=PNG_PPI, metadata={"Software": None}, bbox_inches=bounds)
    return svg, png


def mark_assumption(ax, language: str) -> None:
    """Stamp a figure built on assumed (non-public) quantities: right-aligned under the x axis
    (its tick labels and label), outside the data area, so it never covers a point."""
    def under_x_axis(renderer):  # an axis drawn without labels has no box: the axes' own then
        return ax.xaxis.get_tightbbox(renderer) or ax.get_window_extent(renderer)

    ax.annotate(label("基于假设参数，非平台观测数据", "built on assumed parameters, not platform data", language),
                xy=(1.0, 0.0), xycoords=("axes fraction", under_x_axis),
                xytext=(0, -2), textcoords="offset points", ha="right", va="top", fontsize=NOTE, color="#a0522d")


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
