"""The review screen: an alignment's pairs in two columns, Chinese and English, with
their confidence, status and `check`'s flags, and the keys that correct them.

The list draws only the rows on screen (textual's line API), one line per pair but the
current one, which shows its sentences in full (numbered, for split and move) and its
flags with their reasons. Column widths are measured in terminal cells, so a Chinese
character takes two.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events, work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.geometry import Size
from textual.screen import ModalScreen
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widgets import Footer, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from ..check.render import wrap
from ..model import EN, ZH, Edit, ExportResult, InputError, Unit
from .flags import Closed, Flags
from .session import Session

DIM = Style(dim=True)
RULE = Style(color="grey50")
HIGH = Style(color="green")  # confidence at or above MEDIUM
MID = Style(color="yellow")
LOW = Style(color="red", bold=True)  # below the low confidence
MEDIUM = 0.8
FLAG = Style(color="red", bold=True)
REASON = Style(color="yellow")
CONFIRMED = Style(color="green", bold=True)
EDITED = Style(color="cyan", bold=True)
CURRENT = Style(bgcolor="grey23")
MARGIN = 3  # pairs kept in view above and below the current one

HELP = """\
[b]Move[/b]     ↓ ↑ j k  next, previous pair   PgDn PgUp Home End
         f F      next, previous pair to look at: flagged or low
                  confidence, and not reviewed yet
         :        go to a pair number
         / n N    search both languages; next, previous match
[b]Correct[/b]  J        join the pair with the next one
         s        split the pair (choose the sentences where)
         [ ]      move its first Chinese sentence to the pair before,
                  its last to the pair after
         {{ }}      the same with an English sentence
         x        a sentence with no counterpart: a pair of its own
         e        edit the pair's text
         c        confirm the pair, and go to the next
         u r      undo, redo (ctrl+z, ctrl+y)
[b]Save[/b]     w        write {output}
         q        write it (when changed) and leave; the edits are kept
                  in {session}: reopening resumes them
[b]Marks[/b]    [red]![/] flagged (why: under the current pair)  · not checked yet
         [green]✓[/] confirmed  [cyan]✎[/] edited   confidence [green]≥ 0.8[/] \
