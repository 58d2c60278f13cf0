"""ecrights: helper library for reproducing 《电商消费维权指数2019年度报告》.

Each section of the report is a package under sections/ (its registry entry,
parameter model, analysis, figures and texts); data/ loads and validates data/;
claims.py checks the report's statements; plotting.py draws; results.py records
what a notebook found and notebook.py shows it; run/ executes notebooks;
report/ assembles the publishable report.
"""

import sys

# jsonschema, which nbformat imports (under papermill and nbconvert), imports rfc3987_syntax when it is
# installed (jupyterlab's dependencies install it); that module compiles ~35 Earley grammars at import.
# Measured: `import nbformat` costs 1.5 s of CPU with it, 0.2 s without (8.5 s against 1.3 s of wall time
# on a busy 2-core machine), in every process that reads a notebook: the runner, its workers, the tests.
# It serves only the `iri` and `iri-reference` format checks, which no notebook schema uses; marked
# absent, jsonschema skips those two checks. Kernels and JupyterLab do not import this package first.
sys.modules.setdefault("rfc3987_syntax", None)

__version__ = "0.1.0"
