"""Pay only for the provider bindings this app uses. Switch: IPAM_ORG_LEAN_BINDINGS=0 turns it off.

A standard CDKTF Python app on cdktf-cdktf-provider-aws spends most of its time loading what it
never uses: the package's __init__ imports all 2,135 Python submodules, the jsii kernel's
require of the provider's index loads every JavaScript resource module, and interpreter
teardown frees it all again after synthesis is done. This module removes those three costs:

1. Python: the provider package is registered without running its __init__, so importing
   cdktf_cdktf_provider_aws.vpc_ipam loads that submodule (and the assembly) only.
2. Node: lean_bindings.js, loaded into the jsii kernel with --require, turns the provider's
   index exports into getters, so only the resource modules the app touches are required.
3. Bytecode: compiled bytecode (the binding modules, pydantic, everything main.py imports) is kept
   in a private cache (IPAM_ORG_CACHE_DIR, default ~/.cache/ipam-org), so neither
   PYTHONDONTWRITEBYTECODE nor `python -O` (whose .opt-1.pyc files pip never writes) makes every
   run compile them again. main.py calls keep_bytecode() before its first import.
   Run with -O (cdktf.json does) to skip the bindings' per-argument runtime type checks; the config
   was already validated, and the output is the same either way.
4. Exit: after the output is written, exit() flushes and ends the process without teardown.

The official typed classes are used unchanged, so the synthesized JSON is byte-identical with
and without this module (tests/test_lean_bindings.py checks it). The hooks were written against the
pinned versions below; with any other version installed, install() warns once and does nothing.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

PROVIDER_PACKAGE = "cdktf_cdktf_provider_aws"
NODE_HOOK = Path(__file__).with_name("lean_bindings.js")
PINNED = {"cdktf": "0.21.0", "cdktf-cdktf-provider-aws": "20.1.0"}  # what the hooks were written and tested against


def enabled() -> bool:
    return os.environ.get("IPAM_ORG_LEAN_BINDINGS", "1") != "0"


def keep_bytecode() -> None:
    """Read and write bytecode in the private cache from here on (no-op when switched off)."""
    if not enabled():
        return
    cache = Path(os.environ.get("IPAM_ORG_CACHE_DIR") or Path.home() / ".cache" / "ipam-org") / "pycache"
    sys.pycache_prefix = str(cache)
    sys.dont_write_bytecode = False


def install() -> None:
    """Call before the first import of cdktf or the provider bindings (the jsii kernel starts then)."""
    if not enabled() or PROVIDER_PACKAGE in sys.modules:
        return
    spec = importlib.util.find_spec(PROVIDER_PACKAGE)
    if spec is None:
        return  # not installed: the ordinary import will say so
    unpinned = _unpinned()
    if unpinned:
        print(
            f"warning: lean bindings off: written for {unpinned}; using the standard path (slower, same output)",
            file=sys.stderr,
        )
        return
    sys.modules[PROVIDER_PACKAGE] = importlib.util.module_from_spec(spec)  # __path__ set, __init__ not run
    keep_bytecode()
    hook = f'--require "{NODE_HOOK}"'
    node_options = os.environ.get("NODE_OPTIONS", "")
    if hook not in node_options:
        os.environ["NODE_OPTIONS"] = f"{node_options} {hook}".strip()


def _unpinned() -> str:
    """The pinned versions that are not the installed ones, as text; empty when all match."""
    from importlib.metadata import PackageNotFoundError, version

    found = []
    for name, pinned in PINNED.items():
        try:
            installed = version(name)
        except PackageNotFoundError:
            installed = "none"
        if installed != pinned:
            found.append(f"{name} {pinned}, installed {installed}")
    return "; ".join(found)


def exit(status: int) -> None:
    """End the process once synthesis is complete, skipping interpreter teardown when enabled."""
    if not enabled():
        sys.exit(status)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)
