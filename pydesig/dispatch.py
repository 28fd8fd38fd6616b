"""Run a function over the parts of a case: in this process, on a process pool, or on a Dask cluster.

Every command that solves part by part goes through :func:`run_parts`, so none of them knows which
executor ran it: results come back in the order of the parts, whatever order they finished in, and
that order alone decides the output (byte-identical for every number of workers).

* ``workers=1`` (or a single part): in this process, one part after another;
* ``workers=N``: a :class:`concurrent.futures.ProcessPoolExecutor` of N processes;
* ``scheduler="tcp://HOST:PORT"``: the parts are mapped onto a running Dask distributed cluster
  (``pip install 'pydesig[dask]'``), ``Client.map`` and ``as_completed`` as in the standard library.

A part that raises hands its exception on unchanged (bad input stays bad input); a worker process
that dies (killed, out of memory, a crash in native code) becomes a :class:`PartFailed` that names
the part.
"""

from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from typing import Callable, Iterator, Sequence, TypeVar

__all__ = ["run_parts", "iter_parts", "PartFailed", "default_workers"]

P = TypeVar("P")
R = TypeVar("R")

Progress = Callable[[int, int], None]  # (parts done, parts in all)
CONNECT_TIMEOUT = "20s"  # how long to wait for a Dask scheduler before giving up


class PartFailed(RuntimeError):
    """A part could not be computed because the process running it failed (exit code 1)."""


def default_workers() -> int:
    """The machine's cores (those this process may use, where the OS says)."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def _label(part, index: int, total: int) -> str:
    name = getattr(part, "part", None)
    return f"part {index + 1} of {total}" + (f" ({name})" if name else "")


def run_parts(parts: Sequence[P], fn: Callable[[P], R], *, workers: int | None = None,
              scheduler: str | None = None, progress: Progress | None = None) -> list[R]:
    """``[fn(p) for p in parts]``, computed by the chosen executor; ``progress(done, total)`` is
    called as parts finish."""
    return list(iter_parts(parts, fn, workers=workers, scheduler=scheduler, progress=progress))


def iter_parts(parts: Sequence[P], fn: Callable[[P], R], *, workers: int | None = None,
               scheduler: str | None = None, progress: Progress | None = None) -> Iterator[R]:
    """``fn(p)`` for each part, yielded in the order of the parts as soon as each and all before it
    are done (what streaming output writes while later parts are still running)."""
    parts = list(parts)
    total = len(parts)
    workers = default_workers() if workers is None else workers
    if not scheduler and (workers <= 1 or total <= 1):
        for i, part in enumerate(parts):
            yield fn(part)
            if progress:
                progress(i + 1, total)
        return
    finished = _on_dask(parts, fn, scheduler) if scheduler else _on_pool(parts, fn, workers)
    waiting: dict[int, R] = {}
    nxt = 0
    for done, (i, result) in enumerate(finished, 1):
        waiting[i] = result
        if progress:
            progress(done, total)
        while nxt in waiting:
            yield waiting.pop(nxt)
            nxt += 1


def _on_pool(parts: list, fn: Callable, workers: int) -> Iterator[tuple[int, object]]:
    """(index, result) of each part as it finishes, on a pool of ``workers`` processes.

    When a worker dies the whole pool breaks and every part still running fails with it, so the
    part to blame is not known from the pool.  The unfinished parts are then run again one at a time,
    each in a fresh process, in part order: the first whose process dies is the one named."""
    total = len(parts)
    done: set[int] = set()
    with ProcessPoolExecutor(max_workers=min(workers, total)) as pool:
        futures = {pool.submit(fn, part): i for i, part in enumerate(parts)}
        try:
            for future in as_completed(futures):
                i = futures[future]
                try:
                    result = future.result()
                except BrokenProcessPool:
                    break
                done.add(i)
                yield i, result
        finally:
            for future in futures:
                future.cancel()
    for i in range(total):
        if i in done:
            continue
        with ProcessPoolExecutor(max_workers=1) as alone:
            try:
                result = alone.submit(fn, parts[i]).result()
            except BrokenProcessPool:
                raise PartFailed(f"{_label(parts[i], i, total)} failed: its worker process died") from None
        yield i, result


def _on_dask(parts: list, fn: Callable, scheduler: str) -> Iterator[tuple[int, object]]:
    """(index, result) of each part as it finishes, on the Dask cluster at ``scheduler``."""
    try:
        from distributed import Client, as_completed as dask_completed
    except ImportError:  # pragma: no cover - depends on the installation
        raise PartFailed("--scheduler needs Dask distributed: pip install 'pydesig[dask]'") from None
    from distributed.client import FutureCancelledError
    from distributed.scheduler import KilledWorker

    total = len(parts)
    try:
        client = Client(scheduler, set_as_default=False, timeout=CONNECT_TIMEOUT)
    except (OSError, TimeoutError) as err:
        raise PartFailed(f"cannot reach the Dask scheduler at {scheduler}: {err}") from None
    with client:
        futures = client.map(fn, parts, pure=False)
        index = {f.key: i for i, f in enumerate(futures)}
        try:
            for future in dask_completed(futures, loop=client.loop):
                i = index[future.key]
                try:
                    result = future.result()
                except (KilledWorker, FutureCancelledError):
                    raise PartFailed(f"{_label(parts[i], i, total)} failed: its Dask worker died") from None
                yield i, result
        finally:
            client.cancel(futures)
