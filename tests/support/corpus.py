"""Every config the test suite synthesizes, by name: the corpus whose output must never move.

tests/golden/synth/ holds what these configs synthesized to before the constructs became nestable (commit
ac3983d, written by `python -m tests.support.corpus --write` run in a checkout of it);
test_addresses_unchanged compares today's output with it byte for byte, so a refactor of the constructs cannot move
or replace a deployed resource. `--write` only adds the goldens of configs added to the corpus since; a recorded
golden is never rewritten from the code it checks (delete it on purpose, in a reviewed commit, to re-record one).
"""

from __future__ import annotations

import argparse
import copy
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from bench.generate import deep, wide
from tests.conftest import REFERENCE, ROOT
from tests.review.scenarios import UPDATES, base, public_ipv6

GOLDEN = ROOT / "tests" / "golden" / "synth"


def reference() -> dict[str, Any]:
    return yaml.safe_load(REFERENCE.read_text())


def guarded(config: dict[str, Any]) -> dict[str, Any]:
    """The tests' guardrail on the reference OU, use1-dev published (tests.conftest.guarded)."""
    from ipam_org.config.model import Config
    from tests.conftest import guarded as guarded_config

    return guarded_config(Config.model_validate(config)).model_dump(exclude_unset=True)


def adopted(config: dict[str, Any]) -> dict[str, Any]:
    """What discovery writes for an existing IPAM: every resource imported."""
    share = "arn:aws:ram:us-east-1:222222222222:resource-share/0a1b2c3d-0000-4000-8000-000000000001"
    return {
        **config,
        "adopt": {
            "delegation": True,
            "ram_sharing_with_organization": True,
            "ipam": "ipam-0123456789abcdef0",
            "pools": {
                "corp": {"id": "ipam-pool-0000000000000000a", "cidrs": ["10.0.0.0/8"]},
                "use1-prod": {
                    "id": "ipam-pool-0000000000000000b",
                    "cidrs": ["10.0.0.0/14"],
                    "share_arn": share,
                    "allocation": {"default_netmask_length": 22, "min_netmask_length": 16},
                    "principals": ["arn:aws:organizations::111111111111:organization/o-a1b2c3d4e5"],
                },
            },
        },
    }


def with_(config: dict[str, Any], **changes: Any) -> dict[str, Any]:
    return {**copy.deepcopy(config), **changes}


def share_names(config: dict[str, Any]) -> dict[str, Any]:
    """Shares named in the config (share.name), as discovery writes them for shares it adopts."""
    config = copy.deepcopy(config)
    config["pools"][0]["pools"][0]["pools"][0]["share"]["name"] = "corp-prod-${env}"
    config["pools"][0]["pools"][1]["share"]["name"] = "euw1 shared"
    return config


MONITORED = {"used_percent": 75, "emails": ["ops@example.com", "Net.Team@example.com"]}
EXISTING_TOPIC = {
    "alarms": ["used"],
    "used_percent": 90,
    "pools": ["use1-prod", "euw1"],
    "topic_arn": "arn:aws:sns:us-east-1:222222222222:network-alerts",
    "emails": ["ops@example.com"],
}
S3 = {"s3": {"bucket": "platform-tfstate", "key": "ipam/terraform.tfstate", "region": "us-east-1"}}


def configs() -> dict[str, Callable[[], dict[str, Any]]]:
    found: dict[str, Callable[[], dict[str, Any]]] = {
        "reference": reference,
        "reference-split": lambda: with_(reference(), layout="split"),
        "guarded": lambda: guarded(reference()),
        "guarded-split": lambda: with_(guarded(reference()), layout="split"),
        "protect-off": lambda: with_(reference(), protect=False),
        "teardown-undelegate": lambda: with_(reference(), protect=False, teardown={"undelegate": True}),
        "teardown-keep-delegation-split": lambda: with_(
            reference(), protect=False, teardown={"undelegate": False}, layout="split"
        ),
        "s3": lambda: with_(reference(), backend=S3),
        "s3-split-guarded": lambda: with_(guarded(reference()), backend=S3, layout="split"),
        "adopted": lambda: adopted(reference()),
        "share-names": lambda: share_names(adopted(reference())),
        "adopted-split": lambda: with_(adopted(reference()), layout="split"),
        "review-base": base,
        "public-ipv6-free": lambda: public_ipv6("free"),
        "wide-60": lambda: wide(60),
        "deep-split": lambda: deep(),
        "monitored": lambda: with_(reference(), monitoring=MONITORED),
        "monitored-existing-topic-split": lambda: with_(reference(), monitoring=EXISTING_TOPIC, layout="split"),
    }
    for name, config in UPDATES.items():
        found[f"review-{name}"] = lambda config=config: copy.deepcopy(config)
    return found


def synthesized(config: dict[str, Any], outdir: Path) -> dict[str, str]:
    """Each stack's cdk.tf.json text, by stack name."""
    from ipam_org.config.model import Config
    from ipam_org.stacks import build_app

    outdir.parent.mkdir(parents=True, exist_ok=True)
    build_app(Config.model_validate(config), str(outdir)).synth()
    return {path.parent.name: path.read_text() for path in sorted((outdir / "stacks").glob("*/cdk.tf.json"))}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--write", action="store_true", help="write the goldens of configs that have none yet")
    args = parser.parse_args()
    if not args.write:
        parser.error("--write is the only action")
    import tempfile

    with tempfile.TemporaryDirectory() as scratch:
        for name, make in configs().items():
            if (GOLDEN / name).exists():  # recorded before: the code under test never rewrites it
                continue
            for stack, text in synthesized(make(), Path(scratch) / name).items():
                target = GOLDEN / name / f"{stack}.tf.json"
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(text)
                print(f"wrote {target}: a new config's first output; review it before committing")
    return 0


if __name__ == "__main__":
    sys.exit(main())
