# Plan-only runs against mocked providers: `terraform init && terraform test` in this directory.

mock_provider "aws" {
  alias = "management"
}

mock_provider "aws" {
  alias = "delegated"

  override_data {
    target = data.aws_region.home
    values = { name = "us-east-1" }
  }
}

variables {
  organization_id       = "o-a1b2c3d4e5"
  management_account_id = "111111111111"
  ipam_account_id       = "222222222222"
  operating_regions     = ["us-east-1", "eu-west-1"]
  tags                  = { ManagedBy = "terraform" }
  pools = {
    corp = { description = "Corporate IPv4 space", cidrs = ["10.0.0.0/8"] }
    use1 = { parent = "corp", locale = "us-east-1", cidrs = ["10.0.0.0/12"] }
    use1-prod = {
      parent     = "use1", locale = "us-east-1", cidrs = ["10.0.0.0/14"], auto_import = true
      allocation = { default_netmask_length = 22, min_netmask_length = 16, max_netmask_length = 28 }
      share      = { organization = true }
    }
    use1-dev = {
      parent     = "use1", locale = "us-east-1", cidrs = ["10.4.0.0/14"]
      allocation = { default_netmask_length = 24 }
      share      = { organizational_units = ["ou-ab12-11111111"], accounts = ["333333333333"], publish = true }
    }
    euw1 = { parent = "corp", locale = "eu-west-1", cidrs = ["10.16.0.0/12"], share = { organization = true } }
  }
}

run "plans_the_pool_tree_by_level" {
  command = plan

  assert {
    condition     = aws_vpc_ipam_organization_admin_account.delegation.delegated_admin_account_id == "222222222222"
    error_message = "The delegation must name the IPAM account."
  }

  assert {
    condition     = keys(aws_vpc_ipam_pool.level_1) == ["corp"] && keys(aws_vpc_ipam_pool.level_2) == ["euw1", "use1"] && keys(aws_vpc_ipam_pool.level_3) == ["use1-dev", "use1-prod"]
    error_message = "Each pool must sit in the block of its depth."
  }

  assert {
    condition     = keys(aws_vpc_ipam_pool_cidr.level_3) == ["use1-dev_10-4-0-0-14", "use1-prod_10-0-0-0-14"] && aws_vpc_ipam_pool_cidr.level_2["use1_10-0-0-0-12"].cidr == "10.0.0.0/12"
    error_message = "CIDRs must be keyed <pool>_<cidr> and provisioned as given."
  }

  assert {
    condition     = aws_vpc_ipam_pool.level_3["use1-prod"].allocation_default_netmask_length == 22 && aws_vpc_ipam_pool.level_3["use1-prod"].auto_import == true
    error_message = "Allocation rules and auto_import must reach the pool."
  }

  assert {
    condition     = aws_vpc_ipam_pool.level_2["use1"].tags == tomap({ ManagedBy = "terraform", Name = "use1" })
    error_message = "Pools carry var.tags and their Name."
  }

  assert {
    condition     = length(aws_ram_sharing_with_organization.ram_sharing) == 1
    error_message = "Organization and OU principals need RAM sharing with the organization."
  }

  assert {
    condition = { for key, association in aws_ram_principal_association.principal : key => association.principal } == {
      "euw1_share_organization"         = "arn:aws:organizations::111111111111:organization/o-a1b2c3d4e5"
      "use1-dev_share_333333333333"     = "333333333333"
      "use1-dev_share_ou-ab12-11111111" = "arn:aws:organizations::111111111111:ou/o-a1b2c3d4e5/ou-ab12-11111111"
      "use1-prod_share_organization"    = "arn:aws:organizations::111111111111:organization/o-a1b2c3d4e5"
    }
    error_message = "Principals must be the organization's and OU's ARNs, or account IDs."
  }

  assert {
    condition     = aws_ram_resource_share.pool["use1-dev"].name == "ipam-pool-use1-dev" && aws_ram_resource_share.pool["use1-dev"].allow_external_principals == false
    error_message = "Shares are named ipam-pool-<pool> and never external."
  }

  assert {
    condition     = aws_ssm_parameter.published["use1-dev_param-cidrs"].value == "10.4.0.0/14" && aws_ssm_parameter.published["use1-dev_param-locale"].value == "us-east-1"
    error_message = "A published pool's facts are SSM parameters."
  }

  assert {
    condition     = length(aws_organizations_policy.guardrail) == 0
    error_message = "No guardrail unless asked for."
  }
}

