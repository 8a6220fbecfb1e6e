# A member account's side of the handoff: find a shared IPAM pool by name and build a VPC from it.
# The IPAM account publishes each pool with `share.publish: true` as SSM parameters under
# /ipam-org/pools/<name>/ and shares them through the pool's RAM share: an account the pool is shared
# with reads them by full ARN, in the IPAM's home Region.

terraform {
  required_version = ">= 1.5"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.100.0, < 6.0.0"
    }
  }
}

provider "aws" {
  region = var.region
}

# Shared parameters are read in the Region they live in: the IPAM's home Region. They are Strings, not
# SecureStrings: insecure_value keeps the pool ID out of Terraform's sensitive handling.
provider "aws" {
  alias  = "ipam_home"
  region = var.ipam_home_region
}

locals {
  parameter_arn = "arn:${var.partition}:ssm:${var.ipam_home_region}:${var.ipam_account_id}:parameter/ipam-org/pools/${var.pool_name}"
}

data "aws_ssm_parameter" "pool_id" {
  provider = aws.ipam_home
  name     = "${local.parameter_arn}/id"
}

data "aws_ssm_parameter" "pool_locale" {
  provider = aws.ipam_home
  name     = "${local.parameter_arn}/locale"
}

resource "aws_vpc" "this" {
  ipv4_ipam_pool_id   = data.aws_ssm_parameter.pool_id.insecure_value
  ipv4_netmask_length = var.netmask_length
  tags                = { Name = var.name }

  lifecycle {
    precondition {
      condition     = data.aws_ssm_parameter.pool_locale.insecure_value == var.region
      error_message = "Pool ${var.pool_name} allocates in ${data.aws_ssm_parameter.pool_locale.insecure_value}, not in ${var.region}: a VPC takes its CIDR from a pool whose locale is its Region."
    }
  }
}
