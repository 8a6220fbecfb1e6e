"""Management-account constructs: IPAM delegation and RAM sharing with the organization."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional

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
    protect: prevent_destroy (default True); the stacks lift it only in a config that says `teardown`.
    adopt: the account is already delegated; Terraform imports the delegation instead of making it.
    """

    ADDRESS = "aws_vpc_ipam_organization_admin_account.delegation"

    scope: Any
    provider: Any
    delegated_account_id: str
    protect: bool = True
    adopt: bool = False
    resource: Any = field(init=False)

    def __post_init__(self) -> None:
        self.resource = VpcIpamOrganizationAdminAccount(
            self.scope,
            "delegation",
            provider=self.provider,
            delegated_admin_account_id=self.delegated_account_id,
            lifecycle=lifecycle(self.protect),
        )
        if self.adopt:
            self.resource.import_from(self.delegated_account_id, self.provider)  # import ID: the delegated account


@dataclass
class OrganizationSharing:
    """Enables AWS RAM sharing with the organization (needed for organization and OU principals).

    An organization-wide setting that other teams' shares rely on: always prevent_destroy, whatever
    `protect` says. Destroying it would disable sharing with the organization for everyone; when a
    config stops needing it, the stack forgets it instead (see forget_without_destroying).
    """

    ADDRESS = "aws_ram_sharing_with_organization.ram_sharing"

    scope: Any
    provider: Any
    adopt_as: Optional[str] = None  # already enabled: import it (the provider ignores the import ID; the management account reads well)
    resource: Any = field(init=False)

    def __post_init__(self) -> None:
        self.resource = RamSharingWithOrganization(self.scope, "ram_sharing", provider=self.provider, lifecycle=lifecycle(True))
        if self.adopt_as:
            self.resource.import_from(self.adopt_as, self.provider)


def forget_without_destroying(stack: Any, addresses: list[str]) -> None:
    """`removed` blocks (Terraform >= 1.7): state forgets these resources, AWS keeps them.

    A no-op for an address that is not in the state. Terraform honours them in plan and apply, not in
    `terraform destroy`, which is why a teardown config is applied before `cdktf destroy`.
    """
    if addresses:
        stack.add_override("removed", [{"from": address, "lifecycle": {"destroy": False}} for address in addresses])
