"""The wheel's package list (pyproject.toml) is the tree's: a package added to the code cannot be left out of it."""

from __future__ import annotations

import tomllib

from tests.conftest import ROOT


def test_every_package_of_the_tree_is_in_the_wheel():
    setuptools = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    mapped = setuptools["package-dir"]  # ipam_org.modules -> modules/, ipam_org.stacks -> stacks/
    in_tree = {".".join(init.parent.relative_to(ROOT).parts) for init in (ROOT / "ipam_org").rglob("__init__.py")} | {
        name for name, folder in mapped.items() if (ROOT / folder / "__init__.py").is_file()
    }
    assert sorted(setuptools["packages"]) == sorted(in_tree)
    assert setuptools["packages"] == sorted(setuptools["packages"])
