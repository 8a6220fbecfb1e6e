"""The organization's IPAM as one stack (layout: single) or two dependent stacks (layout: split), plus a third,
deployed last, when the split layout has a guardrail."""

from __future__ import annotations

import json
from typing import Any

from ipam_org import addresses
from ipam_org.bindings import (
    App,
    AwsProvider,
    AwsProviderAssumeRole,
    AwsProviderDefaultTags,
    LocalBackend,
    S3Backend,
    TerraformOutput,
    TerraformStack,
)
from ipam_org.config.model import Config, Pool, ProviderSettings
from ipam_org.config.stack_names import (
    DELEGATED_STACK,
    GUARDRAILS_STACK,
    MANAGEMENT_STACK,
    SINGLE_STACK,
    STATE_DIRECTORY,
    split_key,
)
from ipam_org.domain import operating_regions
from ipam_org.domain.guardrails import exempt_accounts, guarded_ous
from ipam_org.domain.names import pool_arn
from ipam_org.domain.principals import partition_of, principals, shares_with_organization
from ipam_org.modules import IpamDelegation, IpamPool, OrganizationIpam, OrganizationSharing, forget_without_destroying
from ipam_org.modules.text import literal, literal_map

POOL_PROPS = [
    field for field in Pool.model_fields if field not in ("name", "scope", "share", "pools")
]  # what add_pool takes


def build_app(config: Config, outdir: str) -> Any:
    """Build every stack for the config into an App writing to outdir (call app.synth())."""
    app = App(outdir=outdir)
    if config.layout == "single":
        stack = _stack(app, SINGLE_STACK, config)
        management = _provider(
            stack, "management", config.providers.management, config.organization.management_account_id, config
        )
        delegated = _provider(
            stack, "delegated", config.providers.delegated, config.organization.ipam_account_id, config
        )
        delegation, sharing = _management_resources(stack, management, config)
        ipam = _delegated_resources(stack, delegated, config, after_delegation=delegation, after_sharing=sharing)
        _guardrails(stack, management, config, {name: pool.ref("id") for name, pool in ipam.pools.items()})
    else:
        management_stack = _stack(app, MANAGEMENT_STACK, config)
        management = _provider(
            management_stack,
            "management",
            config.providers.management,
            config.organization.management_account_id,
            config,
        )
        _management_resources(management_stack, management, config)
        delegated_stack = _stack(app, DELEGATED_STACK, config)
        delegated = _provider(
            delegated_stack, "delegated", config.providers.delegated, config.organization.ipam_account_id, config
        )
        # The stack dependency orders deploys (management first) and reverses destroys.
        delegated_stack.add_dependency(management_stack)
        _delegated_resources(delegated_stack, delegated, config, after_delegation=None, after_sharing=None)
        if config.guardrails.require_ipam_for_vpcs is not None:
            # SCPs are managed in the management account but must name pool IDs, which exist only once the
            # delegated stack is deployed: a third stack, deployed last with the management credentials. With no
            # OU it stays, empty, so deploying it destroys the SCPs it held (removing the guardrail is two steps).
            guardrails_stack = _stack(app, GUARDRAILS_STACK, config)
            guardrails_stack.add_dependency(management_stack)
            guardrails_stack.add_dependency(delegated_stack)
            provider = _provider(
                guardrails_stack,
                "management",
                config.providers.management,
                config.organization.management_account_id,
                config,
            )
            if guarded_ous(config):
                _guardrails(guardrails_stack, provider, config, *_delegated_pool_ids(guardrails_stack, config))
    return app


def local_state_path(stack: str) -> str:
    """Where a stack's local state lives, relative to the directory Terraform runs in.

    cdktf runs Terraform in <outdir>/stacks/<stack>, and a synth replaces <outdir>: the state goes
    beside the output directory instead, in terraform-state/<stack>.tfstate. Relative, so the JSON
    stays free of the build machine's paths (cdktf's default is absolute).
    """
    return f"../../../{STATE_DIRECTORY}/{stack}.tfstate"


