"""The reader's edition and the audit (issue 22): what a reader gets, and what stays in the audit.

Unit checks first (no build); then one real build per language, shared by the checks of its
documents: the reader's edition within its page target, none of the project's machinery in its
text (claim IDs, paths, options, digests, parameter codes, package versions), every ledger claim
in the audit, and the English HTML in English outside passages marked Chinese.
"""

from __future__ import annotations

import csv
import fnmatch
import re
from pathlib import Path

import pytest

from conftest import PROJECT_ROOT
from ecrights.report import reader

LEDGER = PROJECT_ROOT / "data" / "published" / "claims.csv"
REPORT_TEXT = PROJECT_ROOT / "data" / "report" / "report_2019.zh-Hans.txt"
PAGE_TARGETS = {"zh": 16, "en": 20}


def ledger_ids() -> list[str]:
    with LEDGER.open(encoding="utf-8", newline="") as fh:
        return [r["claim_id"] for r in csv.DictReader(fh)]


# --------------------------------------------------------------------------
# units
# --------------------------------------------------------------------------
def test_numbers_keep_the_printed_precision_and_one_minus_sign():
    assert reader.decimals("8.0") == 1 and reader.decimals("411649") == 0 and reader.decimals("0.0103") == 4
    assert reader.as_printed(8, 1) == "8.0"
    assert reader.as_printed(-35.04, 0) == "\u221235"
    assert reader.as_printed(411649.0, 0, "zh") == "411649"
    assert reader.as_printed(None, 1) == "—"


def test_a_bound_shows_one_place_more_than_the_bound_itself():
    claim = {"quote": "贡献率超过45%", "facts": {"stated_text": "45"}}
    assert reader._claim_places(claim) == 1
    assert reader._claim_places({"quote": "增长8.0%", "facts": {"stated_text": "8.0"}}) == 1


def test_chinese_text_gets_full_width_punctuation():
    assert reader.full_width("2019年,社会消费品(扣除价格因素)") == "2019年，社会消费品（扣除价格因素）"
    assert reader.full_width("图9:2019年") == "图9：2019年"
    assert reader.full_width("21:30左右,1,000元") == "21:30左右，1,000元"
    assert reader.full_width("a, b (c)") == "a, b (c)"  # not Chinese: left alone


@pytest.mark.parametrize("counts, expected", [
    ({"reproduced": 3}, "confirmed"),
    ({"reproduced": 21, "consistent": 4}, "confirmed"),  # agreeing with their own source: nothing contradicts
    ({"consistent": 4}, "uncheckable"),  # but consistent alone is no independent check
    ({"reproduced": 2, "not_sourced": 1}, "partly"),
    ({"reproduced": 2, "discrepant": 1}, "partly"),
    ({"discrepant": 1, "not_reproducible": 2}, "contradicted"),
    ({"consistent": 2, "not_reproducible": 1}, "uncheckable"),
    ({}, "uncheckable"),
])
def test_a_findings_outcome_follows_its_claims(counts, expected):
    assert reader.outcome(counts) == expected


def test_an_inference_that_cannot_be_decided_is_undecided_whatever_its_numbers():
    """一(三): the numbers largely hold, but the inference drawn from them ('the promotions' pull
    weakened') cannot be decided; the finding says so instead of 'partly confirmed'."""
    assert reader.outcome({"reproduced": 11, "discrepant": 1, "not_reproducible": 6}, "undetermined") == "undecided"
    assert reader.outcome({"reproduced": 3}, "supported") == "confirmed"
    assert reader.SYMBOLS["partly"] != reader.SYMBOLS["consistent"]  # a finding's symbols are its own


def test_a_discrepant_value_shows_the_places_it_takes_to_differ():
    """+0.2 against a printed '2' (个百分点) must not print as 0 or as 2."""
    claim = {"status": "discrepant", "reproduced_value": 0.2, "facts": {"stated_text": "2"}}
    assert reader.public_value(claim, "zh") == "0.2"
    assert reader.public_value({**claim, "reproduced_value": -0.04}, "en") == "\u22120.04"
    assert reader.public_value({**claim, "status": "reproduced", "reproduced_value": 2.04}, "zh") == "2"


