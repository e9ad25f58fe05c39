"""How specific a Chinese term is to the text it comes from: its words' frequency in the
text against their frequency in general language (jieba's dictionary counts), the
classic "weirdness" of terminology extraction. 战略 and 稳定 in an essay on strategic
stability are far more frequent than in general text; 政府 and 官员 are not, so 政府官员
`government official` ranks as general vocabulary however well it is aligned."""

from __future__ import annotations

import math
from collections import Counter
from functools import cache

from .candidates import CLOSED_POS, general_frequency, general_total, segment_zh, split_compound

# jieba lists some compounds with a token count of 1 to 3 (中美, 世界形势): a count that
# says the word exists, not how often it is used; such words are estimated from their parts
TOKEN_COUNT = 3
FULL_WEIRDNESS = 4.0  # log10 of the ratio at which a word counts as wholly specific


@cache
def general_estimate(word: str) -> int:
    """The word's frequency in general language: jieba's count, or for a compound jieba
    does not count, the least frequent of its parts (a compound of common words is
    common: 政府官员, 中美)."""
    count = general_frequency(word)
    if count > TOKEN_COUNT or len(word) < 2:
        return count
    parts = split_compound(word)
    if len(parts) < 2:
        parts = list(word)
    return min(general_estimate(p) for p in parts)


class Keyness:
    """The text's Chinese word counts, and the specificity of a term measured by them."""

    def __init__(self, counts: Counter) -> None:
        self.counts = counts  # how often the text uses each Chinese word
        self.size = max(1, sum(self.counts.values()))
        self.total = general_total()

    def weirdness(self, word: str) -> float:
        """log10 of how much more often the text uses the word than general language."""
        expected = self.size * (general_estimate(word) + 1) / self.total
        return math.log10((self.counts[word] + 0.5) / expected)

    def specificity(self, term: str) -> float:
        """0 (general language) .. 1 (specific to the text): the weirdness of the term's
        content words, their mean and their most specific one alike (a long term's
        general head, 关系 in 建设性战略稳定关系, does not make it general)."""
        words = [z.text for z in segment_zh(term) if z.han and z.pos not in CLOSED_POS]
        if not words:
            return 0.0
        weird = [self.weirdness(w) for w in words]
        score = (sum(weird) / len(weird) + max(weird)) / 2
        return min(1.0, max(0.0, score / FULL_WEIRDNESS))
