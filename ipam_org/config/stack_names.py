"""The stacks' names: the stacks give them, the review reads them back from the synthesized output. No imports,
so the review stays free of the config model."""

SINGLE_STACK = "ipam"
MANAGEMENT_STACK = "ipam-management"
DELEGATED_STACK = "ipam-delegated"
GUARDRAILS_STACK = "ipam-guardrails"
