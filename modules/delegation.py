"""Management-account constructs: IPAM delegation and RAM sharing with the organization."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bindings import RamSharingWithOrganization, VpcIpamOrganizationAdminAccount


def lifecycle(protect: bool) -> dict[str, Any] | None:
    return {"prevent_destroy": True} if protect else None


@dataclass
class IpamDelegation:
    """Delegates IPAM administration to a member account.

    Uses EC2's EnableIpamOrganizationAdminAccount (aws_vpc_ipam_organization_admin_account), which
    also creates the AWSServiceRoleForIPAM service-linked role. Organizations'
    RegisterDelegatedAdministrator must not be used instead: it leaves that role missing.

    scope: the stack; provider: the management account's provider;
    delegated_account_id: a member account, never the management account;
    protect: prevent_destroy (default True).
    """

    scope: Any
    provider: Any
    delegated_account_id: str
    protect: bool = True
    resource: Any = field(init=False)

    def __post_init__(self) -> None:
        self.resource = VpcIpamOrganizationAdminAccount(
            self.scope,
            "delegation",
            provider=self.provider,
            delegated_admin_account_id=self.delegated_account_id,
            lifecycle=lifecycle(self.protect),
        )


@dataclass
class OrganizationSharing:
    """Enables AWS RAM sharing with the organization (needed for organization and OU principals)."""

    scope: Any
    provider: Any
    resource: Any = field(init=False)

    def __post_init__(self) -> None:
        self.resource = RamSharingWithOrganization(self.scope, "ram_sharing", provider=self.provider)