def test_the_claims_legend_comes_from_the_statuses():
    legend = reader.status_legend("zh")
    assert "● 已复现" in legend and "◐ 同源一致" in legend and "× 不一致" in legend


def test_amounts_in_yi_read_as_millions_billions_trillions_in_english():
    """English has no word for 亿: '5.2 100 mn parcels' read badly. The scale is chosen from the
    value as printed, its digits moved by a power of ten, never rounded."""
    assert reader.amount("5.2", "亿件", "en") == "520 million parcels"
    assert reader.amount("411,649", "亿元", "en") == "41,164.9 billion yuan"
    assert reader.amount("5.2", "亿件", "zh") == "5.2亿件"
    assert reader.amount("2", "百分点", "en") == "2 percentage points"  # 'pp' unexplained reads as jargon
    assert reader.amount("2", "百分点", "zh") == "2个百分点"
    assert reader.amount("—", "亿元", "en") == "—"


def test_english_translations_give_amounts_in_yi_and_wan_as_the_code_converts_them():
    """The ledger's English quotes write 亿 and 万 amounts in millions, billions, trillions: each is
    the exact conversion of the printed value (tables.english_amount), not a figure typed anew.
    Values printed in words (上亿, 几万: the note says 'Printed') are exempt."""
    from ecrights.tables import POWERS, english_amount

    with LEDGER.open(encoding="utf-8", newline="") as fh:
        rows = [r for r in csv.DictReader(fh) if r["unit"] in POWERS and not r["note"].startswith("Printed")]
    assert rows
    for r in rows:
        shown = english_amount(r["value"], r["unit"])
        number = shown.rsplit(" ", 1)[0] if POWERS[r["unit"]][1] else shown  # '810,000 eggs', not 'pieces'
        assert number in r["quote_en"] and "100-million" not in r["quote_en"], (r["claim_id"], shown, r["quote_en"])


def test_a_key_result_shows_the_interval_its_description_names():
    """'…（区间：公布精度下的范围）：45.6%' named an interval the reader never saw; it is printed,
    rounded outward so that it holds the computed one."""
    r = {"descriptions": {"zh": "贡献率（区间：公布精度下的范围）", "en": "contribution (interval: the rounding)"},
         "value": 45.61542819, "unit": "%", "interval": [45.25541468, 45.97979764]}
    assert reader._result_sentence(r, "zh") == "贡献率（区间：公布精度下的范围）：45.6%（区间 45.2–46.0）"
    assert reader._result_sentence(r, "en").endswith(": 45.6% (interval 45.2–46.0)")
    gain = {"descriptions": {"zh": "提高", "en": "gain"}, "value": 2.3, "unit": "pp", "interval": [2.2, 2.4]}
    assert reader._result_sentence(gain, "zh") == "提高：2.3个百分点（区间 2.2–2.4）"
    assert reader.outward(-1.57, 1, "down", "en") == "\u22121.6"


def test_counts_of_one_are_singular_in_english():
    claims = [{"claim_id": f"c{i}", "section": "s", "report_section": "一(一)", "quote": f"q{i}", "status": status}
              for i, status in enumerate(["reproduced", "discrepant", "not_sourced", "consistent", "consistent"])]
    claims[1]["facts"], claims[1]["reproduced_value"], claims[1]["unit"] = {"stated_text": "2"}, 0.2, "百分点"
    found = [reader.Finding(number="一", says="", shows="", outcome="confirmed")]
    sentence = reader.verdict(claims, found, "en")
    assert "1 is reproduced, 1 disagrees with public data, and 1 has public data" in sentence
    assert "2 agree only with their own source's" in sentence and "5 numbers in 5 sentences" in sentence
    assert "Of the one main finding:" in sentence
    assert "个百分点" in reader.verdict(claims, found, "zh") and "一条主要结论" in reader.verdict(claims, found, "zh")
    assert reader.small_count(8, "zh") == "八" and reader.small_count(8, "en") == "eight"
    assert reader.small_count(12, "en") == "12"


