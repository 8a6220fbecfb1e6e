"""cdktf's app entry (cdktf.json): `ipam-org synth` with the config and output directory cdktf passes.

IPAM_CONFIG names the config (default: ipam.yaml beside this file); CDKTF_OUTDIR the output directory (cdktf sets
it; default cdktf.out). Quiet on success, as cdktf expects of an app; `ipam-org synth` prints what it wrote.
"""

from __future__ import annotations

import os
from pathlib import Path

from ipam_org import lean_bindings

lean_bindings.keep_bytecode()  # before pydantic and the rest: `python -O` finds no .opt-1.pyc from pip

from ipam_org.synth import synth  # noqa: E402

DEFAULT_CONFIG = Path(__file__).with_name("ipam.yaml")

if __name__ == "__main__":
    lean_bindings.exit(
        synth(os.environ.get("IPAM_CONFIG") or str(DEFAULT_CONFIG), os.environ.get("CDKTF_OUTDIR") or "cdktf.out")
    )
