"""The stacks' names and where their state lives: the stacks give them, the review reads the names back from the
synthesized output, preflight reads the state. No imports, so the review stays free of the config model."""

SINGLE_STACK = "ipam"
MANAGEMENT_STACK = "ipam-management"
DELEGATED_STACK = "ipam-delegated"
GUARDRAILS_STACK = "ipam-guardrails"

STATE_DIRECTORY = "terraform-state"  # local state: beside the output directory, one file per stack


def stacks_of(layout: str) -> list[str]:
    """The stacks a layout synthesizes, in deploy order (the guardrail stack only when the config has one)."""
    return [SINGLE_STACK] if layout == "single" else [MANAGEMENT_STACK, DELEGATED_STACK, GUARDRAILS_STACK]


def split_key(key: str, stack: str) -> str:
    """ipam/terraform.tfstate -> ipam/ipam-management/terraform.tfstate: one state per stack."""
    head, _, tail = key.rpartition("/")
    return f"{head}/{stack}/{tail}" if head else f"{stack}/{tail}"