[yellow]lower[/] [red]< {low:g}[/]
escape closes this help"""


def fit(text: str, width: int) -> str:
    """`text` on one line in exactly `width` cells: cut with … when longer, padded."""
    text = " ".join(text.split())
    if cell_len(text) <= width:
        return text + " " * (width - cell_len(text))
    out, used = [], 0
    for ch in text:
        w = cell_len(ch)
        if used + w > width - 1:
            break
        out.append(ch)
        used += w
    return "".join(out) + "…" + " " * (width - 1 - used)


def _confidence_style(confidence: float, low: float) -> Style:
    return LOW if confidence < low else MID if confidence < MEDIUM else HIGH


def _status_mark(status: str) -> Segment:
    if status == "confirmed":
        return Segment("✓", CONFIRMED)
    if status == "edited":
        return Segment("✎", EDITED)
    return Segment(" ")


class PairList(ScrollView, can_focus=True):
    """The pairs, one line each, the current one in full."""

    DEFAULT_CSS = """
    PairList { height: 1fr; overflow-x: hidden; }
    """
    # the scrolling keys move the current pair (not the view alone, animated)
    BINDINGS = [
        Binding("down,j", "app.go(1)", "next", show=False),
        Binding("up,k", "app.go(-1)", "previous", show=False),
        Binding("pagedown", "app.page(1)", "page down", show=False),
        Binding("pageup", "app.page(-1)", "page up", show=False),
        Binding("home", "app.to(0)", "first", show=False),
        Binding("end", "app.to(-1)", "last", show=False),
    ]

    def __init__(self, app: ReviewApp) -> None:
        super().__init__()
        self.review = app.session.review
        self.flags = app.flags
        self.current = 0
        self._lines: list[Strip] = []  # the current pair's lines

    # ------------------------------------------------------------ layout

    def _columns(self) -> tuple[int, int, int, int]:
        """(number width, prefix width, Chinese width, English width) in cells."""
        width = max(self.scrollable_content_region.width, 20)
        digits = len(str(max(len(self.review), 1)))
        prefix = digits + 9  # "  12 0.87 !✓ "
        rest = max(width - prefix - 3, 8)
        zh = max(rest * 2 // 5, 4)
        return digits, prefix, zh, rest - zh

    def _prefix(self, i: int, unit: Unit, digits: int) -> list[Segment]:
        flags = self.flags.of(unit)
        mark = Segment("·", DIM) if flags is None else Segment("!", FLAG) if flags else Segment(" ")
        return [
            Segment(f"{i + 1:>{digits}} ", DIM),
            Segment(
                f"{unit.confidence:4.2f}",
                _confidence_style(unit.confidence, self.flags.low_confidence),
            ),
            Segment(" "),
            mark,
            _status_mark(unit.status),
            Segment(" "),
        ]

    def _row(self, i: int) -> Strip:
        digits, _, zh_w, en_w = self._columns()
        unit = self.review.units[i]
        zh = fit(unit.zh, zh_w) if unit.zh.strip() else fit("—", zh_w)
        en = fit(unit.en, en_w) if unit.en.strip() else fit("—", en_w)
        return Strip(
            [*self._prefix(i, unit, digits), Segment(zh), Segment(" │ ", RULE), Segment(en)]
        )

    def _expand(self) -> None:
        """The current pair's lines: its sentences in full, then its flags."""
        if not len(self.review):
            self._lines = []
            return
        i = self.current
        unit = self.review.units[i]
        digits, prefix, zh_w, en_w = self._columns()
        width = prefix + zh_w + 3 + en_w
        zh, en = self.review.sentences(i)
        zh_lines, en_lines = _side_lines(zh, zh_w), _side_lines(en, en_w)
        lines: list[list[Segment]] = []
        for k in range(max(len(zh_lines), len(en_lines))):
            head = self._prefix(i, unit, digits) if k == 0 else [Segment(" " * prefix)]
            zh = zh_lines[k] if k < len(zh_lines) else [Segment(" " * zh_w)]
            en = en_lines[k] if k < len(en_lines) else [Segment(" " * en_w)]
            lines.append([*head, *zh, Segment(" │ ", RULE), *en])
        info = [unit.kind, unit.status]
        info += [x for x in (unit.block, unit.section, unit.time) if x]
        lines.append([Segment(" " * prefix), Segment(fit(" · ".join(info), width - prefix), DIM)])
        flags = self.flags.of(unit)
        if flags is None:
            lines.append(
                [Segment(" " * prefix), Segment(fit("(being checked)", width - prefix), DIM)]
            )
        for flag in flags or []:
            text = wrap(f"{flag.code}: {flag.reason}", width - prefix - 2, 3)
            for k, line in enumerate(text):
                lead = Segment("! ", FLAG) if k == 0 else Segment("  ")
                lines.append(
                    [Segment(" " * prefix), lead, Segment(fit(line, width - prefix - 2), REASON)]
                )
        self._lines = [
            Strip(Segment.apply_style(segments, post_style=CURRENT)).crop_extend(0, width, CURRENT)
            for segments in lines
        ]

    def update_rows(self) -> None:
        """Lay out again (after an edit, a move, a check or a resize) and redraw."""
        self.current = min(max(self.current, 0), max(len(self.review) - 1, 0))
        self._expand()
        height = max(len(self.review) - 1, 0) + len(self._lines)
        self.virtual_size = Size(self.scrollable_content_region.width, height)
        self.refresh()

    def select(self, i: int) -> None:
        """Make pair i the current one and bring it into view, its neighbours around it."""
        self.current = i
        self.update_rows()
        top, bottom = self.current, self.current + len(self._lines)
        height = self.scrollable_content_region.height
        y = self.scroll_offset.y
        if bottom - top + 2 * MARGIN > height:  # a long pair: as much of it as fits
            y = max(0, top - 1)
        elif top - MARGIN < y:
            y = max(0, top - MARGIN)
        elif bottom + MARGIN > y + height:
            y = bottom + MARGIN - height
        self.scroll_to(y=y, animate=False, immediate=True)

    def on_resize(self, event: events.Resize) -> None:
        self.select(self.current)

    def on_click(self, event: events.Click) -> None:
        i = self._pair_at(event.y + self.scroll_offset.y)
        if i is not None:
            self.select(i)
            self.app.show_position()  # type: ignore[attr-defined]

    # ------------------------------------------------------------ drawing

    def _pair_at(self, v: int) -> int | None:
        """The pair drawn at virtual line v."""
        h = len(self._lines)
        if v < self.current:
            return v
        if v < self.current + h:
            return self.current
        i = v - h + 1
        return i if i < len(self.review) else None

    def render_line(self, y: int) -> Strip:
        v = y + self.scroll_offset.y
        width = self.scrollable_content_region.width
        if v >= self.current and v < self.current + len(self._lines):
            return self._lines[v - self.current]
        i = self._pair_at(v)
        if i is None:
            return Strip.blank(width)
        return self._row(i).crop_extend(0, width, None)


