"""The report: build/ → report.html, report.pdf, sections/<section>.html (see assemble.build_report).

inputs.py reads build/ only; scorecard.py counts claims.csv; cells.py turns an executed
notebook into an HTML fragment; pdf.py is weasyprint with the local CJK font;
templates/ and style.css/print.css hold the layout.
"""
