"""lib/ecrights/results.py: what a notebook records, written where the runner expects it."""

from __future__ import annotations

import json

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from ecrights import results  # noqa: E402
from ecrights.claims import REPRODUCED, UNCHECKED  # noqa: E402


def test_plain_is_json_safe_and_deterministic():
    value = results._plain({
        "a": np.float64(45.615428186412345), "b": np.int64(3), "c": float("nan"), "d": float("inf"),
        "e": [pd.Period("2019-02", "M"), (1.0, np.float32(0.5))], 7: "key becomes text",
    })
    assert value == {"a": 45.61542819, "b": 3, "c": None, "d": None, "e": ["2019-02", [1.0, 0.5]],
                     "7": "key becomes text"}
    assert type(value["b"]) is int
    json.dumps(value, allow_nan=False)


def test_output_dir_default_is_interactive(tmp_path, monkeypatch):
    monkeypatch.setenv("ECRIGHTS_ROOT", str(tmp_path))
    assert results.resolve_output_dir(None) == tmp_path / "build" / "interactive"
    assert results.resolve_output_dir(str(tmp_path / "x")) == (tmp_path / "x").resolve()


def test_record_round_trip(tmp_path, capsys):
    record = results.SectionRecord.open("retail_growth", {"language": "zh", "period_start": "2018-01"},
                                        str(tmp_path / "staging"))
    record.result("physical_online_contribution_pct", np.float64(45.61542818641), "contribution")
    record.result("months_missing_fig1", np.int64(3))
    record.assume("weight", 0.18, "two-component reading of the report")
    record.claims.check("rg_retail_total_2019_level", 411649.0, method="printed")
    fig, ax = plt.subplots()
    ax.plot([1, 2], [3, 4])
    path = record.figure("fig1_test", fig, caption="标题", sources=["data/official/nbs_retail_2019.csv"])
    plt.close(fig)
    assert path == tmp_path / "staging" / "figures" / "retail_growth-fig1_test.png"
    assert path.read_bytes()[:4] == b"\x89PNG"

    saved = record.save()
    assert saved == tmp_path / "staging" / "results" / "retail_growth.json"
    assert "retail_growth: results written to" in capsys.readouterr().out
    loaded = results.load_results(tmp_path / "staging", "retail_growth")
    assert loaded["schema_version"] == results.RESULTS_SCHEMA_VERSION
    assert loaded["results"]["physical_online_contribution_pct"]["value"] == pytest.approx(45.6154282)
    assert loaded["results"]["months_missing_fig1"]["value"] == 3
    # figure paths are relative to the output dir, so a finished run can be moved
    assert loaded["figures"] == [{"file": "figures/retail_growth-fig1_test.png", "caption": "标题",
                                  "sources": ["data/official/nbs_retail_2019.csv"]}]
    statuses = {c["claim_id"]: c["status"] for c in loaded["claims"]}
    assert statuses["rg_retail_total_2019_level"] == REPRODUCED
    assert set(statuses.values()) == {REPRODUCED, UNCHECKED}  # unchecked claims are listed, not dropped
    assert loaded["claim_counts"][REPRODUCED] == 1
    assert loaded["assumptions"] == [{"name": "weight", "value": 0.18,
                                      "justification": "two-component reading of the report"}]
    assert loaded["versions"]["pandas"] == pd.__version__
    assert not list((tmp_path / "staging" / "results").glob("*.tmp"))
    # deterministic: saving again gives the same bytes
    first = saved.read_bytes()
    record.save()
    assert saved.read_bytes() == first


def test_tables(tmp_path):
    record = results.SectionRecord.open("retail_growth", {"language": "zh", "promotion_months": [6, 11]},
                                        str(tmp_path))
    table = record.parameters_table()
    assert list(table["parameter"]) == ["language", "promotion_months"]
    assert list(table["value"]) == ["'zh'", "[6, 11]"]
    assert list(record.assumptions_table().columns) == ["name", "value", "justification"]
    assert record.assumptions_table().empty
