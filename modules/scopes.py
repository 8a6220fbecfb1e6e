"""A custom IPAM scope: a private IP space of its own, for networks that overlap the others (an acquired company's
10.0.0.0/8, or isolated environments that reuse one range)."""

from __future__ import annotations

from typing import Any

from ipam_org import addresses, bindings
from ipam_org.modules.ipam import PoolParent
from ipam_org.modules.placement import lifecycle
from ipam_org.modules.text import literal
from ipam_org.validation.rules import SiblingBlocks


class IpamScope(PoolParent, bindings.VpcIpamScope):
    """Made by OrganizationIpam.add_scope, which validates the name; add top-level pools with add_pool.
    Its address is aws_vpc_ipam_scope.ipam_scope_<name>: the prefix keeps it apart from every ID the pools use."""

    def __init__(self, ipam: Any, name: str, description: str | None) -> None:
        self.ipam, self.scope_name, self._node, self._blocks = ipam, name, None, SiblingBlocks(f"top-level {name} pool")
        construct_id = addresses.scope(name)
        with ipam.placement.claiming(f'scope "{name}"'):
            super().__init__(
                ipam.placement.home,
                construct_id,
                provider=ipam.aws,
                ipam_id=ipam.ref("id"),
                description=literal(description),
                tags={"Name": name},
                lifecycle=lifecycle(ipam.protect),
            )
        self.scope_id = ipam.placement.ref(self, "aws_vpc_ipam_scope", construct_id, "id")
