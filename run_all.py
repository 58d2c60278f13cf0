#!/usr/bin/env python3
"""Build the whole reproduction: every section notebook, claims, report.

    python run_all.py --help
"""
import sys

from ecrights.run.cli import main

if __name__ == "__main__":
    sys.exit(main())
