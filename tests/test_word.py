"""report.docx as an editor gets it: contents and a list of figures written at build time in the
edition's language, page numbers in the footer, the East Asian font declared with the names Word
resolves, figures as their PNG at print resolution (the HTML's are inline SVG)."""

from __future__ import annotations


import pytest
from bs4 import BeautifulSoup

from ecrights.report import docx

PAGE = """<html lang="{lang}"><body><header class="front"><h1>T</h1></header>
<nav class="toc" id="toc"><h2>{title}</h2><ol><li><a href="#s1" data-page="3">一 节</a></li></ol>
<h3 id="list-of-figures">{figures}</h3><ol class="figure-list"><li><a href="#fig-a"><span class="label">图1</span> 标题</a></li></ol></nav>
<section id="s1"><h2 id="s1">一 节</h2>
<figure class="figure" id="fig-a" data-raster="figures/a.png"><svg aria-label="图1 标题" width="10pt" height="10pt"><text>吃类</text></svg>
<figcaption><span class="label">图1</span> 标题</figcaption></figure></section></body></html>"""


def test_contents_and_figures_are_written_in_the_editions_language_and_the_svg_becomes_its_png(tmp_path):
    (tmp_path / "figures").mkdir()
    (tmp_path / "figures" / "a.png").write_bytes(b"\x89PNG fake")
    media = tmp_path / "media"
    media.mkdir()
    soup = BeautifulSoup(docx.simplify(PAGE.format(lang="zh-Hans", title="目录", figures="图目录"), media, tmp_path),
                         "html.parser")
    styled = [(d["data-custom-style"], d.get_text(strip=True), d.a["href"] if d.a else None)
              for d in soup.select("div.word-contents > div")]
    assert styled == [(docx.TOC_HEADING, "目录", None), ("TOC 1", "一 节", "#s1"),
                      (docx.TOC_HEADING, "图目录", None), (docx.FIGURE_ENTRY, "图1 标题", "#fig-a")]
    assert soup.find("svg") is None and soup.select_one("figure img")["src"] == "fig-a.png"
    assert (media / "fig-a.png").read_bytes() == b"\x89PNG fake"
    english = BeautifulSoup(docx.simplify(PAGE.format(lang="en", title="Contents", figures="List of figures")),
                            "html.parser")
    assert english.select_one("div.word-contents > div").get_text(strip=True) == "Contents"


def test_the_reference_document_numbers_pages_and_declares_fonts_word_resolves(tmp_path):
    from docx import Document
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.oxml import parse_xml
    from docx.oxml.ns import qn

    doc = Document(str(docx.reference_docx("zh", tmp_path / "ref.docx")))
    footer = doc.sections[0].footer._element
    assert [f.get(qn("w:instr")).strip() for f in footer.iter(qn("w:fldSimple"))] == ["PAGE"]
    defaults = doc.styles.element.find(qn("w:docDefaults")).find(".//" + qn("w:rFonts"))
    assert defaults.get(qn("w:eastAsia")) == docx.EAST_ASIAN_FONT and defaults.get(qn("w:eastAsiaTheme")) is None
    table = parse_xml(doc.part.part_related_by(RT.FONT_TABLE).blob)
    fonts = {f.get(qn("w:name")): f for f in table.findall(qn("w:font"))}
    bundled = fonts[docx.EAST_ASIAN_FONT]
    assert bundled.find(qn("w:altName")).get(qn("w:val")) == "Microsoft YaHei"
    for name in ("Microsoft YaHei", "SimSun", "PingFang SC"):  # Windows, Windows, macOS
        assert fonts[name].find(qn("w:charset")).get(qn("w:val")) == "86"  # GB2312: a Chinese font


@pytest.mark.parametrize("language", ["zh", "en"])
def test_a_word_file_from_a_page_has_contents_page_numbers_and_a_print_resolution_figure(tmp_path, language):
    import matplotlib

    matplotlib.use("Agg")
    from docx import Document
    from docx.oxml.ns import qn

    from ecrights import plotting

    fig, ax = plotting.new_figure()
    ax.plot([1, 2], [3, 4])
    plotting.save_print(fig, tmp_path / "figures" / "a")
    title, figures = ("目录", "图目录") if language == "zh" else ("Contents", "List of figures")
    html = PAGE.format(lang="zh-Hans" if language == "zh" else "en", title=title, figures=figures)
    path = docx.write(html, tmp_path / "report.docx", language, {"title": "T", "created": "2026-01-01"})
    doc = Document(str(path))
    contents = [p.text for p in doc.paragraphs if p.style.name in (docx.TOC_HEADING, "TOC 1", docx.FIGURE_ENTRY)]
    assert contents == [title, "一 节", figures, "图1 标题"]
    assert "PAGE" in doc.sections[-1].footer._element.xml
    body = doc.element.body
    assert body.find(".//" + qn("w:fldSimple")) is None and "TOC \\" not in body.xml  # no field left to update
    extent = body.find(".//" + qn("wp:extent"))
    blip = body.find(".//" + qn("a:blip"))
    image = doc.part.related_parts[blip.get(qn("r:embed"))]
    from PIL import Image
    import io

    pixels = Image.open(io.BytesIO(image.blob)).size[0]
    inches = int(extent.get("cx")) / 914400
    assert pixels / inches >= 299  # print resolution at the size Word places it
