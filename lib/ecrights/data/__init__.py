"""data/: official statistics and what the report states, loaded and validated.

Modules by concern:
- vocabulary: indicators, measures, units, columns the files may use;
- load: reading CSV as text, schema checks (pandera), the official table and its
  validated snapshot for a run's kernels;
- manifest: data/MANIFEST.sha256;
- select: picking one official value (`official_row`), a series, their sources;
- published: the claims ledger and the other statements of data/published/.
"""

from __future__ import annotations

from ..errors import DataError, ManifestError
from .load import (Problem, load_official, official_snapshot_key, read_official_snapshot, read_text_csv,
                   write_official_snapshot)
from .manifest import MANIFEST_NAME, check_manifest, data_files, file_sha256, read_manifest, write_manifest
from .published import (load_alibaba_ip, load_claims, load_date_checks, load_date_statements, load_document_checks,
                        load_forecasts, load_index_statistics, load_industry_statements, load_method_statements,
                        load_report_figures)
from .select import OfficialValue, coverage, official_row, official_value, series, sources_of
from .vocabulary import INDICATORS, LEVEL_UNITS, MEASURES, OFFICIAL_COLUMNS

LOADERS = (load_claims, load_forecasts, load_index_statistics, load_alibaba_ip, load_industry_statements,
           load_report_figures, load_date_statements, load_date_checks, load_method_statements, load_document_checks)


def load_all() -> None:
    """Load (and so validate) every data file; raises DataError naming file, line, column."""
    load_official(validated_ok=False)
    for loader in LOADERS:
        loader()


__all__ = [
    "DataError", "ManifestError", "Problem", "load_official", "official_snapshot_key", "read_official_snapshot",
    "read_text_csv",
    "write_official_snapshot", "MANIFEST_NAME", "check_manifest", "data_files", "file_sha256", "read_manifest",
    "write_manifest", "load_alibaba_ip", "load_claims", "load_date_checks", "load_date_statements", "load_document_checks", "load_forecasts",
    "load_index_statistics", "load_industry_statements", "load_method_statements", "load_report_figures",
    "OfficialValue", "coverage", "official_row", "official_value", "series", "sources_of", "INDICATORS",
    "LEVEL_UNITS", "MEASURES", "OFFICIAL_COLUMNS", "load_all",
]
