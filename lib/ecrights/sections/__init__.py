"""The registry of sections, in the report's order (see registry.py)."""

from __future__ import annotations

from importlib import import_module

from .registry import Section

SECTION_ORDER = ("retail_growth", "promotion_effects", "index_trend", "industry_breakdown", "ai_anticounterfeit")

SECTIONS: dict[str, Section] = {name: import_module(f".{name}", __name__).SECTION for name in SECTION_ORDER}


def get(name: str) -> Section:
    if name not in SECTIONS:
        raise KeyError(f"unknown section {name!r}; expected one of {list(SECTIONS)}")
    return SECTIONS[name]


def names() -> list[str]:
    return list(SECTIONS)


def claim_prefixes() -> dict[str, str]:
    """claim-id prefix -> section name (the ledger's schema derives from this)."""
    return {s.claim_prefix: s.name for s in SECTIONS.values()}


__all__ = ["Section", "SECTIONS", "SECTION_ORDER", "get", "names", "claim_prefixes"]