def _side_lines(sentences: list[str], width: int) -> list[list[Segment]]:
    """A side's sentences wrapped to `width` cells, each numbered when there are several."""
    if not sentences:
        return [[Segment(fit("—", width), DIM)]]
    numbered = len(sentences) > 1
    lines: list[list[Segment]] = []
    for k, sentence in enumerate(sentences, 1):
        lead = len(str(len(sentences))) + 1 if numbered else 0
        for n, line in enumerate(wrap(sentence, width - lead, 1000)):
            head = [Segment(f"{k:>{lead - 1}} " if n == 0 else " " * lead, DIM)] if numbered else []
            lines.append([*head, Segment(fit(line, width - lead))])
    return lines


# ---------------------------------------------------------------- dialogs


class Prompt(ModalScreen[str | None]):
    """One line of input at the bottom: a pair number, a search."""

    DEFAULT_CSS = """
    Prompt { align: left bottom; }
    Prompt > Input { width: 100%; }
    """
    BINDINGS = [Binding("escape", "cancel", "cancel")]

    def __init__(self, label: str, value: str = "") -> None:
        super().__init__()
        self.label = label
        self.value = value

    def compose(self) -> ComposeResult:
        yield Input(value=self.value, placeholder=self.label)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)


class Help(ModalScreen[None]):
    DEFAULT_CSS = """
    Help { align: center middle; }
    Help > VerticalScroll { width: 100%; max-width: 80; height: 100%; border: round $accent;
      padding: 0 1; background: $surface; }
    """
    BINDINGS = [
        Binding("escape,q,question_mark", "close", "close"),
    ]

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(self.text)

    def action_close(self) -> None:
        self.dismiss(None)


