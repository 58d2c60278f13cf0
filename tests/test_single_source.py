"""One source of truth: the report's numbers live in data/ and reach the code only
as arguments. No value of the ledger is typed in lib/, notebooks/ or params/, and a
change of the ledger reaches results, captions and explanations."""

from __future__ import annotations

import csv
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import PROJECT_ROOT, copy_project
from ecrights import i18n, sections
from ecrights.data import load_claims, write_manifest
from ecrights.params import models

SEARCHED = ([*sorted((PROJECT_ROOT / "lib").rglob("*.py")), *sorted((PROJECT_ROOT / "lib").rglob("*.yaml")),
             *sorted((PROJECT_ROOT / "notebooks").glob("*.ipynb")), *sorted((PROJECT_ROOT / "params").rglob("*.yaml"))])


def _text(path: Path) -> str:
    if path.suffix == ".ipynb":  # the cells' sources, not ids or metadata
        nb = json.loads(path.read_text(encoding="utf-8"))
        return "\n".join("".join(c["source"]) for c in nb["cells"])
    return path.read_text(encoding="utf-8")


def _significant_digits(text: str) -> int:
    return len(text.replace(".", "").replace("-", "").lstrip("0").rstrip("0" if "." not in text else ""))


def _distinctive(value_text: str) -> bool:
    """A printed value that cannot turn up by coincidence (a figure size, a
    digest length): three significant digits or more, not a round number."""
    return _significant_digits(value_text) >= 3


def _occurrences(pattern: re.Pattern) -> list[str]:
    hits = []
    for path in SEARCHED:
        for n, line in enumerate(_text(path).splitlines(), start=1):
            if pattern.search(line):
                hits.append(f"{path.relative_to(PROJECT_ROOT)}:{n}: {line.strip()[:100]}")
    return hits


def test_no_distinctive_report_value_is_typed_in_the_code():
    ledger = load_claims()
    values = sorted({v for v in ledger["value_text"] if _distinctive(v)})
    assert len(values) > 20  # the test looks at something
    found = {}
    for value in values:
        pattern = re.compile(r"(?<![\w.])" + re.escape(value) + r"(?![\w])(?!\.\d)")
        hits = _occurrences(pattern)
        if hits:
            found[value] = hits
    assert not found, f"report values typed in the code (read them from data/ instead): {found}"


def test_no_signed_index_statement_is_typed_in_the_code():
    """The index statements are short (two digits): look for their signed forms."""
    from ecrights.index_composition import STATEMENT_CLAIMS, IndexStatements

    s = IndexStatements.from_ledger(load_claims())
    found = {}
    for role in STATEMENT_CLAIMS:
        value = getattr(s, role)
        text = s.texts[role]
        forms = [text] if role == "mean_2019" else [f"-{text}", f"−{text}", f"+{text}"] if value < 0 else [f"+{text}"]
        for form in forms:
            pattern = re.compile(r"(?<![\w.])" + re.escape(form) + r"(?![\w])(?!\.\d)")
            hits = _occurrences(pattern)
            if hits:
                found[form] = hits
    assert not found, f"index statements typed in the code: {found}"


# --------------------------------------------------------------------------
# templates: both languages, same facts
# --------------------------------------------------------------------------

TEXT_FILES = [i18n.SHARED_TEXTS] + sorted((PROJECT_ROOT / "lib" / "ecrights" / "sections").glob("*/texts.yaml"))


@pytest.mark.parametrize("path", TEXT_FILES, ids=lambda p: p.parent.name if p.name == "texts.yaml" else p.name)
def test_every_template_has_both_languages_with_the_same_facts(path):
    texts = i18n.load_texts(path)
    assert texts
    for key, pair in texts.items():
        assert pair["zh"] and pair["en"], key
        zh, en = i18n.placeholders(pair["zh"]), i18n.placeholders(pair["en"])
        # a language-specific fact (holds_zh / holds_en) has its twin in the other text
        norm = lambda names: {re.sub(r"_(zh|en)$", "", n) for n in names}  # noqa: E731
        assert norm(zh) == norm(en), f"{path}: {key}: zh uses {sorted(zh)}, en uses {sorted(en)}"


