"""The aligner's tunable parameters, each with its one default (tuned on MAC-Dev with
scripts/eval_mac.py), and a signature that tells two parameter sets apart."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass

BeadTypes = tuple[tuple[int, int], ...]  # (Chinese units, English units) of each bead type


@dataclass(frozen=True)
class Params:
    """Scoring and search parameters."""

    # -- bead cost: each sentence's unexplained share, the length misfit, the prior
    lexical_weight: float = 0.65  # share of the lexical signal against the length signal
    smoothing: float = 24.0  # pseudo-weight pulling a sentence's matched share to the prior
    prior: float = 0.5
    length_sigma: float = 0.8  # spread of the log length ratio of a true bead ...
    length_short: float = 6.0  # ... Chinese characters at which the spread doubles
    length_scale: float = 0.7  # weight of the length misfit (a negative log-likelihood) ...
    length_cap: float = 4.0  # ... capped here
    # Bag-of-words similarity never falls when beads grow (cross-sentence matches only add
    # to it), so each sentence a bead takes beyond one a side costs `merge`, and beads
    # with several sentences on both sides cost `many_to_many` more. Per sentence, so a
    # path's prior depends only on its number of beads: 1-2 + 1-3 costs as 1-1 + 1-4 and
    # the text decides between them.
    merge: float = 0.16
    many_to_many: float = 0.08
    quote_end: float = 0.15  # cost of a bead that closes a quotation on one side only
    # quotation cues are dropped where one side quotes in under this share of the units
    # the other quotes in (0: never dropped)
    quote_agreement: float = 0.25
    # A cut between beads costs `cut` times, for each clause next to it (the last or
    # first clause of a sentence of either language), its share matched across the cut
    # less its share matched on its own side: a clause rendered in the neighbour's
    # sentence tells a misplaced border, or a crossing many-to-many bead, where bags of
    # words see no position (MAC-Dev strict 0.912 -> 0.925)
    cut: float = 0.15
    cut_smoothing: float = 12.0  # pseudo-weight of a clause's matched share
    # a bead's first or last unit on a side of several counts its explained share as
    # unexplained, times this, in the measure that the rest of the bead explains the
    # same words of the other side: an omitted paragraph glued to its neighbour (of
    # sentences, which may be short and carry nothing of their own, 0)
    redundant: float = 0.0
    # weight of a sentence encoder's (1 - cosine) per sentence of a bead: read only when
    # an encoder is given (--encoder), so without one nothing depends on it
    encoder_weight: float = 0.1
    # -- leaving a sentence unaligned costs `skip`, discounted by up to `novel_discount`
    # for a sentence with `novel_weight` of words of which no sentence nearby matches
    # `novel_match`
    skip: float = 0.8
    novel_discount: float = 0.8
    novel_weight: float = 15.0
    novel_match: float = 0.15
    # -- confidence = logistic(conf_bias + conf_fit * length fit + conf_margin * margin
    #                          + conf_evidence * log(matched share + 0.01)
    #                          + conf_size * (a + b - 2))
    #    for a bead of a x b units; of a bead with an empty side,
    #    logistic(conf_skip_bias + conf_margin * margin). A logistic model fitted on
    #    MAC-Dev's beads (`scripts/fit_confidence.py`)
    conf_bias: float = -3.68
    conf_fit: float = 4.79
    conf_margin: float = 9.45
    conf_evidence: float = 0.209
    conf_size: float = -0.317
    conf_skip_bias: float = -0.775
    # a bead with next to no matched evidence (its share under conf_evidence_center) has
    # its confidence capped, steeply (conf_evidence_cap), to no less than conf_floor of
    # it: in MAC-Dev most such beads are free renderings, and right, but a pair of
    # unrelated sentences between two good beads must stay below one half
    conf_evidence_cap: float = 100.0
    conf_evidence_center: float = 0.02
    conf_floor: float = 0.5
    # -- the lexical model
    accident_cap: float = 0.9  # most a word's weight is cut for matching by accident
    # a unit's match weight with a form is that of its heaviest word rendered by the
    # form: a power mean of the words' weights, this high close to their maximum
    max_power: float = 8.0
    # -- learning a translation table from the first pass
    learn_rounds: int = 1  # passes that learn a translation table from the one before
    learn_similarity: float = 0.45  # first-pass beads this similar train the table
    learn_threshold: float = 0.3  # translation probability a learned pair must reach
    learn_min_count: int = 3  # and the pairs it must co-occur in
    learn_iterations: int = 5  # rounds of IBM Model 1
    learn_max_pairs: int = 20_000  # pairs it is trained on at most (evenly spread)
    # -- splitting a joined bead into segment-level parts (align/split.py)
    split_smoothing: float = 12.0  # `smoothing` for a sentence against a clause run
    split_skip: float = 0.45  # a sentence given no piece costs this more than its words
    split_connective: float = 2.0  # the weight of a discourse connective (but, 但是)
    split_word_cut: float = 0.2  # a cut before a clause word (as, which) and not at a comma
    split_slope: float = 13.0  # certainty = logistic(slope * margin + bias) ...
    split_bias: float = 0.1
    split_margin_cap: float = 2.0  # ... with the margin over the next cuts capped here
    # a sentence given no piece while words of the other side that render it alone
    # (their idf weight over this) stand in the other pieces: the bead stays whole
    split_rendered_elsewhere: float = 0.0
    split_min: float = 0.8  # least certainty for a bead's parts to be written
    # -- search
    bead_types: BeadTypes = (
        (1, 1), (1, 2), (2, 1), (1, 3), (3, 1), (2, 2), (1, 4), (4, 1),
        (1, 5), (5, 1), (2, 3), (3, 2), (1, 0), (0, 1),
    )  # fmt: skip
    # a pass that only feeds learning and guides the next one may leave out the rarer
    # bead types: the next pass, in a band around it, has them all
    first_pass_types: BeadTypes = ((1, 1), (1, 2), (2, 1), (1, 3), (3, 1), (2, 2), (1, 0), (0, 1))
    coarse_types: BeadTypes = ((1, 1), (1, 2), (2, 1), (2, 2), (1, 0), (0, 1))
    paragraph_types: BeadTypes = ((1, 1), (1, 2), (2, 1), (1, 3), (3, 1), (2, 2), (1, 0), (0, 1))
    dense_limit: int = 4_000_000  # above n*m cells, a coarse pass sets a band first
    guide_width: int = 48  # band of the second pass around the first pass's path
    # rows of band nodes whose skip evidence is gathered at once: a block's skip costs
    # see the evidence of the blocks before it and of its own
    evidence_block: int = 512
    paragraph_merge: float = 0.4  # per paragraph beyond one on a side
    paragraph_redundant: float = 0.5  # `redundant` of paragraphs
    paragraph_unsure: float = 0.3  # below this similarity, sentences may cross the border
    # -- memory and speed only (results do not depend on them)
    cost_block: int = 256  # rows of band nodes whose bead costs are computed at once
    cost_tile: int = 256  # units a side of the blocks in which span costs are computed

    def signature(self) -> str:
        """A short hash of every value, stable across runs and machines: equal for equal
        parameters (to tell whether an output was made with these)."""
        text = json.dumps(asdict(self), sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()[:12]


DEFAULT = Params()
