variable "name" {
  type        = string
  description = "The VPC's Name tag."
}

variable "region" {
  type        = string
  description = "Where the VPC is built; must be the pool's locale."
}

variable "ipam_home_region" {
  type        = string
  description = "The IPAM's home Region, where the shared parameters live (providers.delegated.region in the ipam-org config)."
}

variable "ipam_account_id" {
  type        = string
  description = "The IPAM account (organization.ipam_account_id), which owns the parameters."

  validation {
    condition     = can(regex("^[0-9]{12}$", var.ipam_account_id))
    error_message = "ipam_account_id must be exactly 12 digits."
  }
}

variable "pool_name" {
  type        = string
  description = "The pool's name in the ipam-org config; it must be shared with this account and published (share.publish: true)."
}

variable "netmask_length" {
  type        = number
  default     = 24
  description = "The VPC's size; within the pool's allocation rules."

  validation {
    condition     = var.netmask_length >= 16 && var.netmask_length <= 28
    error_message = "A VPC's IPv4 CIDR is between /16 and /28."
  }
}

variable "partition" {
  type        = string
  default     = "aws"
  description = "aws, aws-cn or aws-us-gov: the IPAM home Region's partition."
}
