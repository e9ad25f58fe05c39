"""The check report for people: a text table for the terminal and a self-contained HTML
page."""

from __future__ import annotations

import html
import unicodedata

import regex

from ..model import EN, ZH, Unit
from .report import CONFIDENCE_BINS, CheckReport, flag_share
from .terms import TermCounts, TermUse

# ---------------------------------------------------------------- terminal


def display_width(text: str) -> int:
    """Terminal columns of text: two for a wide (Han) character, one for others."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def wrap(text: str, width: int, max_lines: int) -> list[str]:
    """Wrap text to `width` terminal columns (Han characters take two), breaking English
    between words; at most `max_lines` lines, the last ending in … when cut."""
    text = " ".join(text.split())
    lines: list[str] = []
    pos = 0
    while pos < len(text) and len(lines) < max_lines:
        w, end, brk = 0, pos, -1
        while end < len(text):
            cw = display_width(text[end])
            if w + cw > width:
                break
            if text[end] == " ":
                brk = end
            w += cw
            end += 1
        if end < len(text) and brk > pos and not regex.match(r"\p{Han}", text[end]):
            end = brk
        lines.append(text[pos:end].rstrip())
        pos = end
        while pos < len(text) and text[pos] == " ":
            pos += 1
    if pos < len(text) and lines:
        last = lines[-1]
        while last and display_width(last) + 1 > width:
            last = last[:-1]
        lines[-1] = last + "…"
    return lines or [""]


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - display_width(text))


def _pct(x: float) -> str:
    return f"{100 * x:.1f}%"


def terms_summary(t: TermCounts) -> str:
    """`110 terms, found 207 times in 37 pairs: 173 rendered as the glossary says, ...`"""
    return (
        f"{t.terms} terms, found {t.uses} times in {t.pairs} pairs: {t.rendered} rendered as "
        f"the glossary says, {t.other} another way, {t.unrendered} not rendered"
    )


def term_line(uses: list[TermUse]) -> str:
    """A pair's glossary terms and their English: `战略稳定 = strategic stability;
    领域 = "areas" (not the glossary's); 中美 not rendered`."""
    parts = []
    for u in uses:
        if u.found:
            parts.append(f"{u.term.zh} = {u.found}")
        elif u.seen:
            parts.append(f'{u.term.zh} = "{u.seen}" (not the glossary\'s)')
        else:
            parts.append(f"{u.term.zh} not rendered")
    return "; ".join(parts)


def render_summary(report: CheckReport) -> str:
    s = report.summary
    beads = ", ".join(f"{k} {v}" for k, v in s.beads.items()) or "none"
    bins = "  ".join(f"[{k}] {v}" for k, v in s.confidence_bins.items())
    flags = ", ".join(f"{k} {v}" for k, v in s.flag_counts.items()) or "none"
    norm = f"{s.norms.length:.2f}" if s.norms.length else "-"
    med = f"{s.norms.median_chrf:.1f}" if s.norms.median_chrf is not None else "-"
    return "\n".join(
        [
            f"pairs: {s.pairs}   flagged: {s.flagged} ({_pct(flag_share(report))})",
            f"bead types: {beads}",
            f"confidence: {bins}",
            f"unaligned text: zh {_pct(s.unaligned_share[ZH])}, en {_pct(s.unaligned_share[EN])}",
            f"length norm (en/zh characters): {norm}   median chrF: {med}"
            f"   low chrF below: {s.norms.chrf_threshold:.1f}",
            f"flags: {flags}",
            *([f"glossary: {terms_summary(s.terms)}"] if s.terms else []),
        ]
    )


def render_table(
    report: CheckReport,
    only_flagged: bool = True,
    *,
    width: int = 100,
    max_lines: int = 4,
    summary: bool = True,
) -> str:
    """The report as plain text: the summary, then per pair a header line (index, bead
    type, confidence, chrF), the flags with their reasons, and the Chinese and English side
    by side, wrapped to `width` columns and cut after `max_lines` lines."""
    out = [render_summary(report), ""] if summary else []
    shown = report.flagged if only_flagged else report.pairs
    if not shown:
        out.append("no flagged pairs" if only_flagged else "no pairs")
        return "\n".join(out) + "\n"
    zh_w = max(10, (width - 3) * 2 // 5)
    en_w = max(10, width - 3 - zh_w)
    rule = "-" * width
    for p in shown:
        u = p.unit
        chrf_text = f"{p.chrf:5.1f}" if p.chrf is not None else "    -"
        codes = ", ".join(p.codes) if p.flags else "ok"
        out.append(rule)
        out.append(
            f"#{p.index + 1:<4} {u.kind:<6} conf {u.confidence:.2f}  chrF {chrf_text}  {codes}"
        )
        for f in p.flags:
            out.extend(
                ("  ! " if k == 0 else "    ") + line
                for k, line in enumerate(wrap(f"{f.code}: {f.reason}", width - 4, 3))
            )
        zh_lines = wrap(u.zh, zh_w, max_lines) if u.zh.strip() else ["(none)"]
        en_lines = wrap(u.en, en_w, max_lines) if u.en.strip() else ["(none)"]
        for k in range(max(len(zh_lines), len(en_lines))):
            left = zh_lines[k] if k < len(zh_lines) else ""
            right = en_lines[k] if k < len(en_lines) else ""
            out.append(f"{_pad(left, zh_w)} | {right}".rstrip())
    out.append(rule)
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------- HTML

CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", "Noto Sans", "PingFang SC",
  "Microsoft YaHei", sans-serif; margin: 1.5em; color: #222; }
h1 { font-size: 1.4em; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid #ccc; padding: 0.35em 0.5em; vertical-align: top; text-align: left; }
th { background: #f0f0f0; }
table.summary { width: auto; margin-bottom: 1.5em; }
table.summary th { width: 14em; }
tr.flagged td { background: #fff3cd; }
tr.flagged td.index { border-left: 4px solid #d9534f; }
td.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
td.zh, td.en { width: 32%; }
td.empty { color: #999; font-style: italic; }
.gloss, .terms { color: #777; font-size: 0.85em; margin-top: 0.3em; }
ul.flags { margin: 0; padding-left: 1.1em; }
.code { font-family: ui-monospace, monospace; font-weight: bold; color: #a94442; }
.ok { color: #3c763d; }
figure.map { margin: 0 0 1.5em 0; }
figure.map svg { max-width: 100%; height: auto; font-size: 12px; }
figure.map svg a:hover line { stroke-width: 6; }
figure.map figcaption { color: #555; font-size: 0.9em; max-width: 46em; }
"""


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _summary_html(report: CheckReport) -> str:
    s, n = report.summary, report.summary.norms
    rows = [
        ("Pairs", str(s.pairs)),
        ("Flagged pairs", f"{s.flagged} ({_pct(flag_share(report))})"),
        ("Bead types", ", ".join(f"{k}: {v}" for k, v in s.beads.items()) or "none"),
        ("Confidence", ", ".join(f"[{k}]: {v}" for k, v in s.confidence_bins.items())),
        (
            "Unaligned text",
            f"zh {_pct(s.unaligned_share[ZH])}, en {_pct(s.unaligned_share[EN])}",
        ),
        ("Length norm (en/zh characters)", f"{n.length:.2f}" if n.length else "-"),
        ("Median chrF", f"{n.median_chrf:.1f}" if n.median_chrf is not None else "-"),
        ("Low chrF below", f"{n.chrf_threshold:.1f}"),
        ("Low confidence below", f"{s.low_confidence:g}"),
        ("Flags", ", ".join(f"{k}: {v}" for k, v in s.flag_counts.items()) or "none"),
        *([("Glossary", terms_summary(s.terms))] if s.terms else []),
    ]
    body = "\n".join(
        f'<tr data-key="{_e(k)}"><th>{_e(k)}</th><td>{_e(v)}</td></tr>' for k, v in rows
    )
    return f'<table class="summary" id="summary">\n{body}\n</table>'


def _text_cell(lang: str, text: str, extra: str = "") -> str:
    if not text.strip():
        return f'<td class="{lang} empty">(none)</td>'
    return f'<td class="{lang}"><div class="text" lang="{lang}">{_e(text)}</div>{extra}</td>'


# ---------------------------------------------------------------- the alignment map

MAP_SIZE = 480  # the plot's width and height, in pixels
MAP_STEP = 3  # pixels: the beads whose path ends in one square of this side are one run
MAP_MARK = 8  # pixels: flagged beads in one square of this side are one mark
MAP_LEFT, MAP_BOTTOM, MAP_PAD = 56, 40, 12  # room for the axes' labels
# a colour per CONFIDENCE_BINS bin, red to green; one-sided beads (left out) grey
MAP_COLOURS = ("#c9302c", "#ec971f", "#d4c21a", "#7cb342", "#2e7d32")
LEFT_OUT = "#777"
FLAGGED = "#d9000d"


def _sides(unit: Unit) -> tuple[int, int]:
    """Sentences of a unit on each side: its sentence numbers, else its bead type, else one
    for a side with text (a title, another tool's unit)."""
    if unit.zh_ids or unit.en_ids:
        return len(unit.zh_ids), len(unit.en_ids)
    a, _, b = unit.kind.partition("-")
    if a.isdigit() and b.isdigit():
        return int(a), int(b)
    return int(bool(unit.zh.strip())), int(bool(unit.en.strip()))


def alignment_map(report: CheckReport) -> str:
    """The alignment's path as an inline SVG: Chinese sentence number across, English up,
    each bead a step from where the last one ended, coloured by confidence (one-sided
    beads, a sentence left out, grey and marked on its axis), flagged beads marked red;
    every mark a link to its row of the table. Beads are drawn as runs (those ending in
    one small square of the plot are one line, coloured by their mean confidence), so a
    30,000-pair text gives a few hundred marks, not 30,000."""
    import numpy as np  # only a page with a map needs it

    pairs = report.pairs
    if not pairs:
        return ""
    counts = np.array([_sides(p.unit) for p in pairs], dtype=np.int64).reshape(-1, 2)
    ends = np.cumsum(counts, axis=0)
    total = np.maximum(ends[-1], 1)
    scale = MAP_SIZE / total  # pixels per sentence, across and up
    x1, y1 = ends[:, 0] * scale[0], ends[:, 1] * scale[1]
    x0, y0 = x1 - counts[:, 0] * scale[0], y1 - counts[:, 1] * scale[1]
    one_sided = (counts == 0).any(axis=1)
    confidence = np.nan_to_num(np.array([p.unit.confidence for p in pairs], dtype=float))
    flagged = np.array([bool(p.flags) for p in pairs])

    # runs: a new one where the path's end enters another square, or turns one-sided
    cell = (x1 // MAP_STEP).astype(np.int64) * 100_003 + (y1 // MAP_STEP).astype(np.int64)
    starts = np.flatnonzero(
        np.r_[True, (cell[1:] != cell[:-1]) | (one_sided[1:] != one_sided[:-1])]
    )
    stops = np.r_[starts[1:], len(pairs)] - 1
    mean = np.add.reduceat(confidence, starts) / (stops - starts + 1)
    bins = np.minimum((np.clip(mean, 0, 1) * len(CONFIDENCE_BINS) + 1e-9).astype(int), 4)

    def X(x: float) -> str:  # noqa: N802 - a plot coordinate
        return f"{MAP_LEFT + x:.1f}"

    def Y(y: float) -> str:  # noqa: N802 - up is more English
        return f"{MAP_PAD + MAP_SIZE - y:.1f}"

    marks = []
    for a, b, m, k in zip(starts.tolist(), stops.tolist(), mean.tolist(), bins.tolist(),
                          strict=True):  # fmt: skip
        where = f"pair #{a + 1}" if a == b else f"pairs #{a + 1}–#{b + 1}"
        if one_sided[a]:
            colour, dash, tip = LEFT_OUT, ' stroke-dasharray="3 2"', f"left out: {where}"
        else:
            colour, dash, tip = MAP_COLOURS[k], "", f"{where}, confidence {m:.2f}"
        line = (
            f'<line x1="{X(x0[a])}" y1="{Y(y0[a])}" x2="{X(x1[b])}" y2="{Y(y1[b])}" '
            f'stroke="{colour}" stroke-width="3" stroke-linecap="round"{dash}/>'
        )
        tick = ""  # the left-out sentences, on the axis of their side
        if one_sided[a] and counts[a, 0]:
            tick = (f'<rect x="{X(x0[a])}" y="{Y(-2)}" width="{max(x1[b] - x0[a], 1.5):.1f}" '
                    f'height="6" fill="{LEFT_OUT}"/>')  # fmt: skip
        elif one_sided[a]:
            tick = (f'<rect x="{X(-8)}" y="{Y(y1[b])}" width="6" '
                    f'height="{max(y1[b] - y0[a], 1.5):.1f}" fill="{LEFT_OUT}"/>')  # fmt: skip
        marks.append(f'<a href="#pair-{a + 1}"><title>{_e(tip)}</title>{line}{tick}</a>')

    # flagged beads: one red dot per small square, for the first of them there, beside
    # the path (below it, right: the path's colour stays seen), larger for more of them
    at = np.flatnonzero(flagged)
    rings = []
    if len(at):
        mx, my = (x0[at] + x1[at]) / 2, (y0[at] + y1[at]) / 2
        square = (mx // MAP_MARK).astype(np.int64) * 100_003 + (my // MAP_MARK).astype(np.int64)
        _, first, many = np.unique(square, return_index=True, return_counts=True)
        for f, n in zip(first.tolist(), many.tolist(), strict=True):
            i = int(at[f])
            codes = ", ".join(pairs[i].codes)
            more = f" (and {n - 1} more flagged here)" if n > 1 else ""
            rings.append(
                f'<a href="#pair-{i + 1}"><title>{_e(f"pair #{i + 1}: {codes}{more}")}</title>'
                f'<circle cx="{X(mx[f] + 4)}" cy="{Y(my[f] - 4)}" r="{min(2.5 + n**0.5, 7):.1f}" '
                f'fill="{FLAGGED}" fill-opacity="0.6"/></a>'
            )
    width, height = MAP_LEFT + MAP_SIZE + MAP_PAD, MAP_PAD + MAP_SIZE + MAP_BOTTOM
    zh_total, en_total = int(ends[-1, 0]), int(ends[-1, 1])
    axes = (
        f'<rect x="{MAP_LEFT}" y="{MAP_PAD}" width="{MAP_SIZE}" height="{MAP_SIZE}" '
        'fill="#fafafa" stroke="#bbb"/>'
        f'<line x1="{X(0)}" y1="{Y(0)}" x2="{X(MAP_SIZE)}" y2="{Y(MAP_SIZE)}" stroke="#ddd" '
        'stroke-dasharray="4 4"/>'
        f'<text x="{X(0)}" y="{Y(-16)}">0</text>'
        f'<text x="{X(MAP_SIZE)}" y="{Y(-16)}" text-anchor="end">{zh_total:,}</text>'
        f'<text x="{X(MAP_SIZE / 2)}" y="{Y(-30)}" text-anchor="middle">Chinese sentence</text>'
        f'<text x="{X(-12)}" y="{Y(MAP_SIZE - 10)}" text-anchor="end">{en_total:,}</text>'
        f'<text x="{X(-12)}" y="{Y(0)}" text-anchor="end">0</text>'
        f'<text transform="translate({X(-40)} {Y(MAP_SIZE / 2)}) rotate(-90)" '
        'text-anchor="middle">English sentence</text>'
    )
    svg = (
        f'<svg viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
        f'aria-label="alignment map">{axes}<g class="runs">{"".join(marks)}</g>'
        f'<g class="flagged">{"".join(rings)}</g></svg>'
    )
    legend = " ".join(
        f'<span style="color:{c}">■</span> {_e(label)}'
        for c, label in zip(MAP_COLOURS, CONFIDENCE_BINS, strict=True)
    )
    caption = (
        "The alignment's path: each step a bead, from the Chinese and English sentences "
        f'before it. Confidence {legend}; <span style="color:{LEFT_OUT}">- -</span> a '
        f'sentence left out (marked on its axis); <span style="color:{FLAGGED}">●</span> '
        "flagged (beside the path; larger: more of them). Beads close together are drawn "
        "as one run; click a mark for its row."
    )
    return f'<figure class="map" id="map">{svg}<figcaption>{caption}</figcaption></figure>'


def render_html(report: CheckReport, title: str = "Alignment check") -> str:
    """A self-contained HTML page: the summary, the alignment map (see `alignment_map`),
    then every pair side by side; flagged rows have the class `flagged` (and their codes
    in `data-flags`) and list their reasons."""
    rows = []
    for p in report.pairs:
        u = p.unit
        cls = "pair flagged" if p.flags else "pair"
        if p.flags:
            items = "".join(
                f'<li><span class="code">{_e(f.code)}</span>: {_e(f.reason)}</li>' for f in p.flags
            )
            flags = f'<ul class="flags">{items}</ul>'
        else:
            flags = '<span class="ok">ok</span>'
        gloss = f'<div class="gloss" lang="en">gloss: {_e(p.gloss)}</div>' if p.gloss else ""
        if p.terms:
            gloss += f'<div class="terms">terms: {_e(term_line(p.terms))}</div>'
        rows.append(
            f'<tr class="{cls}" id="pair-{p.index + 1}" data-flags="{_e(" ".join(p.codes))}">'
            f'<td class="index num">{p.index + 1}</td>'
            f'<td class="kind">{_e(u.kind)}</td>'
            f'<td class="confidence num">{u.confidence:.2f}</td>'
            f'<td class="chrf num">{"-" if p.chrf is None else f"{p.chrf:.1f}"}</td>'
            f'<td class="ratio num">{"-" if p.ratio is None else f"{p.ratio:.2f}"}</td>'
            + _text_cell(ZH, u.zh, gloss)
            + _text_cell(EN, u.en)
            + f'<td class="flags">{flags}</td></tr>'
        )
    head = (
        "<tr><th>#</th><th>Bead</th><th>Conf.</th><th>chrF</th><th>en/zh</th>"
        "<th>Chinese</th><th>English</th><th>Flags</th></tr>"
    )
    return "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="en">',
            "<head>",
            '<meta charset="utf-8">',
            f"<title>{_e(title)}</title>",
            f"<style>{CSS}</style>",
            "</head>",
            "<body>",
            f"<h1>{_e(title)}</h1>",
            _summary_html(report),
            alignment_map(report),
            '<table class="pairs" id="pairs">',
            f"<thead>{head}</thead>",
            "<tbody>",
            *rows,
            "</tbody>",
            "</table>",
            "</body>",
            "</html>",
            "",
        ]
    )
