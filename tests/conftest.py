"""Shared fixtures: the lexicon (loaded once per session) and small hand-made bitexts."""

from __future__ import annotations

import subprocess
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

import cluster
import pytest

from aligner.model import Unit

ROOT = Path(__file__).resolve().parent.parent

# Ten simple sentence pairs with dictionary words, numbers and names on both sides.
PAIRS: list[tuple[str, str]] = [
    ("习近平主席周一在北京会见了美国总统特朗普。",
     "President Xi Jinping met U.S. President Donald Trump in Beijing on Monday."),
    ("双方同意扩大贸易和农业合作。",
     "The two sides agreed to expand cooperation in trade and agriculture."),
    ("今年中国经济增长了百分之五。", "China's economy grew by five percent this year."),
    ("代表团访问了上海的三家工厂。", "The delegation visited three factories in Shanghai."),
    ("会议讨论了气候变化和公共卫生问题。",
     "The meeting discussed climate change and public health."),
    ("九名学生获得了奖学金。", "Nine students received scholarships."),
    ("新的铁路将于2027年开通。", "The new railway will open in 2027."),
    ("许多游客在春天来到北京参观长城。",
     "Many tourists come to Beijing in spring to visit the Great Wall."),
    ("两国领导人将在G20峰会期间再次会晤。",
     "The two leaders will meet again during the G20 summit."),
    ("这次访问标志着两国关系进入新阶段。",
     "This visit marks a new stage in relations between the two countries."),
]  # fmt: skip


# The beads of a short text, for the review tests: (Chinese sentences, English sentences,
# confidence), in order.
REVIEW_BEADS = [
    (["双方周一在北京会晤。"], ["The two sides met in Beijing on Monday."], 0.95),
    (
        ["他们同意恢复贸易会谈。", "官员表示会晤很有益处。"],
        ["They agreed to resume trade talks, and officials said the meeting was useful."],
        0.62,
    ),
    (
        ["代表团访问了上海的三家工厂。"],
        ["The delegation visited three factories in Shanghai.", "It also met local officials."],
        0.41,
    ),
    (["九名学生获得了奖学金。"], [], 0.30),
    (["新的铁路将于2027年开通。"], ["The new railway will open in 2027."], 0.90),
]  # fmt: skip


def review_units(context: bool = False) -> list[Unit]:
    """REVIEW_BEADS as units, with their sentence numbers (and, with `context`, the Chinese
    sentences around each, as a TMX of ours has them)."""
    zh_all = [s for zh, _, _ in REVIEW_BEADS for s in zh]
    units, z, e = [], 0, 0
    for zh, en, confidence in REVIEW_BEADS:
        zh_ids, en_ids = tuple(range(z, z + len(zh))), tuple(range(e, e + len(en)))
        around = ("", "")
        if context and zh:
            pre = zh_all[z - 1] if z else ""
            post = zh_all[z + len(zh)] if z + len(zh) < len(zh_all) else ""
            around = (pre, post)
        units.append(
            Unit("".join(zh), " ".join(en), confidence, f"{len(zh)}-{len(en)}", 0, "news",
                 zh_ids, en_ids, context=around)
        )  # fmt: skip
        z, e = z + len(zh), e + len(en)
    return units


@pytest.fixture(scope="session")
def lexicon() -> Mapping[str, frozenset[str]]:
    """CC-CEDICT compiled (first run: ~8 s, then cached under ~/.cache/aligner)."""
    from aligner.lexicon import cedict

    return cedict()


@pytest.fixture
def pairs() -> list[tuple[str, str]]:
    return list(PAIRS)


WriteBitext = Callable[..., tuple[Path, Path]]


@pytest.fixture
def write_bitext(tmp_path: Path) -> WriteBitext:
    """write(zh_units, en_units, sep="\\n") -> (zh_path, en_path): one unit per line
    (sep="\\n\\n" writes paragraphs separated by blank lines)."""
    counter = iter(range(1_000_000))

    def write(zh: list[str], en: list[str], sep: str = "\n") -> tuple[Path, Path]:
        k = next(counter)
        zh_path, en_path = tmp_path / f"doc{k}_zh.txt", tmp_path / f"doc{k}_en.txt"
        zh_path.write_text(sep.join(zh) + "\n", encoding="utf-8")
        en_path.write_text(sep.join(en) + "\n", encoding="utf-8")
        return zh_path, en_path

    return write


@pytest.fixture
def traditional_file(tmp_path: Path) -> Path:
    """A small bilingual file whose Chinese half is in traditional characters."""
    path = tmp_path / "trad.txt"
    path.write_text(
        "Talks Resume\n\nThe two sides met. Relations improved.\n\n"
        "會談恢復\n\n雙方舉行會談。中美關係改善。\n",
        encoding="utf-8",
    )
    return path


@pytest.fixture
def dask_cluster(tmp_path: Path) -> Iterator[tuple[str, dict[str, subprocess.Popen]]]:
    """A real local Dask cluster (see cluster.dask_cluster): its scheduler's address and
    its two workers by name."""
    pytest.importorskip("distributed")
    with cluster.dask_cluster(tmp_path) as running:
        yield running
