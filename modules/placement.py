"""Where a construct's resources go, and how they are referenced.

Flat: the construct sits directly in a stack. What it makes is created in the stack under the names ipam-org has
always used, so a stack deployed before the constructs were nestable sees no move (tests/test_addresses_unchanged.py),
and references are written from those known addresses without a round trip to the jsii kernel per read (with
thousands of pools, those reads were a third of synthesis).

Nested: anywhere else in a construct tree. What it makes is its own child, cdktf derives each address from the
construct path (unique wherever the construct sits, however many there are), and references are cdktf's tokens.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from ipam_org.bindings import TerraformStack
from ipam_org.config.errors import Problem, refuse


def is_stack(scope: Any) -> bool:
    return isinstance(scope, TerraformStack) or TerraformStack.is_stack(scope)


@dataclass(frozen=True)
class Placement:
    flat: bool
    home: Any  # the scope every resource is created in: the stack (flat) or the construct itself (nested)

    @classmethod
    def of(cls, scope: Any, owner: Any) -> Placement:
        return cls(True, scope) if is_stack(scope) else cls(False, owner)

    def ref(self, resource: Any, kind: str, name: str, attribute: str) -> str:
        """resource.attribute as a Terraform expression; name: the resource's construct ID."""
        return f"${{{kind}.{name}.{attribute}}}" if self.flat else getattr(resource, attribute)

    @contextmanager
    def claiming(self, what: str) -> Iterator[None]:
        """A flat construct shares the stack's namespace with everything else at its root: say so on a collision."""
        try:
            yield
        except RuntimeError as error:
            if "already a Construct with name" not in str(error):
                raise
            refuse(
                what,
                [
                    Problem(
                        what,
                        "its name is already taken at the root of this stack (by another construct, or another "
                        'IPAM\'s pool); put each IPAM in a construct of its own, e.g. Construct(stack, "team-a")',
                    )
                ],
            )


def lifecycle(protect: bool) -> dict[str, Any] | None:
    """The lifecycle block of a protected resource: prevent_destroy while protect is on."""
    return {"prevent_destroy": True} if protect else None
