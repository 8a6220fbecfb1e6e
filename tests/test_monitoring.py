"""Alarms as code (`monitoring:`): what the stacks synthesize, the construct's refusals, the review's words, the
deployer policy, and `preflight verify` against moto's CloudWatch and SNS, each with the failure it must catch."""

from __future__ import annotations

import json

import boto3
import pytest
from moto import mock_aws

from ipam_org.config.model import Config
from ipam_org.domain.monitoring import all_alarms
from ipam_org.preflight.alarms import verify_alarms
from ipam_org.preflight.policy import features, policy
from ipam_org.preflight.report import FAIL, PASS, WARN
from ipam_org.review.plan import Change
from ipam_org.review.risks import risks
from tests.conftest import synthesize
from tests.support.corpus import EXISTING_TOPIC, MONITORED, reference, with_

POOLS = ["corp", "euw1", "use1", "use1-dev", "use1-prod"]  # the reference config's


@pytest.fixture(scope="module")
def monitored(tmp_path_factory):
    config = Config.model_validate(with_(reference(), monitoring=MONITORED))
    return synthesize(config, tmp_path_factory.mktemp("monitored")).stack("ipam")


def test_every_pool_gets_a_used_and_a_noncompliant_alarm_on_its_own_id(monitored):
    alarms = monitored["resource"]["aws_cloudwatch_metric_alarm"]
    assert set(alarms) == {f"{pool}_alarm-{kind}" for pool in POOLS for kind in ("used", "noncompliant")}
    used = alarms["use1-dev_alarm-used"]
    # 75% used is "PercentAvailable <= 25" (AWS's metric: space neither allocated to pools nor assigned)
    assert (used["namespace"], used["metric_name"], used["comparison_operator"], used["threshold"]) == (
        "AWS/IPAM",
        "PercentAvailable",
        "LessThanOrEqualToThreshold",
        25,
    )
    assert used["dimensions"] == {"IpamPoolId": "${aws_vpc_ipam_pool.use1-dev.id}"}
    noncompliant = alarms["use1-dev_alarm-noncompliant"]
    assert (noncompliant["metric_name"], noncompliant["comparison_operator"], noncompliant["threshold"]) == (
        "NoncompliantResourceCidrs",
        "GreaterThanThreshold",
        0,
    )
    topic = "${aws_sns_topic.ipam_alarms.arn}"
    assert all(a["alarm_actions"] == [topic] and a["ok_actions"] == [topic] for a in alarms.values())
    assert all(a["provider"] == "aws.delegated" for a in alarms.values())


def test_the_created_topic_and_its_subscriptions(monitored):
    resources = monitored["resource"]
    assert resources["aws_sns_topic"]["ipam_alarms"]["name"] == "ipam-pool-alarms"
    subscriptions = resources["aws_sns_topic_subscription"]
    assert {name: (s["protocol"], s["endpoint"]) for name, s in subscriptions.items()} == {
        "ipam_alarms_ops-example-com": ("email", "ops@example.com"),
        "ipam_alarms_net-team-example-com": ("email", "Net.Team@example.com"),  # as written, named in lower case
    }
    assert monitored["output"]["alarm_topic_arn"]["value"] == "${aws_sns_topic.ipam_alarms.arn}"


def test_an_existing_topic_is_notified_and_none_is_created(tmp_path):
    config = Config.model_validate(with_(reference(), monitoring=EXISTING_TOPIC))
    stack = synthesize(config, tmp_path).stack("ipam")
    alarms = stack["resource"]["aws_cloudwatch_metric_alarm"]
    assert set(alarms) == {"use1-prod_alarm-used", "euw1_alarm-used"} and "aws_sns_topic" not in stack["resource"]
    assert alarms["euw1_alarm-used"]["alarm_actions"] == [EXISTING_TOPIC["topic_arn"]]
    assert alarms["euw1_alarm-used"]["threshold"] == 10


