"""What runs: one Task per notebook execution, built the same way for a build
(one task per section) and for a sweep (one task per variant)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path

from .. import sections
from . import cache


@dataclass(frozen=True)
class Task:
    section: str
    label: str  # what the progress display shows: the section, or section[variant]
    notebook: str
    parameters: dict  # the section's parameters (never `language`: a build option)
    language: str  # injected next to output_dir; part of the cache key
    out_dir: str  # where outputs are published
    cache_root: str
    key: str  # content hash (see cache.task_key)
    timeout: int = 600
    use_cache: bool = True  # False: --force
    variant: str = ""  # a sweep's variant id ("" in a build)
    runtime_dir: str = ""  # private place for the kernel's connection file and sockets (removed by the runner)
    validated_data: str = ""  # the signed snapshot of the validated official table (validation.py); "": none
    draw_figures: bool = True  # injected like language (False: sweep variants); part of the cache key


@dataclass
class Outcome:
    label: str
    section: str
    status: str  # done | cached | failed
    seconds: float
    out_dir: str
    error: dict = field(default_factory=dict)
    failed_notebook: str = ""
    variant: str = ""
    staging: str = ""  # a finished run waiting there to be published by the main process

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Planned:
    """One execution to plan: a section, its parameters, where its outputs go."""
    section: str
    parameters: dict
    out_dir: Path
    variant: str = ""


def section_parameters(model) -> dict:
    """A validated parameter model as the notebook receives it. `language` is a
    build option (--lang), injected separately: dropped here while a model still has it."""
    values = model.model_dump(mode="json")
    values.pop("language", None)
    return values


def build_tasks(planned: list[Planned], *, language: str, cache_root: Path, timeout: int,
                forced: set[str] | bool = frozenset(), runtime_dir: str = "", validated_data: str = "",
                draw_figures: bool = True) -> list[Task]:
    """Tasks for planned executions; forced: True (all) or the section names to re-execute;
    draw_figures False for sweep variants (results only)."""
    env_hash = cache.environment_hash()
    code_hashes: dict[str, str] = {}
    tasks = []
    for p in planned:
        section = sections.get(p.section)
        if p.section not in code_hashes:  # a sweep's variants share their section's
            code_hashes[p.section] = cache.section_code_hash(section)
        options = {"language": language, "draw_figures": draw_figures}
        key = cache.task_key(section.notebook, {**p.parameters, **options}, section.data_files(),
                             code_hashes[p.section], env_hash)
        use_cache = not (forced is True or (forced is not False and p.section in forced))
        tasks.append(Task(section=p.section, label=f"{p.section}[{p.variant}]" if p.variant else p.section,
                          notebook=str(section.notebook), parameters=dict(p.parameters), language=language,
                          out_dir=str(p.out_dir), cache_root=str(cache_root), key=key, timeout=timeout,
                          use_cache=use_cache, variant=p.variant, runtime_dir=runtime_dir,
                          validated_data=str(validated_data), draw_figures=draw_figures))
    return tasks


def cache_hits(tasks: list[Task]) -> dict[int, Path]:
    """The cache entries (by task index) that can serve these tasks."""
    hits = {}
    for i, t in enumerate(tasks):
        entry = cache.lookup(Path(t.cache_root), t.section, t.key) if t.use_cache else None
        if entry is not None:
            hits[i] = entry
    return hits