def _stack(app: Any, name: str, config: Config) -> Any:
    stack = TerraformStack(app, name)
    # Read by the plan review: a plan whose `protect` output goes from true to false turns protection off.
    TerraformOutput(stack, "protect", value=config.protect)
    s3 = config.backend.s3 if config.backend else None
    if s3 is None:
        LocalBackend(stack, path=local_state_path(name))
        return stack
    key = s3.key if config.layout == "single" else split_key(s3.key, name)
    backend = S3Backend(
        stack,
        bucket=s3.bucket,
        key=key,
        region=s3.region,
        encrypt=s3.encrypt,
        kms_key_id=s3.kms_key_id,
        profile=s3.profile,
        workspace_key_prefix=s3.workspace_key_prefix,
    )
    # cdktf 0.21's S3Backend predates Terraform's native S3 locking (use_lockfile).
    backend.add_override("use_lockfile", s3.use_lockfile)
    return stack


def _provider(stack: Any, alias: str, settings: ProviderSettings, account_id: str, config: Config) -> Any:
    assume_role = None
    if settings.role_arn:
        assume_role = [
            AwsProviderAssumeRole(
                role_arn=literal(settings.role_arn),
                external_id=literal(settings.external_id),
                session_name=literal(settings.session_name),
            )
        ]
    return AwsProvider(
        stack,
        alias,
        alias=alias,
        region=settings.region,
        profile=literal(settings.profile),
        assume_role=assume_role,
        # Credentials for any other account are refused before anything is read or changed.
        allowed_account_ids=[account_id],
        default_tags=[AwsProviderDefaultTags(tags=literal_map(config.tags))] if config.tags else None,
    )


def _management_resources(stack: Any, provider: Any, config: Config) -> tuple[Any | None, Any | None]:
    """The delegation and RAM sharing with the organization, or `removed` blocks that forget them.

    Neither is ever destroyed as a side effect: both keep prevent_destroy until a config says `teardown`.
    RAM sharing is forgotten when no share needs it or in a teardown; the delegation is forgotten in a
    teardown unless it says undelegate: true, which lets destroy undelegate.
    """
    forget = []
    delegation = sharing = None
    account = config.organization.ipam_account_id
    teardown, adopt = config.teardown, config.adopt
    if teardown is None or teardown.undelegate:
        delegation = IpamDelegation(
            stack,
            "delegation",
            provider=provider,
            delegated_account_id=account,
            protect=teardown is None,
            adopt=bool(adopt and adopt.delegation),
        )
    else:
        forget.append(IpamDelegation.ADDRESS)
    if teardown is None and shares_with_organization(config):
        adopt_as = config.organization.management_account_id if adopt and adopt.ram_sharing_with_organization else None
        sharing = OrganizationSharing(stack, "ram_sharing", provider=provider, adopt_as=adopt_as)
    else:
        forget.append(OrganizationSharing.ADDRESS)
    forget_without_destroying(stack, forget)
    TerraformOutput(
        stack, "delegated_admin_account_id", value=delegation.delegated_admin_account_id if delegation else account
    )
    return delegation, sharing


def _guardrails(
    stack: Any, provider: Any, config: Config, pool_ids: dict[str, str], precondition: dict[str, str] | None = None
) -> None:
    ous = guarded_ous(config)
    if not ous:
        return
    from ipam_org.modules.guardrails import VpcIpamGuardrail  # its bindings load only for configs with a guardrail

    for ou in ous:
        VpcIpamGuardrail(
            stack,
            addresses.guardrail(ou.id),
            provider=provider,
            ou=ou,
            pool_ids=pool_ids,
            partition=partition_of(config.home_region),
            exempt=exempt_accounts(config),
            precondition=precondition,
        )


