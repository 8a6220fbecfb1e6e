# The organization's IPAM: the delegation and RAM sharing (management account), the IPAM, its scopes, the pool
# tree (pools.tf, one resource block per level), RAM shares, published SSM parameters and the guardrail SCPs.
# Addresses keep the names the ipam-org CDKTF stacks give the same resources, as for_each keys.

locals {
  shared = { for name, p in var.pools : name => p.share if p.share != null }

  # An OU is given as an ID or an ARN; RAM takes the ARN, and the key is the OU ID.
  principals = merge([for name, share in local.shared : merge(
    share.organization ? { "${name}_share_organization" = { pool = name, principal = "arn:${var.partition}:organizations::${var.management_account_id}:organization/${var.organization_id}" } } : {},
    { for ou in share.organizational_units : "${name}_share_${reverse(split("/", ou))[0]}" => {
      pool      = name
      principal = "arn:${var.partition}:organizations::${var.management_account_id}:ou/${var.organization_id}/${reverse(split("/", ou))[0]}"
    } },
    { for account in share.accounts : "${name}_share_${account}" => { pool = name, principal = account } },
  )]...)
  shares_with_organization = anytrue([for share in values(local.shared) : share.organization || length(share.organizational_units) > 0])

  # Shared parameters must be in the advanced tier and are read by ARN in their own Region.
  published = { for name, share in local.shared : name => var.pools[name] if share.publish }
  parameters = merge([for name, p in local.published : {
    for fact in ["id", "arn", "cidrs", "locale"] : "${name}_param-${fact}" => { pool = name, fact = fact }
  }]...)

  # monitoring: per watched pool, one alarm of each kind asked for, keyed <pool>_alarm-<kind> as the stacks name it.
  # IPAM's pool metrics: https://docs.aws.amazon.com/vpc/latest/ipam/cloudwatch-ipam-ip-address-usage.html
  alarm_kinds = {
    used         = { metric = "PercentAvailable", comparison = "LessThanOrEqualToThreshold", statistic = "Minimum" }
    noncompliant = { metric = "NoncompliantResourceCidrs", comparison = "GreaterThanThreshold", statistic = "Maximum" }
  }
  alarms = var.monitoring == null ? {} : merge([for pool in sort(coalesce(var.monitoring.pools, keys(var.pools))) : {
    for kind in var.monitoring.alarms : "${pool}_alarm-${kind}" => { pool = pool, kind = kind }
  }]...)
  alarm_topic_arn = var.monitoring == null ? null : (var.monitoring.topic_arn != null ? var.monitoring.topic_arn : aws_sns_topic.alarms["ipam_alarms"].arn)

  guarded_ous = try(var.guardrails.require_ipam_for_vpcs.organizational_units, [])
  exempt      = sort(distinct(concat(try(var.guardrails.require_ipam_for_vpcs.exempt_accounts, []), [var.ipam_account_id])))
  # A VPC in a guarded OU allocates from pools shared with it (or the organization) that have a locale.
  guarded_pools = { for ou in local.guarded_ous : ou => {
    for name, p in var.pools : name => p.address_family
    if p.locale != null && p.share != null && try(p.share.organization || contains([for entry in p.share.organizational_units : reverse(split("/", entry))[0]], ou), false)
  } }

  # Each OU's SCP with ${ids[i]} where the i-th pool of guarded_pools (by name) goes: templatestring() puts in the
  # pools' IDs for the policy, and the longest IDs AWS hands out for the size check, known at plan.
  # https://docs.aws.amazon.com/vpc/latest/ipam/scp-ipam.html: a negated operator is true when the key is absent, so a
  # VPC that names no pool is denied too; the exempt accounts are ANDed in.
  scp_templates = { for ou, pools in local.guarded_pools : ou => jsonencode({
    Version = "2012-10-17"
    Statement = concat([
      {
        Sid       = "CreateVpcFromIpamPool"
        Effect    = "Deny"
        Action    = "ec2:CreateVpc"
        Resource  = "arn:${var.partition}:ec2:*:*:vpc/*"
        Condition = { StringNotEquals = { "ec2:Ipv4IpamPoolId" = [for i, name in keys(pools) : "$${ids[${i}]}" if pools[name] == "ipv4"], "aws:PrincipalAccount" = local.exempt } }
      },
      {
        Sid      = "AssociateVpcCidrFromIpamPool"
        Effect   = "Deny"
        Action   = "ec2:AssociateVpcCidrBlock"
        Resource = "arn:${var.partition}:ec2:*:*:vpc/*"
        Condition = { StringNotEquals = merge(
          { "ec2:Ipv4IpamPoolId" = [for i, name in keys(pools) : "$${ids[${i}]}" if pools[name] == "ipv4"], "aws:PrincipalAccount" = local.exempt },
          contains(values(pools), "ipv6") ? { "ec2:Ipv6IpamPoolId" = [for i, name in keys(pools) : "$${ids[${i}]}" if pools[name] == "ipv6"] } : {},
        ) }
      },
      ], contains(values(pools), "ipv6") ? [{
        Sid      = "CreateVpcIpv6FromIpamPool"
        Effect   = "Deny"
        Action   = "ec2:CreateVpc"
        Resource = "arn:${var.partition}:ec2:*:*:vpc/*"
        Condition = {
          StringNotEquals = { "ec2:Ipv6IpamPoolId" = [for i, name in keys(pools) : "$${ids[${i}]}" if pools[name] == "ipv6"], "aws:PrincipalAccount" = local.exempt }
          Null            = { "ec2:Ipv6IpamPoolId" = "false" }
        }
    }] : [])
  }) }
}