def test_the_claims_table_follows_the_report_and_shows_a_sentence_once():
    """二(二)4 stands before 二(三) in the report, though its section's notebook runs after; a
    quote that is part of a longer quote from the same place is one sentence with both checks."""
    def claim(cid, report_section, quote, section="s"):
        return {"claim_id": cid, "section": section, "report_section": report_section, "quote": quote,
                "status": "not_reproducible"}

    claims = [claim("a", "二(三) 图8", "服装、百货行业基本持平", "ib"),
              claim("b", "二(三)1", "纠纷涨幅最高的食品行业", "ib"),
              claim("c", "二(二)4", "数据显示,假货感知比率下降了19个点", "ai"),
              claim("d", "二(二)4", "数据显示,假货感知比率下降了19个点,是总指数下降的主要原因", "ai"),
              claim("e", "二(一)", "但假货感知比率下降了19个点", "it"),  # the same words elsewhere: its own row
              claim("f", "二(四)", "较2018年同期增长60%", "ai"),
              claim("g", "一(三) 图2", "1-11月份也仅为16.6%", "pe")]
    groups = reader.sentence_groups(claims)
    assert [[c["claim_id"] for c in g["claims"]] for g in groups] == [["g"], ["e"], ["c", "d"], ["a"], ["b"], ["f"]]
    assert groups[2]["quote"].endswith("主要原因")
    assert reader.report_order("二(三)2 图9") == (2, 3, 2) and reader.report_order("") > reader.report_order("二(四)")
    rows = reader.sentence_rows(claims, "zh")
    assert len(rows) == 6 and rows[2]["public"] == "—；—"
    level = {"claim_id": "l", "section": "rg", "report_section": "一(一)", "quote": "零售总额411649亿元",
             "status": "reproduced", "reproduced_value": 411649.0, "unit": "亿元", "facts": {"stated_text": "411649"}}
    assert reader.sentence_rows([level], "en")[0]["public"] == "41,164.9 billion yuan"  # as the translation reads
    assert reader.sentence_rows([level], "zh")[0]["public"] == "411649"


def test_report_parts_in_english_keep_the_original_numbering():
    label = str(reader.english_part("一(一)(二)"))
    assert label.startswith("Part 1 (1)–(2) ") and 'lang="zh-Hans"' in label and "一(一)(二)" in label
    assert str(reader.english_part("二(二)4 · 二(四)")).startswith("Part 2 (2)4 · Part 2 (4) ")


def test_every_finding_quotes_the_report_and_names_claims_of_the_ledger():
    report = REPORT_TEXT.read_text(encoding="utf-8")
    ids = ledger_ids()
    findings = reader.load_findings()
    block = report.split("主要结论")[1].split("一、消费环境")[0]
    assert len(findings) == len(re.findall(r"^[一二三四五六七八九十]+、", block, re.MULTILINE))
    for f in findings:
        assert f["quote"] in report, f["number"]
        assert f["en"].strip(), f["number"]
        for pattern in f.get("claims", []):
            assert fnmatch.filter(ids, pattern), f"{f['number']}: {pattern} matches no claim"


# --------------------------------------------------------------------------
# one real build per language
# --------------------------------------------------------------------------
@pytest.fixture(scope="module")
def edition_zh(built) -> Path:
    """The session's shared build (conftest.built): the Chinese pair."""
    root, _ = built
    return root / "build"


@pytest.fixture(scope="module")
def edition_en(built_en) -> Path:
    return built_en


@pytest.fixture(params=["zh", "en"])
def edition(request, built, built_en):  # both named: conftest marks the tests that use them integration
    return request.param, request.getfixturevalue(f"edition_{request.param}")


def pdf_text(path: Path) -> list[str]:
    from pypdf import PdfReader

    return [page.extract_text() or "" for page in PdfReader(str(path)).pages]


def html_text(path: Path) -> str:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    for tag in soup(["style", "script"]):
        tag.decompose()
    return soup.get_text(" ")


def docx_text(path: Path) -> str:
    from docx import Document

    doc = Document(str(path))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def test_the_readers_edition_is_within_its_page_target(edition):
    language, out = edition
    pages = len(pdf_text(out / "report.pdf"))
    assert pages <= PAGE_TARGETS[language], f"{language}: {pages} pages"


