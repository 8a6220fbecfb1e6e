# A Terraform caller that takes the module's inputs from the file `ipam-org module tfvars` writes from a YAML config:
#
#   pipenv run ipam-org module tfvars --config ipam.yaml --out examples/from-config/ipam.tfvars.json
#   terraform -chdir=examples/from-config init && terraform -chdir=examples/from-config plan
#
# Every module input the file holds is passed on; one it leaves out (a default) arrives as null, which the module's
# variables read as their default (nullable = false). The providers are the caller's, pinned to the file's accounts.
terraform {
  required_version = ">= 1.9"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.100.0, < 6.0.0"
    }
  }
}

variable "inputs" {
  description = "The file `ipam-org module tfvars` wrote."
  type        = string
  default     = "ipam.tfvars.json"
}

variable "home_region" {
  description = "The IPAM's home Region: the delegated provider's."
  type        = string
  default     = "us-east-1"
}

variable "delegated_role_arn" {
  description = "A role in the IPAM account for the delegated provider to assume; null: its credentials are that account's."
  type        = string
  default     = null
}

locals {
  inputs = jsondecode(file(var.inputs))
}

provider "aws" {
  alias               = "management"
  region              = var.home_region
  allowed_account_ids = [local.inputs.management_account_id]
}

provider "aws" {
  alias               = "delegated"
  region              = var.home_region
  allowed_account_ids = [local.inputs.ipam_account_id]

  dynamic "assume_role" {
    for_each = var.delegated_role_arn == null ? [] : [var.delegated_role_arn]
    content {
      role_arn = assume_role.value
    }
  }
}

module "ipam" {
  # From another repository, pin a commit:
  # source = "git::https://github.com/<owner>/ipam-org.git//dist/terraform-aws-ipam-organization?ref=<commit>"
  source = "../../dist/terraform-aws-ipam-organization"

  providers = {
    aws.management = aws.management
    aws.delegated  = aws.delegated
  }

  organization_id       = local.inputs.organization_id
  management_account_id = local.inputs.management_account_id
  ipam_account_id       = local.inputs.ipam_account_id
  operating_regions     = local.inputs.operating_regions
  partition             = try(local.inputs.partition, null)
  tier                  = try(local.inputs.tier, null)
  description           = try(local.inputs.description, null)
  cascade               = try(local.inputs.cascade, null)
  ipam_tags             = try(local.inputs.ipam_tags, null)
  tags                  = try(local.inputs.tags, null)
  scopes                = try(local.inputs.scopes, null)
  pools                 = try(local.inputs.pools, null)
  guardrails            = try(local.inputs.guardrails, null)
  monitoring            = try(local.inputs.monitoring, null)
}
