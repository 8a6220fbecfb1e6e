"""Before `cdktf destroy`: a protected IPAM cannot be destroyed, and Terraform says so only as three raw
`Instance cannot be destroyed` errors. `npm run destroy` asks this first, and says the two steps instead."""

from __future__ import annotations

from ipam_org.config.model import Config
from ipam_org.preflight.report import FAIL, PASS, Check
from ipam_org.preflight.state import Deployed

STEPS = (
    "a teardown is two steps. 1: add to the config `protect: false` and `teardown: {undelegate: true}` (false: the "
    "IPAM account stays delegated) and deploy it (npm run deploy): that lifts prevent_destroy and lets go of "
    "organization-wide settings. 2: npm run destroy. docs/day2.md says why"
)


def ready_to_destroy(config: Config, own: Deployed) -> Check:
    if config.teardown is None or config.protect:
        return Check("teardown", FAIL, "the config is not a teardown config (step 1 is missing)", STEPS)
    still = sorted(where for where, protect in own.protected.items() if protect)
    if still or own.unreadable:
        where = ", ".join(still + own.unreadable)
        return Check("teardown", FAIL, f"the deployed state still protects its resources: {where}", STEPS)
    undelegate = "undelegates the IPAM account" if config.teardown.undelegate else "keeps the delegation"
    return Check("teardown", PASS, f"step 1 is deployed ({own.where() or 'no state yet'}); the destroy {undelegate}")
