"""Where a command's answer goes: stdout unchanged, or a file written whole or not at all.

Every printing command hands its finished text (or bytes) to :func:`emit`, so that

- stdout receives exactly the bytes the ``-o`` file would hold: UTF-8, no newline translation
  and no terminal filtering (click's ``echo`` strips ANSI escapes when stdout is not a terminal,
  which would make the ids ``ab`` and ``a<ESC>[1mb`` print alike);
- an ``-o`` file is written atomically: into a temporary file in the target's own folder, then
  renamed over the target (``os.replace``), so a failure leaves no partial file and an existing
  file is either the old one or the new one;
- ``-o`` naming one of the command's own inputs (the case file, its facts table) is refused
  before anything is written: ``solve case.yaml -o case.yaml`` would replace the case with its
  report;
- a target that cannot be written (missing folder, no permission, a directory) is bad input,
  reported in one line (exit 2), not an internal error.
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path

from .errors import CaseError

__all__ = ["emit", "emit_stream", "check_target", "check_folder"]


def _data(content: str | bytes) -> bytes:
    return content if isinstance(content, bytes) else content.encode("utf-8", "surrogateescape")


def emit(content: str | bytes, output: str | os.PathLike | None = None,
         inputs: Iterable[str | os.PathLike | None] = ()) -> None:
    """Write ``content`` to stdout unchanged, or atomically to ``output``.

    ``inputs`` are the files the command read; ``output`` may be none of them.  Raises
    :class:`CaseError` (exit 2) when ``output`` cannot be written.
    """
    data = _data(content)
    if output is None or str(output) == "-":
        _to_stdout(data)
        return
    target = check_target(output, inputs)
    _write_atomically(target, data)


def emit_stream(chunks: Iterable[str | bytes], output: str | os.PathLike | None = None,
                inputs: Iterable[str | os.PathLike | None] = ()) -> None:
    """Like :func:`emit` for output produced piece by piece (``solve --format jsonl``): each chunk
    goes to stdout as soon as it is made, or into the temporary file that replaces ``output`` only
    once the last chunk is written; a failure on the way leaves no file behind."""
    if output is None or str(output) == "-":
        for block in _blocks(chunks):
            _to_stdout(block)
        return
    target = check_target(output, inputs)
    _write_atomically(target, _blocks(chunks))


def _blocks(chunks: Iterable[str | bytes], size: int = 1 << 16) -> Iterable[bytes]:
    """The chunks joined into blocks of at least ``size`` bytes (the last one shorter): one write
    per block rather than per line."""
    pending, filled = [], 0
    for chunk in chunks:
        data = _data(chunk)
        pending.append(data)
        filled += len(data)
        if filled >= size:
            yield b"".join(pending)
            pending, filled = [], 0
    if pending:
        yield b"".join(pending)


def check_folder(output: str | os.PathLike) -> None:
    """Refuse an ``-o`` whose folder is missing *before* any work is done: a national solve or a
    consistency check should not run for minutes only to find it has nowhere to write."""
    folder = Path(output).parent
    if not folder.is_dir():
        problem = "does not exist" if not folder.exists() else "is not a directory"
        raise CaseError(f"cannot write the output: the folder {str(folder)!r} {problem}",
                        file=str(output), field="-o")


def check_target(output: str | os.PathLike, inputs: Iterable[str | os.PathLike | None] = ()) -> Path:
    """The ``-o`` path, checked to be writable as a file and none of ``inputs``."""
    target = Path(output)
    name = str(output)
    if target.is_dir():
        raise CaseError("cannot write the output: it is a directory", file=name, field="-o")
    for source in inputs:
        if source is not None and _same_file(target, Path(source)):
            raise CaseError(f"the output would overwrite an input of this command ({source}); "
                            "choose another -o file", file=name, field="-o")
    check_folder(output)
    return target


def _same_file(a: Path, b: Path) -> bool:
    try:
        if a.exists() and b.exists():
            return os.path.samefile(a, b)
    except OSError:
        pass
    return os.path.realpath(a) == os.path.realpath(b)


def _to_stdout(data: bytes) -> None:
    stream = sys.stdout
    buffer = getattr(stream, "buffer", None)
    try:
        stream.flush()
        if buffer is not None:
            buffer.write(data)
            buffer.flush()
        else:  # a text-only stream (some test harnesses): the same characters
            stream.write(data.decode("utf-8", "surrogateescape"))
            stream.flush()
    except BrokenPipeError:  # `pydesig … | head`: the reader has all it wants
        with contextlib.suppress(OSError):
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, stream.fileno())
        raise SystemExit(0) from None


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _write_atomically(target: Path, data: bytes | Iterable[bytes]) -> None:
    name = str(target)
    try:
        mode = os.stat(target).st_mode & 0o777
    except OSError:
        mode = 0o666 & ~_umask()
    temp = None
    try:
        fd, temp = tempfile.mkstemp(dir=target.parent or ".", prefix=f".{target.name}.", suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            if isinstance(data, bytes):
                handle.write(data)
            else:
                for chunk in data:
                    handle.write(chunk)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, mode)
        os.replace(temp, target)
        temp = None
    except OSError as e:
        raise CaseError(f"cannot write the output: {e.strerror or e}", file=name, field="-o") from None
    finally:
        if temp is not None:
            with contextlib.suppress(OSError):
                os.unlink(temp)
