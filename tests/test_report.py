"""The report assembler, on a small fake build/ in both editions (no notebook is executed here).

The fixture notebook is written the way README's notebook conventions ask: language-tagged markdown twins,
visibility tags, a typeset table, figures with and without the report's own number."""

from __future__ import annotations

import base64
import csv
import json
import re
import shutil
from collections import Counter
from pathlib import Path

import nbformat
import pytest
from bs4 import BeautifulSoup

from ecrights import sections, tables
from ecrights.report import assemble, language as language_check, scorecard
from ecrights.report.texts import text as report_text

# a 1×1 PNG
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==")
BUILT = ["retail_growth", "promotion_effects"]  # the others are "not built"
MARK = {"retail_growth": "甲", "promotion_effects": "乙"}  # Chinese markers: the Chinese edition stays Chinese
CLAIMS = {
    "retail_growth": [("rg_a", "reproduced"), ("rg_b", "reproduced"), ("rg_c", "discrepant"),
                      ("rg_d", "not_reproducible")],
    "promotion_effects": [("pe_a", "reproduced"), ("pe_b", "not_sourced"), ("pe_c", "discrepant")],
}
COLUMNS = ["claim_id", "section", "quote", "reported_value", "reproduced_value", "difference", "unit", "status",
           "method", "note"]
STAGING = "/somewhere/build/.staging/{section}-1a2b3c"


def _claim(section, claim_id, status):
    return {"claim_id": claim_id, "section": section, "quote": f"报告原文第{claim_id[-1]}处增长8.0%",
            "quote_en": f"The report says {claim_id} grew 8.0%", "reported_value": 8.0,
            "reproduced_value": 7.5 if status == "discrepant" else (None if status != "reproduced" else 8.0),
            "reproduced_low": None, "reproduced_high": None,
            "difference": -0.5 if status == "discrepant" else None, "unit": "百分点", "status": status,
            "method": "NBS printed yoy_pct", "note": f"why {claim_id} differs" if status == "discrepant" else "",
            "explanations": {"zh": {"method": "国家统计局公布的同比增速", "note": f"第{claim_id[-1]}处差异的原因" if
                                    status == "discrepant" else ""},
                             "en": {"method": "NBS printed growth", "note": f"why {claim_id} differs" if
                                    status == "discrepant" else ""}}}


def _md(source: str, lang: str | None = None):
    cell = nbformat.v4.new_markdown_cell(source)
    if lang:
        cell.metadata["tags"] = [f"lang-{lang}"]
    return cell


def _code(source: str, tags=(), outputs=(), count=None):
    cell = nbformat.v4.new_code_cell(source, execution_count=count)
    if tags:
        cell.metadata["tags"] = list(tags)
    cell.outputs = list(outputs)
    return cell


def _typeset_table(language: str) -> str:
    rows = [{"series": "零售总额" if language == "zh" else "total retail", "level": 411649.0, "growth": 8.0},
            {"series": "网上零售额" if language == "zh" else "online retail", "level": float("nan"),
             "growth": float("inf")}]
    return tables.table(rows, [tables.Column("series", "序列", "series"),
                               tables.Column("level", "水平", "level", kind="level", unit="亿元"),
                               tables.Column("growth", "增长", "growth", kind="percent")], language)._repr_html_()


def _notebook(section: str, language: str = "zh") -> nbformat.NotebookNode:
    meta = sections.get(section)
    staging = STAGING.format(section=section)
    nb = nbformat.v4.new_notebook()
    out = nbformat.v4.new_output
    nb.cells = [
        _md(f"# {meta.report_section} {meta.title_zh}\n\n{meta.title_zh}\n\n本节叙述{MARK[section]}：$g_P$ 与公式\n\n"
            "$$\\text{share} = \\frac{P}{T} \\times 100$$", "zh"),
        _md(f"# {meta.title_en}\n\n*{meta.title_en}*\n\nNarrative of {section}: $g_P$ and the formula\n\n"
            "$$\\text{share} = \\frac{P}{T} \\times 100$$", "en"),
        _code("language = 'zh'  # PARAMETER-CELL-SOURCE", ["parameters"]),
        _code(f"language = 'en'\noutput_dir = '{staging}'  # INJECTED-CELL-SOURCE", ["injected-parameters"],
              [out("stream", name="stdout", text=f"INJECTED-OUTPUT {staging}\n")]),
        _code("from ecrights import data  # BOOKKEEPING-SOURCE", ["remove-cell"],
              [out("stream", name="stdout", text="BOOKKEEPING-OUTPUT\n")], 1),
        _md("## 图1 分月同比增长", "zh"),
        _md("## Figure 1 Monthly growth", "en"),
        _code(f'record.figure("fig1_growth", fig, caption="c", sources=[])  # CODE-{section}', [],
              [out("execute_result", {"text/plain": f"PosixPath('{staging}/figures/{section}-fig1_growth.png')"},
                   execution_count=2)], 2),
        _md("见 {numref}`extra_view`。", "zh"),
        _md("See {numref}`extra_view`.", "en"),
        _code(f'record.figure("extra_view", fig, caption="c", sources=[])  # HIDDEN-INPUT-{section}',
              ["hide-input"], [], 3),
        _code("show(table)  # REMOVE-INPUT-SOURCE", ["remove-input"],
              [out("display_data", {"text/html": _typeset_table(language), "text/plain": "t"})], 4),
        _code("df  # UNTYPED", [], [out("execute_result", {
            "text/html": ('<div><style scoped>@import url("https://cdn.example.com/x.css");</style>'
                          '<script src="https://cdn.example.com/require.js"></script>'
                          '<img src="http://example.com/tracker.png">'
                          f'<table class="dataframe"><thead><tr><th>水平</th></tr></thead>'
                          f'<tbody><tr><td>表格{MARK[section]}</td></tr></tbody></table></div>'),
            "text/plain": "df"}, execution_count=5)], 5),
        _code("print(path)  # REMOVE-OUTPUT-SOURCE", ["remove-output"],
              [out("stream", name="stdout", text="REMOVED-OUTPUT\n")], 6),
        _code("print('x')", [], [out("stream", name="stdout", text=f"STREAM-{section} wrote {staging}/x.csv\n")], 7),
        _code("record.save()", ["remove-cell"],
              [out("stream", name="stdout", text=f"{section}: results written to results/{section}.json\n")], 8),
    ]
    return nb


