"""`run_all.py --compare DIR_A DIR_B`: what differs between two builds — the
parameters, the result values (both shown), the claims whose status changed —
printed, and written as compare.csv and compare.html (like DVC's
`params diff` / `metrics diff`). Reads only the two builds' results/ and
run.json; recomputes nothing."""

from __future__ import annotations

import csv
import html
import io
import json
from dataclasses import dataclass
from pathlib import Path

from .. import paths, sections
from ..csvsafe import neutralised
from ..errors import InputError
from ..i18n import LANGUAGES
from ..report import fonts
from ..report.texts import LANG_ATTR, text
from . import outdir
from .collect import atomic_write
from .progress import print_table
from .sweep_summary import resolved_parameters

COLUMNS = ["kind", "section", "key", "a", "b", "note"]
KINDS = ("build", "section", "parameter", "result", "claim status")


@dataclass
class Difference:
    kind: str  # one of KINDS
    section: str
    key: str
    a: str
    b: str
    note: str = ""

    def row(self) -> list[str]:
        return [self.kind, self.section, self.key, self.a, self.b, self.note]


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.10g}"
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _named(value, number) -> str:
    return f"{_text(value)} (= {number:.3g})" if isinstance(number, (int, float)) else _text(value)


def _read_build(directory: Path) -> tuple[dict, dict[str, dict]]:
    directory = Path(directory)
    results_dir = directory / "results"
    if not results_dir.is_dir():
        raise InputError(f"--compare: {directory} is not a build directory (no results/ in it)")
    run = {}
    if (directory / "run.json").is_file():
        try:
            run = json.loads((directory / "run.json").read_text(encoding="utf-8"))
        except ValueError as exc:
            raise InputError(f"--compare: {directory / 'run.json'} is not valid JSON: {exc}") from None
    results = {}
    for path in sorted(results_dir.glob("*.json")):
        try:
            results[path.stem] = json.loads(path.read_text(encoding="utf-8"))
        except ValueError as exc:
            raise InputError(f"--compare: {path} is not valid JSON: {exc}") from None
    return run, results


def _result_text(entry) -> str:
    if not isinstance(entry, dict):
        return _text(entry)
    text = "none" if entry.get("value") is None else _text(entry.get("value"))
    if entry.get("interval"):
        lo, hi = entry["interval"]
        text += f" [{_text(lo)}, {_text(hi)}]"
    if entry.get("unit"):
        text += f" {entry['unit']}"
    return text


def differences(dir_a: Path, dir_b: Path) -> list[Difference]:
    run_a, res_a = _read_build(dir_a)
    run_b, res_b = _read_build(dir_b)
    out: list[Difference] = []
    for key in ("language", "parameter_set", "overrides", "data_manifest_sha256", "commit"):
        if key in run_a or key in run_b:
            a, b = _text(run_a.get(key)), _text(run_b.get(key))
            if a != b:
                out.append(Difference("build", "", key, a, b))
    order = [s for s in sections.names() if s in res_a or s in res_b]
    order += sorted((set(res_a) | set(res_b)) - set(order))
    for name in order:
        a, b = res_a.get(name), res_b.get(name)
        if a is None or b is None:
            out.append(Difference("section", name, "", "built" if a else "absent", "built" if b else "absent",
                                  "only one build has this section"))
            continue
        pa, pb = a.get("parameters", {}), b.get("parameters", {})
        # a named default (two_component, report_december…) shown with the number it stood for
        na, nb = resolved_parameters(a), resolved_parameters(b)
        for key in sorted(set(pa) | set(pb)):
            if pa.get(key) != pb.get(key):
                out.append(Difference("parameter", name, key, _named(pa.get(key), na.get(key)),
                                      _named(pb.get(key), nb.get(key))))
        ra, rb = a.get("results", {}), b.get("results", {})
        for key in sorted(set(ra) | set(rb)):
            ea, eb = ra.get(key), rb.get(key)
            if ea is None or eb is None:
                out.append(Difference("result", name, key, _result_text(ea), _result_text(eb),
                                      "recorded by one build only"))
            elif {k: ea.get(k) for k in ("value", "interval", "n")} != {k: eb.get(k) for k in ("value", "interval", "n")}:
                va, vb = ea.get("value"), eb.get("value")
                note = ""
                if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (va, vb)):
                    note = f"b − a = {vb - va:+.6g}"
                out.append(Difference("result", name, key, _result_text(ea), _result_text(eb), note))
        ca = {c["claim_id"]: c for c in a.get("claims", [])}
        cb = {c["claim_id"]: c for c in b.get("claims", [])}
        for claim_id in [c for c in ca if c in cb] + [c for c in cb if c not in ca] + [c for c in ca if c not in cb]:
            x, y = ca.get(claim_id), cb.get(claim_id)
            if x is None or y is None or x.get("status") != y.get("status"):
                note = ""
                if x and y:
                    note = (f"reproduced {_text(x.get('reproduced_value'))} → {_text(y.get('reproduced_value'))}"
                            f" (reported {_text(y.get('reported_value'))})")
                out.append(Difference("claim status", name, claim_id, (x or {}).get("status", "absent"),
                                      (y or {}).get("status", "absent"), note))
    return out


