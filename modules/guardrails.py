"""Management-account guardrail: an SCP per OU that makes VPCs there allocate their CIDRs from IPAM."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping, Optional, Sequence

from bindings import OrganizationsPolicy, OrganizationsPolicyAttachment
from config.guardrails import GuardedOu, render, scp_document


@dataclass
class VpcIpamGuardrail:
    """Creates the OU's SCP and attaches it to the OU.

    scope: the stack; provider: the management account's provider (SCPs are managed there);
    ou: the OU and the pools it may allocate from; pool_ids: each pool's ID as a Terraform reference,
    by pool name (the SCP can only exist once the pools do); exempt: accounts the SCP never restricts.
    precondition: checked before the policy is planned, when the IDs come from another stack's state.
    """

    scope: Any
    provider: Any
    ou: GuardedOu
    pool_ids: Mapping[str, str]
    partition: str
    exempt: Sequence[str]
    precondition: Optional[Mapping[str, str]] = None  # for pool IDs read from another stack's state
    policy: Any = field(init=False)

    def __post_init__(self) -> None:
        ou = self.ou
        document = scp_document(self.partition, [self.pool_ids[p.name] for p in ou.ipv4], [self.pool_ids[p.name] for p in ou.ipv6], self.exempt)
        self.policy = OrganizationsPolicy(
            self.scope,
            f"guardrail_{ou.id}",
            provider=self.provider,
            name=ou.policy_name,
            description=f"ipam-org: VPCs in {ou.id} allocate their CIDRs from IPAM pools shared with it",
            type="SERVICE_CONTROL_POLICY",
            content=render(document),
        )
        if self.precondition:
            self.policy.add_override("lifecycle.precondition", [dict(self.precondition)])
        OrganizationsPolicyAttachment(self.scope, f"guardrail_{ou.id}_attachment", provider=self.provider, policy_id=self.policy.id, target_id=ou.id)
