"""Files in and out: an input is read only if it is a regular file, and never more than a bound; an output is
replaced as a whole.

`/dev/zero` reports size 0 and never ends; a FIFO blocks the first read until a writer comes. Both are refused
from their stat before they are opened, after symlinks are resolved, and the read itself stops one byte past the
bound, so no special file can exhaust memory or hang a run.
"""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path


class InputFileError(Exception):
    """What is wrong with an input path, in words for the user (the caller names the path)."""


def read_regular_text(path: Path, limit: int, what: str = "file") -> str:
    try:
        resolved = path.resolve(strict=True)
        mode = os.stat(resolved).st_mode
    except FileNotFoundError:
        raise InputFileError("file not found") from None
    except (OSError, RuntimeError) as error:  # RuntimeError: a symlink loop
        raise InputFileError(f"cannot be read: {error}") from None
    if stat.S_ISDIR(mode):
        raise InputFileError(f"is a directory, not a {what}")
    if not stat.S_ISREG(mode):
        kind = (
            "a FIFO"
            if stat.S_ISFIFO(mode)
            else "a device"
            if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
            else "a socket or special file"
        )
        through = f" (through the symlink to {resolved})" if resolved != path.absolute() else ""
        raise InputFileError(f"is {kind}{through}, not a regular file: give the path of a {what}")
    try:
        # O_NONBLOCK: if the path was swapped for a FIFO since the stat, open() returns instead of waiting.
        descriptor = os.open(resolved, os.O_RDONLY | os.O_NONBLOCK)
        with os.fdopen(descriptor, "rb") as stream:
            if not stat.S_ISREG(os.fstat(stream.fileno()).st_mode):
                raise InputFileError(f"is not a regular file: give the path of a {what}")
            data = stream.read(limit + 1)
    except OSError as error:
        raise InputFileError(f"cannot be read: {error}") from None
    if len(data) > limit:
        raise InputFileError(f"is larger than {limit:,} bytes; a {what} may be at most {limit:,} bytes")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise InputFileError(f"cannot be read: not UTF-8 ({error})") from None


def atomic_write_text(path: Path, text: str) -> None:
    """Replace one file as a whole: a failed write leaves the previous file as it was."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise
