"""Management-account guardrail: an SCP per OU that makes VPCs there allocate their CIDRs from IPAM."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ipam_org import addresses
from ipam_org.bindings import OrganizationsPolicy, OrganizationsPolicyAttachment
from ipam_org.config.errors import Problem, refuse
from ipam_org.domain.guardrails import GuardedOu, render, scp_document
from ipam_org.modules.placement import Placement


class VpcIpamGuardrail(OrganizationsPolicy):
    """The OU's SCP, attached to the OU.

    provider: the management account's provider (SCPs are managed there);
    ou: the OU and the pools it may allocate from; pool_ids: each pool's ID as a Terraform reference,
    by pool name (the SCP can only exist once the pools do); exempt: accounts the SCP never restricts.
    precondition: checked before the policy is planned, when the IDs come from another stack's state.
    """

    def __init__(
        self,
        scope: Any,
        id: str,
        *,
        provider: Any,
        ou: GuardedOu,
        pool_ids: Mapping[str, str],
        partition: str,
        exempt: Sequence[str],
        precondition: Mapping[str, str] | None = None,
    ) -> None:
        missing = sorted(p.name for p in (*ou.ipv4, *ou.ipv6) if p.name not in pool_ids)
        refuse(
            f'VpcIpamGuardrail "{id}"',
            [
                Problem(
                    "pool_ids",
                    f"has no ID for pool {name}, which the SCP must allow in {ou.id}; pass every pool "
                    "of the OU, by name",
                )
                for name in missing
            ],
        )
        document = scp_document(
            partition, [pool_ids[p.name] for p in ou.ipv4], [pool_ids[p.name] for p in ou.ipv6], exempt
        )
        super().__init__(
            scope,
            id,
            provider=provider,
            name=ou.policy_name,
            description=f"ipam-org: VPCs in {ou.id} allocate their CIDRs from IPAM pools shared with it",
            type="SERVICE_CONTROL_POLICY",
            content=render(document),
        )
        if precondition:
            self.add_override("lifecycle.precondition", [dict(precondition)])
        self.attachment = OrganizationsPolicyAttachment(
            Placement.of(scope, self).home,
            addresses.attachment(id),
            provider=provider,
            policy_id=self.id,
            target_id=ou.id,
        )
