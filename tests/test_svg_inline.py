"""A figure's SVG as the report's pages carry it (report/svg.py)."""

import pytest

from ecrights.report import svg

FIGURE = ('<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10pt">'
          '<metadata>x</metadata><defs><clipPath id="c1"><rect/></clipPath></defs>'
          '<g id="figure_1">\n <g id="axes_1">\n  <g clip-path="url(#c1)"><path id="p1"/></g>'
          '<g id="text_1"><text>标题</text></g><g style="fill: red"><use href="#p1"/></g><g id="empty"/>'
          '</g>\n</g></svg>')


def test_groups_that_carry_only_an_id_are_dropped_and_their_contents_kept_in_order():
    out = svg.without_bare_groups(FIGURE)
    assert 'id="figure_1"' not in out and 'id="axes_1"' not in out and 'id="text_1"' not in out
    assert '<g clip-path="url(#c1)"><path id="p1"/></g>' in out and '<g style="fill: red">' in out
    assert out.index("<path") < out.index("<text>标题</text>") < out.index("<use")
    assert out.count("<g") == 3 and out.count("</g>") == 2  # kept: clip-path, style, and the empty <g/>
    assert out.replace("\n", "").replace(" ", "").endswith('<gid="empty"/></svg>')


def test_the_inline_figure_prefixes_ids_and_references_and_drops_bare_groups():
    out = svg.inline(FIGURE, "fig-a", "图1 标题")
    assert out.startswith("<svg") and "<metadata>" not in out and 'id="fig-a-figure_1"' not in out
    assert 'clip-path="url(#fig-a-c1)"' in out and 'href="#fig-a-p1"' in out
    assert 'aria-label="图1 标题"' in out


@pytest.mark.parametrize("broken", ['<svg><g id="a"><path/></svg>', "<svg><path/></g></svg>"])
def test_an_svg_whose_groups_do_not_pair_is_refused(broken):
    with pytest.raises(ValueError, match="group"):
        svg.without_bare_groups(broken)
