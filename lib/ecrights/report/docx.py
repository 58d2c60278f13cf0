"""report.html → report.docx through pandoc (from the pypandoc-binary wheel: no system pandoc),
for editors who revise in Word.

The HTML is simplified first: no CSS or embedded font, formulas as TeX (pandoc
writes them as Word equations), code unfolded, screen-only links and the HTML
contents list dropped (Word's own table of contents replaces it), the title
block given to pandoc as metadata. Headings, figures with their captions and
tables come through. The reference document declares the East Asian font
(Noto Sans CJK SC, falling back to Word's own) and the edition's language, so
Chinese is neither set in a Latin font nor spell-checked as English.
"""

from __future__ import annotations

import base64
import re
import tempfile
from pathlib import Path

import pypandoc
from bs4 import BeautifulSoup
from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm

EAST_ASIAN_FONT = "Noto Sans CJK SC"
WORD_LANG = {"zh": "zh-CN", "en": "en-US"}


def simplify(html: str, media_dir: Path | None = None) -> str:
    """The report's HTML as pandoc should read it. Embedded images are written to media_dir
    under short names (pandoc records an image's source in the Word file: a name, not a
    data URI of hundreds of kilobytes or a temporary path)."""
    soup = BeautifulSoup(html, "html.parser")
    if soup.html is not None:  # pandoc would look for caption translations it lacks for Chinese;
        soup.html.attrs.pop("lang", None)  # the language is declared in the reference document instead
    for tag in soup.find_all(["style", "script", "footer"]):
        tag.decompose()
    for tag in soup.select(".screen-only, nav.toc, header.front h1, header.front .subtitle, header.front .byline"):
        tag.decompose()
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
    for section in doc.sections:  # A4, the PDF's page and margins (print.css)
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin, section.bottom_margin = Mm(18), Mm(20)
        section.left_margin = section.right_margin = Mm(16)
    doc.save(str(path))
    return path


def write(html: str, path: Path, language: str, meta: dict) -> Path:
    """Write report.docx (atomically) from the edition's report.html."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        reference = reference_docx(language, Path(tmp) / "reference.docx")
        out = Path(tmp) / "report.docx"
        media = Path(tmp) / "media"
        media.mkdir()
        args = [f"--reference-doc={reference}", "--shift-heading-level-by=-1", "--toc", f"--resource-path={media}",
                f"--metadata=title:{meta['title']}",
                f"--metadata=date:{meta['created']}"]
        args += [f"--metadata=author:{a}" for a in meta.get("authors", [])]
        if meta.get("subtitle"):
            args.append(f"--metadata=subtitle:{meta['subtitle']}")
        if meta.get("description"):
            args.append(f"--metadata=subject:{meta['description']}")
        if meta.get("keywords"):
            args.append(f"--metadata=keywords:{meta['keywords']}")
        pypandoc.convert_text(simplify(html, media), "docx", format="html", outputfile=str(out), extra_args=args)
        tmp_target = path.with_suffix(".docx.tmp")
        tmp_target.write_bytes(out.read_bytes())
        tmp_target.replace(path)
    return path