def _delegated_pool_ids(stack: Any, config: Config) -> tuple[dict[str, str], dict[str, str]]:
    """Pool IDs read from the delegated stack's `pools` output through its state (the delegated stack stays
    as it is), and a precondition that refuses to plan an SCP before those pools exist: an SCP naming no
    real pool would deny every VPC in the OU."""
    s3 = config.backend.s3 if config.backend else None
    if s3 is None:
        remote = {"backend": "local", "config": {"path": local_state_path(DELEGATED_STACK)}}
    else:
        settings = {
            "bucket": s3.bucket,
            "key": split_key(s3.key, DELEGATED_STACK),
            "region": s3.region,
            "profile": s3.profile,
            "workspace_key_prefix": s3.workspace_key_prefix,
        }
        # A data source's config is an expression Terraform evaluates (a backend block is not): literal text only.
        remote = {"backend": "s3", "config": {k: literal(v) for k, v in settings.items() if v is not None}}
    stack.add_override("data.terraform_remote_state.delegated", remote)
    pools = "data.terraform_remote_state.delegated.outputs"
    names = sorted({pool.name for ou in guarded_ous(config) for pool in (*ou.ipv4, *ou.ipv6)})
    precondition = {
        "condition": f"${{alltrue([for name in {json.dumps(names)} : can({pools}.pools[name].id)])}}",
        "error_message": f"The SCP names the pools' IDs, which come from the {DELEGATED_STACK} stack's state; it has "
        f"not deployed them yet: deploy {DELEGATED_STACK} first (cdktf deploy '*' does).",
    }
    # Pool names are HCL identifiers (letters, digits, hyphens): attribute access needs no quotes inside the JSON.
    return {name: f"${{{pools}.pools.{name}.id}}" for name in names}, precondition


def _delegated_resources(
    stack: Any, provider: Any, config: Config, after_delegation: Any, after_sharing: Any
) -> OrganizationIpam:
    ipam = OrganizationIpam(
        stack,
        "ipam",
        provider=provider,
        operating_regions=operating_regions(config),
        tier=config.ipam.tier,
        description=config.ipam.description,
        cascade=config.ipam.cascade,
        protect=config.protect,
        depends_on=[after_delegation] if after_delegation is not None else None,
        tags=config.ipam.tags,
        account_id=config.organization.ipam_account_id,
        adopt_id=config.adopt.ipam if config.adopt else None,
    )
    for scope in config.scopes:
        ipam.add_scope(scope.name, scope.description)
    shares: dict[str, Any] = {}
    _add_pools(ipam, config.pools, None, config, shares, after_sharing)
    if config.monitoring is not None:
        topic_arn = ipam.add_alarms(**config.monitoring.model_dump(exclude_unset=True))
        TerraformOutput(stack, "alarm_topic_arn", value=topic_arn)
    TerraformOutput(stack, "ipam_id", value=ipam.ref("id"))
    TerraformOutput(stack, "ipam_arn", value=ipam.ref("arn"))
    TerraformOutput(stack, "private_default_scope_id", value=ipam.private_scope.scope_id)
    TerraformOutput(stack, "public_default_scope_id", value=ipam.public_scope.scope_id)
    if config.scopes:
        TerraformOutput(
            stack, "custom_scope_ids", value={scope.name: ipam.scopes[scope.name].scope_id for scope in config.scopes}
        )
    pools = {name: {"id": pool.ref("id"), "arn": pool.ref("arn")} for name, pool in sorted(ipam.pools.items())}
    TerraformOutput(stack, "pools", value=pools)
    TerraformOutput(stack, "share_arns", value=dict(sorted(shares.items())))
    return ipam


def _add_pools(
    ipam: OrganizationIpam,
    pools: list[Pool],
    parent: IpamPool | None,
    config: Config,
    shares: dict[str, Any],
    after_sharing: Any,
) -> None:
    # Parents before children, siblings by name: construction order never depends on the YAML.
    adopted = config.adopt.pools if config.adopt else {}
    for spec in sorted(pools, key=lambda p: p.name):
        existing = adopted.get(spec.name)
        holder = parent or ipam.scopes[spec.scope]
        pool = holder.add_pool(
            spec.name,
            adopt=existing,
            adopt_arn=pool_arn(config, existing.id) if existing else None,
            **{field: getattr(spec, field) for field in POOL_PROPS},
        )
        if spec.share is not None:
            shares[spec.name] = pool.share_with(principals(spec, config), after=after_sharing, name=spec.share.name)
            if spec.share.publish:
                pool.publish(shares[spec.name])
        _add_pools(ipam, spec.pools, pool, config, shares, after_sharing)
