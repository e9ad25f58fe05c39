"""Sentence alignment of a Chinese-English document.

features.py  what a unit is matched on (matching words, length, quotation ends)
evidence.py  the lexical and length models, IBM Model 1, the skip evidence
cost.py      the bead cost: one kernel for the DP's band and for explicit spans
dp.py        the DP over a band: costs in, path out
search.py    full, banded and coarse-to-fine search of a sub-problem
document.py  align_document: paragraphs, sentences, learning, confidence
encoder.py   optional sentence encoders (--encoder) and their embeddings of sentence runs
"""

from ..config import DEFAULT, Params
from .document import align_document
from .encoder import SentenceEncoder, load_encoder

__all__ = ["DEFAULT", "Params", "SentenceEncoder", "align_document", "load_encoder"]
