"""Reusable constructs: the delegation and RAM sharing (management account), the IPAM with its scopes and pools
(delegated account), and the guardrail SCP (modules.guardrails, imported on its own: its bindings load on demand).

Each is a Construct (the Terraform resource it is named after) that validates its props in its constructor and
works at any depth of a construct tree; see modules/placement.py for how addresses are chosen.
"""

from ipam_org.modules.delegation import IpamDelegation, OrganizationSharing, forget_without_destroying
from ipam_org.modules.ipam import DefaultScope, IpamPool, OrganizationIpam

__all__ = [
    "DefaultScope",
    "IpamDelegation",
    "IpamPool",
    "OrganizationIpam",
    "OrganizationSharing",
    "forget_without_destroying",
]
