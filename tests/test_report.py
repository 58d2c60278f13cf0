"""The report assembler, on a small fake build/ (no notebook is executed here)."""

from __future__ import annotations

import base64
import csv
import json
import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import nbformat
import pytest
from bs4 import BeautifulSoup

from ecrights import sections
from ecrights.report import assemble, scorecard

# a 1×1 PNG
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==")
BUILT = ["retail_growth", "promotion_effects"]  # the others are "not built"
CLAIMS = {
    "retail_growth": [("rg_a", "reproduced"), ("rg_b", "reproduced"), ("rg_c", "discrepant"),
                      ("rg_d", "not_reproducible")],
    "promotion_effects": [("pe_a", "reproduced"), ("pe_b", "unchecked"), ("pe_c", "discrepant")],
}
COLUMNS = ["claim_id", "section", "quote", "reported_value", "reproduced_value", "difference", "unit", "status",
           "method", "note"]


def _claim(section, claim_id, status):
    return {"claim_id": claim_id, "section": section, "quote": f"报告原文{claim_id}增长8.0%", "reported_value": 8.0,
            "reproduced_value": 7.5 if status == "discrepant" else (None if status != "reproduced" else 8.0),
            "difference": -0.5 if status == "discrepant" else None, "unit": "%", "status": status,
            "method": "NBS printed yoy_pct", "note": f"why {claim_id} differs" if status == "discrepant" else ""}


def _notebook(section: str) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    title = sections.get(section).title_zh
    md = nbformat.v4.new_markdown_cell(f"# {title}\n*English line*\n\nNarrative of {section}: $g_P$ and\n\n"
                                       "$$\\text{share} = \\frac{P}{T} \\times 100$$")
    params = nbformat.v4.new_code_cell("language = 'zh'  # PARAMETER-CELL-SOURCE")
    params.metadata["tags"] = ["parameters"]
    fig = nbformat.v4.new_code_cell(f'record.figure("fig1_growth", fig, caption="c", sources=[])  # CODE-{section}',
                                    execution_count=2)
    fig.outputs = [nbformat.v4.new_output(
        "execute_result", {"text/plain": f"PosixPath('/somewhere/.staging/figures/{section}-fig1_growth.png')"},
        execution_count=2)]
    table = nbformat.v4.new_code_cell("df", execution_count=3)
    table.outputs = [nbformat.v4.new_output("execute_result", {
        "text/html": ('<div><style scoped>@import url("https://cdn.example.com/x.css");</style>'
                      '<script src="https://cdn.example.com/require.js"></script>'
                      '<img src="http://example.com/tracker.png">'
                      f'<table class="dataframe"><thead><tr><th>level</th></tr></thead>'
                      f'<tbody><tr><td>TABLE-{section}</td></tr></tbody></table></div>'),
        "text/plain": "df"}, execution_count=3)]
    stream = nbformat.v4.new_code_cell("record.save()", execution_count=4)
    stream.outputs = [nbformat.v4.new_output("stream", name="stdout", text=f"STREAM-{section}\n")]
    nb.cells = [md, params, fig, table, stream]
    return nb


