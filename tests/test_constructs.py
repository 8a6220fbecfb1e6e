"""The constructs as a library: composed at any depth, more than once per stack, validating their own props."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ipam_org.bindings import (
    App,
    AwsProvider,
    Construct,
    TerraformStack,
    VpcIpam,
    VpcIpamOrganizationAdminAccount,
    VpcIpamPool,
    VpcIpamScope,
)
from ipam_org.modules import IpamDelegation, OrganizationIpam, OrganizationSharing
from ipam_org.modules.ipam import DefaultScope, PoolParent

SIGNATURE = "c2lnbmF0dXJl~"


def stack_of(tmp_path: Path) -> tuple[object, object, object]:
    app = App(outdir=str(tmp_path))
    stack = TerraformStack(app, "s")
    return app, stack, AwsProvider(stack, "aws", region="us-east-1")


def synth(app: object, tmp_path: Path) -> dict:
    app.synth()
    return json.loads((tmp_path / "stacks" / "s" / "cdk.tf.json").read_text())


def ipam_in(scope: object, provider: object, **props) -> OrganizationIpam:
    return OrganizationIpam(scope, "ipam", provider=provider, operating_regions=["us-east-1"], **props)


def test_what_the_constructs_add_never_shadows_a_member_of_the_resource_they_are(tmp_path):
    """A Python attribute named like a jsii property would write to, or hide, the resource's own attribute."""
    _, stack, aws = stack_of(tmp_path)
    ipam = ipam_in(stack, aws)
    made = [
        (ipam, VpcIpam),
        (ipam.add_pool("corp", cidrs=["10.0.0.0/8"]), VpcIpamPool),
        (ipam.add_scope("lab"), VpcIpamScope),
        (
            IpamDelegation(stack, "delegation", provider=aws, delegated_account_id="222222222222"),
            VpcIpamOrganizationAdminAccount,
        ),
    ]
    for construct, resource in made:
        added = {name for name in vars(construct) if not name.startswith("__")}
        added |= {
            name
            for klass in type(construct).__mro__
            if klass not in resource.__mro__
            for name in vars(klass)
            if not name.startswith("__")
        }
        assert added and added & set(dir(resource)) == set(), type(construct)


def test_nested_constructs_reference_their_own_resources_wherever_they_sit(tmp_path):
    app, stack, aws = stack_of(tmp_path)
    for team in ("team-a", "team-b"):
        ipam = ipam_in(Construct(Construct(stack, team), "network"), aws)
        lab = ipam.add_scope("lab", "overlaps everything")
        corp = ipam.add_pool("corp", cidrs=["10.0.0.0/8"])
        corp.add_pool("use1", locale="us-east-1", cidrs=["10.0.0.0/12"]).share_with(["333333333333"])
        lab.add_pool("lab", cidrs=["10.0.0.0/8"])
    resources = synth(app, tmp_path)["resource"]
    pools = resources["aws_vpc_ipam_pool"]
    assert len(pools) == 6 and all(name.startswith(("team-a_network_ipam_", "team-b_network_ipam_")) for name in pools)
    for team in ("team-a", "team-b"):
        mine = {body["tags"]["Name"]: (name, body) for name, body in pools.items() if name.startswith(team)}
        [ipam_name] = [n for n in resources["aws_vpc_ipam"] if n.startswith(team)]
        [scope_name] = [n for n in resources["aws_vpc_ipam_scope"] if n.startswith(team)]
        assert mine["use1"][1]["source_ipam_pool_id"] == f"${{aws_vpc_ipam_pool.{mine['corp'][0]}.id}}"
        assert mine["corp"][1]["ipam_scope_id"] == f"${{aws_vpc_ipam.{ipam_name}.private_default_scope_id}}"
        assert mine["lab"][1]["ipam_scope_id"] == f"${{aws_vpc_ipam_scope.{scope_name}.id}}"
        assert resources["aws_vpc_ipam_scope"][scope_name]["ipam_id"] == f"${{aws_vpc_ipam.{ipam_name}.id}}"


