"""report.html → report.docx through pandoc (from the pypandoc-binary wheel: no system pandoc),
for editors who revise in Word.

The HTML is simplified first: no CSS or embedded font, formulas as TeX (pandoc
writes them as Word equations), code unfolded, screen-only links dropped, the
title block given to pandoc as metadata. Headings, figures with their captions and
tables come through; each figure as its PNG at print resolution (the HTML's is an
inline SVG whose text needs the page's font).

What an editor expects of a Word file, written at build time: a contents list and a
list of figures in the edition's language, as paragraphs linking to the headings and
figures (not a TOC field, which shows nothing until Word updates it; the page numbers
beside the entries are Word's job), and page numbers in the footer (a PAGE field,
which every Word updates as it lays out). The reference document declares the East
Asian font — the bundled Noto Sans CJK SC first, then, in the font table, the names
Word resolves when it is missing (Microsoft YaHei / SimSun on Windows, PingFang SC on
macOS; EAST_ASIAN_FALLBACKS) — and the edition's language, so Chinese is neither set
in a Latin font nor spell-checked as English. The font is not embedded: Word embeds
TrueType outlines only, and the bundled font is CFF-flavoured OpenType of 16 MB.
"""

from __future__ import annotations

import base64
import re
import tempfile
from pathlib import Path

import pypandoc
from bs4 import BeautifulSoup
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.shared import Mm
from lxml import etree

from .texts import text as report_text

EAST_ASIAN_FONT = "Noto Sans CJK SC"
# what Word sets Chinese in when the bundled font is not installed: the font table names the first as the
# bundled font's alternate (Word for Windows substitutes it), and lists all with the GB2312 character set
# (86), which Word for Mac and LibreOffice follow to a Chinese font (PingFang SC, SimSun, …)
EAST_ASIAN_FALLBACKS = ("Microsoft YaHei", "SimSun", "PingFang SC")
WORD_LANG = {"zh": "zh-CN", "en": "en-US"}
# the paragraph styles of the contents written at build time (Word's own names, so its
# "update table" and its navigation treat them as contents)
TOC_HEADING, TOC_ENTRY, FIGURE_ENTRY = "TOC Heading", "TOC {level}", "Table of Figures"


def simplify(html: str, media_dir: Path | None = None, build_dir: Path | None = None) -> str:
    """The report's HTML as pandoc should read it. Embedded images are written to media_dir
    under short names (pandoc records an image's source in the Word file: a name, not a
    data URI of hundreds of kilobytes or a temporary path); a figure drawn as inline SVG
    gets its PNG (`data-raster`, relative to build_dir) instead. The HTML contents list
    becomes contents written into the document (contents_block)."""
    soup = BeautifulSoup(html, "html.parser")
    contents = contents_block(soup)  # before the page's lang goes: a page without nav.toc names it in its language
    if soup.html is not None:  # pandoc would look for caption translations it lacks for Chinese;
        soup.html.attrs.pop("lang", None)  # the language is declared in the reference document instead
    for tag in soup.find_all(["style", "script", "footer"]):
        tag.decompose()
    for tag in soup.select(".screen-only, nav.toc, header.front h1, header.front .subtitle, header.front .byline"):
        tag.decompose()
    if contents is not None:
        front = soup.select_one("header.front")
        if front is not None:
            front.insert_after(contents)
        else:
            (soup.body or soup).insert(0, contents)
    for img in soup.select("img.math-display, img.math-inline"):
        span = soup.new_tag("span", attrs={"class": "math display" if "math-display" in img["class"] else
                                           "math inline"})
        span.string = (r"\[" + img.get("alt", "") + r"\]") if "math-display" in img["class"] else \
            (r"\(" + img.get("alt", "") + r"\)")
        img.replace_with(span)
    for details in soup.find_all("details"):
        if details.summary:
            details.summary.decompose()
        details.unwrap()
    for wbr in soup.find_all("wbr"):
        wbr.decompose()
    for figure in soup.find_all("figure"):  # the source lines: a paragraph of their own, after the figure
        sources = figure.select("figcaption .sources")  # (in a Word caption they would run into its text)
        if sources:
            after = soup.new_tag("p", attrs={"class": "figure-sources"})
            for i, span in enumerate(sources):
                if i:
                    after.append(soup.new_tag("br"))
                after.append(span.extract())
            figure.insert_after(after)
    for figure in soup.select("figure[data-raster]"):  # the vector figure's PNG at print resolution
        svg = figure.find("svg")
        if svg is None:
            continue
        raster = Path(build_dir or ".") / figure["data-raster"]
        img = soup.new_tag("img", attrs={"alt": svg.get("aria-label", "")})
        if media_dir is not None and raster.is_file():
            name = f"{figure.get('id') or raster.stem}.png"
            (Path(media_dir) / name).write_bytes(raster.read_bytes())
            img["src"] = name
        else:
            img["src"] = figure["data-raster"]
        svg.replace_with(img)
    if media_dir is not None:
        for number, img in enumerate(soup.find_all("img", src=re.compile(r"^data:image/")), start=1):
            m = re.match(r"data:image/([\w+.-]+);base64,(.*)", img["src"], re.DOTALL)
            if m is None:
                continue
            figure = img.find_parent("figure")
            stem = figure.get("id") if figure is not None and figure.get("id") else f"image-{number}"
            name = f"{stem}.{'svg' if m.group(1).startswith('svg') else m.group(1)}"
            (Path(media_dir) / name).write_bytes(base64.b64decode(m.group(2)))
            img["src"] = name
    return str(soup)


