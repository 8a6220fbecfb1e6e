"""Hostile configs: user text reaches Terraform as literal text, and the loader's limits hold before parsing
recurses."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from bench.generate import HEAD, HOSTILE_DOCUMENTS
from ipam_org import addresses
from ipam_org.config.model import Config
from ipam_org.domain import POOL_NAME, RESERVED_NAMES
from ipam_org.review.plan import load_plan
from ipam_org.review.render import markdown
from ipam_org.review.risks import risks
from ipam_org.validation import validate
from tests.conftest import REFERENCE, ROOT, synthesize
from tests.support.terraform import offline_terraform

HOSTILE = [
    '${file("/etc/hostname")}',
    "%{ if true }x%{ endif }",
    "$${already-escaped} and %%{this}",
    "$$${three}",
    "quotes \" and ' and back\\slash \\n",
    "line one\nline two\ttab",
    "</details><script>alert(1)</script> `code` **bold**",
]


# Template syntax is legal in an e-mail address's local part (RFC 5322 atext): it must reach SNS as written.
HOSTILE_EMAIL = "ops${local.x}%{if-true}{endif}@example.com"


def hostile_config() -> dict:
    config = yaml.safe_load(REFERENCE.read_text())
    config["ipam"]["description"] = " | ".join(HOSTILE)
    config["tags"] = {f"k{i}": text for i, text in enumerate(HOSTILE)}
    corp = config["pools"][0]
    corp["description"] = HOSTILE[0]
    corp["tags"] = {"${key}": HOSTILE[1], "plain": HOSTILE[4]}
    corp["pools"][0]["pools"][0]["allocation"]["resource_tags"] = {"team": HOSTILE[5]}
    config["scopes"] = [{"name": "acquired", "description": HOSTILE[2]}]
    config["monitoring"] = {"pools": ["corp"], "emails": [HOSTILE_EMAIL]}
    return config


@pytest.fixture(scope="module")
def hostile_plan(tmp_path_factory, cli_config, sts, management_credentials):
    root = tmp_path_factory.mktemp("hostile")
    synth = synthesize(Config.model_validate(hostile_config()), root / "synth")
    terraform = offline_terraform(root / "plan", synth.stack("ipam"), cli_config, sts, management_credentials)
    plan = terraform.plan()
    path = root / "ipam.json"
    path.write_text(json.dumps(plan))
    return plan, path


def test_user_text_reaches_terraform_byte_for_byte(hostile_plan):
    plan, _ = hostile_plan
    config = hostile_config()
    after = {c["address"]: c["change"]["after"] for c in plan["resource_changes"]}
    assert after["aws_vpc_ipam.ipam"]["description"] == config["ipam"]["description"]
    corp = after["aws_vpc_ipam_pool.corp"]
    assert corp["description"] == HOSTILE[0]
    assert corp["tags"] == {"Name": "corp", "${key}": HOSTILE[1], "plain": HOSTILE[4]}
    assert corp["tags_all"] == {**config["tags"], "Name": "corp", "${key}": HOSTILE[1], "plain": HOSTILE[4]}
    assert after["aws_vpc_ipam_pool.use1-prod"]["allocation_resource_tags"] == {"team": HOSTILE[5]}
    assert after["aws_vpc_ipam_scope.ipam_scope_acquired"]["description"] == HOSTILE[2]
    subscription = f"aws_sns_topic_subscription.{addresses.subscription(HOSTILE_EMAIL.lower())}"
    assert after[subscription]["endpoint"] == HOSTILE_EMAIL


def test_review_shows_hostile_values_as_text(hostile_plan, tmp_path):
    _, path = hostile_plan
    document = json.loads(path.read_text())
    for change in document["resource_changes"]:  # a principal value is the one free text a review line quotes
        if change["type"] == "aws_ram_principal_association":
            change["change"]["after"]["principal"] = HOSTILE[6]
    edited = tmp_path / "edited.json"
    edited.write_text(json.dumps(document))
    plan = load_plan(edited, "ipam")
    text = markdown([plan], risks([plan]))
    assert "<script>" not in text and "\\</details\\>\\<script\\>" in text
    assert text.count("<details>") == text.count("</details>")


def test_no_pool_name_collides_with_a_construct_id_of_the_stacks(reference, split_reference):
    """Every stack-root construct ID a pool name could spell is reserved, so validation refuses it."""
    ids = set()
    for synth, stacks in ((reference, ["ipam"]), (split_reference, ["ipam-management", "ipam-delegated"])):
        for name in stacks:
            stack = synth.stack(name)
            ids |= set(stack.get("output", {})) | {p["alias"] for p in stack["provider"]["aws"]} | {"backend"}
            for kind in (
                "aws_vpc_ipam",
                "aws_vpc_ipam_organization_admin_account",
                "aws_ram_sharing_with_organization",
            ):
                ids |= set(stack["resource"].get(kind, {}))
    spellable = {i for i in ids if POOL_NAME.fullmatch(i)}
    assert spellable and spellable <= RESERVED_NAMES


@pytest.mark.parametrize("name", sorted(RESERVED_NAMES))
def test_reserved_names_are_refused_and_would_collide(name, tmp_path):
    config = yaml.safe_load(REFERENCE.read_text())
    config["pools"][0]["pools"][1]["name"] = name
    parsed = Config.model_validate(config)
    assert any(p.path == "pools[0].pools[1].name" and "is reserved" in p.message for p in validate(parsed).errors)
    if name in ("protect", "pools", "ipam"):  # past validation, the constructs refuse them too (they would collide)
        with pytest.raises(ValueError, match="is reserved"):
            synthesize(parsed, tmp_path)


def run_main(config: Path, outdir: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "IPAM_CONFIG": str(config), "CDKTF_OUTDIR": str(outdir)}
    return subprocess.run(
        [sys.executable, "-O", str(ROOT / "main.py")], env=env, capture_output=True, text=True, timeout=60
    )


LIMIT_CASES = {
    "deep-document": (HOSTILE_DOCUMENTS["deep-document"], "nests collections more than 64 levels deep"),
    "alias-bomb": (
        HOSTILE_DOCUMENTS["alias-bomb"],
        "expands to more than 500,000 values once its aliases are expanded",
    ),
    "five-megabytes": (HOSTILE_DOCUMENTS["five-megabytes"], "a config file may be at most 2,097,152 bytes"),
    "int-tag": (HEAD + "pools: !!int abc\n", "a YAML value cannot be read (ValueError)"),
    "timestamp-tag": (HEAD + "pools: !!timestamp abc\n", "a YAML value cannot be read"),
    "control-character": (HEAD + "pools: [\x07]\n", "not readable as YAML: unacceptable character #x0007"),
    "list-as-key": (HEAD + "? [a, b]\n: 1\n", "a list or mapping cannot be a key at line 3, column 3"),
    "deep-value-in-message": (
        HEAD + "tags: " + "[" * 60 + "]" * 60 + "\n",
        "tags: must be a valid dictionary (got [[[...]]])",
    ),
    "many-aliases": (HEAD + "x: &x 1\ntags: [" + ",".join(["*x"] * 1_001) + "]\n", "uses more than 1,000 aliases"),
}


@pytest.mark.parametrize("case", sorted(LIMIT_CASES))
def test_hostile_documents_are_refused_before_they_can_hurt(case, tmp_path):
    text, expected = LIMIT_CASES[case]
    config = tmp_path / "ipam.yaml"
    config.write_text(text)
    result = run_main(config, tmp_path / "out")
    assert result.returncode == 2, result.stderr[-2000:]
    assert expected in result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr) < 2_000
    assert not (tmp_path / "out").exists()


def test_merge_keys_are_supported(tmp_path):
    config = yaml.safe_load(REFERENCE.read_text())
    text = yaml.safe_dump({k: v for k, v in config.items() if k != "pools"}) + (
        "x-share: &org {organization: true}\n"
        "pools:\n"
        "  - &base {name: a, cidrs: [10.0.0.0/8], locale: us-east-1, share: *org}\n"
        "  - {<<: *base, name: b, cidrs: [11.0.0.0/8]}\n"
    )
    path = tmp_path / "ipam.yaml"
    path.write_text(text)
    result = run_main(path, tmp_path / "out")
    assert result.returncode == 2
    assert 'x-share: unknown key "x-share"' in result.stderr  # merged fine; only the extra top-level key is refused
    path.write_text(
        text.replace("x-share: &org {organization: true}\n", "").replace(
            "share: *org", "share: &org {organization: true}"
        )
    )
    result = run_main(path, tmp_path / "out")
    assert result.returncode == 0, result.stderr
    pools = json.loads((tmp_path / "out" / "stacks" / "ipam" / "cdk.tf.json").read_text())["resource"][
        "aws_vpc_ipam_pool"
    ]
    assert (
        pools["b"]["locale"] == "us-east-1"
        and "aws_ram_resource_share" in (tmp_path / "out" / "stacks" / "ipam" / "cdk.tf.json").read_text()
    )


def test_every_name_validation_accepts_synthesizes(tmp_path):
    """Property test: random names (reserved ones, hyphens, digits, Unicode, underscores) are refused or synthesize."""
    import random

    rng = random.Random(7)

    def name() -> str:
        chars = [rng.choice("abcXYZ019-") for _ in range(rng.randrange(1, 70))]
        if rng.random() < 0.2:
            chars[rng.randrange(len(chars))] = rng.choice(["_", "é", "\n", " ", ".", "٣"])
        return "".join(chars)

    names = sorted(RESERVED_NAMES) + [name() for _ in range(300)]
    config = yaml.safe_load(REFERENCE.read_text())
    accepted = []
    for name in names:
        candidate = {**config, "pools": [{"name": name, "cidrs": ["10.0.0.0/8"]}]}
        if not validate(Config.model_validate(candidate)).errors:
            accepted.append(name)
    accepted = sorted(set(accepted))
    assert 50 < len(accepted) < len(names) and not set(accepted) & RESERVED_NAMES
    pools = [{"name": name, "cidrs": [f"10.{i}.0.0/16"]} for i, name in enumerate(accepted[:250])]
    together = Config.model_validate(
        {**config, "pools": [{"name": "zz-root", "cidrs": ["10.0.0.0/8"], "pools": pools}]}
    )
    assert not validate(together).errors
    synth = synthesize(together, tmp_path)
    assert set(synth.resources("ipam", "aws_vpc_ipam_pool")) == {"zz-root", *accepted[:250]}
