"""Are two problem titles about the same thing? Chinese has no spaces between words, so titles are
compared as sets of character pairs (bigrams): "电压不稳" and "厂区电压不稳定" share 电压/压不/不稳.
"""

from __future__ import annotations

import re
from functools import lru_cache

# Punctuation (Chinese or not) and spaces separate the runs of characters that pairs are taken from.
_SEPARATORS = re.compile(r"[\W_]+")

# Pairs that nearly every problem title contains; matching on them alone means nothing.
_FILLER = frozenset(
    {"企业", "问题", "公司", "希望", "需要", "请求", "帮助", "解决", "协调", "反映"}
)

# Two titles are similar when they share at least MIN_SHARED pairs, and the shared pairs make up
# at least SIMILARITY of the shorter title's pairs.
MIN_SHARED = 2
SIMILARITY = 0.4


@lru_cache(maxsize=20_000)
def title_bigrams(title: str) -> frozenset[str]:
    pairs = set()
    for run in _SEPARATORS.split((title or "").lower()):
        pairs.update(run[i : i + 2] for i in range(len(run) - 1))
    return frozenset(pairs - _FILLER)


def titles_similar(a: frozenset[str], b: frozenset[str]) -> bool:
    """a and b are title_bigrams() of two titles."""
    if not a or not b:
        return False
    shared = len(a & b)
    return shared >= MIN_SHARED and shared / min(len(a), len(b)) >= SIMILARITY
