"""A real local Dask cluster for tests (`dask scheduler` and `dask worker` processes),
and the helpers of tests that start processes. Imported by conftest.py and test modules
(tests/ is on sys.path under pytest)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def kill(processes: list[subprocess.Popen]) -> None:
    for proc in processes:
        if proc.poll() is None:
            proc.kill()
        proc.wait(15)


def env() -> dict[str, str]:
    """This checkout first on the path of a process started here."""
    path = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p)
    return dict(os.environ, PYTHONPATH=path)


@contextmanager
def dask_cluster(folder: Path) -> Iterator[tuple[str, dict[str, subprocess.Popen]]]:
    """A scheduler and two workers (one thread each, no nanny: a killed worker stays
    dead) on free ports, their files in `folder`; all stopped afterwards. Yields the
    scheduler's address and the workers by name."""
    import distributed

    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    dask = [sys.executable, "-m", "dask"]
    quiet = {"env": env(), "stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    scheduler = subprocess.Popen(
        [*dask, "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"],
        **quiet,
    )
    options = ["--nthreads", "1", "--no-nanny", "--no-dashboard", "--local-directory"]
    workers = {}
    for name in ("w0", "w1"):
        command = [*dask, "worker", address, "--name", name, *options, str(folder / name)]
        workers[name] = subprocess.Popen(command, **quiet)
    try:
        with distributed.Client(address, timeout="60s") as client:
            client.wait_for_workers(2, timeout=60)
        yield address, workers
    finally:
        kill([*workers.values(), scheduler])