@pytest.fixture(scope="module")
def build(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("build")
    for sub in ("notebooks", "results", "figures"):
        (out / sub).mkdir()
    rows = []
    for section in reversed(BUILT):  # written out of order on purpose
        nbformat.write(_notebook(section), out / "notebooks" / f"{section}.ipynb")
        (out / "figures" / f"{section}-fig1_growth.png").write_bytes(PNG)
        claims = [_claim(section, cid, st) for cid, st in CLAIMS[section]]
        rows += claims
        results = {
            "schema_version": 1, "section": section, "parameters": {"language": "zh", "window": 3},
            "results": {"key_number": {"value": 45.61542819, "description": "a key number"}},
            "claims": claims, "claim_counts": dict(Counter(c["status"] for c in claims)),
            "figures": [{"file": f"figures/{section}-fig1_growth.png", "caption": f"CAPTION-{section} 图注",
                         "sources": [f"data/official/{section}_source.csv"]}],
            "assumptions": [{"name": f"assumed_{section}", "value": 0.3, "justification": f"JUSTIFY-{section}"}],
            "versions": {"python": "3.11.7", "pandas": "3.1.1"},
        }
        (out / "results" / f"{section}.json").write_text(json.dumps(results, ensure_ascii=False), encoding="utf-8")
    with (out / "claims.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=COLUMNS)
        writer.writeheader()
        for r in rows:
            writer.writerow({k: "" if r[k] is None else r[k] for k in COLUMNS})
    run = {"built_at": "2026-11-27 04:00:00 UTC", "commit": "abc123", "data_manifest_sha256": "f" * 64,
           "parameter_set": "params/scenarios/test.yaml", "overrides": ["promotion_effects.window=3"],
           "changed_from_defaults": {"promotion_effects": {"window": {"default": 2, "used": 3}}},
           "versions": {"python": "3.11.7", "pandas": "3.1.1"},
           "sections": {s: {"status": "done", "seconds": 1.5, "parameters": {"language": "zh", "window": 3}}
                        for s in BUILT}}
    (out / "run.json").write_text(json.dumps(run), encoding="utf-8")
    assemble.build_report(out, write_pdf=False)
    return out


@pytest.fixture(scope="module")
def html(build) -> str:
    return (build / "report.html").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def soup(html) -> BeautifulSoup:
    return BeautifulSoup(html, "html.parser")


def test_sections_in_registry_order_with_toc_entries(soup, html):
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


def test_unbuilt_sections_have_visible_placeholders(soup):
    for name in sections.names():
        sec = soup.find("section", id=name)
        placeholder = sec.select_one(".not-built")
        toc_tag = soup.select_one(f'nav.toc a[href="#{name}"] .not-built-tag')
        if name in BUILT:
            assert placeholder is None and toc_tag is None
        else:
            assert placeholder is not None and "not built" in placeholder.get_text()
            assert toc_tag is not None


def test_scorecard_counts_equal_claims_csv(build, soup):
    with (build / "claims.csv").open(encoding="utf-8") as fh:
        expected = Counter((r["section"], r["status"]) for r in csv.DictReader(fh))
    statuses = list(scorecard.STATUSES)
    n = len(statuses)
    rows = soup.select("table.scorecard tbody tr")
    by_section = {}
    for tr in rows:
        cells = [td.get_text(strip=True) for td in tr.find_all("td")]
        link = tr.find("a")
        key = link["href"][1:] if link else "total"
        by_section[key] = [int(c) for c in cells[1:]]
    for name in sections.names():
        counts = by_section[name]
        assert counts[:n] == [expected[(name, st)] for st in statuses], name
        assert counts[n] == sum(counts[:n])
    assert by_section["total"][:n] == [sum(expected[(s, st)] for s in sections.names()) for st in statuses]
    # every discrepancy listed with its stated and reproduced values and its explanation
    listed = soup.select("table.discrepancies tbody tr")
    assert len(listed) == sum(st == "discrepant" for _, st in expected.elements()) == 2
    assert [tr.select_one("code.claim-id").get_text() for tr in listed] == ["rg_c", "pe_c"]  # report order
    text = " ".join(tr.get_text(" ", strip=True) for tr in listed)
    for cid in ("rg_c", "pe_c"):
        assert cid in text and f"why {cid} differs" in text
    assert "7.5" in text and "8" in text


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


def test_figures_embedded_with_caption_and_sources(soup, html):
    for name in BUILT:
        fig = soup.select_one(f"section#{name} figure.figure")
        assert fig.img["src"].startswith("data:image/png;base64,")
        caption = fig.figcaption.get_text()
        assert f"CAPTION-{name}" in caption and f"data/official/{name}_source.csv" in caption
    assert "PosixPath(" not in html  # the saved figure's path repr is replaced by the figure
    # math rendered here (no CDN): display formula as an embedded SVG, simple inline math as text
    assert soup.select_one("img.math-display")["src"].startswith("data:image/svg+xml;base64,")
    assert "$$" not in soup.select_one("section#retail_growth").get_text()


def test_outputs_shown_code_hidden_by_default(build, html):
    for name in BUILT:
        assert f"TABLE-{name}" in html and f"STREAM-{name}" in html
        assert f"CODE-{name}" not in html
    assert "PARAMETER-CELL-SOURCE" not in html


def test_include_code_shows_code(build, tmp_path):
    copy = tmp_path / "build"
    shutil.copytree(build, copy)
    assemble.build_report(copy, include_code=True, write_pdf=False)
    html = (copy / "report.html").read_text(encoding="utf-8")
    text = BeautifulSoup(html, "html.parser").get_text()
    for name in BUILT:
        assert f"CODE-{name}" in text
    assert "PARAMETER-CELL-SOURCE" in text


def test_front_matter_stamp_and_changed_assumptions(soup):
    front = soup.select_one("header.front").get_text(" ", strip=True)
    assert "《电商消费维权指数2019年度报告》 复现" in front
    assert "A reproduction of the E-commerce Consumer Rights Protection Index 2019 annual report" in front
    for value in ("2026-11-27 04:00:00 UTC", "abc123", "f" * 64, "params/scenarios/test.yaml"):
        assert value in front
    note = soup.select_one("#changed-assumptions").get_text(" ", strip=True)
    assert "promotion_effects.window" in note and "2" in note and "3" in note


def test_section_claims_parameters_and_appendices(soup):
    sec = soup.select_one("section#promotion_effects")
    claim_rows = sec.select("table.claims tbody tr")
    assert [r["id"] for r in claim_rows] == ["claim-pe_a", "claim-pe_b", "claim-pe_c"]
    params = {r.find_all("td")[0].get_text(strip=True): r.get_text(" ", strip=True)
              for r in sec.select("table.params tbody tr")}
    assert set(params) == {"language", "window"} and "changed" in params["window"]
    appendix = soup.select_one("#appendix-assumptions").get_text(" ", strip=True)
    assert "JUSTIFY-retail_growth" in appendix and "JUSTIFY-promotion_effects" in appendix
    data = soup.select_one("#appendix-data").get_text(" ", strip=True)
    assert "data/official/retail_growth_source.csv" in data
    versions = soup.select_one("#appendix-versions").get_text(" ", strip=True)
    assert "pandas" in versions and "3.1.1" in versions


def test_standalone_section_pages(build):
    for name in sections.names():
        page = BeautifulSoup((build / "sections" / f"{name}.html").read_text(encoding="utf-8"), "html.parser")
        ids = [s["id"] for s in page.select("section.report-section")]
        assert ids == [name]
        assert page.style is not None and "font-family" in page.style.get_text()
        if name in BUILT:
            assert page.select("table.claims tbody tr") and page.select("table.params tbody tr")
            assert page.select_one("figure.figure img")["src"].startswith("data:image/png;base64,")


def test_pdf_has_chinese_section_titles_and_page_numbers(build, tmp_path):
    from pypdf import PdfReader

    copy = tmp_path / "build"
    shutil.copytree(build, copy)
    paths = assemble.build_report(copy)
    pdf = copy / "report.pdf"
    assert pdf in paths and pdf.read_bytes().startswith(b"%PDF")
    reader = PdfReader(str(pdf))
    pages = [p.extract_text() for p in reader.pages]
    text = "\n".join(pages)
    squeezed = re.sub(r"\s+", "", text)  # extraction may break lines inside a title
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
    contents = reader.pages[0].extract_text(extraction_mode="layout")
    for name in sections.names():
        title = sections.get(name).title_zh
        printed = re.search(re.escape(title) + r"[\s\S]*?\.{3,}\s*(\d+)", contents)
        assert printed, name
        starts = next(i for i, text in enumerate(pages) if i > 0 and text.lstrip().startswith(
            sections.get(name).report_section + " " + title))
        assert labels[starts] == printed.group(1), name
    dests = reader.named_destinations
    links = [a.get_object()["/Dest"] for a in reader.pages[0].get("/Annots", []) if "/Dest" in a.get_object()]
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


def test_sweeps_appendix_when_asked(build, tmp_path):
    copy = tmp_path / "build"
    shutil.copytree(build, copy)
    sweep_dir = copy / "sweeps" / "index_weights"
    sweep_dir.mkdir(parents=True)
    (sweep_dir / "summary.csv").write_text("variant_id,weight_dispute_rate,status,implied_other_change,note\n"
                                           "a,0.1,done,-14.56,\nb,0.3,done,-30.2,\n", encoding="utf-8")
    (sweep_dir / "summary.png").write_bytes(PNG)
    assemble.build_report(copy, write_pdf=False)
    assert "appendix-sweeps" not in (copy / "report.html").read_text(encoding="utf-8")
    assemble.build_report(copy, write_pdf=False, include_sweeps=[])
    html = (copy / "report.html").read_text(encoding="utf-8")
    soup = BeautifulSoup(html, "html.parser")
    appendix = soup.find(id="appendix-sweeps")
    assert appendix is not None and soup.find("a", href="#appendix-sweeps") is not None
    cells = [td.get_text() for td in appendix.find_all("td")]
    assert "-14.56" in cells and "-30.2" in cells
    assert appendix.find("img")["src"].startswith("data:image/png;base64,")
    assert assemble.external_references(html) == []


def test_failed_and_unreadable_sections_are_flagged_not_fatal(build, tmp_path):
    copy = tmp_path / "build"
    shutil.copytree(build, copy)
    run = json.loads((copy / "run.json").read_text(encoding="utf-8"))
    run["sections"]["retail_growth"]["status"] = "failed"  # last run failed; the previous notebook is still there
    (copy / "run.json").write_text(json.dumps(run), encoding="utf-8")
    (copy / "notebooks" / "promotion_effects.ipynb").write_text("{not json", encoding="utf-8")
    assemble.build_report(copy, write_pdf=False)
    page = BeautifulSoup((copy / "report.html").read_text(encoding="utf-8"), "html.parser")
    rg = page.select_one("section#retail_growth")
    assert "last run of this section failed" in rg.select_one(".banner-failed").get_text()
    assert rg.select_one("figure.figure") is not None
    pe = page.select_one("section#promotion_effects")
    assert "could not be read" in pe.get_text() and pe.select_one(".not-built") is not None
    # its claims still count in the scorecard: claims.csv is the record
    row = [tr for tr in page.select("table.scorecard tbody tr") if tr.find("a", href="#promotion_effects")][0]
    assert row.find_all("td")[-1].get_text(strip=True) == str(len(CLAIMS["promotion_effects"]))


def test_recorded_figure_inline_copy_is_not_repeated_but_other_images_are_kept():
    from ecrights.report import cells

    png = base64.b64encode(PNG).decode()
    marked = {"output_type": "display_data", "data": {"image/png": png},
              "metadata": {"ecrights": {"figure": "figures/x-a.png"}}}
    plain = {"output_type": "display_data", "data": {"image/png": png}, "metadata": {}}
    assert cells.render_output(marked, "retail_growth", set()) == ""
    assert "data:image/png;base64," in cells.render_output(plain, "retail_growth", set())


# --------------------------------------------------------------------------
# building section by section (what the runner does while sections execute)
# --------------------------------------------------------------------------
def _run_entries(out: Path) -> tuple[dict, dict]:
    run = json.loads((out / "run.json").read_text(encoding="utf-8"))
    return run, run["sections"]


def test_section_by_section_gives_the_same_report_as_all_at_once(build, tmp_path):
    from pypdf import PdfReader

    from ecrights.report import inputs

    whole, parts = tmp_path / "whole", tmp_path / "parts"
    shutil.copytree(build, whole)
    shutil.copytree(build, parts)
    assemble.build_report(whole)
    builder = assemble.ReportBuilder(parts)
    run, entries = _run_entries(parts)
    for name in reversed(sections.names()):  # out of report order: layout waits for the sections before
        builder.add_section(inputs.load_section(parts, name, entries.get(name, {})), run)
        laid_out = [n for n in sections.names() if n in builder.laid_out]
        assert laid_out == sections.names()[:len(laid_out)]
    assert list(builder.laid_out) == sections.names()
    builder.finish()
    for name in ["report.html"] + [f"sections/{n}.html" for n in sections.names()]:
        assert (parts / name).read_bytes() == (whole / name).read_bytes(), name
    a, b = PdfReader(str(whole / "report.pdf")), PdfReader(str(parts / "report.pdf"))
    assert [p.extract_text() for p in a.pages] == [p.extract_text() for p in b.pages]


def test_later_sections_are_laid_out_early_at_pages_predicted_from_the_last_build(build, tmp_path):
    from pypdf import PdfReader

    from ecrights.report import inputs

    out = tmp_path / "build"
    shutil.copytree(build, out)
    assemble.build_report(out)
    hints = json.loads((out / "report.pages.json").read_text(encoding="utf-8"))["include_code=False"]
    assert set(hints) == set(sections.names()) and all(n >= 1 for n in hints.values())
    reference = [p.extract_text() for p in PdfReader(str(out / "report.pdf")).pages]

    run, entries = _run_entries(out)
    first = sections.names()[0]
    # the last build's count for the first section is wrong: what was laid out after it moves
    (out / "report.pages.json").write_text(json.dumps({"include_code=False": {**hints, first: hints[first] + 2}}),
                                           encoding="utf-8")
    builder = assemble.ReportBuilder(out)
    for name in sections.names()[1:]:  # every section but the first: all placed by prediction
        builder.add_section(inputs.load_section(out, name, entries.get(name, {})), run)
    second = sections.names()[1]
    assert builder.laid_out[second][0] == hints[first] + 2 + 1
    builder.add_section(inputs.load_section(out, first, entries.get(first, {})), run)
    assert builder.laid_out[second][0] == hints[first] + 1  # laid out again at the right page
    builder.finish()
    assert [p.extract_text() for p in PdfReader(str(out / "report.pdf")).pages] == reference


def test_a_section_changed_after_it_was_prepared_is_prepared_again(build, tmp_path):
    from ecrights.report import inputs

    out = tmp_path / "build"
    shutil.copytree(build, out)
    builder = assemble.ReportBuilder(out, write_pdf=False)
    run, entries = _run_entries(out)
    for name in sections.names():
        builder.add_section(inputs.load_section(out, name, entries.get(name, {})), run)
    results_file = out / "results" / "retail_growth.json"
    results = json.loads(results_file.read_text(encoding="utf-8"))
    results["claims"][0]["quote"] = "A QUOTE CHANGED AFTER THE SECTION WAS PREPARED"
    results_file.write_text(json.dumps(results, ensure_ascii=False), encoding="utf-8")
    builder.finish()
    assert "A QUOTE CHANGED AFTER THE SECTION WAS PREPARED" in (out / "report.html").read_text(encoding="utf-8")


def test_background_report_hands_back_its_builder_or_none_on_any_error(build, tmp_path):
    from ecrights.run.report_stage import BackgroundReport

    out = tmp_path / "build"
    shutil.copytree(build, out)
    run, entries = _run_entries(out)
    good = BackgroundReport(out, run, include_code=False, write_pdf=False)
    for name in sections.names():
        good.section_ready(name, entries.get(name, {}))
    builder = good.builder()
    assert builder is not None and list(builder.contexts) == sections.names()

    bad = BackgroundReport(out, run, include_code=False, write_pdf=False)
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


@pytest.mark.parametrize("content", ["{not json", "[1, 2]", '{"include_code=False": {"retail_growth": -3}}',
                                     '{"include_code=False": {"retail_growth": "many"}}',
                                     '{"include_code=False": {"retail_growth": Infinity}}'])
def test_an_odd_page_hints_file_is_ignored_and_replaced(build, tmp_path, content):
    from ecrights.report import inputs

    out = tmp_path / "build"
    shutil.copytree(build, out)
    (out / "report.pages.json").write_text(content, encoding="utf-8")
    builder = assemble.ReportBuilder(out)
    run, entries = _run_entries(out)
    for name in reversed(sections.names()):
        builder.add_section(inputs.load_section(out, name, entries.get(name, {})), run)
    builder.finish()
    hints = json.loads((out / "report.pages.json").read_text(encoding="utf-8"))["include_code=False"]
    assert set(hints) == set(sections.names())


# --------------------------------------------------------------------------
# the HTML carries its font
# --------------------------------------------------------------------------
CJK = re.compile(r"[\u2e80-\u2fdf\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")


def test_every_cjk_character_of_every_page_is_in_its_embedded_font(build):
    from ecrights.report import fonts

    pages = [build / "report.html", *sorted((build / "sections").glob("*.html"))]
    for path in pages:
        page = path.read_text(encoding="utf-8")
        cmap = fonts.embedded_cmap(page)
        used = {ord(ch) for ch in CJK.findall(page)}
        assert len(used) > 20, path  # the fixture's pages are Chinese: the check has something to check
        assert used <= cmap, (path.name, "".join(sorted(chr(c) for c in used - cmap))[:40])
        assert ord("龘") not in cmap  # a subset, not the whole 16 MB font
        assert "url(file:" not in page and "ReportCJK" in page.split("</style>", 1)[0]
