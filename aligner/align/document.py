"""Align a document: paragraphs first (when both sides have them), then sentences inside
each paragraph group, with a second pass that learns a translation table from the text;
then each bead's confidence."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import replace

import numpy as np

from ..collector import fewer_full_collections
from ..config import DEFAULT, BeadTypes, Params
from ..lexicon import STOP_LEMMAS
from ..model import Alignment, Document, Header, Sentence, SentenceBead, Side
from ..normalise import matching_form
from ..progress import Progress, no_progress, part_of
from ..tokenise import Words, lemma, tokenise_en, tokenise_side
from .cost import BeadCost, Span
from .encoder import RunEmbeddings, SentenceEncoder
from .evidence import LengthModel, SkipCosts, SkipEvidence, build_lexical_model, learn_table
from .features import quoting_agrees, sentence_features
from .search import align_units, path_guide
from .split import split_beads
from .timed import align_by_time


def align_spans(
    doc: Document,
    level: str = "sentence",
    params: Params = DEFAULT,
    anchors: dict[str, str] | None = None,
    progress: Progress = no_progress,
    encoder: SentenceEncoder | None = None,
) -> tuple[list[Span], BeadCost, SkipEvidence, list[Sentence], list[Sentence]]:
    """The passes of `align_document`: the spans of the last pass, the cost and skip
    evidence it was made with, and the tokenised sentences of both sides."""
    known: dict[str, set[str]] = {}
    for zh, en in (anchors or {}).items():
        forms = {lemma(t) for t in tokenise_en(en) if t[:1].isalnum()}
        known.setdefault(matching_form(zh), set()).update(forms - STOP_LEMMAS)
    zs, es = _tokenised(doc, tuple(anchors or ()), progress)
    runs = None
    if encoder is not None and level != "paragraph":
        # sentence costs only: paragraph beads are long texts an encoder reads poorly
        progress("encoding", 0, 1)
        runs = RunEmbeddings.build(encoder, [s.text for s in zs], [s.text for s in es])
        progress("encoding", 1, 1)
    progress("preparing", 0, 1)
    zunits, eunits = sentence_features(zs), sentence_features(es)
    if not quoting_agrees(zunits, eunits, params.quote_agreement):
        zunits, eunits = zunits.without_quotes(), eunits.without_quotes()
    cost = BeadCost.build(zunits, eunits, params, known, runs)
    evidence = SkipEvidence(cost.lex, params)
    progress("preparing", 1, 1)
    rounds = params.learn_rounds if level == "sentence" else 0
    first_types = params.first_pass_types if rounds else params.bead_types
    passes = 1
    reached = _pass_report(progress, passes, len(zs))
    spans = _align_pass(doc, cost, evidence, level, first_types, None, reached)
    final = not rounds
    for _ in range(rounds):
        sims = cost.similarities(spans)
        sure = [
            (zr, er)
            for (zr, er), sim in zip(spans, sims, strict=True)
            if zr and er and sim >= params.learn_similarity
        ]
        if len(sure) < 4:
            break
        progress("learning", 0, 1)
        pairs = [
            ([w for i in zr for w in zunits.lemmas[i]], [w for j in er for w in eunits.lemmas[j]])
            for zr, er in sure
        ]
        table = learn_table(pairs, params)
        length = cost.length
        if len(sure) >= 10:
            # the length ratio of the text pair, now from pairs rather than from totals
            zsum = sum(zunits.lengths[zr.start : zr.stop].sum() for zr, _ in sure)
            esum = sum(eunits.lengths[er.start : er.stop].sum() for _, er in sure)
            length = LengthModel.fit(np.array([zsum]), np.array([esum]), params)
        for zh, forms in known.items():
            table.setdefault(zh, set()).update(forms)
        lex = build_lexical_model(zunits, eunits, params, table)
        cost = BeadCost(lex, length, zunits, eunits, params, runs)
        omitted = np.nonzero(evidence.omitted_z)[0], np.nonzero(evidence.omitted_e)[0]
        evidence = SkipEvidence(lex, params)
        evidence.mark_omitted(*omitted)
        progress("learning", 1, 1)
        guide = path_guide(spans, len(zs))
        passes += 1
        reached = _pass_report(progress, passes, len(zs))
        spans = _align_pass(doc, cost, evidence, level, params.bead_types, guide, reached)
        final = True
    if not final:  # too little to learn from: the first pass again, with every bead type
        guide = path_guide(spans, len(zs))
        passes += 1
        reached = _pass_report(progress, passes, len(zs))
        spans = _align_pass(doc, cost, evidence, level, params.bead_types, guide, reached)
    return spans, cost, evidence, zs, es


@fewer_full_collections()
def align_document(
    doc: Document,
    level: str = "sentence",
    params: Params = DEFAULT,
    anchors: dict[str, str] | None = None,
    progress: Progress = no_progress,
    encoder: SentenceEncoder | None = None,
) -> Alignment:
    """Align a segmented document (two subtitle files: by the time of their cues, see
    `timed`): paragraphs, then sentences, then again with a
    translation table learned from the confident pairs of the first pass; then each
    bead's confidence, and the segment-level parts of the beads that join sentences
    (see `split`). The document is not changed (an untokenised one is tokenised on
    copies of its sentences).

    `anchors` maps Chinese terms to their English (a user's glossary): the terms are kept
    whole by the tokenizer (for this call only) and count as translations of each other.

    `encoder` (see `load_encoder`), when given, adds the cosine of each sentence bead's
    two sides to its cost (Params.encoder_weight); None, the default, changes nothing.

    Reports the stages "tokenising" (when it tokenises), "encoding" (with an encoder),
    "preparing", "aligning, pass 1",
    "learning", "aligning, pass 2" (Chinese sentences done; the "learning" stage and its
    pass again with more learning rounds) and "confidence" to `progress`.
    """
    timed = align_by_time(doc)  # subtitles: cues paired by their time on screen
    if timed is not None:
        return Alignment(doc, timed, level, None)
    spans, cost, evidence, zs, es = align_spans(doc, level, params, anchors, progress, encoder)
    progress("confidence", 0, 1)
    if level == "paragraph":
        para = _paragraph_cost(doc, cost)
        skips = SkipEvidence(para.lex, para.p).skip_costs()
        beads = _beads(para, skips, spans, [zr.start if zr else -1 for zr, _ in spans])
    else:
        paras = [zs[zr.start].para if zr else (es[er.start].para if er else -1) for zr, er in spans]
        beads = split_beads(_beads(cost, evidence.skip_costs(), spans, paras), cost, zs, es)
    progress("confidence", 1, 1)
    return Alignment(doc, beads, level, _title_pair(doc))


def _tokenised(
    doc: Document, words: Words, progress: Progress
) -> tuple[list[Sentence], list[Sentence]]:
    """The document's sentences when they are tokenised and no `words` must stand whole
    in them, else copies of them tokenised (keeping `words` whole)."""
    zs = doc.zh.sentences
    if zs and zs[0].lemmas and not words:
        return zs, doc.en.sentences
    n, m = len(zs), len(doc.en.sentences)
    return (
        _tokenised_copy(doc.zh, words, part_of(progress, 0, n + m)),
        _tokenised_copy(doc.en, (), part_of(progress, n, n + m)),
    )


def _tokenised_copy(side: Side, words: Words, progress: Progress) -> list[Sentence]:
    paragraphs = [replace(p, sentences=[replace(s) for s in p.sentences]) for p in side.paragraphs]
    copy = replace(side, paragraphs=paragraphs)
    tokenise_side(copy, words, progress)
    return copy.sentences


# the matched share enters the confidence as log(share + LOG_SHARE_OFFSET): a bead with
# no matched word is not minus infinity
LOG_SHARE_OFFSET = 0.01


def bead_confidence(p: Params, fit: float, margin: float, evidence: float, size: int) -> float:
    """Probability that a bead of `size` units (0: one side empty) is right, from its
    length fit, its matched share of word weight and its margin over the nearest other
    borders (a logistic model fitted on MAC-Dev)."""
    if size == 0:
        z = p.conf_skip_bias + p.conf_margin * margin
    else:
        z = (
            p.conf_bias
            + p.conf_fit * fit
            + p.conf_margin * margin
            + p.conf_evidence * math.log(evidence + LOG_SHARE_OFFSET)
            + p.conf_size * (size - 2)
        )
    conf = 1.0 / (1.0 + math.exp(-z))
    if size:
        # a bead between two good ones may have firm borders and still pair sentences
        # that share no word: little matched evidence caps the confidence, though not to
        # nothing (in MAC-Dev most such beads are free renderings, and right)
        cap = 1.0 / (1.0 + math.exp(-p.conf_evidence_cap * (evidence - p.conf_evidence_center)))
        conf *= p.conf_floor + (1.0 - p.conf_floor) * cap
    return conf


def _beads(cost: BeadCost, skips: SkipCosts, spans: list[Span], paras: list[int]):
    fits, margins = cost.length_fits(spans), cost.margins(spans, skips)
    evidence = cost.similarities(spans, evidence=True)
    beads = []
    for (zr, er), fit, mg, ev, para in zip(spans, fits, margins, evidence, paras, strict=True):
        size = len(zr) + len(er) if zr and er else 0
        conf = bead_confidence(cost.p, fit, mg, ev, size)
        beads.append(SentenceBead(tuple(zr), tuple(er), round(conf, 4), para))
    return beads


def _para_ranges(side: Side) -> list[range]:
    out, k = [], 0
    for p in side.paragraphs:
        out.append(range(k, k + len(p.sentences)))
        k += len(p.sentences)
    return out


def _paragraph_cost(doc: Document, cost: BeadCost) -> BeadCost:
    """The cost whose units are the paragraphs, with its own bead priors."""
    zp, ep = _para_ranges(doc.zh), _para_ranges(doc.en)
    para_params = replace(
        cost.p, merge=cost.p.paragraph_merge, many_to_many=0.0, redundant=cost.p.paragraph_redundant
    )
    lex = cost.lex.group(zp, ep)
    return BeadCost(lex, cost.length, cost.zh.joined(zp), cost.en.joined(ep), para_params)


def _align_pass(
    doc: Document,
    cost: BeadCost,
    evidence: SkipEvidence,
    level: str,
    types: BeadTypes,
    guide: np.ndarray | None,
    reached: Callable[[int], None],
) -> list[Span]:
    """Sentence spans (or paragraph spans at level=paragraph), as (zh range, en range).
    `reached` is told the Chinese sentences done, from 0 to all of them."""
    zp, ep = _para_ranges(doc.zh), _para_ranges(doc.en)
    n, m = len(doc.zh.sentences), len(doc.en.sentences)
    reached(0)
    if len(zp) <= 1 or len(ep) <= 1:
        if level == "paragraph":
            reached(n)
            return [(range(len(zp)), range(len(ep)))]
        return align_units(cost, evidence, range(n), range(m), types, guide, reached)
    para = _paragraph_cost(doc, cost)
    para_evidence = SkipEvidence(para.lex, para.p)
    whole = range(len(zp)), range(len(ep))
    groups = align_units(para, para_evidence, *whole, para.p.paragraph_types)
    if level == "paragraph":
        reached(n)
        return groups
    # an unsure paragraph bead is merged with its neighbours, so that the sentence pass
    # may cross the paragraph border there
    merged: list[Span] = []
    unsure_prev = False
    for (pz, pe), sim in zip(groups, para.similarities(groups), strict=True):
        unsure = not pz or not pe or sim < cost.p.paragraph_unsure
        if merged and (unsure or unsure_prev):
            qz, qe = merged[-1]
            merged[-1] = (range(qz.start, pz.stop), range(qe.start, pe.stop))
        else:
            merged.append((pz, pe))
        unsure_prev = unsure
    spans: list[Span] = []
    for pz, pe in merged:
        zr, er = _span(zp, pz, n), _span(ep, pe, m)
        spans.extend(align_units(cost, evidence, zr, er, types, guide, reached))
    return spans


def _pass_report(progress: Progress, number: int, total: int) -> Callable[[int], None]:
    """Reports the Chinese sentences a pass has done as the stage "aligning, pass N"."""
    stage = f"aligning, pass {number}"
    return lambda done: progress(stage, done, total)


def _span(ranges: list[range], r: range, total: int) -> range:
    """The sentence range of the paragraph range r."""
    if r:
        return range(ranges[r.start].start, ranges[r.stop - 1].stop)
    start = ranges[r.start].start if r.start < len(ranges) else total
    return range(start, start)


def _title_pair(doc: Document) -> tuple[Header, Header] | None:
    en_title = doc.en.header("title")
    zh_title = doc.zh.header("title") or doc.en.header("parallel_title")
    if en_title and zh_title:
        return zh_title, en_title
    zh_title, en_title = doc.zh.header("title"), doc.zh.header("parallel_title")
    if zh_title and en_title and en_title.lang == "en":
        return zh_title, en_title
    return None
