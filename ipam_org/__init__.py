"""ipam-org: AWS VPC IPAM for a whole AWS Organization, as CDKTF constructs (ipam_org.modules) and one CLI (ipam-org).

Layers, each importing only those before it: config (the schema) -> domain (identifiers, limits, the pool tree)
-> validation (the rules) -> addresses (Terraform names) -> modules (constructs) -> stacks -> cli. Review, module
export, preflight, adoption, aws and the emulator are packages of their own beside them.
"""

from pathlib import Path as _Path

__version__ = "0.6.0"

# A checkout keeps the CDKTF app's face at its top (cdktf.json, main.py, modules/, stacks/), and pyproject.toml's
# package-dir maps modules/ and stacks/ into the wheel's ipam_org. From a checkout (this repo, a worktree of another
# commit) ipam_org.modules and ipam_org.stacks are found the same way, in that checkout: nothing is installed or copied.
_checkout = _Path(__file__).resolve().parent.parent
if (_checkout / "cdktf.json").is_file() and (_checkout / "modules" / "__init__.py").is_file():
    __path__.append(str(_checkout))
