"""Titles of official releases in English, for the English edition.

The releases transcribed in data/ are titled in Chinese after a few fixed patterns (NBS's monthly
retail release, the State Post Bureau's monthly and annual statistics, their bulletins); each
pattern has its English wording here, filled with the title's own year, month and figure. A title
that follows no pattern is returned as it is (the caller keeps it marked as Chinese). The original
title stays in the data and in the facts of every claim (`release_title`).
"""

from __future__ import annotations

import re

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
PERIODS = {"一季度": "the first quarter of {y}", "上半年": "the first half of {y}", "前三季度": "the first three quarters of {y}"}


def _period(year: str, months: str | None, named: str | None) -> str:
    if named:
        return PERIODS[named].format(y=year)
    if months is None:
        return year
    if "-" in months:
        first, last = (int(m) for m in months.split("-"))
        return f"{MONTHS[first - 1]}–{MONTHS[last - 1]} {year}"
    return f"{MONTHS[int(months) - 1]} {year}"


PERIOD = r"(?P<year>\d{4})年(?:(?P<months>\d{1,2}(?:-\d{1,2})?)月份?|(?P<named>一季度|上半年|前三季度))?"
PATTERNS = [
    (re.compile(rf"^{PERIOD}社会消费品零售总额增长(?P<growth>[\d.]+)%$"),
     "Total retail sales of consumer goods grew {growth}% in {period} (NBS)"),
    (re.compile(rf"^{PERIOD}社会消费品零售总额(?P<rest>\s*\(.*\))?$"),
     "Total retail sales of consumer goods, {period} (NBS){rest}"),
    (re.compile(rf"^国家邮政局公布{PERIOD}邮政行业运行情况(?P<rest>\s*\(.*\))?$"),
     "State Post Bureau: the postal industry in {period}{rest}"),
    (re.compile(rf"^{PERIOD}邮政行业运行情况(?P<rest>\s*\(.*\))?$"),
     "The postal industry in {period} (State Post Bureau){rest}"),
    (re.compile(r"^(?P<year>\d{4})年邮政行业发展统计公报$"),
     "Statistical bulletin of the postal industry, {year} (State Post Bureau)"),
]


def english(title: str) -> str:
    """The release's title in English, or the title itself when it follows no known pattern."""
    title = (title or "").strip()
    for pattern, wording in PATTERNS:
        m = pattern.match(title)
        if m:
            groups = m.groupdict()
            period = _period(groups["year"], groups.get("months"), groups.get("named"))
            rest = groups.get("rest") or ""
            if rest and re.search(r"[\u3400-\u9fff]", rest):
                rest = ""  # a Chinese note: the original title carries it
            return wording.format(period=period, growth=groups.get("growth", ""), year=groups["year"],
                                  rest=rest)
    return title
