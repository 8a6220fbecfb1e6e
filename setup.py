"""Builds the ipam_org package from the project's top-level packages, keeping the repo's own layout.

The repo runs as a CDKTF app from its root (cdktf.json, main.py, config/, modules/, stacks/...), so its
packages import each other as top-level names (`from config.model import Pool`). Installed that way into a
platform repo's environment, they would claim generic names like `config` and `modules`. The wheel instead
holds them under one name, ipam_org: each file is copied to ipam_org/<path> and its imports of the project's
own packages are rewritten to ipam_org.<name>. tests/test_cdktf_app.py installs the package from a git
reference, checks that ipam_org is the only top-level name, and synthesizes, validates and plans the example.
"""
import re
from pathlib import Path

from setuptools import Distribution, setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
PACKAGES = ["config", "validation", "modules", "stacks", "review", "module_export"]
MODULES = ["bindings", "lean_bindings", "outdir"]
DATA = ["lean_bindings.js"]  # loaded into the jsii kernel, next to lean_bindings.py
OURS = "|".join(PACKAGES + MODULES)
FROM_OURS = re.compile(rf"^(\s*)from ({OURS})((?:\.\w+)*) import ", re.M)
IMPORT_OURS = re.compile(rf"^(\s*)import ({OURS})\b(?!\.)", re.M)


def namespaced(source: str) -> str:
    """`from config.model import X` -> `from ipam_org.config.model import X`; `import bindings` -> `from ipam_org import bindings`."""
    source = FROM_OURS.sub(r"\1from ipam_org.\2\3 import ", source)
    unrewritten = re.search(rf"^\s*import ({OURS})\.", source, re.M)
    if unrewritten:
        raise SystemExit(f"cannot namespace `import {unrewritten.group(1)}.<module>`: write `from {unrewritten.group(1)}.<module> import ...`")
    return IMPORT_OURS.sub(r"\1from ipam_org import \2", source)


class BuildNamespaced(build_py):
    def run(self) -> None:
        target = Path(self.build_lib) / "ipam_org"
        sources = [path for package in PACKAGES for path in sorted((ROOT / package).rglob("*.py"))]
        sources += [ROOT / f"{name}.py" for name in MODULES]
        for path in sources:
            destination = target / path.relative_to(ROOT)
            destination.parent.mkdir(parents=True, exist_ok=True)
            destination.write_text(namespaced(path.read_text(encoding="utf-8")), encoding="utf-8")
        for name in DATA:
            (target / name).write_bytes((ROOT / name).read_bytes())
        (target / "__init__.py").write_text('"""ipam-org: AWS VPC IPAM for an AWS Organization, as CDKTF constructs (ipam_org.modules)."""\n')


class NamespacedDistribution(Distribution):
    def has_pure_modules(self) -> bool:  # the files come from BuildNamespaced, not from a packages list
        return True


setup(distclass=NamespacedDistribution, cmdclass={"build_py": BuildNamespaced}, packages=[], py_modules=[])