def test_add_alarms_refuses_what_the_config_would(tmp_path):
    from ipam_org.bindings import App, AwsProvider, TerraformStack
    from ipam_org.modules import OrganizationIpam

    stack = TerraformStack(App(outdir=str(tmp_path)), "alarms")
    provider = AwsProvider(stack, "aws", region="us-east-1")
    ipam = OrganizationIpam(stack, "ipam", provider=provider, operating_regions=["us-east-1"])
    ipam.add_pool("corp", cidrs=["10.0.0.0/8"])
    with pytest.raises(ValueError) as refused:
        ipam.add_alarms(used_percent=100, pools=["crop"], topic_arn="arn:aws:sns:eu-west-1:222222222222:alerts")
    message = str(refused.value)
    assert "alarms.used_percent: 100 is not a percentage between 1 and 99" in message
    assert 'alarms.pools[0]: "crop" is not a pool of this config' in message
    assert "alarms.topic_arn: is in eu-west-1" in message
    with pytest.raises(ValueError, match=r"alarms\.alarms\[0\]"):
        ipam.add_alarms(alarms=["full"])
    assert ipam.add_alarms(pools=["corp"]) == "${aws_sns_topic.ipam_alarms.arn}"


def test_the_deployer_gets_cloudwatch_and_sns_only_when_the_config_alarms(reference_config):
    with_alarms = reference_config.model_copy(
        update={"monitoring": Config.model_validate(with_(reference(), monitoring=MONITORED)).monitoring}
    )
    assert features(reference_config) == set() and features(with_alarms) == {"monitoring"}
    plain, alarmed = (json.dumps(policy("delegated", features(c))) for c in (reference_config, with_alarms))
    for action in ("cloudwatch:PutMetricAlarm", "cloudwatch:ListMetrics", "sns:CreateTopic", "sns:Subscribe"):
        assert action not in plain and action in alarmed
    assert "cloudwatch:" not in json.dumps(policy("management"))


def change(kind: str, name: str, action: str, values: dict) -> Change:
    before, after = (values, {}) if action == "delete" else ({}, values)
    return Change("ipam", f"{kind}.{name}", kind, name, action, "delegated", before, after)


def test_the_review_names_the_pool_metric_and_threshold_and_calls_removals_risks():
    alarm = change(
        "aws_cloudwatch_metric_alarm",
        "use1-dev_alarm-used",
        "create",
        {
            "alarm_name": "ipam-pool-use1-dev-used",
            "metric_name": "PercentAvailable",
            "comparison_operator": "LessThanOrEqualToThreshold",
            "threshold": 25,
        },
    )
    assert alarm.describe() == 'alarm ipam-pool-use1-dev-used on pool "use1-dev" (PercentAvailable <= 25)'
    topic = change("aws_sns_topic", "ipam_alarms", "delete", {"name": "ipam-pool-alarms"})
    subscription = change(
        "aws_sns_topic_subscription",
        "ipam_alarms_ops-example-com",
        "delete",
        {"protocol": "email", "endpoint": "o@x.io"},
    )
    assert topic.describe() == "SNS topic ipam-pool-alarms for the pool alarms"
    assert subscription.describe() == "email subscription o@x.io to the pool alarms"
    removed = change("aws_cloudwatch_metric_alarm", "use1-dev_alarm-used", "delete", alarm.after)
    from ipam_org.review.plan import Plan

    found = risks([Plan("ipam", [alarm, removed, topic, subscription], {})])
    assert [r.change.address for r in found] == [removed.address, topic.address, subscription.address]
    assert "the pool is no longer watched" in found[0].reason


CONFIG = with_(reference(), monitoring={**MONITORED, "pools": ["use1-dev"], "emails": ["ops@example.com"]})
POOL_ID = "ipam-pool-0123456789abcdef0"