class Split(ModalScreen[tuple[int, int] | None]):
    """Choose where a pair splits: after which Chinese and which English sentence."""

    DEFAULT_CSS = """
    Split { align: center middle; }
    Split > VerticalScroll { width: 100%; height: 100%; border: round $accent; padding: 0 1;
      background: $surface; }
    """
    BINDINGS = [  # before the scrolling's own keys
        Binding("up,k", "cut(-1)", "cut up", priority=True),
        Binding("down,j", "cut(1)", "cut down", priority=True),
        Binding("tab", "side", "other side", priority=True),
        Binding("enter", "done", "split", priority=True),
        Binding("escape", "cancel", "cancel"),
    ]

    def __init__(self, number: int, zh: list[str], en: list[str]) -> None:
        super().__init__()
        self.number, self.zh, self.en = number, zh, en
        k = (len(zh) + 1) // 2 if len(zh) > 1 else len(zh)
        m = (len(en) + 1) // 2 if len(en) > 1 else (0 if len(zh) > 1 else len(en))
        if len(zh) <= 1 and len(en) > 1:
            k = len(zh)
        self.cut = [k, m]  # sentences of each side the first pair keeps
        self.side = 0 if len(zh) > 1 or len(en) <= 1 else 1

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(id="split")

    def on_mount(self) -> None:
        self._show()

    def _show(self) -> None:
        lines = [
            f"[b]Split pair #{self.number}[/b]: ↑↓ move the cut, tab: the other side, "
            "enter: split, escape: cancel",
        ]
        for s, (name, sentences) in enumerate((("Chinese", self.zh), ("English", self.en))):
            active = " [reverse]◀ moving[/reverse]" if s == self.side else ""
            lines.append(f"\n[b]{name}[/b]{active}")
            for k, sentence in enumerate(sentences):
                if k == self.cut[s]:
                    lines.append("[red]──── cut ────[/red]")
                lines.append(f"{k + 1}.\u00a0{_escape(sentence)}")  # (no break after it)
            if self.cut[s] == len(sentences):
                lines.append("[red]──── cut ────[/red]")
        self.query_one("#split", Static).update("\n".join(lines))

    def action_cut(self, step: int) -> None:
        n = len(self.zh if self.side == 0 else self.en)
        self.cut[self.side] = min(max(self.cut[self.side] + step, 0), n)
        self._show()

    def action_side(self) -> None:
        self.side = 1 - self.side
        self._show()

    def action_done(self) -> None:
        self.dismiss((self.cut[0], self.cut[1]))

    def action_cancel(self) -> None:
        self.dismiss(None)


class Pick(ModalScreen[tuple[str, str] | None]):
    """Choose the sentence with no counterpart: the first or last of a side."""

    DEFAULT_CSS = """
    Pick { align: center middle; }
    Pick > Vertical { width: 100%; height: auto; max-height: 100%; border: round $accent;
      background: $surface; }
    Pick OptionList { height: auto; max-height: 18; }
    """
    BINDINGS = [Binding("escape", "cancel", "cancel")]

    def __init__(self, number: int, zh: list[str], en: list[str]) -> None:
        super().__init__()
        self.number = number
        self.choices: list[tuple[str, str, str]] = []  # (side, end, label)
        for lang, sentences, name in ((ZH, zh, "Chinese"), (EN, en, "English")):
            if sentences:
                self.choices.append((lang, "first", f"{name} 1: {sentences[0]}"))
            if len(sentences) > 1:
                n = len(sentences)
                self.choices.append((lang, "last", f"{name} {n}: {sentences[-1]}"))

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(f" Pair #{self.number}: which sentence has no counterpart?")
            yield OptionList(*(Option(_escape(label)) for _, _, label in self.choices))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        side, end, _ = self.choices[event.option_index]
        self.dismiss((side, end))

    def action_cancel(self) -> None:
        self.dismiss(None)


class EditText(ModalScreen[tuple[tuple[str, ...], tuple[str, ...]] | None]):
    """The pair's sentences, one line of input each: enter keeps them, escape does not."""

    DEFAULT_CSS = """
    EditText { align: center middle; }
    EditText > VerticalScroll { width: 100%; height: 100%; border: round $accent;
      background: $surface; }
    EditText Input { margin: 0; }
    """
    BINDINGS = [Binding("escape", "cancel", "cancel")]
    AUTO_FOCUS = "Input"

    def __init__(self, number: int, zh: list[str], en: list[str]) -> None:
        super().__init__()
        self.number, self.zh, self.en = number, zh, en

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Label(f"Edit pair #{self.number}: tab to move, enter to keep, escape to cancel")
            for lang, sentences in ((ZH, self.zh), (EN, self.en)):
                name = "Chinese" if lang == ZH else "English"
                for k, sentence in enumerate(sentences):
                    number = f" {k + 1}" if len(sentences) > 1 else ""
                    yield Label(f"[b]{name}{number}[/b]")
                    yield Input(value=sentence, id=f"{lang}-{k}", compact=True)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        texts = tuple(
            tuple(self.query_one(f"#{lang}-{k}", Input).value for k in range(len(sentences)))
            for lang, sentences in ((ZH, self.zh), (EN, self.en))
        )
        self.dismiss((texts[0], texts[1]))

    def action_cancel(self) -> None:
        self.dismiss(None)


