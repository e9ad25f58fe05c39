"""Bilingual term extraction: from aligned sentence pairs to termbase entries.

The pipeline, for one aligned document or many:

1. `candidates`: Chinese candidates (runs of one to six words cut on a lattice of
   jieba's dictionary and CC-CEDICT, content words at the edges) and English ones
   (noun-phrase shaped spans of up to eight tokens).
2. `matching`: whether a Chinese word matches an English one: CC-CEDICT composition,
   word stems, romanised names (pinyin and Wade-Giles), acronyms by initials.
3. `inpair`: term alignment inside each aligned pair: the English span of a Chinese
   candidate is the one whose words best explain and are best explained by the
   candidate's words, and words neither side can explain are paired with each other when
   they stand together (a term the dictionary lacks).
4. `formulae`: the phrases of set formulae (合作为主、竞争有度、…), paired by their
   place in the Chinese and the English lists.
5. `entries`: the occurrences grouped into entries (preferred English, variants,
   confidence, part of speech, term type), ranked (`ranking`: specificity of the terms'
   words against general language, use, length), references searched for attested
   renderings, a known glossary merged.
6. `corpus`: the same over many documents (alignment files, a batch's output folder, a
   manifest aligned first), the per-document work in the batch executors, each entry
   with the documents it occurs in.

Nothing here names a particular text's terms: the rules are stop words, parts of speech,
dictionary composition and romanisation.
"""

from .candidates import chinese_candidates, english_spans, segment_zh, tokens_en
from .corpus import corpus_glossary, corpus_inputs, document_pairs
from .entries import attest, build_glossary, extract_entries, read_reference
from .inpair import TextPair, align_terms, pair_view, pairs_from

__all__ = [
    "TextPair",
    "align_terms",
    "attest",
    "build_glossary",
    "chinese_candidates",
    "corpus_glossary",
    "corpus_inputs",
    "document_pairs",
    "english_spans",
    "extract_entries",
    "pair_view",
    "pairs_from",
    "read_reference",
    "segment_zh",
    "tokens_en",
]