def _results(section: str, language: str) -> dict:
    claims = [_claim(section, cid, st) for cid, st in CLAIMS[section]]
    caption = {"zh": ("图1：分月同比增长", "附加视图"), "en": ("Figure 1: monthly growth", "An extra view")}[language]
    return {
        "schema_version": 2, "section": section, "language": language,
        "parameters": {"window": 3, "period_start": "2018-01"},
        "results": {"key_number": {"value": 45.61542819, "description": "主要数字" if language == "zh" else
                                   "a key number", "unit": "%", "interval": [40.1, 50.2], "n": 12}},
        "claims": claims, "claim_counts": dict(Counter(c["status"] for c in claims)),
        "figures": [{"file": f"figures/{section}-fig1_growth.png", "data_file": f"figures/{section}-fig1_growth.csv",
                     "caption": caption[0], "sources": [f"data/official/{section}_source.csv"],
                     "report_figure": "图1"},
                    {"file": f"figures/{section}-extra_view.png", "data_file": f"figures/{section}-extra_view.csv",
                     "caption": caption[1], "sources": [f"data/official/{section}_source.csv"],
                     "report_figure": None}],
        "assumptions": [{"name": f"assumed_{section}", "value": 0.3,
                         "justification": f"依据：{sections.get(section).title_zh}" if language == "zh" else
                         f"JUSTIFY-{section}"}],
        "versions": {"python": "3.11.7", "pandas": "3.1.1"},
    }