def _escape(text: str) -> str:
    """Text shown in rich markup as it is."""
    return text.replace("[", r"\[")


# ---------------------------------------------------------------- the app


class ReviewApp(App[ExportResult | None]):
    """Review an alignment: move, correct, confirm, undo; save to the output."""

    TITLE = "aligner review"
    CSS = """
    #title { height: 1; background: $primary-background; color: $text; }
    #status { height: 1; color: $text-muted; }
    """
    BINDINGS = [
        Binding("f", "look(1)", "flagged"),
        Binding("F", "look(-1)", "previous flagged", show=False),
        Binding("colon", "goto", "go to", show=False),
        Binding("slash", "search", "search"),
        Binding("n", "again(1)", "next match", show=False),
        Binding("N", "again(-1)", "previous match", show=False),
        Binding("J", "join", "join"),
        Binding("s", "split", "split"),
        Binding("left_square_bracket", "move('zh', 'first')", "zh up", show=False),
        Binding("right_square_bracket", "move('zh', 'last')", "zh down", show=False),
        Binding("left_curly_bracket", "move('en', 'first')", "en up", show=False),
        Binding("right_curly_bracket", "move('en', 'last')", "en down", show=False),
        Binding("x", "detach", "alone"),
        Binding("e", "edit", "edit"),
        Binding("c", "confirm", "confirm"),
        Binding("u,ctrl+z", "undo", "undo"),
        Binding("r,ctrl+y", "redo", "redo", show=False),
        Binding("w,ctrl+s", "save", "save", show=False),
        Binding("question_mark", "help", "help"),
        Binding("q", "leave", "quit"),
        Binding("ctrl+q", "leave", "quit", show=False, priority=True),
    ]

    def __init__(
        self, session: Session, flags: Flags, title: str, cursor: int = 0, note: str = ""
    ) -> None:
        super().__init__()
        self.session = session
        self.review = session.review
        self.flags = flags
        self.name_shown = title
        self.cursor = cursor
        self.note = note  # said in the status line at the start (a resumed session)
        self.query_text = ""  # the last search
        self.message = ""  # what the status line says
        self.result: ExportResult | None = None  # the last output written

    def compose(self) -> ComposeResult:
        yield Static(id="title")
        yield PairList(self)
        yield Static(id="status")
        yield Footer(compact=True, show_command_palette=False)

    @property
    def pairs(self) -> PairList:
        return self.query_one(PairList)

    def on_mount(self) -> None:
        self.pairs.focus()
        self.pairs.select(min(self.cursor, max(len(self.review) - 1, 0)))
        self.show_title()
        self.say(self.note or "? shows the keys")
        self.check_all()

    # ------------------------------------------------------------ checking

    @work(thread=True, exclusive=True, group="check", exit_on_error=False)
    def check_all(self) -> None:
        """`check` the whole alignment in the background; then the pairs edited meanwhile."""
        try:
            self.flags.check_all(list(self.review.units))
            units = list(self.review.units)
            for i in self.flags.unchecked(units):
                if self.flags.of(units[i]) is None:
                    self.flags.recheck(units, range(i, i + 1))
        except Closed:
            return
        self.call_from_thread(self.checked)

    @work(thread=True, group="recheck", exit_on_error=False)
    def recheck(self, changed: range) -> None:
        try:
            self.flags.recheck(list(self.review.units), changed)
        except Closed:
            return
        self.call_from_thread(self.checked)

    def on_unmount(self) -> None:
        self.flags.close()

    def checked(self) -> None:
        self.pairs.update_rows()
        self.show_title()

    # ------------------------------------------------------------ showing

    def show_title(self) -> None:
        units = self.review.units
        reviewed = sum(1 for u in units if u.status != "auto")
        if self.flags.ready:
            look = f"{sum(1 for u in units if self.flags.needs_look(u))} to look at"
        else:
            look = "checking…"
        facts = f" │ {len(units)} pairs · {look} · {reviewed} reviewed"
        facts += " · not saved" if self.session.unsaved else ""
        width = max(self.size.width - cell_len(facts) - 1, 8)
        self.query_one("#title", Static).update(Text(" " + fit(self.name_shown, width) + facts))

    def say(self, message: str) -> None:
        self.message = message
        self.show_position()

    def show_position(self) -> None:
        width = max(self.size.width, 20)
        place = f"#{self.pairs.current + 1} of {len(self.review)} "
        text = fit(" " + self.message, max(width - len(place), 1)) + place
        self.query_one("#status", Static).update(text)

    def changed(self, pairs: range, message: str, at: int | None = None) -> None:
        """After an edit, undo or redo: redraw, keep the session, recheck the pairs."""
        self.pairs.select(pairs.start if at is None else at)
        self.session.keep(self.pairs.current)
        self.recheck(pairs)
        self.show_title()
        self.say(message)

    def edit(self, edit: Edit, message: str, at: int | None = None) -> range | None:
        """Make an edit (the pairs it made), or say why it does not apply (None)."""
        try:
            pairs = self.review.apply(edit)
        except InputError as err:
            self.say(str(err))
            self.bell()
            return None
        self.changed(pairs, message, at)
        return pairs

    # ------------------------------------------------------------ moving

    def action_go(self, step: int) -> None:
        self.pairs.select(min(max(self.pairs.current + step, 0), len(self.review) - 1))
        self.show_position()

    def action_page(self, step: int) -> None:
        self.action_go(step * max(self.pairs.scrollable_content_region.height - 2 * MARGIN, 1))

    def action_to(self, i: int) -> None:
        self.action_go((len(self.review) if i < 0 else 0) - self.pairs.current - (i < 0))

    def action_look(self, step: int) -> None:
        """The next (or previous) pair to look at: flagged or low confidence, not reviewed."""
        found = self._find(step, self.flags.needs_look)
        if found is None:
            self.say("no pair to look at" + ("" if self.flags.ready else " (checking…)"))
        else:
            self.pairs.select(found[0])
            self.say(self._why(found[0]) + found[1])

    def _why(self, i: int) -> str:
        unit = self.review.units[i]
        flags = self.flags.of(unit) or []
        codes = ", ".join(f.code for f in flags)
        if not codes and unit.confidence < self.flags.low_confidence:
            codes = f"confidence {unit.confidence:.2f}"
        return f"#{i + 1}: {codes}"

    def _find(self, step: int, wanted: Callable[[Unit], bool]) -> tuple[int, str] | None:
        """The next pair (previous, when `step` < 0) that is `wanted`, going on from the
        other end of the list when there is none: (its position, what to say of that)."""
        units, i = self.review.units, self.pairs.current
        ahead = range(i + 1, len(units)) if step > 0 else range(i - 1, -1, -1)
        found = next((k for k in ahead if wanted(units[k])), None)
        if found is not None:
            return found, ""
        around = range(0, i + 1) if step > 0 else range(len(units) - 1, i - 1, -1)
        found = next((k for k in around if wanted(units[k])), None)
        if found is None:
            return None
        return found, " (from the top)" if step > 0 else " (from the end)"

    def action_goto(self) -> None:
        def go(value: str | None) -> None:
            if value is None:
                return
            try:
                n = int(value.strip().lstrip("#"))
            except ValueError:
                self.say(f"{value!r}: give a pair number")
                return
            if not 1 <= n <= len(self.review):
                self.say(f"#{n}: no such pair (there are {len(self.review)})")
                return
            self.pairs.select(n - 1)
            self.show_position()

        self.push_screen(Prompt("go to pair number"), go)

    def action_search(self) -> None:
        def search(value: str | None) -> None:
            if value:
                self.query_text = value
                self.action_again(1)

        self.push_screen(Prompt("search Chinese and English", self.query_text), search)

    def action_again(self, step: int) -> None:
        text = self.query_text
        if not text:
            self.say("/ searches first")
            return
        folded = text.casefold()
        found = self._find(step, lambda u: text in u.zh or folded in u.en.casefold())
        if found is None:
            self.say(f"{text!r}: not found")
        else:
            self.pairs.select(found[0])
            self.say(f"{text!r} found{found[1]} (n: next, N: previous)")

    # ------------------------------------------------------------ correcting

    def action_join(self) -> None:
        i = self.pairs.current
        self.edit(Edit("join", i), f"joined #{i + 1} and #{i + 2}")

    def action_split(self) -> None:
        i = self.pairs.current
        zh, en = self.review.sentences(i)
        if len(zh) + len(en) < 2:
            self.say(f"#{i + 1} has one sentence: nothing to split")
            return

        def split(cut: tuple[int, int] | None) -> None:
            if cut is not None:
                self.edit(Edit("split", i, cut=cut), f"split #{i + 1} into #{i + 1} and #{i + 2}")

        self.push_screen(Split(i + 1, zh, en), split)

    def action_move(self, side: str, end: str) -> None:
        i = self.pairs.current
        where = "the pair before" if end == "first" else "the pair after"
        language = "Chinese" if side == ZH else "English"
        message = f"moved the {end} {language} sentence of #{i + 1} to {where}"
        pairs = self.edit(Edit("move", i, side=side, end=end), message, at=i)
        if pairs is not None and len(pairs) == 1:  # the pair was left empty: gone
            self.pairs.select(pairs.start)  # the one that took its sentence
            self.show_position()

    def action_detach(self) -> None:
        i = self.pairs.current
        zh, en = self.review.sentences(i)

        def detach(choice: tuple[str, str] | None) -> None:
            if choice is not None:
                side, end = choice
                self.edit(
                    Edit("detach", i, side=side, end=end),
                    f"the {end} {'Chinese' if side == ZH else 'English'} sentence of #{i + 1} "
                    "is a pair of its own",
                    at=i if end == "first" else i + 1,
                )

        self.push_screen(Pick(i + 1, zh, en), detach)

    def action_edit(self) -> None:
        i = self.pairs.current
        zh, en = self.review.sentences(i)

        def edited(texts: tuple[tuple[str, ...], tuple[str, ...]] | None) -> None:
            if texts is None:
                return
            new_zh = texts[0] if list(texts[0]) != zh else None
            new_en = texts[1] if list(texts[1]) != en else None
            if new_zh is None and new_en is None:
                self.say("nothing changed")
                return
            self.edit(Edit("edit", i, zh=new_zh, en=new_en), f"edited #{i + 1}")

        self.push_screen(EditText(i + 1, zh, en), edited)

    def action_confirm(self) -> None:
        i = self.pairs.current
        unit = self.review.units[i]
        nxt = min(i + 1, len(self.review) - 1)
        if unit.status != "auto":
            self.pairs.select(nxt)
            self.say(f"#{i + 1} is already {unit.status}")
            return
        self.edit(Edit("confirm", i), f"confirmed #{i + 1}", at=nxt)

    def action_undo(self) -> None:
        done = self.review.undo()
        if done is None:
            self.say("nothing to undo")
            return
        edit, pairs = done
        self.changed(pairs, f"undid {edit.op} of #{edit.bead + 1} (r redoes)", at=edit.bead)

    def action_redo(self) -> None:
        done = self.review.redo()
        if done is None:
            self.say("nothing to redo")
            return
        edit, pairs = done
        self.changed(pairs, f"redid {edit.op} of #{edit.bead + 1}", at=edit.bead)

    # ------------------------------------------------------------ saving

    def action_save(self) -> None:
        try:
            self.result = self.session.save()
        except InputError as err:
            self.say(str(err))
            self.bell()
            return
        self.show_title()
        self.say(f"wrote {self.result.written} units to {self.session.output}")

    def action_leave(self) -> None:
        self.session.keep(self.pairs.current)
        if self.session.unsaved:
            self.action_save()
            if self.session.unsaved:
                return  # could not write: said so; stay
        self.exit(self.result)

    def action_help(self) -> None:
        text = HELP.format(
            output=_escape(self.session.output.name),
            session=_escape(self.session.path.name),
            low=self.flags.low_confidence,
        )
        self.push_screen(Help(text))
