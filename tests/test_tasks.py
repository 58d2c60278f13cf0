"""Tasks, output directories and the language option (no notebook is executed here)."""

from __future__ import annotations

from pathlib import Path

from ecrights.params import resolve
from ecrights.run import build, cli
from ecrights.run.tasks import Planned, build_tasks, section_parameters


def _args(*argv):
    return cli.build_parser().parse_args(list(argv))


def _tasks(tmp_path, language, **parameters):
    params = {**section_parameters(resolve(["ai_anticounterfeit"])["ai_anticounterfeit"]), **parameters}
    return build_tasks([Planned("ai_anticounterfeit", params, tmp_path)], language=language,
                       cache_root=tmp_path / "cache", timeout=60)


def test_language_is_a_build_option_not_a_section_parameter(tmp_path):
    zh, = _tasks(tmp_path, "zh")
    en, = _tasks(tmp_path, "en")
    assert "language" not in zh.parameters and zh.parameters == en.parameters
    assert (zh.language, en.language) == ("zh", "en")
    assert zh.key != en.key  # outputs differ by language: so does the cache key
    assert _tasks(tmp_path, "zh")[0].key == zh.key
    assert _tasks(tmp_path, "zh", weight_grid_points=51)[0].key != zh.key


def test_default_output_directory_per_edition(tmp_project):
    root = (tmp_project / "build").resolve()
    assert build.output_dir(_args()) == root
    assert build.output_dir(_args("--lang", "en")) == root / "en"
    # an explicit --output-dir wins over the edition's default (inside build/: outputs never land on sources)
    assert build.output_dir(_args("--lang", "en", "--output-dir", str(tmp_project / "build" / "x"))) == \
        (tmp_project / "build" / "x").resolve()


def test_one_cache_per_checkout_for_every_output_directory(tmp_project, tmp_path):
    root = (tmp_project / "build").resolve()
    assert build.cache_root(root) == root / "cache"
    assert build.cache_root(root / "en") == root / "cache"
    assert build.cache_root(root / "scenarios" / "x") == root / "cache"
    assert build.cache_root(Path(tmp_path / "elsewhere").resolve()) == root / "cache"  # e.g. /tmp/variant


def test_forced_sections(tmp_path):
    params = section_parameters(resolve(["ai_anticounterfeit"])["ai_anticounterfeit"])
    planned = [Planned("ai_anticounterfeit", params, tmp_path)]
    kwargs = dict(language="zh", cache_root=tmp_path / "cache", timeout=60)
    assert build_tasks(planned, **kwargs)[0].use_cache
    assert not build_tasks(planned, forced=True, **kwargs)[0].use_cache
    assert not build_tasks(planned, forced={"ai_anticounterfeit"}, **kwargs)[0].use_cache
    assert build_tasks(planned, forced={"retail_growth"}, **kwargs)[0].use_cache


def test_a_change_asked_for_in_a_failed_section_is_recorded_as_not_applied(tmp_path, monkeypatch):
    """build/ keeps a failed section's last good outputs: run.json must not say the new value was
    used for it (the report's banner reads run.json), but that it was asked for and not applied; the
    section's entry keeps the parameters its outputs were computed with."""
    import argparse
    import json

    from ecrights.params import resolve
    from ecrights.run import collect
    from ecrights.run.tasks import Outcome

    args = argparse.Namespace(lang="zh", params=None, overrides=["retail_growth.period_start=2019-03",
                                                                 "index_trend.flat_tolerance_points=0.5"])
    default = resolve(["retail_growth", "index_trend"])
    collect.write_run_record(tmp_path, default, [Outcome("retail_growth", "retail_growth", "done", 1.0, ""),
                                                 Outcome("index_trend", "index_trend", "done", 1.0, "")], args)
    good = json.loads((tmp_path / "run.json").read_text(encoding="utf-8"))["sections"]["retail_growth"]["parameters"]
    changed = resolve(["retail_growth", "index_trend"], overrides=args.overrides)
    outcomes = [Outcome("retail_growth", "retail_growth", "failed", 1.0, ""),
                Outcome("index_trend", "index_trend", "done", 1.0, "")]
    record = collect.run_record(tmp_path, changed, outcomes, args)
    assert record["changes_not_applied"] == {"retail_growth": {"period_start": {"default": "report",
                                                                                "requested": "2019-03"}}}
    assert record["changed_from_defaults"] == {"index_trend": {"flat_tolerance_points": {"default": 1.0,
                                                                                         "used": 0.5}}}
    entry = record["sections"]["retail_growth"]
    assert entry["status"] == "failed" and entry["parameters"] == good
    assert entry["requested_parameters"]["period_start"] == "2019-03"
