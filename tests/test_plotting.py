"""The house style: seaborn's whitegrid theme, frozen in house_style.json."""

import subprocess
import sys

import matplotlib as mpl
import pytest

from ecrights import plotting


def test_frozen_theme_equals_what_seaborn_sets_now():
    frozen = plotting.frozen_theme_rc()
    assert frozen == plotting.seaborn_theme_rc(), "house_style.json is stale: run python -m ecrights.plotting"


def test_house_style_reproduces_seaborn_set_theme_on_every_frozen_key():
    import seaborn as sns

    with mpl.rc_context():
        mpl.rcdefaults()
        sns.set_theme(**plotting.THEME)
        by_seaborn = dict(mpl.rcParams)
    with mpl.rc_context():
        mpl.rcdefaults()
        plotting.use_house_style()
        ours = dict(mpl.rcParams)
    differing = {k for k in by_seaborn if by_seaborn[k] != ours[k]}
    # what the project sets on top of the theme, and the one key deliberately not frozen
    assert differing <= set(plotting.HOUSE_RC) | {"font.sans-serif"} | set(plotting.NOT_FROZEN)
    assert "axes.prop_cycle" not in differing and "axes.grid" not in differing
    assert ours["axes.prop_cycle"].by_key()["color"][0] == pytest.approx(mpl.colors.to_rgb(plotting.PALETTE[0]))


def test_drawing_a_figure_does_not_import_seaborn():
    code = ("import sys; from ecrights import plotting; fig, ax = plotting.new_figure(); ax.plot([1, 2]); "
            "fig.canvas.draw(); print('seaborn' in sys.modules, 'scipy.stats' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["False", "False"]