def contents_block(soup):
    """The contents and the list of figures as paragraphs for Word, in the edition's language:
    the headings of the HTML's own contents list (nav.toc: its title, each entry and, under
    its own heading, the figures), or, without one, every h2 and h3 of the page. Each entry
    links to its heading or figure (pandoc turns the ids into bookmarks). None when the page
    has no heading."""
    nav = soup.select_one("nav.toc")
    title = nav.find(["h2", "h3"]) if nav is not None else None
    figure_title = nav.select_one("#list-of-figures") if nav is not None else None
    entries: list[tuple[str, str, str]] = []  # (style, href, text)
    if nav is not None:
        for a in nav.select("a[href^='#']"):
            style = FIGURE_ENTRY if a.find_parent("ol", class_="figure-list") else TOC_ENTRY.format(level=1)
            entries.append((style, a["href"], _entry_text(a)))
    else:
        for number, h in enumerate(soup.find_all(["h2", "h3"]), start=1):
            if not h.get("id"):
                h["id"] = f"heading-{number}"
            entries.append((TOC_ENTRY.format(level=int(h.name[1]) - 1), f"#{h['id']}", h.get_text(" ", strip=True)))
        for figure in soup.select("figure.figure[id]"):
            caption = figure.find("figcaption")
            if caption is not None:  # its label and title, not the source lines printed under it
                caption = BeautifulSoup(str(caption), "html.parser")
                for sources in caption.select(".sources"):
                    sources.decompose()
                entries.append((FIGURE_ENTRY, f"#{figure['id']}", _entry_text(caption)))
    if not entries:
        return None
    block = soup.new_tag("div", attrs={"class": "word-contents"})

    def paragraph(style: str, text: str, href: str | None = None):
        div = soup.new_tag("div", attrs={"data-custom-style": style})
        p = soup.new_tag("p")
        if href:
            a = soup.new_tag("a", href=href)
            a.string = text
            p.append(a)
        else:
            p.string = text
        div.append(p)
        block.append(div)


    language = "en" if (soup.html is not None and str(soup.html.get("lang", "")).startswith("en")) else "zh"
    paragraph(TOC_HEADING, title.get_text(" ", strip=True) if title is not None else report_text("toc.title", language))
    figures_heading = False
    for style, href, entry in entries:
        if style == FIGURE_ENTRY and not figures_heading:
            paragraph(TOC_HEADING, figure_title.get_text(" ", strip=True) if figure_title is not None
                      else report_text("toc.figures", language))
            figures_heading = True
        paragraph(style, entry, href)
    return block


