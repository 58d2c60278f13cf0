"""data/README.md's coverage table is generated from the data and kept current."""

import pandas as pd
import pytest

from ecrights import coverage


def test_readme_coverage_table_is_current():
    assert coverage.main(["--check"]) == 0, "run: .venv/bin/python -m ecrights.coverage"


def test_coverage_markdown_lists_values_and_gaps_separately():
    official = pd.DataFrame({
        "indicator": ["online_retail_total"] * 3,
        "period_start": pd.PeriodIndex(["2019-01", "2019-01", "2019-01"], freq="M"),
        "period_end": pd.PeriodIndex(["2019-02", "2019-06", "2019-07"], freq="M"),
        "value": [1.0, 2.0, float("nan")],
    })
    table = coverage.coverage_markdown(official, range(2019, 2020))
    assert "| 2019 | `online_retail_total` | 1-2, 1-6 | 1-7 |" in table
    assert "| 2019 | `express_volume` | — | — |" in table


def test_readme_without_markers_is_an_error():
    with pytest.raises(ValueError, match="markers"):
        coverage.updated_readme("no markers here", "table")
