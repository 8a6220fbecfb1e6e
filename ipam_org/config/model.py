"""The configuration schema: one YAML file is the user's whole interface.

Field-level shape only (types, enums, unknown keys). Rules that relate fields to each
other live in ``validation/`` so that every problem is reported at once, with its path.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

AddressFamily = Literal["ipv4", "ipv6"]


def _account_id(value: object) -> object:
    """YAML silently turns unquoted digits into numbers; say so instead of 'not a string'."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        raise ValueError(
            f"account IDs must be quoted strings: YAML read this value as the number {value}"
            " (an unquoted ID loses its leading zeros or is read as octal); write it in quotes,"
            ' for example "012345678901"'
        )
    return value


def _account_ids(value: object) -> object:
    if isinstance(value, list):
        for item in value:
            _account_id(item)
    return value


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Organization(Model):
    id: str = Field(description="Organization ID, o- followed by 10-32 lowercase letters or digits.")
    management_account_id: str = Field(description="The organization's management account.")
    ipam_account_id: str = Field(description="The member account delegated as IPAM administrator.")

    _quoted = field_validator("management_account_id", "ipam_account_id", mode="before")(_account_id)


class ProviderSettings(Model):
    region: str
    role_arn: str | None = None
    external_id: str | None = None
    session_name: str | None = None
    profile: str | None = None


class Providers(Model):
    management: ProviderSettings
    delegated: ProviderSettings = Field(description="Its region is the IPAM's home region.")


class Ipam(Model):
    description: str | None = None
    tier: Literal["advanced", "free"] = "advanced"
    operating_regions: list[str] | None = Field(
        default=None, description="Default: the home region plus every pool locale."
    )
    cascade: bool = False
    tags: dict[str, str] = Field(default={}, description="Tags on the IPAM alone (beside the config's tags).")


class Allocation(Model):
    default_netmask_length: int | None = None
    min_netmask_length: int | None = None
    max_netmask_length: int | None = None
    resource_tags: dict[str, str] = {}


class Share(Model):
    organization: bool = False
    organizational_units: list[str] = []
    accounts: list[str] = []
    name: str | None = Field(
        default=None, description="The RAM share's name and Name tag; default ipam-pool-<pool name>."
    )
    publish: bool = Field(
        default=False,
        description="Publish the pool's ID, ARN, CIDRs and locale as SSM parameters under /ipam-org/pools/<name>/, "
        "shared through this share.",
    )

    _quoted = field_validator("accounts", mode="before")(_account_ids)

    @property
    def is_empty(self) -> bool:
        return not (self.organization or self.organizational_units or self.accounts)


class CidrAuthorizationContext(Model):
    """BYOIP: the signed message that proves the CIDR's owner allows this AWS account to bring it
    (ProvisionIpamPoolCidr)."""

    message: str = Field(description="1|aws|<IPAM account>|<cidr>|<expiry YYYYMMDD>|SHA256|RSAPSS")
    signature: str = Field(
        description="The message signed with the private key of the X.509 certificate in the CIDR's RDAP record, "
        "base64 in AWS's URL-safe spelling."
    )


class Scope(Model):
    """A custom private scope: its pools may reuse address space the other scopes use (for example an acquired
    company's 10.0.0.0/8, or isolated environments that share one range)."""

    name: str
    description: str | None = None


class Pool(Model):
    name: str
    description: str | None = None
    address_family: AddressFamily = "ipv4"
    scope: str = Field(default="private", description="private, public, or the name of a custom scope in scopes.")
    locale: str | None = None
    cidrs: list[str] | None = None
    cidr_authorization_contexts: dict[str, CidrAuthorizationContext] = Field(
        default={}, description="BYOIP: by CIDR of a top-level public BYOIP pool, its signed authorization message."
    )
    netmask_length: int | None = None
    allocation: Allocation = Allocation()
    auto_import: bool = False
    aws_service: Literal["ec2"] | None = None
    public_ip_source: Literal["amazon", "byoip"] | None = None
    publicly_advertisable: bool | None = None
    tags: dict[str, str] = {}
    share: Share | None = None
    pools: list[Pool] = []


