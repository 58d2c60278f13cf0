"""Normalising quoted source text.

Mirrors of official releases are often in Traditional characters and some
insert pinyin glosses after characters (社(shè)会). Quotes in data/ are kept
as read; code compares them after normalising here.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# A gloss is Latin letters (with tone marks) in ASCII or full-width brackets
# directly following a CJK character, e.g. 社(shè) or 會（huì）.
_PINYIN_GLOSS = re.compile(r"(?<=[\u3400-\u9fff])\s*[(（][a-zA-Zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹ\s]+[)）]")
_SPACES = re.compile(r"\s+")


@lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


def normalise(text: str) -> str:
    """Simplified characters, no pinyin glosses, NFKC (full-width digits and
    punctuation to ASCII), single spaces."""
    text = unicodedata.normalize("NFKC", text)
    text = _PINYIN_GLOSS.sub("", text)
    text = _t2s().convert(text)
    return _SPACES.sub(" ", text).strip()


def number_in_text(number: str, text: str) -> bool:
    """True when the printed number stands in the text as a whole number
    (not as part of a longer one: 3.0 is not found in 13.0 or 3.05)."""
    norm = normalise(text).replace(",", "")
    number = number.strip().lstrip("+").replace(",", "")
    if number.startswith("-"):
        number = number[1:]
    pattern = r"(?<![\d.])" + re.escape(number) + r"(?![\d])(?!\.\d)"
    return re.search(pattern, norm) is not None
