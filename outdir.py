"""Write cdktf's output directory atomically: a failed run leaves the previous output untouched."""
from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from pathlib import Path
from typing import Iterator


@contextlib.contextmanager
def staged_outdir(outdir: str | os.PathLike) -> Iterator[str]:
    """Yield a fresh sibling directory; on success swap it in for outdir, on failure delete it."""
    target = Path(outdir).absolute()
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        yield staging
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    backup = None
    if target.exists():
        backup = tempfile.mkdtemp(prefix=f".{target.name}.old.", dir=target.parent)
        os.rename(target, Path(backup) / "previous")
    os.rename(staging, target)
    if backup:
        shutil.rmtree(backup, ignore_errors=True)
