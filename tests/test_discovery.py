"""Discovery's limits, each reported and tested: names from Name tags (normalized, collisions resolved by pool
ID), untagged pools, custom scopes, BYOIP, shares the config cannot express, a tree deeper than ten levels;
what the first deploy would change is flagged by the review; discovery only reads."""

from __future__ import annotations

import yaml

from ipam_org.adoption.discover import Discovery, _tree, pool_name
from ipam_org.review.plan import load_plan
from ipam_org.review.risks import risks
from tests.support.handmade import discover, reference_like, synth_and_plan
from tests.support.organization import Organization
from tests.support.read_only import record_api_calls, writes


def test_pool_names_follow_the_config_rules():
    assert pool_name("Corp Network!") == "Corp-Network"
    assert pool_name("10.0.0.0/8") == "pool-10-0-0-0-8"
    assert pool_name("ipam") == "ipam-pool"
    assert pool_name("ünïcode") == "ncode"
    assert len(pool_name("x" * 100)) == 63


def test_odd_pools_are_named_reported_and_flagged(emulator, tmp_path, cli_config):
    org = Organization(emulator, tmp_path, cli_config)
    built = reference_like(org)
    untagged = built.pool("loose", [], parent="corp", name=None)["IpamPoolId"]
    first = built.pool("first", ["172.16.0.0/12"], name="Corp Network!")["IpamPoolId"]
    second = built.pool("second", ["192.168.0.0/16"], name="Corp Network!")["IpamPoolId"]
    scope = built.ec2.create_ipam_scope(IpamId=built.ipam["IpamId"])["IpamScope"]["IpamScopeId"]
    custom = built.ec2.create_ipam_pool(IpamScopeId=scope, AddressFamily="ipv4")["IpamPool"]["IpamPoolId"]
    byoip = built.ec2.create_ipam_pool(
        IpamScopeId=built.ipam["PublicDefaultScopeId"], AddressFamily="ipv4", Locale="us-east-1", PublicIpSource="byoip"
    )["IpamPool"]["IpamPoolId"]
    extra_share = built.share("zz-second", "euw1", [org.other_member])
    built.ram.create_resource_share(
        name="two-pools",
        resourceArns=[built.pools["use1"]["IpamPoolArn"], built.pools["corp"]["IpamPoolArn"]],
        principals=[org.member],
        allowExternalPrincipals=False,
    )
    result = discover(org, tmp_path / "discovered.yaml")
    out = result.stdout
    assert f"pool {untagged} has no Name tag: named corp-3 from its place in the tree" in out
    assert (
        f'pool {first} is tagged Name="Corp Network!" (not a valid pool name): named Corp-Network; its Name tag stays '
        "as it is" in out
    )
    assert (
        f'pool {second} is tagged Name="Corp Network!" (already taken): named Corp-Network-2; its Name tag stays as '
        "it is" in out
    )
    assert (
        f"pool {custom} is in custom scope {scope}: discovery adopts the default scopes' pools only (importing a "
        "custom scope is not supported yet), so it stays outside ipam-org" in out
    )
    assert (
        f"pool {byoip} holds BYOIP space (with its children): the authorizations that provisioned its CIDRs cannot be "
        "read back from AWS, so discovery cannot write a config that imports it unchanged; it is left alone" in out
    )
    assert (
        'share "two-pools" (' in out
        and "holds 2 resources; ipam-org keeps one pool per share, so it is left alone" in out
    )
    assert (
        f'share "zz-second" ({extra_share}) is a second share of pool {built.pools["euw1"]["IpamPoolId"]}; only '
        '"ipam-pool-euw1" is adopted' in out
    )
    assert "only IPAMs whose home Region is us-east-1 were looked for" in out
    assert f"pool corp-3 ({untagged}) gets the tag Name=corp-3" in out
    written = (tmp_path / "discovered.yaml").read_text()
    assert out.split("\nwrote ")[0] == written.split("\n\n")[0]  # the report is the config's header, word for word
    config = yaml.safe_load(written)
    names = {p["name"] for p in config["pools"]}
    body = written.split("\n\n", 1)[1]
    assert names == {"corp", "Corp-Network", "Corp-Network-2"} and custom not in body and byoip not in body

    org.write(config)
    plans = synth_and_plan(org)
    loaded = [load_plan(path, stack) for stack, path in plans.items()]
    modified = [(r.change.address, r.change.changed) for r in risks(loaded) if r.change]
    assert modified == [("aws_vpc_ipam_pool.corp-3", ["tags"])]  # the one change discovery announced
    assert "adoption would modify this existing resource (tags)" in risks(loaded)[0].reason


