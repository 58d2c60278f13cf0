"""lib/ecrights/figstore.py: a print figure drawn once per inputs and code, its files reused."""

from __future__ import annotations

import json

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from ecrights import figstore, memo  # noqa: E402
from ecrights.plotting import new_figure  # noqa: E402
from ecrights.params import resolve  # noqa: E402
from ecrights.results import SectionRecord  # noqa: E402

DRAWN: list[float] = []


@figstore.stored_figure
def line_figure(level: float, language: str):
    DRAWN.append(level)
    fig, ax = new_figure(3, 2)
    ax.plot([0, 1, 2], [level, level + 1, level - 1], label="level")
    ax.set_title("一条线" if language == "zh" else "a line")
    return fig, pd.DataFrame({"x": [0, 1, 2], "y": [level, level + 1, level - 1]})


@pytest.fixture(autouse=True)
def store(tmp_path, monkeypatch):
    monkeypatch.setenv(memo.MEMO_ENV, str(tmp_path / "memo"))
    DRAWN.clear()
    figstore.use_store()
    yield tmp_path / "memo"
    figstore.use_store(False)
    plt.close("all")


def _record(tmp_path, name: str) -> SectionRecord:
    return SectionRecord.open("retail_growth", resolve(["retail_growth"])["retail_growth"], str(tmp_path / name),
                              language="zh")


def _save(record: SectionRecord, fig, drawn) -> tuple[bytes, bytes, str]:
    svg = record.figure("line", fig, drawn, caption="一条线", sources=["data/official/test.csv"])
    return svg.read_bytes(), svg.with_suffix(".png").read_bytes(), svg.with_suffix(".csv").read_text()


def test_a_figure_drawn_from_the_same_inputs_is_not_drawn_again_and_its_files_are_the_same(tmp_path, store):
    first = _save(_record(tmp_path, "a"), *line_figure(1.5, "zh"))
    fig, drawn = line_figure(1.5, "zh")
    assert isinstance(fig, figstore.StoredFigure) and DRAWN == [1.5]
    assert _save(_record(tmp_path, "b"), fig, drawn) == first  # SVG, PNG and the drawn data's CSV
    line_figure(2.5, "zh")  # other inputs: drawn
    line_figure(1.5, "en")
    assert DRAWN == [1.5, 2.5, 1.5]


def test_a_figure_not_saved_is_not_stored_and_an_entry_not_signed_is_not_used(tmp_path, store):
    record = _record(tmp_path, "a")
    record.draw_figures = False  # a sweep variant: closed unrendered, nothing stored
    assert record.figure("line", *line_figure(1.5, "zh"), caption="", sources=[]) is None
    assert not any(store.rglob("*.json"))
    _save(_record(tmp_path, "b"), *line_figure(1.5, "zh"))
    (entry,) = store.rglob("*.json")
    planted = json.loads(entry.read_text(encoding="utf-8"))
    planted["value"]["dict"]["svg"] = '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    entry.write_text(json.dumps(planted), encoding="utf-8")  # its signature no longer matches
    fig, _ = line_figure(1.5, "zh")
    assert not isinstance(fig, figstore.StoredFigure) and DRAWN == [1.5, 1.5, 1.5]


def test_outside_a_sections_run_a_figure_function_always_draws(store):
    figstore.use_store(False)  # a test or a script calling a figure function: a matplotlib figure, every time
    for _ in range(2):
        fig, _ = line_figure(1.5, "zh")
        assert hasattr(fig, "canvas")
    assert DRAWN == [1.5, 1.5] and not store.exists()


def test_arguments_the_store_cannot_key_mean_the_figure_is_drawn(store):
    @figstore.stored_figure
    def odd(thing):
        DRAWN.append(0.0)
        return new_figure(3, 2)[0], pd.DataFrame({"x": [1]})

    odd(object())
    odd(object())
    assert DRAWN == [0.0, 0.0] and not store.exists()