def test_the_chinese_edition_explains_in_chinese(tmp_path):
    """Every explanation rendered for a default build is in the edition's language."""
    cjk = re.compile(r"[\u4e00-\u9fff]")
    for path in TEXT_FILES:
        for key, pair in i18n.load_texts(path).items():
            assert cjk.search(pair["zh"]), f"{path}: {key}: the zh text has no Chinese"


# --------------------------------------------------------------------------
# a section describes itself once
# --------------------------------------------------------------------------

def test_the_ledger_schema_derives_from_the_registry():
    prefixes = sections.claim_prefixes()
    assert set(prefixes.values()) == set(sections.names())
    ledger = load_claims()
    for claim_id, row in ledger.iterrows():
        assert prefixes[claim_id.split("_", 1)[0]] == row["section"]


@pytest.mark.parametrize("name", sections.names())
def test_a_section_is_one_package(name):
    package = PROJECT_ROOT / "lib" / "ecrights" / "sections" / name
    for part in ("__init__.py", "params.py", "analysis.py", "figures.py", "texts.yaml"):
        assert (package / part).is_file(), f"{name}: {part} missing in {package}"
    assert models()[name].__module__ == f"ecrights.sections.{name}.params"


def test_analysis_modules_import_no_other_section():
    for name in sections.names():
        source = (PROJECT_ROOT / "lib" / "ecrights" / "sections" / name / "analysis.py").read_text(encoding="utf-8")
        imports = "\n".join(line for line in source.splitlines() if re.match(r"\s*(from|import)\s", line))
        others = [o for o in sections.names() if o != name and re.search(rf"\b{o}\b", imports)]
        assert not others, f"{name}/analysis.py imports {others}: share through lib/, not across sections"
        assert "..run" not in source and "..report" not in source and "open(" not in source


# --------------------------------------------------------------------------
# a change of the ledger reaches results, captions and explanations
# --------------------------------------------------------------------------

def _edit_claim(path: Path, claim_id: str, value: str, quote_old: str, quote_new: str) -> None:
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
        fields = list(rows[0])
    for row in rows:
        if row["claim_id"] == claim_id:
            assert quote_old in row["quote"]
            row["value"], row["quote"] = value, row["quote"].replace(quote_old, quote_new)
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


@pytest.mark.integration
def test_a_ledger_change_reaches_results_captions_and_explanations(tmp_path):
    root = copy_project(tmp_path / "project")
    ledger = load_claims()
    old = ledger.loc["it_fake_perception_change_2019"]
    new_value = str(int(old["value"]) - 1)
    claims_csv = root / "data" / "published" / "claims.csv"
    _edit_claim(claims_csv, "it_fake_perception_change_2019", new_value, f"下降了{old['value_text']}个点",
                f"下降了{new_value}个点")
    write_manifest(root / "data")
    out = tmp_path / "build"
    env = {**os.environ, "ECRIGHTS_ROOT": str(root)}
    run = subprocess.run([sys.executable, str(PROJECT_ROOT / "run_all.py"), "--sections", "index_trend",
                          "ai_anticounterfeit", "--no-report", "--output-dir", str(out), "--jobs", "2"],
                         env=env, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]

    total = -float(ledger.loc["it_index_change_2019_vs_2018", "value"])
    dispute = float(ledger.loc["it_total_dispute_rate_subindex_change_2019", "value"])
    counterfeit = -float(new_value)
    expected_w_d = (total - counterfeit) / (dispute - counterfeit)
    index = json.loads((out / "results" / "index_trend.json").read_text(encoding="utf-8"))
    assert index["results"]["two_component_weight_dispute"]["value"] == pytest.approx(expected_w_d)
    ai = json.loads((out / "results" / "ai_anticounterfeit.json").read_text(encoding="utf-8"))
    caption = next(f["caption"] for f in ai["figures"] if f["file"].endswith("main_reason.svg"))
    assert f"{counterfeit:+g}" in caption
    note = next(c for c in ai["claims"] if c["claim_id"] == "ai_counterfeit_main_reason_2019")
    contribution = (1 - expected_w_d) * counterfeit
    assert f"{contribution:+.1f}" in note["explanations"]["en"]["note"]
    assert f"{contribution:+.1f}" in note["explanations"]["zh"]["note"]
