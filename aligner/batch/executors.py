"""Where pairs are aligned: in this process, in a pool of worker processes, or on a Dask
cluster. Each runs the same pure function (`worker.align_pair` unless told otherwise) and
yields one result per pair as results come in.

`run_items` runs any such function over any items (the corpus glossary's chunks of
documents): `fn(item, task)` in a worker, and `lost(item, why)` for an item whose worker
died (`why` None) or that the cluster lost (`why` the reason), raising or giving a result.
An InputError `fn` raises stops the run and reaches the caller as it is."""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from types import ModuleType
from typing import TYPE_CHECKING, Protocol, TypeVar

from ..formats import remove_temporaries
from ..model import InputError
from .records import DocumentPair, PairResult, Task
from .worker import align_pair, reason, warm

if TYPE_CHECKING:
    from concurrent.futures import Future, ProcessPoolExecutor

EXECUTORS = ("local", "dask")


class WorkerTask(Protocol):
    """What every worker is given besides its item: at least the jieba user dictionary
    each worker process loads once."""

    user_dict: bytes | None


Item = TypeVar("Item")
Result = TypeVar("Result")
Settings = TypeVar("Settings", bound=WorkerTask)


def default_workers() -> int:
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:
        return os.cpu_count() or 1


def _size(pair: DocumentPair) -> int:
    try:
        return sum(p.stat().st_size for p in pair.paths)
    except OSError:
        return 0


def run_pairs(
    todo: list[DocumentPair], task: Task, executor: str, scheduler: str | None, workers: int
) -> Iterator[PairResult]:
    """The results of the pairs, on the executor the settings name."""
    if workers > 1 or executor == "dask":
        todo = sorted(todo, key=_size, reverse=True)  # biggest first: no long pair at the end
    return run_items(todo, task, executor, scheduler, workers, align_pair, _lost)


def run_items(
    todo: list[Item],
    task: Settings,
    executor: str,
    scheduler: str | None,
    workers: int,
    fn: Callable[[Item, Settings], Result],
    lost: Callable[[Item, str | None], Result],
    warm_up: bool = True,
) -> Iterator[Result]:
    """`fn(item, task)` of every item on the executor the settings name, the results as
    they come in (not in the items' order). `warm_up`: worker processes load the lexicon
    and jieba before their first item (not for a function that needs neither)."""
    if todo and executor == "dask":
        return run_dask(todo, task, scheduler, workers, fn, lost)
    if workers == 1 or len(todo) <= 1:
        return run_inline(todo, task, fn)
    return run_pool(todo, task, workers, fn, lost, warm_up)


def run_inline(
    todo: list[Item], task: Settings, fn: Callable[[Item, Settings], Result] = align_pair
) -> Iterator[Result]:
    for item in todo:
        yield fn(item, task)


def _stop(signum: int, frame: object) -> None:
    """SIGTERM in a worker (the batch stopping, or gone): end now, without the
    temporaries of the outputs it was writing."""
    remove_temporaries()
    os._exit(128 + signum)


def _die_with(parent: int) -> None:
    """End this worker when the batch process `parent` ends, even by SIGKILL (which lets
    it stop no pool): on Linux the kernel sends SIGTERM (prctl PR_SET_PDEATHSIG);
    elsewhere a thread sees the worker re-parented."""
    if sys.platform.startswith("linux"):
        import ctypes

        pr_set_pdeathsig = 1
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)
        if os.getppid() != parent:
            _stop(signal.SIGTERM, None)  # the parent died before the watch was set
        return

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        _stop(signal.SIGTERM, None)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def _init_worker(user_dict: bytes | None, parent: int, warm_up: bool = True) -> None:
    """Runs once in each worker process: stop on SIGTERM, die with the batch, then load
    the lexicon and jieba before any pair."""
    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent stops the workers itself
    _die_with(parent)
    if not warm_up:
        return
    try:
        warm(user_dict)
    except Exception:
        pass  # each pair retries and reports the error as its failure


def _lost(pair: DocumentPair, why: str | None) -> PairResult:
    """A pair whose worker died (`why` None) or that the cluster lost: failed."""
    why = why or "the worker process died while aligning this pair (killed, or out of memory?)"
    return PairResult(pair.id, "failed", why)


