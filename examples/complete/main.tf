# A Terraform caller of the module, no Python: two aliased AWS providers, one module call with its pool tree as a map.
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
  region              = "us-east-1" # the IPAM's home Region
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

  organization_id       = "o-a1b2c3d4e5"
  management_account_id = "111111111111"
  ipam_account_id       = "222222222222"
  operating_regions     = ["us-east-1", "eu-west-1"]
  description           = "Organization IPAM"

  pools = {
    corp = {
      description = "Corporate IPv4 space"
      cidrs       = ["10.0.0.0/8"]
    }
    use1 = {
      parent = "corp"
      locale = "us-east-1"
      cidrs  = ["10.0.0.0/12"]
    }
    use1-prod = {
      parent      = "use1"
      locale      = "us-east-1"
      cidrs       = ["10.0.0.0/14"]
      auto_import = true
      allocation  = { default_netmask_length = 22, min_netmask_length = 16, max_netmask_length = 28 }
      share       = { organization = true }
    }
    use1-dev = {
      parent     = "use1"
      locale     = "us-east-1"
      cidrs      = ["10.4.0.0/14"]
      allocation = { default_netmask_length = 24 }
      share      = { organizational_units = ["ou-ab12-11111111"], accounts = ["333333333333"] }
    }
    euw1 = {
      parent = "corp"
      locale = "eu-west-1"
      cidrs  = ["10.16.0.0/12"]
      share  = { organization = true }
    }
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
