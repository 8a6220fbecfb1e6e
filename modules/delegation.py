"""Management-account constructs: IPAM delegation and RAM sharing with the organization."""

from __future__ import annotations

from typing import Any

from ipam_org.bindings import RamSharingWithOrganization, VpcIpamOrganizationAdminAccount
from ipam_org.config.errors import Problem, refuse
from ipam_org.domain import ACCOUNT_ID
from ipam_org.modules.placement import lifecycle


class IpamDelegation(VpcIpamOrganizationAdminAccount):
    """Delegates IPAM administration to a member account.

    Uses EC2's EnableIpamOrganizationAdminAccount (aws_vpc_ipam_organization_admin_account), which
    also creates the AWSServiceRoleForIPAM service-linked role. Organizations'
    RegisterDelegatedAdministrator must not be used instead: it leaves that role missing.

    provider: the management account's provider;
    delegated_account_id: a member account (12 digits), never the management account;
    protect: prevent_destroy (default True); the stacks lift it only in a config that says `teardown`.
    adopt: the account is already delegated; Terraform imports the delegation instead of making it.
    """

    ADDRESS = "aws_vpc_ipam_organization_admin_account.delegation"  # as the stacks place it

    def __init__(
        self,
        scope: Any,
        id: str,
        *,
        provider: Any,
        delegated_account_id: str,
        protect: bool = True,
        adopt: bool = False,
    ) -> None:
        if not (isinstance(delegated_account_id, str) and ACCOUNT_ID.fullmatch(delegated_account_id)):
            refuse(
                f'IpamDelegation "{id}"',
                [
                    Problem(
                        "delegated_account_id",
                        f"{delegated_account_id!r} is not a 12-digit account ID; pass it as a string, e.g. "
                        '"222222222222"',
                    )
                ],
            )
        super().__init__(
            scope, id, provider=provider, delegated_admin_account_id=delegated_account_id, lifecycle=lifecycle(protect)
        )
        if adopt:
            self.import_from(delegated_account_id, provider)  # import ID: the delegated account


class OrganizationSharing(RamSharingWithOrganization):
    """Enables AWS RAM sharing with the organization (needed for organization and OU principals).

    An organization-wide setting that other teams' shares rely on: always prevent_destroy, whatever
    `protect` says. Destroying it would disable sharing with the organization for everyone; when a
    config stops needing it, the stack forgets it instead (see forget_without_destroying).
    adopt_as: already enabled: import it (the provider ignores the import ID; the management account reads well).
    """

    ADDRESS = "aws_ram_sharing_with_organization.ram_sharing"  # as the stacks place it

    def __init__(self, scope: Any, id: str, *, provider: Any, adopt_as: str | None = None) -> None:
        super().__init__(scope, id, provider=provider, lifecycle=lifecycle(True))
        if adopt_as:
            self.import_from(adopt_as, provider)


def forget_without_destroying(stack: Any, addresses: list[str]) -> None:
    """`removed` blocks (Terraform >= 1.7): state forgets these resources, AWS keeps them.

    A no-op for an address that is not in the state. Terraform honours them in plan and apply, not in
    `terraform destroy`, which is why a teardown config is applied before `cdktf destroy`.
    """
    if addresses:
        stack.add_override("removed", [{"from": address, "lifecycle": {"destroy": False}} for address in addresses])