# Refused by preconditions on the IPAM, which read the home Region from aws.delegated (mocked above: us-east-1).

run "tier_free_locale_outside_home" {
  command = plan

  variables {
    tier = "free"
    pools = {
      v6 = { address_family = "ipv6", scope = "public", locale = "eu-west-1", netmask_length = 52, aws_service = "ec2", public_ip_source = "amazon" }
    }
  }

  expect_failures = [aws_vpc_ipam.ipam]
}

run "alarms_on_the_watched_pools_notify_the_created_topic" {
  command = plan

  variables {
    monitoring = { used_percent = 75, pools = ["use1-prod", "euw1"], emails = ["Net.Team@example.com"] }
  }

  assert {
    condition     = toset(keys(aws_cloudwatch_metric_alarm.pool)) == toset(["use1-prod_alarm-used", "use1-prod_alarm-noncompliant", "euw1_alarm-used", "euw1_alarm-noncompliant"])
    error_message = "one used and one noncompliant alarm per watched pool, keyed as the stacks name them"
  }

  assert {
    condition     = aws_cloudwatch_metric_alarm.pool["euw1_alarm-used"].threshold == 25 && aws_cloudwatch_metric_alarm.pool["euw1_alarm-used"].metric_name == "PercentAvailable" && aws_cloudwatch_metric_alarm.pool["euw1_alarm-used"].namespace == "AWS/IPAM"
    error_message = "75% used is PercentAvailable <= 25 in AWS/IPAM"
  }

  assert {
    condition     = keys(aws_sns_topic.alarms) == ["ipam_alarms"] && aws_sns_topic.alarms["ipam_alarms"].name == "ipam-pool-alarms" && keys(aws_sns_topic_subscription.email) == ["ipam_alarms_net-team-example-com"]
    error_message = "the module creates the topic and subscribes each address"
  }
}

run "monitoring_topic_other_region" {
  command = plan

  variables {
    monitoring = { topic_arn = "arn:aws:sns:eu-west-1:222222222222:network-alerts" }
  }

  expect_failures = [aws_cloudwatch_metric_alarm.pool]
}

run "partition_differs_from_the_home_region" {
  command = plan

  variables {
    partition = "aws-us-gov"
    pools     = {}
  }

  expect_failures = [aws_vpc_ipam.ipam]
}

run "guardrail_scp_too_large" {
  command = plan

  variables {
    pools = merge({ corp = { cidrs = ["10.0.0.0/8"] } }, {
      for i in range(200) : "p${i}" => { parent = "corp", locale = "us-east-1", cidrs = [cidrsubnet("10.0.0.0/8", 8, i)], share = { organization = true } }
    })
    guardrails = { require_ipam_for_vpcs = { organizational_units = ["ou-ab12-11111111"] } }
  }

  expect_failures = [aws_organizations_policy.guardrail]
}

run "guardrail_names_the_pools_shared_with_the_ou" {
  command = plan

  variables {
    guardrails = { require_ipam_for_vpcs = { organizational_units = ["ou-ab12-11111111"], exempt_accounts = ["444444444444"] } }
  }

  assert {
    condition     = keys(local.guarded_pools["ou-ab12-11111111"]) == ["euw1", "use1-dev", "use1-prod"]
    error_message = "The SCP allows the pools with a locale shared with the OU or the organization."
  }

  assert {
    condition     = jsondecode(local.scp_templates["ou-ab12-11111111"]).Statement[0].Condition.StringNotEquals["aws:PrincipalAccount"] == ["222222222222", "444444444444"]
    error_message = "The SCP exempts the IPAM account and the exempt accounts."
  }
}
