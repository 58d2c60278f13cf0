"""A variant pays only for what it changes (issue 23 item 1): sweep variants without
figures give the same results as a build with them; kernels started ahead are fresh and warm."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from conftest import copy_built, run_all, show
from ecrights import params


SWEPT = ["index_trend", "ai_anticounterfeit"]  # the section with the most figures, and a quick one


@pytest.mark.integration
def test_sweep_variants_without_figures_give_the_results_of_a_build_with_them(built, tmp_path):
    """A sweep variant at the default parameters draws no figures (its own cache key: it executes,
    in a kernel started ahead) and records what the session's build, which drew them, recorded."""
    root = copy_built(built, tmp_path / "project")
    default = params.load_yaml(params.default_params_file())["index_trend"]["proactive_share"]
    sweep = root / "params" / "sweeps" / "one.yaml"
    sweep.write_text(f"sections: [{', '.join(SWEPT)}]\ngrid:\n  index_trend.proactive_share: [{default}]\n"
                     "outputs: [index_trend.dispute_change_without_proactive]\n", encoding="utf-8")
    proc = run_all(["--sweep", str(sweep), "--jobs", "1"], root=root, timeout=600)
    assert proc.returncode == 0, show(proc)
    assert "1 variant(s), 0 failed, 0 from cache" in proc.stdout, show(proc)
    [variant] = [p for p in (root / "build" / "sweeps" / "one").iterdir() if p.is_dir()]
    for section in SWEPT:
        plain = json.loads((variant / "results" / f"{section}.json").read_text(encoding="utf-8"))
        drawn = json.loads((root / "build" / "results" / f"{section}.json").read_text(encoding="utf-8"))
        assert plain["parameters"] == drawn["parameters"]
        assert plain["results"] and plain["results"] == drawn["results"]
        assert plain["claims"] == drawn["claims"] and plain["assumptions"] == drawn["assumptions"]
        assert plain["figures"] == [] and drawn["figures"]
        # every variant leaves its executed notebook, run by papermill, in a kernel started ahead
        nb = json.loads((variant / "notebooks" / f"{section}.ipynb").read_text(encoding="utf-8"))
        counts = [c["execution_count"] for c in nb["cells"] if c["cell_type"] == "code"]
        assert counts == list(range(1, len(counts) + 1)), "the warm-up left a trace in the execution counts"
        assert "papermill" in nb["metadata"]
        assert "kernel started ahead" in (variant / "logs" / f"{section}.log").read_text(encoding="utf-8")
    assert not any((variant / "figures").iterdir())


@pytest.mark.integration
def test_kernels_started_ahead_are_fresh_warm_and_in_the_notebooks_directory(tmp_path):
    from jupyter_client import BlockingKernelClient

    from ecrights.run.kernels import KernelPool

    def run(km, code):
        kc = BlockingKernelClient(connection_file=km.connection_file)
        kc.load_connection_file()
        kc.start_channels()
        try:
            kc.wait_for_ready(timeout=60)
            out = []
            reply = kc.execute_interactive(code, timeout=60, store_history=False,
                                           output_hook=lambda m: out.append(m["content"].get("text", "")))
            assert reply["content"]["status"] == "ok", reply["content"]
            return "".join(out).split()
        finally:
            kc.stop_channels()

    pool = KernelPool(str(tmp_path / "runtime"))
    pool.ahead = True
    pool.warm_next()
    try:
        seen = []
        for name in ("a", "b", "c"):
            (tmp_path / name).mkdir()
            km = pool.take(str(tmp_path / name))
            assert km is not None
            pid, ppid, cwd, warm, leftover, backend, hashed = run(
                km, "import os, sys, matplotlib\nfrom ecrights import codehash, memo\n"
                    "print(os.getpid(), os.getppid(), os.getcwd(), "
                    "'pandas' in sys.modules and 'ecrights.results' in sys.modules, "
                    "'x' in globals(), matplotlib.get_backend(), "
                    "bool(memo.MEMOIZED_MODULES) and codehash.module_hash.cache_info().currsize "
                    ">= len(memo.MEMOIZED_MODULES))\nx = 1")
            # a forked kernel has the memoized modules' code hashes computed before the fork
            assert hashed == ("True" if name != "a" else "False")
            assert Path(cwd) == (tmp_path / name).resolve()
            assert warm == "True" and leftover == "False"
            assert backend == "module://matplotlib_inline.backend_inline"  # figures show in the notebook
            seen.append((pid, ppid))
            pool.release(km)
        assert len({pid for pid, _ in seen}) == 3  # a fresh kernel per notebook
        # the first launched by this process; the next ones forked from one preloaded process (forkkernel.py)
        assert seen[0][1] == str(os.getpid()) and seen[1][1] == seen[2][1] != str(os.getpid())
    finally:
        pool.close()
    assert not list((tmp_path / "runtime").iterdir())  # connection files and sockets removed


def test_only_this_pythons_ipykernel_is_forked_any_other_command_is_launched_as_usual():
    import sys

    from ecrights.run.forkkernel import ipykernel_arguments

    spec = [sys.executable, "-Xfrozen_modules=off", "-m", "ipykernel_launcher", "-f", "k.json", "--X=1"]
    assert ipykernel_arguments(spec) == ["-f", "k.json", "--X=1"]
    assert ipykernel_arguments([sys.executable, "-m", "ipykernel_launcher", "-f", "k.json"]) == ["-f", "k.json"]
    assert ipykernel_arguments(["/usr/bin/env", "-m", "ipykernel_launcher", "-f", "k.json"]) is None  # another program
    assert ipykernel_arguments([sys.executable, "-S", "-m", "ipykernel_launcher"]) is None  # an option that matters
    assert ipykernel_arguments([sys.executable, "-m", "other_kernel", "-f", "k.json"]) is None
    assert ipykernel_arguments(["R", "--slave"]) is None


def test_the_build_summary_breaks_the_report_time_down():
    from ecrights.run.progress import report_time_text

    text = report_time_text({"reader": {"HTML": 1.04, "PDF": 7.0, "Word": 1.1},
                             "audit": {"HTML": 3.2, "PDF": 0.0, "Word": 0.0},
                             "audit ahead": {"HTML": 1.5, "PDF": 0.0, "Word": 0.0}})
    assert text == ("report: reader's edition 9.1 s (HTML 1.0 s, PDF 7.0 s, Word 1.1 s); audit 3.2 s (HTML 3.2 s); "
                    "audit prepared while sections ran 1.5 s (HTML 1.5 s)")
    # every section from the cache: nothing prepared ahead, said by leaving it out
    assert report_time_text({"reader": {"HTML": 1.0, "Word": 1.0}, "audit": {"HTML": 3.0},
                             "audit ahead": {"HTML": 0.0}}) == \
        "report: reader's edition 2.0 s (HTML 1.0 s, Word 1.0 s); audit 3.0 s (HTML 3.0 s)"