def test_at_a_stack_root_the_addresses_are_the_pool_names(tmp_path):
    app, stack, aws = stack_of(tmp_path)
    ipam = ipam_in(
        stack, aws, depends_on=[IpamDelegation(stack, "delegation", provider=aws, delegated_account_id="222222222222")]
    )
    ipam.add_pool("corp", cidrs=["10.0.0.0/8"]).add_pool("use1", locale="us-east-1", cidrs=["10.0.0.0/12"])
    resources = synth(app, tmp_path)["resource"]
    assert set(resources["aws_vpc_ipam_pool"]) == {"corp", "use1"}
    assert resources["aws_vpc_ipam_pool"]["use1"]["source_ipam_pool_id"] == "${aws_vpc_ipam_pool.corp.id}"
    assert resources["aws_vpc_ipam_pool_cidr"]["use1_10-0-0-0-12"]["depends_on"] == [
        "aws_vpc_ipam_pool_cidr.corp_10-0-0-0-8"
    ]
    assert resources["aws_vpc_ipam"]["ipam"]["depends_on"] == ["aws_vpc_ipam_organization_admin_account.delegation"]


def test_two_ipams_at_one_stack_root_collide_with_a_message_that_says_what_to_do(tmp_path):
    _, stack, aws = stack_of(tmp_path)
    ipam_in(stack, aws).add_pool("corp", cidrs=["10.0.0.0/8"])
    second = OrganizationIpam(stack, "second", provider=aws, operating_regions=["us-east-1"])
    with pytest.raises(
        ValueError,
        match=r'pool "corp" is not valid:\n  pool "corp": its name is already taken at the root of this stack '
        r'.*Construct\(stack, "team-a"\)',
    ):
        second.add_pool("corp", cidrs=["10.0.0.0/8"])


@pytest.mark.parametrize(
    ("add", "expected"),
    [
        (
            lambda ipam: ipam.add_pool("corp", cidrs=["10.0.0.1/8"]),
            'pool "corp".cidrs[0]: 10.0.0.1/8 has host bits set; did you mean 10.0.0.0/8?',
        ),
        (
            lambda ipam: ipam.add_pool("corp", cidr=["10.0.0.0/8"]),
            'pool "corp".cidr: unknown key "cidr"; did you mean "cidrs"?',
        ),
        (
            lambda ipam: ipam.add_pool("corp", cidrs=["10.0.0.0/8"]).add_pool("use1", cidrs=["192.168.0.0/16"]),
            'pool "use1".cidrs[0]: 192.168.0.0/16 is not inside parent pool "corp" (10.0.0.0/8)',
        ),
        (
            lambda ipam: [ipam.add_pool("a", cidrs=["10.0.0.0/8"]), ipam.add_pool("b", cidrs=["10.1.0.0/16"])],
            'pool "b".cidrs[0]: 10.1.0.0/16 overlaps top-level private pool "a" (10.0.0.0/8)',
        ),
        (
            lambda ipam: [ipam.add_pool("a", cidrs=["10.0.0.0/8"]), ipam.add_pool("a", cidrs=["172.16.0.0/12"])],
            'pool "a": the IPAM already has a pool named a; pool names are unique',
        ),
        (
            lambda ipam: ipam.add_pool("corp", locale="eu-west-1", cidrs=["10.0.0.0/8"]),
            'pool "corp".locale: eu-west-1 is not an operating region; add it to ipam.operating_regions',
        ),
        (
            lambda ipam: ipam.add_pool("corp", scope="lab", cidrs=["10.0.0.0/8"]),
            'pool "corp".scope: "lab" is not a scope of this IPAM; use one of private, public or add_scope first',
        ),
        (
            lambda ipam: ipam.add_scope("public"),
            'scope "public": "public" is a default scope every IPAM has; give the custom scope another name',
        ),
        (
            lambda ipam: ipam.add_pool("eips", scope="public", cidrs=["198.51.100.0/24"]),
            'pool "eips".cidr_authorization_contexts: BYOIP CIDR 198.51.100.0/24 needs an authorization (message and '
            "signature)",
        ),
        (
            lambda ipam: ipam.add_pool(
                "eips",
                scope="public",
                cidrs=["198.51.100.0/24"],
                cidr_authorization_contexts={
                    "198.51.100.0/24": {
                        "message": "1|aws|999999999999|198.51.100.0/24|20991231|SHA256|RSAPSS",
                        "signature": SIGNATURE,
                    }
                },
            ),
            "authorizes account 999999999999, but the IPAM account 222222222222 provisions the CIDR",
        ),
    ],
)
def test_each_construct_refuses_what_the_config_would_with_the_same_message(add, expected, tmp_path):
    _, stack, aws = stack_of(tmp_path)
    ipam = ipam_in(stack, aws, account_id="222222222222")
    with pytest.raises(ValueError) as raised:
        add(ipam)
    assert expected in str(raised.value)


