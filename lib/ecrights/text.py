"""Normalising quoted source text.

Mirrors of official releases are often in Traditional characters and some
insert pinyin glosses after characters (社(shè)会). Quotes in data/ are kept
as read; code compares them after normalising here.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import opencc

# A gloss is Latin letters (with tone marks) in ASCII or full-width brackets
# directly following a CJK character, e.g. 社(shè) or 會（huì）.
_PINYIN_GLOSS = re.compile(r"(?<=[\u3400-\u9fff])\s*[(（][a-zA-Zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹ\s]+[)）]")
_SPACES = re.compile(r"\s+")


@lru_cache(maxsize=1)
def _t2s():
    return opencc.OpenCC("t2s")


def normalise(text: str) -> str:
    """Simplified characters, no pinyin glosses, NFKC (full-width digits and
    punctuation to ASCII), single spaces."""
    text = unicodedata.normalize("NFKC", text)
    text = _PINYIN_GLOSS.sub("", text)
    text = _t2s().convert(text)
    return _SPACES.sub(" ", text).strip()


# Numbers written in two parts: 3兆2691億 (Japanese: 3 x 10^12 + 2691 x 10^8),
# 4万1649亿 (Chinese), 277億6000万 (277.6 x 10^8). Printed values stay as read;
# the quote check reads such a number in the unit of its smaller part.
_TRILLION_YI = re.compile(r"(\d+)(?:兆|万)(\d{1,4})亿")
_YI_WAN = re.compile(r"(\d+)亿(\d{1,4})万")


def _composite_numbers(text: str) -> str:
    text = _TRILLION_YI.sub(lambda m: f"{int(m.group(1)) * 10000 + int(m.group(2))}亿", text)
    return _YI_WAN.sub(lambda m: (f"{m.group(1)}.{int(m.group(2)):04d}".rstrip("0").rstrip(".")) + "亿", text)


def number_in_text(number: str, text: str) -> bool:
    """True when the printed number stands in the text as a whole number
    (not as part of a longer one: 3.0 is not found in 13.0 or 3.05). Numbers
    written in two parts (3兆2691億, 277億6000万) are read in 亿."""
    norm = _composite_numbers(normalise(text).replace(",", ""))
    number = number.strip().lstrip("+").replace(",", "")
    if number.startswith("-"):
        number = number[1:]
    # each occurrence, as the pattern (?<![\d.])NUMBER(?!\d)(?!\.\d) would find it (\d: any decimal
    # digit, str.isdecimal), without compiling a pattern per number: a data check asks thousands
    start = norm.find(number)
    while start != -1:
        end = start + len(number)
        before, after, next_after = norm[start - 1:start], norm[end:end + 1], norm[end + 1:end + 2]
        if not (before.isdecimal() or before == ".") and not (after.isdecimal() or
                                                              (after == "." and next_after.isdecimal())):
            return True
        start = norm.find(number, start + 1)
    return False