def test_every_page_but_the_first_carries_the_short_title(edition):
    from ecrights.report import front_matter

    language, out = edition
    pages = pdf_text(out / "report.pdf")
    short = front_matter.load(language).running_title
    assert all(short in page for page in pages[1:])
    if language == "en":  # the title page has the full title, and no running header
        assert short not in pages[0]


MACHINERY = {
    "a path": re.compile(r"(?<![\w/])(?:data|build|lib|params|notebooks|figures|results)/[\w./<>*-]+"),
    "a file of the project": re.compile(r"\b[\w-]+\.(?:csv|json|ipynb|py|yaml|png|svg|sha256)\b"),
    "an option": re.compile(r"(?<![\w−–-])--[a-z][\w-]+"),
    "a 40/64-hex digest": re.compile(r"\b(?:[0-9a-f]{64}|[0-9a-f]{40})\b"),
    "a code name (snake_case)": re.compile(r"\b[a-z][a-z0-9]*_[a-z0-9_]+\b"),
    "a package version": re.compile(r"\b(?:pandas|numpy|scipy|statsmodels|matplotlib|papermill|nbconvert|"
                                    r"weasyprint|pypandoc|pydantic)\b", re.IGNORECASE),
}


def test_no_machinery_in_the_readers_edition(edition):
    """Claim IDs, paths, options, digests, parameter codes and package versions stay in the audit:
    the reader's edition's text (PDF, HTML, Word) has none."""
    language, out = edition
    ids = set(ledger_ids())
    texts = {"report.pdf": "\n".join(pdf_text(out / "report.pdf")), "report.html": html_text(out / "report.html"),
             "report.docx": docx_text(out / "report.docx")}
    found = []
    for name, content in texts.items():
        found += [f"{name}: claim ID {i}" for i in ids if i in content]
        for what, pattern in MACHINERY.items():
            found += [f"{name}: {what}: {m.group(0)!r}" for m in pattern.finditer(content)]
    assert not found, "\n".join(sorted(set(found))[:40])


def test_the_readers_edition_names_and_links_the_audit(edition):
    from bs4 import BeautifulSoup

    language, out = edition
    soup = BeautifulSoup((out / "report.html").read_text(encoding="utf-8"), "html.parser")
    assert soup.find("a", href="audit.html") is not None and (out / "audit.html").is_file()
    assert any("audit.html" in page for page in pdf_text(out / "report.pdf"))
    from docx import Document

    word = Document(str(out / "report.docx"))
    assert "audit.html" in [r.target_ref for r in word.part.rels.values() if "hyperlink" in r.reltype]


def test_every_ledger_claim_appears_in_the_audit(edition):
    language, out = edition
    audit = (out / "audit.html").read_text(encoding="utf-8")
    missing = [i for i in ledger_ids() if i not in audit]
    assert not missing, missing[:10]


def test_the_audit_pdf_and_word_only_on_request(edition_zh):
    assert (edition_zh / "audit.html").is_file()
    assert not (edition_zh / "audit.pdf").exists() and not (edition_zh / "audit.docx").exists()


CJK = re.compile(r"[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]")