def _write_build(out: Path, language: str) -> Path:
    for sub in ("notebooks", "results", "figures"):
        (out / sub).mkdir(parents=True, exist_ok=True)
    rows = []
    for section in reversed(BUILT):  # written out of order on purpose
        nbformat.write(_notebook(section, language), out / "notebooks" / f"{section}.ipynb")
        for name in ("fig1_growth", "extra_view"):
            (out / "figures" / f"{section}-{name}.png").write_bytes(PNG)
        results = _results(section, language)
        rows += results["claims"]
        (out / "results" / f"{section}.json").write_text(json.dumps(results, ensure_ascii=False), encoding="utf-8")
    with (out / "claims.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=COLUMNS)
        writer.writeheader()
        for r in rows:
            writer.writerow({k: "" if r[k] is None else r[k] for k in COLUMNS})
    run = {"built_at": "2026-11-27 04:00:00 UTC", "commit": "abc123", "data_manifest_sha256": "f" * 64,
           "language": language, "parameter_set": "params/scenarios/test.yaml",
           "overrides": ["promotion_effects.window=3"],
           "changed_from_defaults": {"promotion_effects": {"window": {"default": 2, "used": 3}}},
           "versions": {"python": "3.11.7", "pandas": "3.1.1"},
           "sections": {s: {"status": "done", "seconds": 1.5, "parameters": {"window": 3}} for s in BUILT}}
    (out / "run.json").write_text(json.dumps(run), encoding="utf-8")
    return out


@pytest.fixture(scope="module")
def build(tmp_path_factory) -> Path:
    out = _write_build(tmp_path_factory.mktemp("build"), "zh")
    assemble.build_report(out, write_pdf=False, write_docx=False)
    return out


@pytest.fixture(scope="module")
def build_en(tmp_path_factory) -> Path:
    out = _write_build(tmp_path_factory.mktemp("build_en"), "en")
    assemble.build_report(out, write_pdf=False, write_docx=False)
    return out


@pytest.fixture(scope="module")
def html(build) -> str:
    return (build / "audit.html").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def soup(html) -> BeautifulSoup:
    return BeautifulSoup(html, "html.parser")


@pytest.fixture(scope="module")
def soup_en(build_en) -> BeautifulSoup:
    return BeautifulSoup((build_en / "audit.html").read_text(encoding="utf-8"), "html.parser")


def test_sections_in_registry_order_with_toc_entries(soup):
    names = sections.names()
    body_order = [s["id"] for s in soup.select("section.report-section")]
    assert body_order == names
    toc_targets = [a["href"] for a in soup.select("nav.toc li.toc-section a")]
    assert toc_targets == [f"#{n}" for n in names]
    for anchor in ("#scorecard", "#appendix-assumptions", "#appendix-data", "#appendix-versions"):
        assert soup.select_one(f'nav.toc a[href="{anchor}"]') is not None
        assert soup.find(id=anchor[1:]) is not None
    for name in names:
        assert sections.get(name).title_zh in soup.select_one(f'nav.toc a[href="#{name}"]').get_text()


def test_unbuilt_sections_have_visible_placeholders(soup, soup_en):
    for page, words in ((soup, "尚未生成"), (soup_en, "Not built")):
        for name in sections.names():
            sec = page.find("section", id=name)
            placeholder = sec.select_one(".not-built")
            toc_tag = page.select_one(f'nav.toc a[href="#{name}"] .not-built-tag')
            if name in BUILT:
                assert placeholder is None and toc_tag is None
            else:
                assert placeholder is not None and words in placeholder.get_text()
                assert toc_tag is not None


def test_scorecard_counts_equal_claims_csv(build, soup):
    with (build / "claims.csv").open(encoding="utf-8") as fh:
        expected = Counter((r["section"], r["status"]) for r in csv.DictReader(fh))
    statuses = list(scorecard.STATUSES)
    n = len(statuses)
    by_section = {}
    for tr in soup.select(".scorecard tbody tr"):
        cells = [td.get_text(strip=True) for td in tr.find_all("td")]
        link = tr.find("a")
        key = link["href"][1:] if link else "total"
        by_section[key] = [int(c) for c in cells[1:]]
    for name in sections.names():
        counts = by_section[name]
        assert counts[:n] == [expected[(name, st)] for st in statuses], name
        assert counts[n] == sum(counts[:n])
    assert by_section["total"][:n] == [sum(expected[(s, st)] for s in sections.names()) for st in statuses]
    # every discrepancy listed with its stated and reproduced values and its explanation (Chinese edition)
    listed = soup.select(".discrepancies tbody tr")
    assert len(listed) == sum(st == "discrepant" for _, st in expected.elements()) == 2
    assert [tr.select_one("code.claim-id").get_text() for tr in listed] == ["rg_c", "pe_c"]  # report order
    text = " ".join(tr.get_text(" ", strip=True) for tr in listed)
    assert text.count("第c处差异的原因") == 2
    assert "7.5" in text and "8" in text and "百分点" in text


def test_no_external_references(build, html):
    pages = [html] + [p.read_text(encoding="utf-8") for p in (build / "sections").glob("*.html")]
    pattern = re.compile(r"""(?:<(?:script|link|img|iframe|source)\b[^>]*\b(?:src|href)\s*=\s*["']?\s*(?:https?:)?//)"""
                         r"""|@import|url\(\s*["']?\s*(?:https?:)?//""", re.IGNORECASE)
    for page in pages:
        assert not pattern.findall(page)
        assert "<script" not in page.lower()
        assert "mathjax" not in page.lower() and "require.js" not in page.lower()
        assert assemble.external_references(page) == []
    assert "[external img not embedded: http://example.com/tracker.png]" in html


def test_figures_numbered_as_in_the_report_and_in_their_own_series(soup, soup_en):
    for page, own, extra in ((soup, "图1", "附图"), (soup_en, "Figure 1", "Figure A")):
        labels = [f.select_one(".label").get_text() for f in page.select("section.report-section figure.figure")]
        # each built section redraws the report's Figure 1 and adds one view of its own, numbered on across sections
        assert labels == [own, f"{extra}1", own, f"{extra}2"]
        for fig in page.select("section.report-section figure.figure"):
            assert fig.img["src"].startswith("data:image/png;base64,")
            caption = fig.figcaption.get_text()
            assert "data/official/" in caption and ".csv" in caption
            assert not re.search(r"(图|Figure)\s*1\s*[:：]", caption.replace(own, "", 1))  # number printed once
        assert [a.select_one(".label").get_text() for a in page.select("ol.figure-list a")] == labels
    # a heading naming the figure's number loses it (the caption carries it); references name the figure
    section = soup.select_one("section#promotion_effects")
    headings = [h.get_text(strip=True) for h in section.select(".cell-markdown h3")]
    assert "分月同比增长" in headings and not any(h.startswith("图1") for h in headings)
    ref = section.find("a", href="#fig-promotion_effects-extra_view")
    assert ref is not None and ref.get_text() == "附图2"


def test_math_rendered_here(soup, html):
    assert soup.select_one("img.math-display")["src"].startswith("data:image/svg+xml;base64,")
    assert "$$" not in soup.select_one("section#retail_growth").get_text()
    assert "PosixPath(" not in html  # the saved figure's path repr is replaced by the figure


def test_visibility_follows_the_cell_tags(build, html):
    for name in BUILT:
        assert f"表格{MARK[name]}" in html and f"STREAM-{name}" in html
        assert f"CODE-{name}" not in html and f"HIDDEN-INPUT-{name}" not in html
    for hidden in ("PARAMETER-CELL-SOURCE", "INJECTED-CELL-SOURCE", "INJECTED-OUTPUT", "BOOKKEEPING-SOURCE",
                   "BOOKKEEPING-OUTPUT", "REMOVE-INPUT-SOURCE", "REMOVED-OUTPUT", "REMOVE-OUTPUT-SOURCE",
                   "results written to"):
        assert hidden not in html, hidden
    assert "零售总额" in html  # the remove-input cell's output is shown


def test_include_code_folds_the_analysis_code_only(build, tmp_path):
    copy = tmp_path / "build"
    shutil.copytree(build, copy)
    assemble.build_report(copy, include_code=True, write_pdf=False, write_docx=False)
    html = (copy / "audit.html").read_text(encoding="utf-8")
    page = BeautifulSoup(html, "html.parser")
    folded = " ".join(d.get_text() for d in page.select("details.cell-input"))
    for name in BUILT:
        assert f"CODE-{name}" in folded and f"HIDDEN-INPUT-{name}" in folded
    assert "REMOVE-OUTPUT-SOURCE" in folded
    for never in ("PARAMETER-CELL-SOURCE", "INJECTED-CELL-SOURCE", "BOOKKEEPING-SOURCE", "REMOVE-INPUT-SOURCE"):
        assert never not in html, never
    _assert_no_build_paths(copy, html)


def _assert_no_build_paths(build: Path, html: str) -> None:
    from ecrights import paths

    text = BeautifulSoup(html, "html.parser").get_text(" ")
    for path in (".staging", "/somewhere/", str(build), str(build.resolve()), str(paths.project_root())):
        assert path not in text, path


def test_no_build_paths_in_any_output(build, html):
    _assert_no_build_paths(build, html)
    assert "wrote x.csv" in html  # the staging directory is cut, the path relative to it stays


def test_front_matter_stamp_and_changed_assumptions(soup, soup_en):
    from ecrights.report import front_matter

    front = soup.select_one("header.front").get_text(" ", strip=True)
    assert front_matter.load("zh").title in front
    for value in ("2026-11-27 04:00:00 UTC", "abc123", "f" * 64, "params/scenarios/test.yaml"):
        assert value in front
    note = soup.select_one("#changed-assumptions").get_text(" ", strip=True)
    assert "promotion_effects.window" in note and "2" in note and "3" in note
    front_en = soup_en.select_one("header.front")
    assert front_matter.load("en").title in front_en.get_text()
    assert front_en.select_one('[lang="zh-Hans"]').get_text() == front_matter.load("en").original_title


def test_section_claims_parameters_and_appendices(soup):
    sec = soup.select_one("section#promotion_effects")
    claim_rows = sec.select(".claims tbody tr")
    assert [r["id"] for r in claim_rows] == ["claim-pe_a", "claim-pe_b", "claim-pe_c"]
    assert report_text("status.not_sourced", "zh") in claim_rows[1].get_text()  # not_sourced, in the edition's words
    params = {r.find_all("td")[0].get_text(strip=True): r.get_text(" ", strip=True)
              for r in sec.select(".params tbody tr")}
    assert set(params) == {"window", "period_start"} and "已改动" in params["window"]
    results = sec.select_one(".results tbody tr")
    shown = results.get_text(" ", strip=True)
    assert "主要数字" in shown and "45.62%" in shown and "40.10 – 50.20" in shown  # %: two decimals
    # the key names the result in the JSON, not for readers: the row's anchor, no column
    assert results["id"] == "result-key_number" and "key_number" not in shown
    assert len(sec.select(".results thead th")) == 4
    appendix = soup.select_one("#appendix-assumptions").get_text(" ", strip=True)
    assert all(f"依据：{sections.get(n).title_zh}" in appendix for n in BUILT)
    data = soup.select_one("#appendix-data").get_text()  # identifiers hold <wbr>s: no separator
    assert "data/official/retail_growth_source.csv" in data and "附图1" in data
    versions = soup.select_one("#appendix-versions").get_text()
    assert "pandas" in versions and "3.1.1" in versions


def test_standalone_section_pages(build):
    for name in sections.names():
        page = BeautifulSoup((build / "sections" / f"{name}.html").read_text(encoding="utf-8"), "html.parser")
        ids = [s["id"] for s in page.select("section.report-section")]
        assert ids == [name]
        assert page.style is not None and "font-family" in page.style.get_text()
        if name in BUILT:
            assert page.select(".claims tbody tr") and page.select(".params tbody tr")
            assert page.select_one("figure.figure img")["src"].startswith("data:image/png;base64,")


# --------------------------------------------------------------------------
# editions: one language each
# --------------------------------------------------------------------------
def test_each_edition_keeps_only_its_own_cells(soup, soup_en):
    assert soup.html["lang"] == "zh-Hans" and soup_en.html["lang"] == "en"
    zh, en = soup.select_one("section#retail_growth"), soup_en.select_one("section#retail_growth")
    assert "本节叙述甲" in zh.get_text() and "Narrative of" not in zh.get_text()
    assert "Narrative of retail_growth" in en.get_text() and "本节叙述" not in en.get_text()
    # the notebook's own title and its repeated subtitle are not printed under the report's heading
    assert zh.get_text().count(sections.get("retail_growth").title_zh) == 1
    assert en.get_text().count(sections.get("retail_growth").title_en) == 1
    assert soup_en.select_one("section#retail_growth h2").get_text(strip=True) == \
        sections.get("retail_growth").title_en


def test_english_edition_keeps_the_quotes_in_chinese_marked_with_their_translation(soup_en):
    row = soup_en.select_one("#claim-rg_c")
    quote = row.select_one('.quote[lang="zh-Hans"]')
    assert quote is not None and quote.get_text() == "报告原文第c处增长8.0%"
    assert row.select_one(".quote-en").get_text() == "The report says rg_c grew 8.0%"
    text = row.get_text(" ", strip=True)
    assert "why rg_c differs" in text and "NBS printed growth" in text and "差异的原因" not in text
    assert "pp" in text and "百分点" not in text.replace(quote.get_text(), "")  # units in the edition's words
    assert row.select_one(".status").get_text() == "discrepant"


@pytest.mark.parametrize("edition", ["zh", "en"])
def test_an_edition_has_next_to_none_of_the_other_language_outside_marked_passages(build, build_en, edition):
    out = build if edition == "zh" else build_en
    for page in [out / "audit.html", *sorted((out / "sections").glob("*.html"))]:
        counted = language_check.count(page.read_text(encoding="utf-8"), edition)
        assert counted.total > 50
        # a few identifiers stay (section names, file names in running text): under 1 % of the page
        assert counted.share < 0.01, (page.name, counted.passages[:10])


def test_the_language_count_sees_unmarked_text_of_the_other_language():
    page = ('<html lang="en"><body><p>Growth was high.</p><p>这是中文</p><q lang="zh-Hans">原文引用</q>'
            '<code>代码</code><p>see https://例子.cn/页面</p></body></html>')
    counted = language_check.count(page, "en")
    assert counted.foreign == 4 and counted.passages == ["这是中文"]
    # marked as Chinese but not a quote (a name, a note): still the other language in this edition
    marked = language_check.count('<html lang="en"><body><p>Growth.</p><span lang="zh-Hans">大家电</span></body></html>',
                                  "en")
    assert marked.foreign == 3 and marked.passages == ["大家电"]
    zh = language_check.count('<html lang="zh-Hans"><body><p>增长 growth 很快 <q lang="en">quoted words</q>'
                              '</p></body></html>', "zh")
    assert zh.foreign == len("growth")


def test_a_table_cell_marked_with_a_language_is_counted_unless_its_column_quotes_a_source():
    from ecrights.tables import Column, table

    rows = [{"quote": "报告原文", "category": "家具类"}]
    html = table(rows, [Column("quote", "原文", "the report's words", lang="zh", quote=True),
                        Column("category", "类别", "category", lang="zh")], "en").to_html()
    counted = language_check.count(f'<html lang="en"><body>{html}</body></html>', "en")
    assert counted.passages == ["家具类"] and counted.foreign == 3
    # the Chinese edition marks nothing: its own language needs no mark
    assert 'lang="' not in table(rows, [Column("quote", "原文", "words", lang="zh", quote=True)], "zh").to_html()


def test_every_fixed_string_exists_in_both_languages():
    from ecrights import i18n
    from ecrights.report.texts import TEXTS

    texts = i18n.load_texts(TEXTS)  # raises when a template lacks a language
    assert len(texts) > 80
    for key, pair in texts.items():
        assert pair["zh"] and pair["en"], key
        if key.startswith(("columns.", "status.", "appendix.", "toc.", "section.")):
            assert not language_check.CJK.search(pair["en"]), key  # an English text is English
    used = set()
    for path in Path(assemble.TEMPLATES).glob("*.j2"):
        used |= set(re.findall(r"t\('([\w.]+)'\s*[,)]", path.read_text(encoding="utf-8")))
    assert used and used <= set(texts), used - set(texts)


def test_a_section_built_for_the_other_edition_is_flagged(build, tmp_path):
    copy = tmp_path / "build"
    shutil.copytree(build, copy)
    assemble.build_report(copy, write_pdf=False, write_docx=False, language="en")
    page = BeautifulSoup((copy / "audit.html").read_text(encoding="utf-8"), "html.parser")
    assert page.html["lang"] == "en"
    assert "computed for the zh edition" in page.select_one("section#retail_growth .banner-failed").get_text()


# --------------------------------------------------------------------------
# PDF and Word
# --------------------------------------------------------------------------
@pytest.fixture(scope="module")
def published(build, tmp_path_factory) -> Path:
    """The Chinese edition with its PDF and Word file."""
    out = tmp_path_factory.mktemp("published") / "build"
    shutil.copytree(build, out)
    assemble.build_report(out, audit_pdf=True, audit_docx=True)
    return out


def test_pdf_has_chinese_section_titles_and_page_numbers(published):
    from pypdf import PdfReader

    reader = PdfReader(str(published / "audit.pdf"))
    pages = [p.extract_text() for p in reader.pages]
    squeezed = re.sub(r"\s+", "", "\n".join(pages))  # extraction may break lines inside a title
    assert "《电商消费维权指数2019年度报告》" in squeezed
    for name in sections.names():
        assert re.sub(r"\s+", "", sections.get(name).title_zh) in squeezed, name
    # front matter i, ii, …; the body's pages numbered on across its separately laid-out parts
    labels = _footer_labels(reader)
    front = [lb for lb in labels if not lb.isdigit()]
    assert front and front == ["i", "ii", "iii", "iv"][:len(front)] and labels[:len(front)] == front
    assert labels[len(front):] == [str(n) for n in range(1, len(labels) - len(front) + 1)]
    assert reader.page_labels == labels  # what a viewer's page box shows is what is printed
    # the contents give the page each section starts on, and its links land in this document
    contents = "\n".join(p.extract_text(extraction_mode="layout") for p in reader.pages[:len(front)])
    for name in sections.names():
        title = sections.get(name).title_zh
        printed = re.search(re.escape(title) + r"[\s\S]*?\.{3,}\s*(\d+)", contents)
        assert printed, name
        starts = next(i for i, text in enumerate(pages) if i > 0 and text.lstrip().startswith(
            sections.get(name).report_section + " " + title))
        assert labels[starts] == printed.group(1), name
    dests = reader.named_destinations
    links = [a.get_object()["/Dest"] for p in reader.pages[:len(front)] for a in p.get("/Annots", [])
             if "/Dest" in a.get_object()]
    assert len(links) >= len(sections.names()) and all(str(d) in dests for d in links)


def _footer_labels(reader) -> list[str]:
    """Each page's lowest line of text: its page number."""
    labels = []
    for page in reader.pages:
        fragments = []

        def visit(text, cm, tm, font, size, fragments=fragments):
            if text.strip():
                fragments.append((cm[5] + tm[5] * cm[3], text.strip()))
        page.extract_text(visitor_text=visit)
        labels.append(min(fragments)[1])
    return labels


def glyph_size(char: dict) -> float:
    """A character's font size in points. pdfminer's `size` is the glyph box's height on the page,
    which for text turned a quarter (a figure's y-axis label) is its advance, not its size: there
    the size is the box's width."""
    a, b, c, d = char["matrix"][:4]
    if abs(a) < 1e-6 and abs(d) < 1e-6:  # rotated by ±90°
        return char["x1"] - char["x0"]
    return char["size"]


def smallest_glyphs(pdf_path: Path) -> list[tuple[int, float, str]]:
    """(page, size in pt, text) of every run of characters set below 7 pt (measured with pdfplumber)."""
    import pdfplumber

    found = []
    with pdfplumber.open(str(pdf_path)) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            small = [c for c in page.chars if c["text"].strip() and glyph_size(c) < 7.0 - 0.05]
            if small:
                found.append((number, round(min(glyph_size(c) for c in small), 2), "".join(c["text"] for c in small)[:60]))
    return found


def test_no_text_in_the_pdf_is_smaller_than_7_pt(published):
    assert smallest_glyphs(published / "audit.pdf") == []


RIGHT_MARGIN_MM = 16  # print.css @page margin


def words_beyond_margin(pdf_path: Path) -> list[tuple[int, str]]:
    """(page, word) of every word that reaches past the right margin (cut off, or drawn
    where the page has no room for it), measured with pdfplumber."""
    import pdfplumber

    found = []
    with pdfplumber.open(str(pdf_path)) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            right = page.width - RIGHT_MARGIN_MM * 72 / 25.4
            found += [(number, w["text"]) for w in page.extract_words() if w["x1"] > right + 1.0]
    return found


def print_fragment(fragment: str, path: Path, language: str = "zh") -> Path:
    """An HTML fragment laid out as the report prints it (style.css, print.css, the CJK font)."""
    from ecrights.report import pdf

    style = (Path(pdf.__file__).with_name("style.css")).read_text(encoding="utf-8")
    html = (f'<!DOCTYPE html><html lang="{"zh-Hans" if language == "zh" else "en"}"><head><meta charset="utf-8">'
            f"<style>{style}\n{pdf.print_css()}</style></head><body>{fragment}</body></html>")
    pdf.layout(html, path.parent, pdf.new_font_config()).write_pdf(str(path))
    return path


def test_no_word_of_the_pdf_lies_beyond_the_right_margin(published):
    assert words_beyond_margin(published / "audit.pdf") == []


@pytest.mark.pdf
def test_a_wide_table_keeps_every_column_on_the_page_and_its_labels_readable(tmp_path):
    """The flat-scenario table of index_trend, in shape: ten columns, long Chinese headers over
    short numbers, verdicts in words. Numbers' headers wrap as tables.py measures them, and no
    column is squeezed to a character a line: nothing runs off the page (editor's review 2,
    finding 1: the 10th column was cut off and 大促 labels stood vertically)."""
    import pdfplumber

    from ecrights.tables import Column, table

    rows = [{"scenario": f"自2018-{m}起各月份额相同，并调整2018年", "promo": "6月大促", "a": 9.0, "b": 1.5,
             "c": -0.99, "range": "[−1.58, −0.40]", "verdict": "按印刷精度与假设无法判断", "range2": "[−3.96, 1.72]",
             "tol": 3.96, "tol2": 0.0} for m in (10, 11)]
    columns = [Column("scenario", "情景", "scenario"), Column("promo", "大促", "promotion"),
               Column("a", "2019年平均剔除", "2019 mean removed", kind="percent"),
               Column("b", "2018年平均剔除", "2018 mean removed", kind="percent"),
               Column("c", "按印出值的变动", "change on printed values", kind="points", digits=2),
               Column("range", "印刷精度内（假设的2018年水平）", "within printing precision (assumed 2018 level)"),
               Column("verdict", "判断（仅印刷精度）", "verdict (printing precision only)"),
               Column("range2", "印刷精度内且2018年水平取假设范围", "within precision and the assumed 2018 range"),
               Column("tol", "相符所需的容差（至少）", "tolerance needed to agree (at least)", kind="points", digits=2),
               Column("tol2", "低于此容差即不持平", "below this tolerance: not flat", kind="points", digits=2)]
    for language in ("zh", "en"):
        t = table(rows, columns, language)
        path = print_fragment(t.to_html(), tmp_path / f"wide-{language}.pdf", language)
        assert words_beyond_margin(path) == [], (language, t.layout)
        with pdfplumber.open(str(path)) as pdf:
            text = "".join(page.extract_text() for page in pdf.pages)
        assert "6月大促" in text.replace("\n", "|")  # on one line
        assert ("低于此容差" if language == "zh" else "tolerance") in text  # the last column is there


@pytest.mark.pdf
def test_the_margin_check_sees_a_word_off_the_page(tmp_path):
    path = print_fragment('<p style="white-space:nowrap">' + "overflowing " * 60 + "</p>", tmp_path / "o.pdf")
    assert words_beyond_margin(path)


@pytest.mark.pdf
def test_the_glyph_check_sees_small_text(tmp_path):
    from weasyprint import HTML

    HTML(string='<p style="font-size:9pt">big enough</p><p style="font-size:5pt">too small</p>').write_pdf(
        str(tmp_path / "t.pdf"))
    found = smallest_glyphs(tmp_path / "t.pdf")
    assert len(found) == 1 and found[0][1] == 5.0 and found[0][2] == "toosmall"


def test_pdf_is_tagged_with_language_and_metadata(published):
    from pypdf import PdfReader

    from ecrights.report import front_matter

    reader = PdfReader(str(published / "audit.pdf"))
    root = reader.trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"] and "/StructTreeRoot" in root  # tagged (PDF/UA)
    assert root["/Lang"] == "zh-Hans"
    front = front_matter.load("zh")
    info = reader.metadata
    assert info.title == front.title and info.author == ", ".join(front.authors) and info.subject == front.subject
    assert info.creation_date.year >= 2026


def test_front_matter_comes_from_params_report_yaml(build, tmp_path):
    from ecrights.report import front_matter

    edited = tmp_path / "report.yaml"
    edited.write_text(front_matter.default_path().read_text(encoding="utf-8").replace(
        front_matter.load("zh").title, "编辑改过的标题"), encoding="utf-8")
    copy = tmp_path / "build"
    shutil.copytree(build, copy)
    assemble.ReportBuilder(copy, write_pdf=False, write_docx=False, front_matter_file=edited).finish()
    page = BeautifulSoup((copy / "audit.html").read_text(encoding="utf-8"), "html.parser")
    assert page.title.get_text() == "编辑改过的标题" and page.h1.get_text() == "编辑改过的标题"


@pytest.mark.parametrize("content, message", [
    ("title: {zh: 标题}\n", "authors' is missing"),
    ("title: 标题\nauthors: {zh: [a], en: [b]}\n", "'title' must be a mapping"),
    ("title: {zh: a, en: b}\nauthors: {zh: [a], en: [b]}\ndate: someday\n", "'date' must be a date"),
    ("title: {zh: a, en: b}\nauthors: {zh: [a], en: [b]}\ncolour: red\n", "unknown field(s) ['colour']"),
])
def test_a_bad_front_matter_file_is_named_with_its_field(tmp_path, content, message):
    from ecrights.errors import InputError
    from ecrights.report import front_matter

    path = tmp_path / "report.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError) as err:
        front_matter.load("zh", path)
    assert str(path) in str(err.value) and message in str(err.value)


def test_the_running_title_defaults_to_the_title(tmp_path):
    from ecrights.report import front_matter

    path = tmp_path / "report.yaml"
    path.write_text("title: {zh: 标题, en: A title}\nauthors: {zh: [a], en: [b]}\n", encoding="utf-8")
    assert front_matter.load("en", path).running_title == "A title"
    path.write_text("title: {zh: 标题, en: A title}\nrunning_title: {zh: 短, en: Short}\n"
                    "authors: {zh: [a], en: [b]}\n", encoding="utf-8")
    assert front_matter.load("en", path).running_title == "Short"


def test_english_plurals_follow_the_count():
    from ecrights import i18n

    words = "{n} {n:number|numbers}, {n:agrees|agree}"
    assert i18n.fill(words, {"n": 1}) == "1 number, agrees"
    assert i18n.fill(words, {"n": 0}) == "0 numbers, agree" and i18n.fill(words, {"n": 5}) == "5 numbers, agree"
    assert i18n.fill("{x:.1f}", {"x": 2}) == "2.0"  # other format specs as str.format


def test_word_file_reads_back_with_headings_figures_and_tables(published):
    from docx import Document
    from docx.oxml.ns import qn

    doc = Document(str(published / "audit.docx"))
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    expected = ([assemble.text("toc.scorecard", "zh")] +
                [f"{sections.get(n).report_section} {sections.get(n).title_zh}" for n in sections.names()] +
                [assemble.text(f"appendix.{k}", "zh") for k in ("assumptions", "data", "versions")])
    assert headings == expected
    figures = BeautifulSoup((published / "audit.html").read_text(encoding="utf-8"), "html.parser").select(
        "section.report-section figure.figure")
    pictures = doc.element.body.findall(".//" + qn("w:drawing"))
    assert len(figures) == 4 and len(pictures) == len(figures)  # one picture per figure, no other
    captions = [p.text for p in doc.paragraphs if p.style.name == "Image Caption"]
    assert [c.split(" ")[0] for c in captions] == ["图1", "附图1", "图1", "附图2"]
    assert len(doc.tables) >= 8  # scorecard, discrepancies, claims, results, parameters, appendices
    fonts = doc.styles.element.find(qn("w:docDefaults")).find(".//" + qn("w:rFonts"))
    assert fonts.get(qn("w:eastAsia")) == "Noto Sans CJK SC"
    assert doc.core_properties.title == assemble.front_matter.load("zh").title


def test_without_a_pdf_the_old_one_is_kept_and_marked_stale(published, tmp_path):
    copy = tmp_path / "build"
    shutil.copytree(published, copy)
    before = (copy / "report.pdf").read_bytes()
    message = assemble.handle_skipped_pdf(copy)
    assert "stale" in message and "report.pdf.STALE" in message
    assert (copy / "report.pdf").read_bytes() == before and (copy / "report.pdf.STALE").is_file()
    assemble.build_report(copy, write_docx=False)  # a build with a PDF clears the mark
    assert not (copy / "report.pdf.STALE").exists()
    (copy / "report.pdf").unlink()
    assert assemble.handle_skipped_pdf(copy) == "" and not (copy / "report.pdf.STALE").exists()


# --------------------------------------------------------------------------
# building section by section (what the runner does while sections execute)
# --------------------------------------------------------------------------
def _run_entries(out: Path) -> tuple[dict, dict]:
    run = json.loads((out / "run.json").read_text(encoding="utf-8"))
    return run, run["sections"]


@pytest.mark.pdf
def test_section_by_section_gives_the_same_report_as_all_at_once(build, tmp_path):
    from pypdf import PdfReader

    from ecrights.report import inputs

    whole, parts = tmp_path / "whole", tmp_path / "parts"
    shutil.copytree(build, whole)
    shutil.copytree(build, parts)
    assemble.build_report(whole, write_docx=False, audit_pdf=True)
    builder = assemble.ReportBuilder(parts, write_docx=False)
    run, entries = _run_entries(parts)
    for name in reversed(sections.names()):  # out of report order: layout waits for the sections before
        builder.add_section(inputs.load_section(parts, name, entries.get(name, {})), run)
        laid_out = [n for n in sections.names() if n in builder.laid_out]
        assert laid_out == sections.names()[:len(laid_out)]
    assert list(builder.laid_out) == sections.names()
    builder.finish()
    for name in ["audit.html"] + [f"sections/{n}.html" for n in sections.names()]:
        assert (parts / name).read_bytes() == (whole / name).read_bytes(), name
    a, b = PdfReader(str(whole / "audit.pdf")), PdfReader(str(parts / "audit.pdf"))
    assert [p.extract_text() for p in a.pages] == [p.extract_text() for p in b.pages]


@pytest.mark.pdf
def test_later_sections_are_laid_out_early_at_pages_predicted_from_the_last_build(build, tmp_path):
    from pypdf import PdfReader

    from ecrights.report import inputs

    out = tmp_path / "build"
    shutil.copytree(build, out)
    assemble.build_report(out, write_docx=False, audit_pdf=True)
    hints = json.loads((out / "audit.pages.json").read_text(encoding="utf-8"))["include_code=False"]
    assert set(hints) == set(sections.names()) and all(n >= 1 for n in hints.values())
    reference = [p.extract_text() for p in PdfReader(str(out / "audit.pdf")).pages]

    run, entries = _run_entries(out)
    first = sections.names()[0]
    # the last build's count for the first section is wrong: what was laid out after it moves
    (out / "audit.pages.json").write_text(json.dumps({"include_code=False": {**hints, first: hints[first] + 2}}),
                                           encoding="utf-8")
    builder = assemble.ReportBuilder(out, write_docx=False)
    for name in sections.names()[1:]:  # every section but the first: all placed by prediction
        builder.add_section(inputs.load_section(out, name, entries.get(name, {})), run)
    second = sections.names()[1]
    assert builder.laid_out[second][0] == hints[first] + 2 + 1
    builder.add_section(inputs.load_section(out, first, entries.get(first, {})), run)
    assert builder.laid_out[second][0] == hints[first] + 1  # laid out again at the right page
    builder.finish()
    assert [p.extract_text() for p in PdfReader(str(out / "audit.pdf")).pages] == reference


def test_a_section_changed_after_it_was_prepared_is_prepared_again(build, tmp_path):
    from ecrights.report import inputs

    out = tmp_path / "build"
    shutil.copytree(build, out)
    builder = assemble.ReportBuilder(out, write_pdf=False, write_docx=False)
    run, entries = _run_entries(out)
    for name in sections.names():
        builder.add_section(inputs.load_section(out, name, entries.get(name, {})), run)
    results_file = out / "results" / "retail_growth.json"
    results = json.loads(results_file.read_text(encoding="utf-8"))
    results["claims"][0]["quote"] = "A QUOTE CHANGED AFTER THE SECTION WAS PREPARED"
    results_file.write_text(json.dumps(results, ensure_ascii=False), encoding="utf-8")
    builder.finish()
    assert "A QUOTE CHANGED AFTER THE SECTION WAS PREPARED" in (out / "audit.html").read_text(encoding="utf-8")


def test_background_report_hands_back_its_builder_or_none_on_any_error(build, tmp_path):
    from ecrights.run.report_stage import BackgroundReport

    out = tmp_path / "build"
    shutil.copytree(build, out)
    run, entries = _run_entries(out)
    good = BackgroundReport(out, run, include_code=False, write_pdf=False, language="zh")
    for name in sections.names():
        good.section_ready(name, entries.get(name, {}))
    builder = good.builder()
    assert builder is not None and list(builder.contexts) == sections.names()

    bad = BackgroundReport(out, run, include_code=False, write_pdf=False, language="zh")
    bad.section_ready("no_such_section", {})
    assert bad.builder() is None  # the runner then builds from scratch, where errors surface


def test_formulas_render_the_same_whatever_style_the_process_has_set():
    import matplotlib as mpl

    from ecrights import plotting
    from ecrights.report import cells

    tex = r"\frac{P}{T} \times 100"
    with mpl.rc_context():
        mpl.rcdefaults()
        cells.render_tex_svg.cache_clear()
        plain = cells.render_tex_svg(tex, 11.0)
        plotting.use_house_style()  # what a figure test (or a notebook) leaves behind
        cells.render_tex_svg.cache_clear()
        styled = cells.render_tex_svg(tex, 11.0)
    assert plain is not None and plain == styled


@pytest.mark.pdf
@pytest.mark.parametrize("content", ["{not json", "[1, 2]", '{"include_code=False": {"retail_growth": -3}}',
                                     '{"include_code=False": {"retail_growth": "many"}}',
                                     '{"include_code=False": {"retail_growth": Infinity}}'])
def test_an_odd_page_hints_file_is_ignored_and_replaced(build, tmp_path, content):
    from ecrights.report import inputs

    out = tmp_path / "build"
    shutil.copytree(build, out)
    (out / "audit.pages.json").write_text(content, encoding="utf-8")
    builder = assemble.ReportBuilder(out, write_docx=False)
    run, entries = _run_entries(out)
    for name in reversed(sections.names()):
        builder.add_section(inputs.load_section(out, name, entries.get(name, {})), run)
    builder.finish()
    hints = json.loads((out / "audit.pages.json").read_text(encoding="utf-8"))["include_code=False"]
    assert set(hints) == set(sections.names())


#


# --------------------------------------------------------------------------
# the HTML carries its font
# --------------------------------------------------------------------------
CJK = re.compile(r"[\u2e80-\u2fdf\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")


def test_every_cjk_character_of_every_page_is_in_its_embedded_font(build):
    from ecrights.report import fonts

    pages = [build / "audit.html", *sorted((build / "sections").glob("*.html"))]
    for path in pages:
        page = path.read_text(encoding="utf-8")
        cmap = fonts.embedded_cmap(page)
        used = {ord(ch) for ch in CJK.findall(page)}
        assert len(used) > 20, path  # the fixture's pages are Chinese: the check has something to check
        assert used <= cmap, (path.name, "".join(sorted(chr(c) for c in used - cmap))[:40])
        assert ord("龘") not in cmap  # a subset, not the whole 16 MB font
        assert "url(file:" not in page and "ReportCJK" in page.split("</style>", 1)[0]


def test_the_font_subset_is_the_same_bytes_for_the_same_characters(monkeypatch):
    """Two builds of the same report give the same HTML (the font carries no time stamp)."""
    import time

    from ecrights.report import fonts

    fonts.woff2_subset.cache_clear()
    first = fonts.woff2_subset(frozenset("电商维权"))
    fonts.woff2_subset.cache_clear()
    later = time.time() + 86400 * 400  # as if a year later: the font's 'modified' field must not follow the clock
    monkeypatch.setattr(time, "time", lambda: later)
    assert fonts.woff2_subset(frozenset("电商维权")) == first


def test_pages_of_the_projects_own_characters_share_one_font_subset(monkeypatch):
    """A build that shows a word the last one did not (a status, a verdict) reads the kept subset:
    the subset covers every character of the project's text, not only this page's; a character
    from outside the project gets a subset of its own that draws it."""
    from ecrights.report import fonts

    subsets: list[frozenset] = []
    monkeypatch.setattr(fonts, "woff2_subset", lambda characters: subsets.append(characters) or b"font")
    own = fonts.project_characters()
    assert {"缓", "存", "否", "是"} <= own and "龘" not in own
    for word in ("维权", "缓存", "龘"):
        fonts.embed([f"<style>{fonts.MARKER}</style><p>{word}</p>"])
    assert subsets[0] == subsets[1] == own | fonts.page_characters(f"<style>{fonts.MARKER}</style><p></p>")
    assert subsets[2] == subsets[0] | {"龘"}


def test_the_background_report_builds_the_runs_edition_not_the_last_builds(tmp_path):
    """A run with --lang en into a directory whose run.json says zh (or says nothing yet)
    assembles the English edition: the edition comes from the run, never from a stale record."""
    import json

    from ecrights.run.report_stage import BackgroundReport

    (tmp_path / "run.json").write_text(json.dumps({"language": "zh", "sections": {}}), encoding="utf-8")
    background = BackgroundReport(tmp_path, {"sections": {}}, include_code=False, write_pdf=False, language="en")
    assert background.builder().language == "en"


def test_the_font_subset_is_kept_between_builds(tmp_path, monkeypatch):
    """Subsetting the 16 MB font takes seconds: a second build with the same characters reads
    the kept subset (build/cache/fonts/) and gets the same bytes."""
    from ecrights.report import fonts

    monkeypatch.setenv("ECRIGHTS_ROOT", str(tmp_path))
    fonts.woff2_subset.cache_clear()
    characters = frozenset("电商消费维权指数")
    first = fonts.woff2_subset(characters)
    fonts.woff2_subset.cache_clear()
    monkeypatch.setattr(fonts, "_subset", lambda chars: (_ for _ in ()).throw(AssertionError("subset again")))
    assert fonts.woff2_subset(characters) == first
    assert len(list((tmp_path / "build" / "cache" / "fonts").glob("*.woff2"))) == 1
    assert not list((tmp_path / "build" / "cache" / "fonts").glob(".*tmp"))
    fonts.woff2_subset.cache_clear()


def test_recomputed_claim_numbers_are_shown_two_decimals_past_the_printed_value():
    """45.6154 against a printed "45" is shown 45.62; against "2.3", 2.0809 → 2.081 (at most three
    decimals); a level printed whole stays whole; no stated text: 4 significant digits."""
    from ecrights.report.report_tables import claim_number, claim_rounded

    claim = {"facts": {"stated_text": "45"}}
    assert claim_number(45.6154, claim, "en") == "45.62"
    assert claim_rounded(-0.38456, claim) == -0.38
    assert claim_number(2.08088, {"facts": {"stated_text": "2.3"}}, "en") == "2.081"
    assert claim_number(0.0102999, {"facts": {"stated_text": "0.0103"}}, "en") == "0.0103"
    assert claim_number(411649.0, {"facts": {"stated_text": "411649"}}, "en") == "411,649"
    assert claim_number(1.23456789, {}, "en") == "1.235"  # no printed reference: 4 significant digits


def test_the_notebooks_parameter_and_claim_tables_are_printed_once_by_the_report(tmp_path):
    """A section shows its claims once (the report's table at its end), not three times
    (editor's review 2, finding 9): the notebook's record tables are left out, and a heading
    left over nothing goes with them; other typeset tables stay."""
    from ecrights.report import cells
    from ecrights.results import SHOWN_BY_REPORT
    from ecrights.tables import Column, table

    def display(t):
        return nbformat.v4.new_output("display_data", data={"text/html": t.to_html(), "text/plain": repr(t)})

    claims = table([{"claim_id": "a_1", "status": "相符"}], [Column("claim_id", kind="id"), Column("status")], "zh",
                   classes=(SHOWN_BY_REPORT["claims"],))
    other = table([{"month": "2019-06", "n": 3}], [Column("month"), Column("n", kind="count")], "zh")
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("## 核对报告中的数字"),
        nbformat.v4.new_code_cell("notebook.show_claims(record)", outputs=[display(claims)]),
        nbformat.v4.new_markdown_cell("## 覆盖情况"),
        nbformat.v4.new_code_cell("t", outputs=[display(other)]),
        nbformat.v4.new_markdown_cell("## 参数"),
        nbformat.v4.new_markdown_cell("### 小节\n\n正文。"),
    ])
    body = BeautifulSoup(cells.render_notebook(nb, "x", {"figures": []}, tmp_path), "html.parser")
    assert [h.get_text() for h in body.find_all(["h3", "h4"])] == ["覆盖情况", "参数", "小节"]
    assert "a_1" not in body.get_text() and "2019-06" in body.get_text()


