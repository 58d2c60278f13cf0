"""Which language a notebook reads in when opened in JupyterLab.

Every narrative cell exists twice (tagged `lang-zh` and `lang-en`); the report
keeps one of each pair per edition, but JupyterLab shows both. Cells of the
other language are collapsed with the standard `jupyter.source_hidden` cell
metadata, which JupyterLab and Notebook 7 honour without an extension (a
collapsed cell is one thin bar; a click opens it). Nothing else changes: the
notebook stays one source for both editions, the runner ignores the metadata
and the cache key covers code cells only.

    python -m ecrights.lab_language en      # notebooks/ read in English
    python -m ecrights.lab_language zh      # back to Chinese, as stored in git
"""

from __future__ import annotations

import json
import sys

from . import paths
from .i18n import LANGUAGES

LANG_TAGS = {"lang-zh": "zh", "lang-en": "en"}
STORED = "zh"  # the language notebooks are committed in (tests/test_cell_tags.py checks)


def cell_language(cell: dict) -> str | None:
    found = {LANG_TAGS[t] for t in cell.get("metadata", {}).get("tags", []) if t in LANG_TAGS}
    return found.pop() if len(found) == 1 else None


def set_language(nb: dict, language: str) -> bool:
    """Collapse the cells of the other language and open those of `language`; True if anything changed."""
    changed = False
    for cell in nb.get("cells", []):
        own = cell_language(cell)
        if own is None:
            continue
        meta = cell.setdefault("metadata", {})
        jupyter = meta.get("jupyter", {})
        hidden = own != language
        if bool(jupyter.get("source_hidden")) != hidden:
            changed = True
            if hidden:
                meta["jupyter"] = {**jupyter, "source_hidden": True}
            else:
                jupyter.pop("source_hidden", None)
                if jupyter:
                    meta["jupyter"] = jupyter
                else:
                    meta.pop("jupyter", None)
    return changed


def reads_in(nb: dict) -> str | None:
    """The one language a notebook shows open, or None when both or neither are."""
    shown = {cell_language(c) for c in nb.get("cells", [])
             if cell_language(c) and not c.get("metadata", {}).get("jupyter", {}).get("source_hidden")}
    return shown.pop() if len(shown) == 1 else None


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1 or args[0] not in LANGUAGES:
        print("usage: python -m ecrights.lab_language zh|en", file=sys.stderr)
        return 2
    for path in sorted(paths.notebooks_dir().glob("*.ipynb")):
        nb = json.loads(path.read_text(encoding="utf-8"))
        if set_language(nb, args[0]):
            path.write_text(json.dumps(nb, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
            print(f"{path.name}: reads in {args[0]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