@pytest.fixture
def deployed(monkeypatch):
    """What the delegated stack creates for CONFIG, made with boto3 in moto's CloudWatch and SNS (IPAM account)."""
    config = Config.model_validate(CONFIG)
    monkeypatch.setenv("MOTO_ACCOUNT_ID", config.organization.ipam_account_id)
    with mock_aws():
        cloudwatch = boto3.client("cloudwatch", region_name="us-east-1")
        sns = boto3.client("sns", region_name="us-east-1")
        topic = sns.create_topic(Name="ipam-pool-alarms")["TopicArn"]
        sns.subscribe(TopicArn=topic, Protocol="email", Endpoint="ops@example.com")
        for alarm in all_alarms(config):
            cloudwatch.put_metric_alarm(
                AlarmName=alarm.name,
                Namespace="AWS/IPAM",
                MetricName=alarm.kind.metric,
                Dimensions=[{"Name": "IpamPoolId", "Value": POOL_ID}],
                Statistic=alarm.kind.statistic,
                Period=3600,
                EvaluationPeriods=1,
                Threshold=alarm.threshold,
                ComparisonOperator=alarm.kind.comparison,
                AlarmActions=[topic],
            )
        yield config, cloudwatch, sns


def verified(deployed) -> list:
    config, cloudwatch, sns = deployed
    return verify_alarms(cloudwatch, sns, {"use1-dev": {"IpamPoolId": POOL_ID}}, config)


def publish(cloudwatch, metric: str, dimensions: dict[str, str]) -> None:
    cloudwatch.put_metric_data(
        Namespace="AWS/IPAM",
        MetricData=[
            {"MetricName": metric, "Value": 10, "Dimensions": [{"Name": k, "Value": v} for k, v in dimensions.items()]}
        ],
    )


def test_verify_passes_alarms_on_metrics_ipam_publishes(deployed):
    for metric in ("PercentAvailable", "NoncompliantResourceCidrs"):
        publish(deployed[1], metric, {"IpamPoolId": POOL_ID})
    topic, pool = verified(deployed)
    assert topic.status == PASS and "1 e-mail subscription(s)" in topic.detail
    assert pool.status == PASS and pool.name == 'alarms on pool "use1-dev"', pool


def test_verify_warns_while_ipam_has_published_nothing(deployed):
    _, pool = verified(deployed)
    assert pool.status == WARN and f"IPAM has published no PercentAvailable for {POOL_ID} yet" in pool.detail


def test_verify_fails_an_alarm_whose_dimensions_ipam_does_not_publish(deployed):
    publish(deployed[1], "PercentAvailable", {"IpamPoolId": POOL_ID, "AddressFamily": "ipv4"})
    _, pool = verified(deployed)
    assert pool.status == FAIL and "publishes it with dimensions AddressFamily, IpamPoolId" in pool.detail


def test_verify_fails_a_missing_or_changed_alarm_and_a_missing_subscription(deployed):
    config, cloudwatch, sns = deployed
    cloudwatch.delete_alarms(AlarmNames=["ipam-pool-use1-dev-noncompliant"])
    alarm = cloudwatch.describe_alarms(AlarmNames=["ipam-pool-use1-dev-used"])["MetricAlarms"][0]
    cloudwatch.put_metric_alarm(
        **{
            **{
                k: alarm[k]
                for k in (
                    "AlarmName",
                    "Namespace",
                    "MetricName",
                    "Dimensions",
                    "Statistic",
                    "Period",
                    "EvaluationPeriods",
                    "ComparisonOperator",
                    "AlarmActions",
                )
            },
            "Threshold": 50.0,
        }
    )
    for subscription in sns.list_subscriptions()["Subscriptions"]:
        sns.unsubscribe(SubscriptionArn=subscription["SubscriptionArn"])
    topic, pool = verified(deployed)
    assert topic.status == FAIL and "not subscribed: ops@example.com" in topic.detail
    assert pool.status == FAIL
    assert "ipam-pool-use1-dev-used differs from the config in Threshold" in pool.detail
    assert "ipam-pool-use1-dev-noncompliant missing" in pool.detail