class S3Backend(Model):
    bucket: str
    key: str
    region: str
    encrypt: bool = True
    use_lockfile: bool = True
    kms_key_id: str | None = None
    profile: str | None = None
    workspace_key_prefix: str | None = None


class Backend(Model):
    s3: S3Backend


class AdoptedAllocation(Model):
    """The allocation netmask lengths AWS holds for an existing pool, as discovery read them."""

    default_netmask_length: int | None = None
    min_netmask_length: int | None = None
    max_netmask_length: int | None = None


class AdoptedPool(Model):
    """A pool that exists: its ID, and which of its CIDRs, share and principal associations exist too."""

    id: str
    cidrs: list[str] = []
    allocation: AdoptedAllocation = AdoptedAllocation()
    share_arn: str | None = None
    principals: list[str] = Field(default=[], description="As RAM names them: account IDs, organization and OU ARNs.")


class Adopt(Model):
    """Resources that already exist and are imported on the first plan (written by ipam-org discover)."""

    delegation: bool = False
    ram_sharing_with_organization: bool = False
    ipam: str | None = Field(default=None, description="The existing IPAM's ID.")
    pools: dict[str, AdoptedPool] = Field(default={}, description="By pool name.")


class Teardown(Model):
    """Present only in a config that prepares `cdktf destroy`: organization-wide settings are released."""

    undelegate: bool = Field(
        description="true: destroy also undelegates the IPAM account; false: Terraform forgets the delegation and the "
        "account stays IPAM administrator.",
    )


class RequireIpamForVpcs(Model):
    """An SCP per OU: VPCs and VPC CIDR associations there must allocate from a pool shared with that OU."""

    organizational_units: list[str] = Field(description="OU IDs the SCP is attached to.")
    exempt_accounts: list[str] = Field(
        default=[], description="Accounts the SCP does not restrict (the IPAM account never is)."
    )

    _quoted = field_validator("exempt_accounts", mode="before")(_account_ids)


class Guardrails(Model):
    require_ipam_for_vpcs: RequireIpamForVpcs | None = None


class Monitoring(Model):
    """CloudWatch alarms on the pool metrics IPAM publishes (namespace AWS/IPAM), in the IPAM account's home Region."""

    alarms: list[Literal["used", "noncompliant"]] = Field(
        default=["used", "noncompliant"],
        description="used: a pool's used share (allocated to child pools plus assigned to resources, 100 minus AWS's "
        "PercentAvailable) reaches used_percent; noncompliant: a pool holds a resource CIDR that breaks its "
        "allocation rules.",
    )
    used_percent: int = Field(default=80, description="The used alarm's threshold, 1-99.")
    pools: list[str] | None = Field(default=None, description="The pools to alarm on, by name; default: every pool.")
    topic_arn: str | None = Field(
        default=None,
        description="An existing SNS topic in the home Region to notify; default: a topic ipam-org creates.",
    )
    topic_name: str = Field(default="ipam-pool-alarms", description="The name of the topic ipam-org creates.")
    emails: list[str] = Field(
        default=[], description="E-mail addresses subscribed to the topic (each confirms by e-mail)."
    )


class Config(Model):
    organization: Organization
    providers: Providers
    ipam: Ipam = Ipam()
    tags: dict[str, str] = {}
    scopes: list[Scope] = Field(
        default=[], description="Custom private scopes, beside the IPAM's default private and public scopes."
    )
    pools: list[Pool] = []
    backend: Backend | None = None
    layout: Literal["single", "split"] = "single"
    protect: bool = Field(
        default=True,
        description="prevent_destroy on the delegation, the IPAM, pools and pool CIDRs; false only for teardown.",
    )
    teardown: Teardown | None = None
    adopt: Adopt | None = None
    guardrails: Guardrails = Guardrails()
    monitoring: Monitoring | None = Field(default=None, description="Alarms on pool usage; absent: none.")

    @property
    def home_region(self) -> str:
        return self.providers.delegated.region
