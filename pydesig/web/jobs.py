"""Run a library call off the event loop, in a child process the server can stop.

A solve is CPU-bound and may run long; in a thread it would hold the interpreter and could not be
stopped.  Each job therefore runs in a process forked from a server of warm processes
(multiprocessing's *forkserver*, which has imported pydesig, read ``kb/`` and prepared the
encodings once: ``warm``), at most
``workers`` at a time; the event loop only waits on a pipe.  A job over the time limit is killed.
Bad input comes back as the CLI's one-line message, never as a traceback.
"""

from __future__ import annotations

import multiprocessing
import os
import traceback

import anyio
import anyio.to_thread

from ..errors import CaseError, one_line
from ..solver import NoLawfulOutcome

__all__ = ["Jobs", "BadInput", "TimeLimit", "InternalError"]


class BadInput(Exception):
    """The library refused the input (the CLI's exit code 2): HTTP 422 with this message."""


class TimeLimit(Exception):
    """The job ran over the server's time limit and was stopped."""


class InternalError(Exception):
    """Anything else the job raised (the CLI's exit code 1)."""


def _child(conn, fn, args, kwargs) -> None:
    try:
        outcome = ("ok", fn(*args, **kwargs))
    except (CaseError, NoLawfulOutcome) as err:
        outcome = ("bad", one_line(str(err)))  # the CLI's line, as it prints it
    except Exception as err:  # noqa: BLE001 - reported to the parent, which answers HTTP 500
        detail = traceback.format_exc() if os.environ.get("PYDESIG_DEBUG") else ""
        outcome = ("fault", f"{type(err).__name__}: {err}\n{detail}".strip())
    try:
        conn.send(outcome)
    finally:
        conn.close()


class Jobs:
    """At most ``workers`` jobs at once, each in its own process, each stopped after ``time_limit``."""

    def __init__(self, workers: int, time_limit: float):
        self.time_limit = time_limit
        self.limiter = anyio.CapacityLimiter(workers)
        self.context = multiprocessing.get_context("forkserver")
        self.context.set_forkserver_preload(["pydesig.web.warm"])

    async def run(self, fn, *args, **kwargs):
        """``fn(*args, **kwargs)`` in a child process; its return value, or BadInput / TimeLimit /
        InternalError."""
        kind, value = await anyio.to_thread.run_sync(self._wait, fn, args, kwargs, limiter=self.limiter)
        if kind == "ok":
            return value
        if kind == "bad":
            raise BadInput(value)
        if kind == "time":
            raise TimeLimit(value)
        raise InternalError(value)

    def _wait(self, fn, args, kwargs):
        receiver, sender = self.context.Pipe(duplex=False)
        process = self.context.Process(target=_child, args=(sender, fn, args, kwargs), daemon=False)
        process.start()
        sender.close()
        try:
            if receiver.poll(self.time_limit):
                try:
                    return receiver.recv()
                except EOFError:
                    return ("fault", f"the worker process ended without an answer (exit code {process.exitcode})")
            return ("time", f"stopped after the server's time limit of {self.time_limit:g} s "
                            "(pydesig serve --time-limit)")
        finally:
            receiver.close()
            if process.is_alive():
                process.kill()
            process.join()
