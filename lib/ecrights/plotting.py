"""One house style for every figure, with a CJK font from a package.

The font is Noto Sans CJK SC as shipped inside the `mplfonts` wheel: nothing is
fetched at run time, and a missing font is an error, never a silent fallback
to tofu boxes.
"""

from __future__ import annotations

import sys
from functools import lru_cache
from pathlib import Path

import matplotlib

if "ipykernel" not in sys.modules:
    matplotlib.use("Agg")  # scripts and tests: no display; in a kernel, keep its inline backend
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib import font_manager  # noqa: E402

FONT_FILE_NAME = "NotoSansCJKsc-Regular.otf"
PALETTE = ["#c0392b", "#2c7fb8", "#7fbc41", "#f39c12", "#8e44ad", "#7f8c8d"]


@lru_cache(maxsize=1)
def cjk_font_path() -> Path:
    import mplfonts

    path = Path(mplfonts.__file__).parent / "fonts" / FONT_FILE_NAME
    if not path.is_file():
        raise FileNotFoundError(f"CJK font {FONT_FILE_NAME} not found in the mplfonts package at {path}")
    return path


@lru_cache(maxsize=1)
def cjk_font_name() -> str:
    path = cjk_font_path()
    font_manager.fontManager.addfont(str(path))
    return font_manager.FontProperties(fname=str(path)).get_name()


def use_house_style() -> None:
    """Seaborn's whitegrid with the CJK font; called by every plotting function."""
    import seaborn as sns

    name = cjk_font_name()
    sns.set_theme(style="whitegrid", context="notebook", palette=PALETTE,
                  rc={"font.family": "sans-serif", "font.sans-serif": [name, "DejaVu Sans"],
                      "axes.unicode_minus": False, "figure.dpi": 110, "savefig.dpi": 130,
                      "svg.hashsalt": "ecrights", "figure.figsize": (8, 4.2)})


def label(zh: str, en: str, language: str) -> str:
    """The label in the notebook's language ('zh' or 'en')."""
    if language not in ("zh", "en"):
        raise ValueError(f"language must be 'zh' or 'en', got {language!r}")
    return zh if language == "zh" else en


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
    """Stamp a figure built on assumed (non-public) quantities."""
    ax.text(0.99, 0.02, label("基于假设参数，非平台观测数据", "built on assumed parameters, not platform data", language),
            transform=ax.transAxes, ha="right", va="bottom", fontsize=8, color="#a0522d", alpha=0.9)