def _html(dir_a: Path, dir_b: Path, diffs: list[Difference], language: str = "zh") -> str:
    """compare.html in the edition's language, with the report's font embedded (a subset: it reads
    the same without any CJK font on the machine) and its `lang` set; labels from the report's texts."""

    esc = html.escape
    t = lambda key, **kw: esc(text(f"compare.{key}", language, **kw))  # noqa: E731

    def status_word(status: str) -> str:  # a reader's word, not the ledger's code
        try:
            return text(f"status.{status}", language)
        except KeyError:
            return status
    parts = [
        "<!DOCTYPE html>", f'<html lang="{LANG_ATTR[language]}"><head><meta charset="utf-8">',
        f"<title>{t('title', a=dir_a.name, b=dir_b.name)}</title>",
        f"<style>{fonts.MARKER}\nbody{{font-family:\"{fonts.FONT_FAMILY}\",sans-serif;margin:2em;max-width:70em}}"
        "table{border-collapse:collapse;width:100%}"
        "th,td{border-bottom:1px solid #ddd;padding:.3em .6em;text-align:left;vertical-align:top}"
        "th{background:#f4f4f4}td.a{color:#a0522d}td.b{color:#2c7fb8}.muted{color:#777}</style></head><body>",
        f"<h1>{t('heading')}</h1>",
        f"<p>A: <code>{esc(str(dir_a))}</code><br>B: <code>{esc(str(dir_b))}</code></p>",
    ]
    if not diffs:
        parts.append(f"<p>{t('none')}</p>")
    for kind in KINDS:
        rows = [d for d in diffs if d.kind == kind]
        if not rows:
            continue
        parts.append(f"<h2>{t('kind.' + kind.replace(' ', '_'))} ({len(rows)})</h2><table><tr><th>{t('section')}</th>"
                     f"<th>{t('key')}</th><th>A</th><th>B</th><th>{t('note')}</th></tr>")
        for d in rows:
            a, b = (status_word(d.a), status_word(d.b)) if kind == "claim status" else (d.a, d.b)
            parts.append(f"<tr><td>{esc(d.section)}</td><td><code>{esc(d.key)}</code></td><td class=a>{esc(a)}</td>"
                         f"<td class=b>{esc(b)}</td><td class=muted>{esc(d.note)}</td></tr>")
        parts.append("</table>")
    parts.append("</body></html>\n")
    return fonts.embed(["\n".join(parts)])[0]


def default_output(dir_a: Path, dir_b: Path) -> Path:
    return paths.default_build_dir() / "compare" / f"{dir_a.name}-vs-{dir_b.name}"


def run_compare(dir_a: Path, dir_b: Path, output_dir: Path | None = None) -> int:
    dir_a, dir_b = Path(dir_a).resolve(), Path(dir_b).resolve()
    target = outdir.checked(output_dir if output_dir else default_output(dir_a, dir_b))
    diffs = differences(dir_a, dir_b)
    outdir.mark(target)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows(neutralised(d.row()) for d in diffs)
    csv_path = atomic_write(target / "compare.csv", buffer.getvalue())
    language = _read_build(dir_a)[0].get("language") or "zh"
    html_path = atomic_write(target / "compare.html", _html(dir_a, dir_b, diffs, language if language in LANGUAGES else "zh"))
    print(f"A: {dir_a}\nB: {dir_b}\n")
    if diffs:
        print_table(["kind", "section", "key", "A", "B", "note"],
                    [[x[:60] for x in d.row()] for d in diffs])
    else:
        print("no differences in parameters, results or claim statuses")
    counts = {k: sum(d.kind == k for d in diffs) for k in KINDS}
    print("\n" + ", ".join(f"{n} {k}" for k, n in counts.items() if n) if diffs else "")
    print(f"written: {csv_path}\n         {html_path}")
    return 0
