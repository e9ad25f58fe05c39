"""Chinese-English parallel text aligner: read, clean, segment, align, export."""

from .model import EN, ZH, Document, Header, InputError, Paragraph, Sentence, Side
from .segment import load_document, split_sentences

__version__ = "0.1.0"

__all__ = [
    "EN",
    "ZH",
    "Document",
    "Header",
    "InputError",
    "Paragraph",
    "Sentence",
    "Side",
    "load_document",
    "split_sentences",
]
