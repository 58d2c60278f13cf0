"""Preparing the report while sections still execute.

While kernels run, the main process only waits; the report's slow part —
rendering each executed notebook to HTML and laying out its PDF pages — is
CPU-bound Python that needs only that one section. So each section, once it is
in build/ (executed, served from the cache, or left from an earlier build), is
handed to a ReportBuilder on one background thread; after the last section only
the front matter, the appendices and the writing remain.

Anything that goes wrong here is not reported from the thread: builder()
returns None and the caller builds the report from scratch, where the same
error surfaces with its usual message.
"""

from __future__ import annotations

import os
import shutil
import uuid
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

from . import signals
from .collect import atomic_write


class BackgroundReport:
    def __init__(self, out_dir: Path, run: dict, *, include_code: bool, write_pdf: bool, language: str,
                 write_docx: bool = False, reader_pdf: bool = True):
        self.out_dir = Path(out_dir)
        self.run = run  # the run record as known before execution (assumptions changed from defaults)
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="report")
        # the edition is this run's --lang, never read from a run.json an earlier build left behind
        self._builder: Future = self._thread.submit(self._new_builder, include_code, write_pdf, language,
                                                    write_docx)
        self._added: list[Future] = [self._thread.submit(self._warm_reader, reader_pdf)]

    def _new_builder(self, include_code: bool, write_pdf: bool, language: str, write_docx: bool):
        """The audit's builder (write_pdf, write_docx: the audit's PDF and Word, on request)."""
        from ..report.assemble import ReportBuilder  # imports nbconvert, weasyprint: here, not in the main thread

        return ReportBuilder(self.out_dir, include_code=include_code, write_pdf=write_pdf, write_docx=write_docx,
                             language=language)

    @staticmethod
    def _warm_reader(write_pdf: bool) -> None:
        """The reader's edition is written after the last section; what it needs whatever they
        compute (its font, its ledger, weasyprint) is made ready now."""
        from ..report import reader

        reader.warm_up(write_pdf)

    def section_ready(self, name: str, run_entry: dict) -> None:
        """`name` is in build/ (or known to be absent); run_entry is its record in run.json."""
        self._added.append(self._thread.submit(self._add, name, dict(run_entry)))

    def _add(self, name: str, run_entry: dict) -> None:
        from ..report import inputs

        builder = self._builder.result()
        builder.add_section(inputs.load_section(self.out_dir, name, run_entry), self.run)

    def builder(self):
        """The builder with every section handed over so far, or None if any step failed."""
        self._thread.shutdown(wait=True)
        if any(f.exception() is not None for f in [self._builder, *self._added]):
            return None
        return self._builder.result()

    def cancel(self) -> None:
        """Drop queued work (what is running finishes: a thread cannot be stopped)."""
        self._thread.shutdown(wait=False, cancel_futures=True)


REPORT_MARKER = "report.inputs.sha256"  # the digest of the inputs the report files were built from


def report_files(out_dir: Path) -> list[Path]:
    """What assembling the report writes (besides its inputs marker)."""
    return [p for p in [out_dir / "report.html", out_dir / "report.pdf", out_dir / "report.docx",
                        out_dir / "report.pdf.STALE", out_dir / "audit.html", out_dir / "audit.pdf",
                        out_dir / "audit.docx", out_dir / "audit.pages.json",
                        *sorted((out_dir / "sections").glob("*.html"))] if p.is_file()]


def _leftovers(out_dir: Path) -> list[Path]:
    """Temporary files an interrupted or failed assembly may leave."""
    return [*out_dir.glob("*.tmp"), *(out_dir / "sections").glob("*.tmp")]


@contextmanager
def all_or_nothing(out_dir: Path):
    """The report files are replaced together or not at all: if assembly stops
    half-way (an interrupt, a full disk, a bug), the previous files are put
    back (an HTML of this build beside the PDF of the last one would mix two
    builds) and no temporary file stays behind."""
    backup = out_dir / ".staging" / f"report-{uuid.uuid4().hex[:8]}"
    kept = report_files(out_dir)
    try:
        # hard links: instant, and no space needed; they keep the old files because
        # the assembler replaces a file by renaming a new one over it, never writes in place
        for path in kept:
            target = backup / path.relative_to(out_dir)
            target.parent.mkdir(parents=True, exist_ok=True)
            os.link(path, target)
        yield
    except BaseException:
        with signals.deferred(reraise=False):
            for path in _leftovers(out_dir):
                path.unlink(missing_ok=True)
            for path in report_files(out_dir):
                if path not in kept:
                    path.unlink(missing_ok=True)
            for path in kept:
                os.replace(backup / path.relative_to(out_dir), path)
        raise
    finally:
        shutil.rmtree(backup, ignore_errors=True)


def write_report(out_dir: Path, args, background: BackgroundReport | None = None, shown_as: Path | None = None
                 ) -> dict | None:
    """The reader's edition (report.html, .pdf, .docx) and the audit (audit.html, sections/*.html;
    audit.pdf, audit.docx on request), unless their inputs are unchanged (printed as under
    `shown_as`: the familiar path of a generation being built). Returns the seconds spent on
    each output (the build summary's breakdown: progress.report_time_text), None if unchanged."""
    from ..report.digest import report_inputs_digest

    audit_pdf, audit_docx = getattr(args, "audit_pdf", False), getattr(args, "audit_docx", False)
    digest = report_inputs_digest(out_dir, args.include_code, args.include_sweeps, write_pdf=not args.no_pdf,
                                  language=args.lang) + f" audit_pdf={audit_pdf} audit_docx={audit_docx}"
    marker = out_dir / REPORT_MARKER
    outputs = [out_dir / "report.html", out_dir / "report.docx", out_dir / "audit.html"] + \
        ([] if args.no_pdf else [out_dir / "report.pdf"]) + ([out_dir / "audit.pdf"] if audit_pdf else []) + \
        ([out_dir / "audit.docx"] if audit_docx else [])
    builder = background.builder() if background is not None else None  # waits for the background thread
    if marker.is_file() and marker.read_text() == digest and all(p.is_file() for p in outputs):
        print("report: unchanged (its inputs in build/ are the same)")
        return None
    marker.unlink(missing_ok=True)  # until the new report is complete
    with all_or_nothing(out_dir):
        if args.no_pdf:  # an earlier build's PDF no longer matches the HTML: kept, marked stale, said
            from ..report.assemble import handle_skipped_pdf

            message = handle_skipped_pdf(out_dir)
            if message:
                print(message)
        if builder is None:
            from ..report.assemble import ReportBuilder  # heavy (nbconvert, weasyprint): only when needed

            builder = ReportBuilder(out_dir, include_code=args.include_code, write_pdf=audit_pdf,
                                    write_docx=audit_docx, language=args.lang)
        from ..report import reader

        written = builder.finish(args.include_sweeps)
        reader_seconds: dict = {}
        written = reader.build(out_dir, args.lang, write_pdf=not args.no_pdf, seconds=reader_seconds) + written
        atomic_write(marker, digest)  # replaced, never written in place (generation.py links files)
    for path in written:
        print(f"report: {Path(shown_as) / Path(path).relative_to(out_dir) if shown_as else path}")
    return {"reader": reader_seconds, "audit": builder.seconds["after"], "audit ahead": builder.seconds["ahead"]}