def test_the_ipam_and_delegation_refuse_bad_props(tmp_path):
    _, stack, aws = stack_of(tmp_path)
    with pytest.raises(
        ValueError,
        match=r'OrganizationIpam "ipam" is not valid:\n  operating_regions\[1\]: "Europe" is not an AWS region name',
    ):
        OrganizationIpam(stack, "ipam", provider=aws, operating_regions=["us-east-1", "Europe"])
    with pytest.raises(ValueError, match=r"tier: must be 'advanced' or 'free', not 'premium'"):
        OrganizationIpam(stack, "ipam", provider=aws, operating_regions=["us-east-1"], tier="premium")
    with pytest.raises(
        ValueError,
        match=r'IpamDelegation "delegation" is not valid:\n  delegated_account_id: 222222222222 is not a 12-digit '
        r"account ID",
    ):
        IpamDelegation(stack, "delegation", provider=aws, delegated_account_id=222222222222)


def test_byoip_authorizations_and_shares_by_arn_through_the_constructs(tmp_path):
    app, stack, aws = stack_of(tmp_path)
    sharing = OrganizationSharing(stack, "ram_sharing", provider=aws)
    ipam = ipam_in(stack, aws, account_id="222222222222")
    message = "1|aws|222222222222|198.51.100.0/24|20991231|SHA256|RSAPSS"
    eips = ipam.public_scope.add_pool(
        "eips",
        cidrs=["198.51.100.0/24"],
        cidr_authorization_contexts={"198.51.100.0/24": {"message": message, "signature": SIGNATURE}},
    )
    eips.add_pool("eips-use1", locale="us-east-1", cidrs=["198.51.100.0/26"]).share_with(
        ["arn:aws:organizations::111111111111:ou/o-a1b2c3d4e5/ou-ab12-11111111"], after=sharing, name="edge-eips"
    )
    resources = synth(app, tmp_path)["resource"]
    assert resources["aws_vpc_ipam_pool_cidr"]["eips_198-51-100-0-24"]["cidr_authorization_context"] == {
        "message": message,
        "signature": SIGNATURE,
    }
    assert resources["aws_ram_resource_share"]["eips-use1_share"]["name"] == "edge-eips"
    association = resources["aws_ram_principal_association"]["eips-use1_share_ou-ab12-11111111"]
    assert association["depends_on"] == ["aws_ram_sharing_with_organization.ram_sharing"]
    assert isinstance(ipam.public_scope, DefaultScope) and isinstance(eips, PoolParent)


def test_the_guardrail_refuses_an_ou_pool_without_an_id(tmp_path, reference_config):
    from ipam_org.domain.guardrails import guarded_ous
    from ipam_org.modules.guardrails import VpcIpamGuardrail
    from tests.conftest import guarded

    [ou] = guarded_ous(guarded(reference_config))
    _, stack, aws = stack_of(tmp_path)
    with pytest.raises(
        ValueError,
        match=r'VpcIpamGuardrail "g" is not valid:\n  pool_ids: has no ID for pool euw1, which the SCP must allow in '
        r"ou-ab12-11111111",
    ):
        VpcIpamGuardrail(
            stack, "g", provider=aws, ou=ou, pool_ids={"use1-dev": "x", "use1-prod": "y"}, partition="aws", exempt=[]
        )
