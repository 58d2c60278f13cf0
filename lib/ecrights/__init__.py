"""ecrights: helper library for reproducing 《电商消费维权指数2019年度报告》.

Analysis modules (derive, promotion, index_model, industry) are pure functions
over DataFrames; data.py loads and validates data/; claims.py checks the
report's statements; plotting.py draws; results.py records what a notebook
found; run/ executes notebooks; report/ assembles the publishable report.
"""

__version__ = "0.1.0"
