"""Align a whole collection of document pairs: on every core, or on a Dask cluster.

A manifest names the pairs (`manifest.read_manifest`); `run.run_batch` aligns each one
with the same pure function (`worker.align_pair`) on an executor (`executors`: this
process, a process pool, Dask), skips the pairs done before and reports the failures.
"""

from .manifest import ManifestError, read_manifest
from .records import BatchOptions, BatchSummary, DocumentPair, PairResult
from .run import run_batch
from .worker import align_pair

__all__ = [
    "BatchOptions",
    "BatchSummary",
    "DocumentPair",
    "ManifestError",
    "PairResult",
    "align_pair",
    "read_manifest",
    "run_batch",
]
