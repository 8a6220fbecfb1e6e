"""`preflight verify` for a config with `monitoring:`: the topic, its e-mail subscriptions, and per watched pool
alarms that watch a metric IPAM really publishes (an alarm whose dimensions match no published metric never fires)."""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from ipam_org.config.model import Config
from ipam_org.domain.monitoring import NAMESPACE, POOL_DIMENSION, Alarm, all_alarms
from ipam_org.domain.principals import partition_of
from ipam_org.preflight.report import FAIL, PASS, WARN, Check

DESCRIBE_ALARMS_NAMES = 100  # DescribeAlarms takes at most 100 alarm names per call


def verify_alarms(cloudwatch: Any, sns: Any, pools: dict[str | None, Any], config: Config) -> list[Check]:
    monitoring = config.monitoring
    if monitoring is None:
        return []
    topic = monitoring.topic_arn or (
        f"arn:{partition_of(config.home_region)}:sns:{config.home_region}:{config.organization.ipam_account_id}:"
        f"{monitoring.topic_name}"
    )
    checks = [_topic(sns, topic, monitoring.emails)]
    alarms = all_alarms(config)
    found = _described(cloudwatch, [alarm.name for alarm in alarms])
    by_pool: dict[str, list[Alarm]] = {}
    for alarm in alarms:
        by_pool.setdefault(alarm.pool, []).append(alarm)
    for pool, watched in by_pool.items():
        pool_id = (pools.get(pool) or {}).get("IpamPoolId")
        results = [_alarm(cloudwatch, alarm, found.get(alarm.name), pool_id, topic) for alarm in watched]
        worst = FAIL if any(s == FAIL for s, _ in results) else WARN if any(s == WARN for s, _ in results) else PASS
        checks.append(
            Check(
                f'alarms on pool "{pool}"',
                worst,
                "; ".join(text for _, text in results),
                "deploy the delegated stack"
                if worst == FAIL
                else "wait: IPAM publishes pool metrics about hourly; the alarm has no data until then",
            )
        )
    return checks


def _topic(sns: Any, arn: str, emails: list[str]) -> Check:
    try:
        sns.get_topic_attributes(TopicArn=arn)
    except ClientError as error:
        return Check("alarm topic", FAIL, f"{arn}: {error.response['Error']['Code']}", "deploy the delegated stack")
    subscribed: dict[str, str] = {}
    pages = sns.get_paginator("list_subscriptions_by_topic").paginate(TopicArn=arn)
    for subscription in (s for page in pages for s in page["Subscriptions"]):
        if subscription.get("Protocol") == "email":
            subscribed[subscription["Endpoint"].lower()] = subscription["SubscriptionArn"]
    missing = [email for email in emails if email.lower() not in subscribed]
    pending = [email for email in emails if subscribed.get(email.lower()) == "PendingConfirmation"]
    if missing:
        return Check("alarm topic", FAIL, f"{arn}: not subscribed: {', '.join(missing)}", "deploy the delegated stack")
    if pending:
        return Check(
            "alarm topic",
            WARN,
            f"{arn}: {', '.join(pending)} not confirmed yet",
            "each address confirms from the e-mail AWS sent it; until then it gets no alarm",
        )
    return Check("alarm topic", PASS, f"{arn}, {len(emails)} e-mail subscription(s) confirmed")


def _described(cloudwatch: Any, names: list[str]) -> dict[str, Any]:
    found = {}
    for start in range(0, len(names), DESCRIBE_ALARMS_NAMES):
        chunk = names[start : start + DESCRIBE_ALARMS_NAMES]
        pages = cloudwatch.get_paginator("describe_alarms").paginate(AlarmNames=chunk, AlarmTypes=["MetricAlarm"])
        found.update({a["AlarmName"]: a for page in pages for a in page["MetricAlarms"]})
    return found


def _alarm(cloudwatch: Any, alarm: Alarm, found: Any, pool_id: str | None, topic: str) -> tuple[str, str]:
    """(status, one clause) for one alarm: as configured, and watching a metric IPAM publishes."""
    if found is None:
        return FAIL, f"{alarm.name} missing"
    expected = {
        "Namespace": NAMESPACE,
        "MetricName": alarm.kind.metric,
        "ComparisonOperator": alarm.kind.comparison,
        "Threshold": float(alarm.threshold),
        "Dimensions": [{"Name": POOL_DIMENSION, "Value": pool_id}],
    }
    wrong = [key for key, value in expected.items() if found.get(key) != value]
    if topic not in found.get("AlarmActions", []) or not found.get("ActionsEnabled", True):
        wrong.append("AlarmActions")
    if wrong:
        return FAIL, f"{alarm.name} differs from the config in {', '.join(wrong)}"
    published = cloudwatch.list_metrics(
        Namespace=NAMESPACE,
        MetricName=alarm.kind.metric,
        Dimensions=[{"Name": POOL_DIMENSION, "Value": pool_id}],
    )["Metrics"]
    sets = sorted({tuple(sorted(d["Name"] for d in metric["Dimensions"])) for metric in published})
    if (POOL_DIMENSION,) in sets:
        return PASS, f"{alarm.name} {found.get('StateValue', '?')}"
    if sets:
        return FAIL, (
            f"{alarm.name} watches {alarm.kind.metric} by {POOL_DIMENSION} alone, but IPAM publishes it with "
            f"dimensions {' | '.join(', '.join(s) for s in sets)}: the alarm never gets data; please report this"
        )
    return WARN, f"{alarm.name}: IPAM has published no {alarm.kind.metric} for {pool_id} yet"