def test_a_tree_deeper_than_ten_levels_is_cut_and_reported():
    """AWS's depth quota can be raised; the emulator keeps AWS's default, so this reads pools built in memory."""
    pools = [
        {
            "IpamPoolId": f"ipam-pool-{i:017x}",
            "IpamPoolArn": f"arn:aws:ec2::1:ipam-pool/ipam-pool-{i:017x}",
            "SourceIpamPoolId": f"ipam-pool-{i - 1:017x}" if i else None,
            "Tags": [{"Key": "Name", "Value": f"level{i + 1}"}],
        }
        for i in range(12)
    ]

    class NoCidrs:
        def can_paginate(self, operation):
            return False

        def get_ipam_pool_cidrs(self, IpamPoolId):
            return {"IpamPoolCidrs": []}

    found = Discovery(config={})
    tree, adopted = _tree(NoCidrs(), pools, {}, {"Id": "o-a1b2c3d4e5"}, found)
    depth, level = 0, tree
    while level:
        depth, level = depth + 1, level[0].get("pools")
    assert depth == 10 and len(adopted) == 10
    assert found.cannot_express == [
        f"pool ipam-pool-{10:017x} and its children are 11 levels deep; ipam-org manages 10"
    ]


def test_discovery_only_reads(emulator, tmp_path, cli_config, monkeypatch, capsys):
    from ipam_org.cli import main

    org = Organization(emulator, tmp_path, cli_config)
    reference_like(org)
    calls = record_api_calls(monkeypatch, org.credentials, emulator)
    assert main(["discover", "--region", "us-east-1", "--out", str(tmp_path / "x.yaml")]) == 0, capsys.readouterr()
    assert {
        "DescribeIpams",
        "DescribeIpamPools",
        "GetIpamPoolCidrs",
        "GetResourceShares",
        "GetResourceShareAssociations",
    } <= {op for _, op in calls}
    assert writes(calls) == []
    assert main(["discover", "--region", "us-east-1", "--out", str(tmp_path / "x.yaml")]) == 2  # never overwrites


def test_nothing_to_adopt_is_said_plainly(emulator, tmp_path, cli_config):
    org = Organization(emulator, tmp_path, cli_config)
    result = discover(org, tmp_path / "x.yaml", check=False)
    assert result.returncode == 1 and not (tmp_path / "x.yaml").exists()
    assert (
        "error: the organization has no IPAM delegated administrator, so there is no organization IPAM to adopt"
        in result.stderr
    )
    assert "Traceback" not in result.stderr


def test_a_discovered_config_that_would_not_validate_is_never_written(tmp_path, monkeypatch, capsys):
    """The guard before writing: the file is loaded and validated as the deploy would read it."""
    import ipam_org.adoption.discover
    import ipam_org.aws.sessions
    from ipam_org.cli import main

    broken = Discovery(
        config={
            "organization": {
                "id": "o-a1b2c3d4e5",
                "management_account_id": "111111111111",
                "ipam_account_id": "111111111111",
            },
            "providers": {"management": {"region": "us-east-1"}, "delegated": {"region": "us-east-1"}},
            "adopt": {"ipam": "ipam-0123456789abcdef0", "pools": {}},
        }
    )
    monkeypatch.setattr(ipam_org.aws.sessions, "session_for", lambda settings: None)
    monkeypatch.setattr(ipam_org.adoption.discover, "discover", lambda *args: broken)
    out = tmp_path / "ipam.yaml"
    assert (
        main(
            [
                "discover",
                "--region",
                "us-east-1",
                "--out",
                str(out),
                "--delegated-role-arn",
                "arn:aws:iam::111111111111:role/x",
            ]
        )
        == 2
    )
    assert "organization.ipam_account_id: must be a member account" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


INJECTION = "dev\nprotect: false\nbackend:\n  s3: {bucket: attacker-tfstate, key: x.tfstate, region: us-east-1}\n#"
LINE_BREAKS = "a\rb\x85c\u2028d\u2029e\u202eadmun\u200b"


def test_hostile_text_from_aws_lands_only_as_data(emulator, tmp_path, cli_config):
    """Name tags, share names and descriptions are AWS text anyone with EC2 or RAM rights in the IPAM account can set:
    none of it may add a key to the written config; notes show line breaks and bidi characters as \\uXXXX."""
    org = Organization(emulator, tmp_path, cli_config)
    built = reference_like(org)
    tagged = built.pool("hostile", ["172.16.0.0/12"], name=INJECTION, Description=INJECTION + LINE_BREAKS)["IpamPoolId"]
    built.pool("breaks", ["192.168.0.0/16"], name=LINE_BREAKS)
    built.share(INJECTION, "hostile", [org.member])
    result = discover(org, tmp_path / "discovered.yaml")
    written = (tmp_path / "discovered.yaml").read_text()
    config = yaml.safe_load(written)
    assert set(config) <= {"organization", "providers", "ipam", "layout", "pools", "adopt", "tags", "scopes"}, sorted(
        config
    )
    assert "protect" not in config and "backend" not in config
    header = written.split("\n\n", 1)[0].splitlines()
    assert all(line.startswith("#") for line in header), header  # every note stayed a comment
    assert f'pool {tagged} is tagged Name="dev\\u000aprotect: false\\u000abackend:' in result.stdout
    assert "\\u2028" in result.stdout and "\\u202e" in result.stdout and "\u202e" not in written.split("\n\n", 1)[0]
    hostile = next(p for p in config["pools"] if p.get("description", "").startswith("dev\nprotect"))
    stored = built.ec2.describe_ipam_pools(IpamPoolIds=[tagged])["IpamPools"][0]["Description"]  # XML turns \r into \n
    assert hostile["description"] == stored and stored.startswith(INJECTION)  # the data itself, byte for byte