# The IPAM's home Region is aws.delegated's Region (read from the provider configuration, no API call).
data "aws_region" "home" {
  provider = aws.delegated
}

resource "aws_vpc_ipam_organization_admin_account" "delegation" {
  provider = aws.management

  # EC2's EnableIpamOrganizationAdminAccount, which also creates the AWSServiceRoleForIPAM role (Organizations'
  # RegisterDelegatedAdministrator would not).
  delegated_admin_account_id = var.ipam_account_id

  lifecycle {
    prevent_destroy = true # an organization-wide setting: see the README's teardown
  }
}

resource "aws_ram_sharing_with_organization" "ram_sharing" {
  provider = aws.management
  count    = local.shares_with_organization ? 1 : 0

  lifecycle {
    prevent_destroy = true # other teams' shares rely on it: never switched off as a side effect
  }
}

resource "aws_vpc_ipam" "ipam" {
  provider = aws.delegated

  description = var.description
  tier        = var.tier
  cascade     = var.cascade ? true : null
  tags        = merge(var.tags, var.ipam_tags)

  dynamic "operating_regions" {
    for_each = toset(var.operating_regions)
    content {
      region_name = operating_regions.value
    }
  }

  depends_on = [aws_vpc_ipam_organization_admin_account.delegation]

  lifecycle {
    prevent_destroy = true

    precondition {
      condition     = (startswith(data.aws_region.home.name, "cn-") ? "aws-cn" : startswith(data.aws_region.home.name, "us-gov-") ? "aws-us-gov" : "aws") == var.partition
      error_message = "The home Region ${data.aws_region.home.name} (aws.delegated's) is not in partition ${var.partition}: an organization and its IPAM live in one partition; set var.partition or use a provider in that partition."
    }

    precondition {
      # https://docs.aws.amazon.com/vpc/latest/ipam/mod-ipam.html
      condition     = var.tier != "free" || alltrue([for p in values(var.pools) : p.locale == null || p.locale == data.aws_region.home.name])
      error_message = "The free tier keeps pools in the home Region ${data.aws_region.home.name}; not so: ${join(", ", [for name, p in var.pools : "pools[\"${name}\"] (${p.locale})" if p.locale != null && p.locale != data.aws_region.home.name])}. Set tier = \"advanced\"."
    }
  }
}

resource "aws_vpc_ipam_scope" "custom" {
  provider = aws.delegated
  for_each = var.scopes

  ipam_id     = aws_vpc_ipam.ipam.id
  description = each.value.description
  tags        = merge(var.tags, { Name = each.key })
}

resource "aws_ram_resource_share" "pool" {
  provider = aws.delegated
  for_each = local.shared

  name                      = coalesce(each.value.name, "ipam-pool-${each.key}")
  allow_external_principals = false
  tags                      = merge(var.tags, { Name = coalesce(each.value.name, "ipam-pool-${each.key}") })
}

resource "aws_ram_resource_association" "pool" {
  provider = aws.delegated
  for_each = local.shared

  resource_arn       = local.pool_resources[each.key].arn
  resource_share_arn = aws_ram_resource_share.pool[each.key].arn
}

resource "aws_ram_principal_association" "principal" {
  provider = aws.delegated
  for_each = local.principals

  principal          = each.value.principal
  resource_share_arn = aws_ram_resource_share.pool[each.value.pool].arn

  # Organization and OU principals need RAM sharing with the organization first.
  depends_on = [aws_ram_sharing_with_organization.ram_sharing]
}

resource "aws_ssm_parameter" "published" {
  provider = aws.delegated
  for_each = local.parameters

  name        = "/ipam-org/pools/${each.value.pool}/${each.value.fact}"
  description = "ipam-org: the ${each.value.fact} of IPAM pool ${each.value.pool}"
  type        = each.value.fact == "cidrs" ? "StringList" : "String"
  tier        = "Advanced"
  tags        = length(var.tags) > 0 ? var.tags : null
  value = {
    id     = local.pool_resources[each.value.pool].id
    arn    = local.pool_resources[each.value.pool].arn
    cidrs  = var.pools[each.value.pool].cidrs != null ? join(",", sort(var.pools[each.value.pool].cidrs)) : try(local.cidr_resources["${each.value.pool}_netmask-${var.pools[each.value.pool].netmask_length}"].cidr, "")
    locale = coalesce(var.pools[each.value.pool].locale, "None") # AWS spells no locale "None"
  }[each.value.fact]

  # A pipeline that finds the pool's ID can allocate from it: its CIDRs are provisioned.
  depends_on = [
    aws_vpc_ipam_pool_cidr.level_1, aws_vpc_ipam_pool_cidr.level_2, aws_vpc_ipam_pool_cidr.level_3, aws_vpc_ipam_pool_cidr.level_4,
    aws_vpc_ipam_pool_cidr.level_5, aws_vpc_ipam_pool_cidr.level_6, aws_vpc_ipam_pool_cidr.level_7, aws_vpc_ipam_pool_cidr.level_8,
    aws_vpc_ipam_pool_cidr.level_9, aws_vpc_ipam_pool_cidr.level_10,
  ]
}