def test_the_english_readers_edition_has_no_chinese_outside_marked_passages(edition_en):
    """Every CJK character of the English HTML sits in an element marked lang="zh…"."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup((edition_en / "report.html").read_text(encoding="utf-8"), "html.parser")
    for tag in soup(["style", "script", "title"]):
        tag.decompose()
    unmarked = []
    for node in soup.find_all(string=CJK):
        marked = node.parent.find_parent(lambda t: str(t.get("lang", "")).startswith("zh")) \
            if not str(node.parent.get("lang", "")).startswith("zh") else node.parent
        if marked is None:
            unmarked.append(str(node).strip()[:60])
    assert not unmarked, unmarked[:10]


def test_the_english_edition_has_no_plural_placeholders_or_raw_category_codes(edition_en):
    content = html_text(edition_en / "report.html")
    assert "(s)" not in content
    assert not re.search(r"category_\w+", content)


def test_findings_at_a_glance_has_one_row_per_main_finding(edition):
    from bs4 import BeautifulSoup

    language, out = edition
    soup = BeautifulSoup((out / "report.html").read_text(encoding="utf-8"), "html.parser")
    rows = soup.select("table.glance-table tbody tr")
    assert len(rows) == len(reader.load_findings())
    assert all(row.select_one("td.outcome .symbol") for row in rows)  # a symbol beside each word


def test_claims_table_has_one_row_per_sentence_with_numbers(edition_zh):
    from bs4 import BeautifulSoup

    with LEDGER.open(encoding="utf-8", newline="") as fh:
        sentences = {(r["section"], r["report_section"], r["quote"]) for r in csv.DictReader(fh)}
    # a quote inside a longer quote from the same place of the report is the same sentence
    parts = {s for s in sentences if any(o != s and o[:2] == s[:2] and s[2].rstrip("。") in o[2] for o in sentences)}
    soup = BeautifulSoup((edition_zh / "report.html").read_text(encoding="utf-8"), "html.parser")
    assert len(soup.select("table.sentence-table tbody tr")) == len(sentences) - len(parts)
    text = soup.select_one("table.sentence-table").get_text()
    assert "8.0%" in text and "411649" in text  # as printed


# --------------------------------------------------------------------------
# badges at the real column widths
# --------------------------------------------------------------------------
def _overflowing_badges(language: str) -> list[str]:
    """Lay out the audit's claims table (one row per status) with the PDF's CSS on A4 and return
    each status badge that reaches beyond its cell's content box."""
    from markupsafe import Markup

    from ecrights.report import assemble, pdf, report_tables
    from ecrights.report.scorecard import STATUSES

    claims = [{"claim_id": f"c_{s}", "quote": "2019年,社会消费品零售总额411649亿元", "quote_en": "total retail sales",
               "reported_value": 8.0, "reproduced_value": 8.0, "difference": 0.0, "unit": "%", "status": s,
               "method": "m", "note": "n", "section": "retail_growth"} for s in STATUSES]
    part = Markup(report_tables.claims_table(claims, language).__html__())
    html = assemble.environment(language).get_template("pdf_part.html.j2").render(
        css=Markup(assemble.STYLE_CSS.read_text(encoding="utf-8")), extra_css=Markup(pdf.print_css()), part=part,
        meta={}, front={"title": "badges"}, show_footer=False)
    document = pdf.layout(html, PROJECT_ROOT, pdf.new_font_config())
    over = []

    def walk(box, cell=None):
        if type(box).__name__ == "TableCellBox":
            cell = box
        element = getattr(box, "element", None)
        classes = (element.get("class") or "").split() if element is not None else []
        if "status" in classes and type(box).__name__ in ("InlineBox", "InlineBlockBox") and cell is not None:
            if box.position_x + box.margin_width() > cell.content_box_x() + cell.width + 0.5:
                over.append(" ".join(classes))
        for child in getattr(box, "children", []):
            walk(child, cell)

    for page in document.pages:
        walk(page._page_box)
    return over


@pytest.mark.pdf
@pytest.mark.parametrize("language", ["zh", "en"])
def test_status_badges_fit_their_column_at_print_width(language):
    assert _overflowing_badges(language) == []


def test_release_titles_in_english_follow_the_titles_own_figures():
    from ecrights import release_titles

    assert release_titles.english("2019年1-2月份社会消费品零售总额增长8.2%") == \
        "Total retail sales of consumer goods grew 8.2% in January–February 2019 (NBS)"
    assert release_titles.english("国家邮政局公布2019年9月邮政行业运行情况") == \
        "State Post Bureau: the postal industry in September 2019"
    assert release_titles.english("2019年前三季度社会消费品零售总额增长8.2%").endswith(
        "in the first three quarters of 2019 (NBS)")
    assert release_titles.english("某个未知的标题") == "某个未知的标题"  # no pattern: left for a lang mark


def test_every_status_symbol_is_in_the_embedded_font():
    """A reader without CJK fonts sees only the embedded font's glyphs: a symbol it lacks is tofu."""
    from fontTools.ttLib import TTFont

    from ecrights.plotting import cjk_font_path

    cmap = TTFont(cjk_font_path(), lazy=True).getBestCmap()
    assert [s for s in reader.SYMBOLS.values() if ord(s) not in cmap] == []
