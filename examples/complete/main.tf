# A consumer of the generated module: two aliased AWS providers, one module call.
terraform {
  required_version = ">= 1.9"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.100.0, < 6.0.0"
    }
  }
}

provider "aws" {
  alias               = "mgmt"
  region              = "us-east-1"
  allowed_account_ids = ["111111111111"]
}

provider "aws" {
  alias               = "ipam"
  region              = "us-east-1"
  allowed_account_ids = ["222222222222"]

  assume_role {
    role_arn = "arn:aws:iam::222222222222:role/OrganizationAccountAccessRole"
  }
}

module "ipam" {
  source = "../../dist/terraform-aws-ipam-organization"

  providers = {
    aws.management = aws.mgmt
    aws.delegated  = aws.ipam
  }

  tags = {
    ManagedBy = "terraform"
    Team      = "platform"
  }
}

output "pools" {
  description = "Pool IDs and ARNs by name, for VPC modules to allocate from."
  value       = module.ipam.pools
}