def run_pool(
    todo: list[Item],
    task: Settings,
    workers: int,
    fn: Callable[[Item, Settings], Result] = align_pair,
    lost: Callable[[Item, str | None], Result] = _lost,
    warm_up: bool = True,
) -> Iterator[Result]:
    """Run items in worker processes, a few in flight per worker. A worker that dies
    (killed, out of memory) breaks the pool: the items in flight then are retried one by
    one in a pool of their own, so that only the item that kills its worker is lost."""
    import multiprocessing
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
    from concurrent.futures.process import BrokenProcessPool

    ctx = multiprocessing.get_context("spawn")  # clean workers, as on macOS and Windows

    def pool_of(n: int) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            n, mp_context=ctx, initializer=_init_worker,
            initargs=(task.user_dict, os.getpid(), warm_up)
        )

    queue = deque(todo)
    suspects: list[Item] = []
    while queue:
        pool = pool_of(min(workers, len(queue)))
        running: dict[Future[Result], Item] = {}
        broken = False
        try:
            while (queue and not broken) or running:
                while queue and not broken and len(running) < 2 * workers:
                    try:
                        future = pool.submit(fn, queue[0], task)
                    except BrokenProcessPool:
                        broken = True
                        break
                    running[future] = queue.popleft()
                done, _ = wait(running, return_when=FIRST_COMPLETED)
                for future in done:
                    item = running.pop(future)
                    try:
                        result = future.result()
                    except BrokenProcessPool:
                        broken = True
                        suspects.append(item)
                        continue
                    yield result
        except BaseException:
            _terminate(pool)
            raise
        pool.shutdown(wait=True)
    for item in suspects:
        pool = pool_of(1)
        died = False
        try:
            result = pool.submit(fn, item, task).result()
        except BrokenProcessPool:
            died = True
        except BaseException:
            _terminate(pool)
            raise
        pool.shutdown(wait=True)
        yield lost(item, None) if died else result


def _terminate(pool: ProcessPoolExecutor) -> None:
    """Stop the workers now (Ctrl-C, SIGTERM): pairs in flight are left, not finished."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    for proc in processes:
        proc.terminate()
    pool.shutdown(wait=False, cancel_futures=True)
    for proc in processes:
        proc.join(5)
        if proc.is_alive():  # deaf to SIGTERM (stuck in native code)
            proc.kill()


def require_distributed() -> ModuleType:
    """dask.distributed, or InputError saying how to install it."""
    try:
        import distributed
    except ImportError:
        raise InputError(
            "--executor dask needs dask.distributed: pip install 'aligner[dask]'"
        ) from None
    return distributed


def run_dask(
    todo: list[Item],
    task: Settings,
    scheduler: str | None,
    workers: int,
    fn: Callable[[Item, Settings], Result] = align_pair,
    lost: Callable[[Item, str | None], Result] = _lost,
) -> Iterator[Result]:
    """The same pure function on a Dask cluster: `scheduler` is its address
    (tcp://host:8786); without one, a LocalCluster of `workers` processes."""
    distributed = require_distributed()
    cluster = None
    try:
        if scheduler:
            client = distributed.Client(scheduler, timeout="20s")
        else:
            cluster = distributed.LocalCluster(
                n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None
            )
            client = distributed.Client(cluster)
    except (OSError, TimeoutError, ValueError) as err:
        if cluster is not None:
            cluster.close()
        if scheduler:
            raise InputError(f"cannot reach the Dask scheduler at {scheduler}: {err}") from None
        raise InputError(f"cannot start a local Dask cluster: {err}") from None
    try:
        futures = client.map(fn, todo, task=task, pure=False)
        owner = {f.key: item for f, item in zip(futures, todo, strict=True)}
        for future in distributed.as_completed(futures):
            item = owner[future.key]
            try:
                result = future.result()
            except InputError:
                raise  # bad input: the caller reports it
            except Exception as err:  # KilledWorker, a lost worker, a cancelled task
                result = lost(item, reason(err))
            future.release()
            yield result
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