def test_word_captions_and_their_sources_are_separate_paragraphs():
    from ecrights.report import docx

    html = ('<figure class="figure" id="f"><img src="x.png"><figcaption><span class="label">图1</span> 标题'
            '<span class="sources">数据来源: <code>data/a.csv</code></span></figcaption></figure>')
    soup = BeautifulSoup(docx.simplify(html), "html.parser")
    assert soup.figcaption.get_text() == "图1 标题"
    assert soup.figure.find_next_sibling("p").get_text() == "数据来源: data/a.csv"


def test_word_pages_are_a4(tmp_path):
    from docx import Document
    from docx.shared import Mm

    from ecrights.report import docx

    section = Document(str(docx.reference_docx("zh", tmp_path / "ref.docx"))).sections[0]
    assert (round(section.page_width / Mm(1)), round(section.page_height / Mm(1))) == (210, 297)


def test_claim_explanations_print_periods_with_an_en_dash():
    from ecrights.report import report_tables

    claim = {"claim_id": "c_1", "quote": "增长", "status": "reproduced", "reported_value": 2.3, "unit": "百分点",
             "reproduced_value": 2.3, "reproduced_low": 2.25, "reproduced_high": 2.25,
             "method": "同比增长（2019-01..2019-12）", "facts": {"stated_text": "2.3"}}
    row = BeautifulSoup(report_tables.claims_table([claim], "zh").to_html(), "html.parser").select_one("tbody tr")
    assert "2019-01–2019-12" in row.get_text() and ".." not in row.get_text()
    assert "[" not in row.get_text()  # 2.25 – 2.25 (shown 2.250 – 2.250): a degenerate interval is not shown
