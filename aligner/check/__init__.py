"""Check an alignment: flag the pairs a reviewer should look at.

Every pair gets a translation-similarity score (chrF between a word-by-word dictionary
gloss of the Chinese and the English) and a length ratio, and is tested for a handful of
problems, each reported as a `Flag` with a code and a human reason:

- ``empty-side``: a 1-0 or 0-1 bead, text on one side only;
- ``low-confidence``: the aligner's confidence below a threshold;
- ``length-ratio``: the English/Chinese length ratio far from the document's norm;
- ``number-mismatch``: numbers (digits or Chinese numerals) on one side only;
- ``latin-mismatch``: Latin-script tokens of the Chinese (APEC, G20, AI) missing in the English;
- ``identical``: the same text on both sides;
- ``low-similarity``: chrF far below the document's median;
- ``better-match``: the English of a nearby pair matches the Chinese much better (a shift);
- ``term-missing``: with a glossary, a term of the Chinese none of whose renderings is in
  the English;
- ``term-inconsistent``: with a glossary, a term rendered here in a way the glossary does
  not give, while the document renders it differently elsewhere.

`gloss` measures the similarity, `terms` finds the glossary's terms and their renderings,
`checks` holds one function per flag code in a table, `report` the records, the norms and
`check_units`, which runs the table; `render_table` shows a report in the terminal,
`render_html` as a self-contained page.
"""

from .checks import FLAG_CODES
from .render import render_html, render_table
from .report import CheckReport, Flag, PairCheck, Summary, check_units, flag_share

__all__ = [
    "FLAG_CODES",
    "CheckReport",
    "Flag",
    "PairCheck",
    "Summary",
    "check_units",
    "flag_share",
    "render_html",
    "render_table",
]
