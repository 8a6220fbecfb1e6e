terraform {
  # 1.9: variable validations that compare variables (ipam_account_id with management_account_id,
  # pool locales with operating_regions).
  required_version = ">= 1.9"

  required_providers {
    aws = {
      source                = "hashicorp/aws"
      version               = ">= 5.100.0, < 6.0.0"
      configuration_aliases = [aws.management, aws.delegated]
    }
  }
}