def _entry_text(tag) -> str:
    """An entry's words: its label and title, without the page number a print stylesheet adds."""
    return re.sub(r"\s+", " ", tag.get_text(" ", strip=True)).strip()


def reference_docx(language: str, path: Path) -> Path:
    """pandoc's default reference document with the East Asian font and the language declared."""
    pypandoc.convert_text("", "docx", format="markdown", outputfile=str(path))  # pandoc's defaults
    doc = Document(str(path))
    styles = doc.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    fonts.set(qn("w:eastAsia"), EAST_ASIAN_FONT)
    fonts.attrib.pop(qn("w:eastAsiaTheme"), None)  # a theme font would take precedence over the name
    fonts.set(qn("w:hint"), "eastAsia")
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), WORD_LANG[language])
    lang.set(qn("w:eastAsia"), "zh-CN")
    for style in doc.styles:  # styles that name their own fonts: the East Asian one too
        element = style.element.find(qn("w:rPr"))
        own = element.find(qn("w:rFonts")) if element is not None else None
        if own is not None:
            own.set(qn("w:eastAsia"), EAST_ASIAN_FONT)
            own.attrib.pop(qn("w:eastAsiaTheme"), None)
    for section in doc.sections:  # A4, the PDF's page and margins (print.css)
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin, section.bottom_margin = Mm(18), Mm(20)
        section.left_margin = section.right_margin = Mm(16)
        page_number_footer(section)
    declare_fonts(doc)
    doc.save(str(path))
    return path


def page_number_footer(section) -> None:
    """The page number, centred in the footer: a PAGE field (Word fills it in as it lays out)."""

    footer = section.footer
    footer.is_linked_to_previous = False
    paragraph = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    shown = OxmlElement("w:t")
    shown.text = "1"  # what a reader that does not compute fields shows
    run.append(shown)
    field.append(run)
    paragraph._p.append(field)


def declare_fonts(doc) -> None:
    """The font table (word/fontTable.xml): the bundled East Asian font with its alternate and the
    GB2312 character set, then each fallback, so Word finds a Chinese font wherever it opens."""

    part = doc.part.part_related_by(RT.FONT_TABLE)
    table = parse_xml(part.blob)
    for font in table.findall(qn("w:font")):
        if font.get(qn("w:name")) in (EAST_ASIAN_FONT, *EAST_ASIAN_FALLBACKS):
            table.remove(font)
    ns = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    alternate = f'<w:altName w:val="{EAST_ASIAN_FALLBACKS[0]}"/>'
    for name in (EAST_ASIAN_FONT, *EAST_ASIAN_FALLBACKS):
        table.append(parse_xml(f'<w:font {ns} w:name="{name}">{alternate if name == EAST_ASIAN_FONT else ""}'
                               '<w:charset w:val="86"/><w:family w:val="swiss"/><w:pitch w:val="variable"/></w:font>'))

    part._blob = etree.tostring(table, xml_declaration=True, encoding="UTF-8", standalone=True)


def write(html: str, path: Path, language: str, meta: dict) -> Path:
    """Write report.docx (atomically) from the edition's report.html."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        reference = reference_docx(language, Path(tmp) / "reference.docx")
        out = Path(tmp) / "report.docx"
        media = Path(tmp) / "media"
        media.mkdir()
        args = [f"--reference-doc={reference}", "--shift-heading-level-by=-1", f"--resource-path={media}",
                f"--metadata=title:{meta['title']}",
                f"--metadata=date:{meta['created']}"]
        args += [f"--metadata=author:{a}" for a in meta.get("authors", [])]
        if meta.get("subtitle"):
            args.append(f"--metadata=subtitle:{meta['subtitle']}")
        if meta.get("description"):
            args.append(f"--metadata=subject:{meta['description']}")
        if meta.get("keywords"):
            args.append(f"--metadata=keywords:{meta['keywords']}")
        pypandoc.convert_text(simplify(html, media, path.parent), "docx", format="html", outputfile=str(out), extra_args=args)
        tmp_target = path.with_suffix(".docx.tmp")
        tmp_target.write_bytes(out.read_bytes())
        tmp_target.replace(path)
    return path
