"""Reusable constructs: the delegation (management account) and the IPAM with its pools (delegated account).

Resources are created directly in the given stack with names derived from pool names, so Terraform
addresses read like the config (aws_vpc_ipam_pool.use1-prod) and reordering the YAML changes nothing.
"""
from modules.delegation import IpamDelegation, OrganizationSharing, forget_without_destroying
from modules.ipam import IpamPool, OrganizationIpam

__all__ = ["IpamDelegation", "IpamPool", "OrganizationIpam", "OrganizationSharing", "forget_without_destroying"]
