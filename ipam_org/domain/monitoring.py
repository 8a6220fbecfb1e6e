"""The alarms a `monitoring:` block asks for: CloudWatch alarms on the pool metrics IPAM publishes.

IPAM publishes pool metrics to CloudWatch in the namespace AWS/IPAM, in the IPAM's home Region and account
(https://docs.aws.amazon.com/vpc/latest/ipam/cloudwatch-ipam-ip-address-usage.html): PercentAllocated,
PercentAssigned, PercentAvailable, CompliantResourceCidrs and NoncompliantResourceCidrs. That page names the
metrics; the dimension a pool's metrics carry is IpamPoolId as third-party exporters read it (AWS's page does not
list the dimensions). An alarm matches a metric only on its exact dimension set, so `preflight verify` reads the
published metrics back (cloudwatch:ListMetrics) and fails an alarm whose dimensions IPAM does not publish.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ipam_org.config.model import Config, Monitoring, Pool
from ipam_org.domain.principals import all_pools

NAMESPACE = "AWS/IPAM"
POOL_DIMENSION = "IpamPoolId"
# arn:<partition>:sns:<region>:<account>:<topic name>; topic names: 1-256 letters, digits, - and _ (.fifo for FIFO,
# which CloudWatch alarms cannot notify).
TOPIC_ARN = re.compile(
    r"arn:(?P<partition>aws[a-z-]*):sns:(?P<region>[a-z0-9-]+):(?P<account>[0-9]{12}):(?P<name>[A-Za-z0-9_-]{1,256})"
)
TOPIC_NAME = re.compile(r"[A-Za-z0-9_-]{1,256}")
# What SNS takes as an e-mail endpoint, kept to plain printable ASCII: it lands in a Terraform address (slugged).
EMAIL = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9-]+)+")
PERIOD_SECONDS = 3600  # IPAM refreshes pool metrics about hourly; a shorter period only adds missing data


@dataclass(frozen=True)
class AlarmKind:
    """One alarm per watched pool: its name part, AWS metric, comparison and a sentence for people."""

    key: str  # in the alarm's Terraform name (<pool>_alarm-<key>) and its CloudWatch name
    metric: str
    comparison: str
    statistic: str
    says: str  # "... in pool <name>"


USED = AlarmKind(
    "used", "PercentAvailable", "LessThanOrEqualToThreshold", "Minimum", "free address space is running out"
)
NONCOMPLIANT = AlarmKind(
    "noncompliant",
    "NoncompliantResourceCidrs",
    "GreaterThanThreshold",
    "Maximum",
    "a resource CIDR breaks the pool's allocation rules",
)


@dataclass(frozen=True)
class Alarm:
    pool: str
    kind: AlarmKind
    threshold: float

    @property
    def name(self) -> str:
        """The CloudWatch alarm name: unique in the account and Region, and says what it watches."""
        return f"ipam-pool-{self.pool}-{self.kind.key}"

    @property
    def description(self) -> str:
        if self.kind is USED:
            return (
                f"ipam-org: pool {self.pool} is {100 - self.threshold:g}% used or more "
                "(allocated to child pools plus assigned to resources)"
            )
        return f"ipam-org: {self.kind.says} in pool {self.pool}"


def watched_pools(config: Config) -> list[Pool]:
    monitoring = config.monitoring
    if monitoring is None:
        return []
    pools = all_pools(config.pools)
    if monitoring.pools is None:
        return pools
    wanted = set(monitoring.pools)
    return [pool for pool in pools if pool.name in wanted]


def alarms(monitoring: Monitoring, pool: str) -> list[Alarm]:
    """The alarms on one pool; the used alarm fires when PercentAvailable falls to 100 - used_percent."""
    kinds = {"used": Alarm(pool, USED, 100 - monitoring.used_percent), "noncompliant": Alarm(pool, NONCOMPLIANT, 0)}
    return [kinds[key] for key in sorted(set(monitoring.alarms), key=list(kinds).index)]


def all_alarms(config: Config) -> list[Alarm]:
    if config.monitoring is None:
        return []
    return [alarm for pool in watched_pools(config) for alarm in alarms(config.monitoring, pool.name)]
