"""Alarms on the pool metrics IPAM publishes (namespace AWS/IPAM), and the SNS topic they notify.

Made by OrganizationIpam.add_alarms, after its pools:

    ipam.add_alarms(used_percent=80, emails=["network-team@example.com"])

Addresses, flat in a stack: aws_sns_topic.ipam_alarms, aws_sns_topic_subscription.ipam_alarms_<e-mail slug>,
aws_cloudwatch_metric_alarm.<pool>_alarm-<used|noncompliant> (ipam_org.addresses).
"""

from __future__ import annotations

from typing import Any

from ipam_org import addresses, bindings
from ipam_org.config.model import Monitoring
from ipam_org.domain.monitoring import NAMESPACE, PERIOD_SECONDS, POOL_DIMENSION, alarms
from ipam_org.modules.text import literal


class PoolAlarms:
    """The alarms of one IPAM: a topic (created unless settings.topic_arn names one), its e-mail subscriptions, and
    per watched pool the alarms settings ask for. Validated by add_alarms."""

    def __init__(self, ipam: Any, settings: Monitoring) -> None:
        placement, provider = ipam.placement, ipam.aws
        self.topic: Any | None = None
        if settings.topic_arn is None:
            self.topic = bindings.SnsTopic(
                placement.home,
                addresses.ALARMS_TOPIC,
                provider=provider,
                name=literal(settings.topic_name),
                tags={"Name": literal(settings.topic_name)},
            )
            self.topic_arn = placement.ref(self.topic, "aws_sns_topic", addresses.ALARMS_TOPIC, "arn")
        else:
            self.topic_arn = literal(settings.topic_arn)
        for email in sorted(settings.emails, key=str.lower):
            bindings.SnsTopicSubscription(
                placement.home,
                addresses.subscription(email.lower()),
                provider=provider,
                topic_arn=self.topic_arn,
                protocol="email",
                endpoint=literal(email),
            )
        watched = sorted(ipam.pools) if settings.pools is None else sorted(settings.pools)
        for name in watched:
            pool = ipam.pools[name]
            for alarm in alarms(settings, name):
                bindings.CloudwatchMetricAlarm(
                    placement.home,
                    addresses.alarm(name, alarm.kind.key),
                    provider=provider,
                    alarm_name=alarm.name,
                    alarm_description=alarm.description,
                    namespace=NAMESPACE,
                    metric_name=alarm.kind.metric,
                    dimensions={POOL_DIMENSION: pool.ref("id")},
                    statistic=alarm.kind.statistic,
                    period=PERIOD_SECONDS,
                    evaluation_periods=1,
                    threshold=alarm.threshold,
                    comparison_operator=alarm.kind.comparison,
                    # no data is neither a breach nor OK: a new pool, or a metric IPAM has not published yet
                    treat_missing_data="missing",
                    alarm_actions=[self.topic_arn],
                    ok_actions=[self.topic_arn],
                )