resource "aws_ram_resource_association" "parameter" {
  provider = aws.delegated
  for_each = local.parameters

  resource_arn       = aws_ssm_parameter.published[each.key].arn
  resource_share_arn = aws_ram_resource_share.pool[each.value.pool].arn
}

resource "aws_organizations_policy" "guardrail" {
  provider = aws.management
  for_each = toset(local.guarded_ous)

  name        = "ipam-org-require-ipam-${each.key}"
  description = "ipam-org: VPCs in ${each.key} allocate their CIDRs from IPAM pools shared with it"
  type        = "SERVICE_CONTROL_POLICY"
  tags        = length(var.tags) > 0 ? var.tags : null
  content     = templatestring(local.scp_templates[each.key], { ids = [for name in keys(local.guarded_pools[each.key]) : local.pool_resources[name].id] })

  lifecycle {
    precondition {
      # https://docs.aws.amazon.com/organizations/latest/userguide/orgs_reference_limits.html
      condition     = length(templatestring(local.scp_templates[each.key], { ids = [for name in keys(local.guarded_pools[each.key]) : "ipam-pool-fffffffffffffffff"] })) <= 5120
      error_message = "The SCP for ${each.key} would take up to ${length(templatestring(local.scp_templates[each.key], { ids = [for name in keys(local.guarded_pools[each.key]) : "ipam-pool-fffffffffffffffff"] }))} characters (${length(local.guarded_pools[each.key])} pool IDs of up to 27 characters), over AWS's limit of 5120 per SCP; share fewer pools with a locale with this OU."
    }
  }
}

resource "aws_organizations_policy_attachment" "guardrail" {
  provider = aws.management
  for_each = toset(local.guarded_ous)

  policy_id = aws_organizations_policy.guardrail[each.key].id
  target_id = each.key
}

resource "aws_sns_topic" "alarms" {
  provider = aws.delegated
  for_each = var.monitoring != null && try(var.monitoring.topic_arn == null, false) ? toset(["ipam_alarms"]) : toset([])

  name = var.monitoring.topic_name
  tags = merge(var.tags, { Name = var.monitoring.topic_name })
}

resource "aws_sns_topic_subscription" "email" {
  provider = aws.delegated
  for_each = var.monitoring == null ? {} : { for email in var.monitoring.emails : "ipam_alarms_${replace(lower(email), "/[^a-z0-9-]/", "-")}" => email }

  topic_arn = local.alarm_topic_arn
  protocol  = "email"
  endpoint  = each.value
}

resource "aws_cloudwatch_metric_alarm" "pool" {
  provider = aws.delegated
  for_each = local.alarms

  alarm_name          = "ipam-pool-${each.value.pool}-${each.value.kind}"
  alarm_description   = each.value.kind == "used" ? "ipam-org: pool ${each.value.pool} is ${var.monitoring.used_percent}% used or more (allocated to child pools plus assigned to resources)" : "ipam-org: a resource CIDR breaks the pool's allocation rules in pool ${each.value.pool}"
  namespace           = "AWS/IPAM"
  metric_name         = local.alarm_kinds[each.value.kind].metric
  dimensions          = { IpamPoolId = local.pool_resources[each.value.pool].id }
  statistic           = local.alarm_kinds[each.value.kind].statistic
  period              = 3600 # IPAM refreshes pool metrics about hourly
  evaluation_periods  = 1
  threshold           = each.value.kind == "used" ? 100 - var.monitoring.used_percent : 0
  comparison_operator = local.alarm_kinds[each.value.kind].comparison
  treat_missing_data  = "missing" # a new pool, or a metric IPAM has not published yet: neither a breach nor OK
  alarm_actions       = [local.alarm_topic_arn]
  ok_actions          = [local.alarm_topic_arn]
  tags                = length(var.tags) > 0 ? var.tags : null

  lifecycle {
    precondition {
      condition     = try(split(":", var.monitoring.topic_arn)[3], data.aws_region.home.name) == data.aws_region.home.name
      error_message = "monitoring.topic_arn is in ${try(split(":", var.monitoring.topic_arn)[3], "?")}; CloudWatch alarms notify topics in their own Region, the home Region ${data.aws_region.home.name}: use a topic there, or leave topic_arn out and the module creates one."
    }
  }
}
