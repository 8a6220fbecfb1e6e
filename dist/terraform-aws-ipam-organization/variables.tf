variable "organization_id" {
  description = "The AWS Organization's ID (o-...)."
  type        = string

  validation {
    condition     = can(regex("^o-[a-z0-9]{10,32}$", var.organization_id))
    error_message = "organization_id must be o- followed by 10-32 lowercase letters or digits."
  }
}

variable "management_account_id" {
  description = "The organization's management account: aws.management must be its credentials."
  type        = string

  validation {
    condition     = can(regex("^[0-9]{12}$", var.management_account_id))
    error_message = "management_account_id must be exactly 12 digits (a quoted string)."
  }
}

variable "ipam_account_id" {
  description = "The member account delegated as IPAM administrator: aws.delegated must be its credentials."
  type        = string

  validation {
    condition     = can(regex("^[0-9]{12}$", var.ipam_account_id))
    error_message = "ipam_account_id must be exactly 12 digits (a quoted string)."
  }

  validation {
    condition     = var.ipam_account_id != var.management_account_id
    error_message = "ipam_account_id must be a member account, not the management account: AWS refuses to delegate IPAM administration to it."
  }
}

variable "partition" {
  description = "The ARN partition of the organization (aws, aws-cn, aws-us-gov): organization and OU principals are ARNs."
  type        = string
  default     = "aws"

  validation {
    condition     = contains(["aws", "aws-cn", "aws-us-gov"], var.partition)
    error_message = "partition must be aws, aws-cn or aws-us-gov."
  }
}

variable "operating_regions" {
  description = "Regions the IPAM operates in: the home Region (aws.delegated's) and every pool locale."
  type        = list(string)

  validation {
    condition     = alltrue([for r in var.operating_regions : can(regex("^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]{1,2}$", r))])
    error_message = "operating_regions must be AWS Region names such as us-east-1; not so: ${join(", ", [for r in var.operating_regions : jsonencode(r) if !can(regex("^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]{1,2}$", r))])}."
  }
}

variable "tier" {
  description = "IPAM tier: advanced (RAM sharing and private scope pools need it) or free."
  type        = string
  default     = "advanced"

  validation {
    condition     = contains(["advanced", "free"], var.tier)
    error_message = "tier must be \"advanced\" or \"free\"."
  }
}

variable "description" {
  description = "The IPAM's description."
  type        = string
  default     = null
}

variable "cascade" {
  description = "Whether destroying the IPAM also deletes its scopes, pools and allocations (AWS's Cascade)."
  type        = bool
  default     = false
}

variable "ipam_tags" {
  description = "Tags on the IPAM alone, beside var.tags."
  type        = map(string)
  default     = {}
}

variable "tags" {
  description = "Tags on every taggable resource (the IPAM, scopes, pools, RAM shares, SSM parameters, SCPs); the callers' providers may add default_tags."
  type        = map(string)
  default     = {}

  validation {
    condition     = length(merge(var.tags, { Name = "" })) <= 50
    error_message = "With Name, every resource would carry ${length(merge(var.tags, { Name = "" }))} tags; AWS allows at most 50 per resource."
  }
}

variable "scopes" {
  description = "Custom private scopes by name, beside the IPAM's default private and public scopes: pools in different scopes may overlap."
  type = map(object({
    description = optional(string)
  }))
  default = {}

  validation {
    condition     = alltrue([for name in keys(var.scopes) : can(regex("^[A-Za-z][A-Za-z0-9-]{0,62}$", name)) && !contains(["private", "public"], name)])
    error_message = "scopes: a scope name starts with an ASCII letter, then ASCII letters, digits or hyphens (at most 63 characters), and is neither private nor public (every IPAM has those); not so: ${join(", ", [for name in keys(var.scopes) : jsonencode(name) if !(can(regex("^[A-Za-z][A-Za-z0-9-]{0,62}$", name)) && !contains(["private", "public"], name))])}."
  }
}

variable "pools" {
  description = <<-EOT
    The pool tree as a flat map by pool name: a pool names its parent (none for a top-level pool), at most 10
    levels deep. Give each pool exactly one of cidrs (blocks provisioned from the parent) or netmask_length
    (an Amazon-provided IPv6 block). share shares the pool through AWS RAM with the organization, OUs (IDs or
    ARNs) or accounts; publish also shares its ID, ARN, CIDRs and locale as SSM parameters.
  EOT
  type = map(object({
    parent         = optional(string)
    description    = optional(string)
    address_family = optional(string, "ipv4")
    scope          = optional(string, "private")
    locale         = optional(string)
    cidrs          = optional(list(string))
    netmask_length = optional(number)
    cidr_authorization_contexts = optional(map(object({
      message   = string
      signature = string
    })), {})
    allocation = optional(object({
      default_netmask_length = optional(number)
      min_netmask_length     = optional(number)
      max_netmask_length     = optional(number)
      resource_tags          = optional(map(string), {})
    }), {})
    auto_import           = optional(bool, false)
    aws_service           = optional(string)
    public_ip_source      = optional(string)
    publicly_advertisable = optional(bool)
    tags                  = optional(map(string), {})
    share = optional(object({
      organization         = optional(bool, false)
      organizational_units = optional(list(string), [])
      accounts             = optional(list(string), [])
      name                 = optional(string)
      publish              = optional(bool, false)
    }))
  }))
  default = {}

  validation {
    condition     = alltrue([for name in keys(var.pools) : can(regex("^[A-Za-z][A-Za-z0-9-]{0,62}$", name))])
    error_message = "pools: a pool name starts with an ASCII letter, then ASCII letters, digits or hyphens (at most 63 characters): names become resource keys and SSM parameter paths; not so: ${join(", ", [for name in keys(var.pools) : jsonencode(name) if !can(regex("^[A-Za-z][A-Za-z0-9-]{0,62}$", name))])}."
  }

  validation {
    condition     = alltrue([for name, p in var.pools : p.parent == null || contains(keys(var.pools), coalesce(p.parent, name))])
    error_message = "pools: ${join("; ", [for name, p in var.pools : "pools[\"${name}\"].parent: \"${p.parent}\" is not a pool in this map" if p.parent != null && !contains(keys(var.pools), coalesce(p.parent, name))])}."
  }

  validation {
    # The 10th ancestor of a pool must not exist. Terraform has no recursion, and a validation may not use locals
    # that read the variable it validates, so the parent chain is followed step by step: try() ends it at a top-level pool.
    condition     = alltrue([for name, p in var.pools : try(var.pools[try(var.pools[try(var.pools[try(var.pools[try(var.pools[try(var.pools[try(var.pools[try(var.pools[try(var.pools[p.parent].parent, null)].parent, null)].parent, null)].parent, null)].parent, null)].parent, null)].parent, null)].parent, null)].parent, null) == null])
    error_message = "pools: AWS allows at most 10 levels of pools, and a pool cannot be its own ancestor; the parent chain of ${join(", ", [for name, p in var.pools : "\"${name}\"" if try(var.pools[try(var.pools[try(var.pools[try(var.pools[try(var.pools[try(var.pools[try(var.pools[try(var.pools[try(var.pools[p.parent].parent, null)].parent, null)].parent, null)].parent, null)].parent, null)].parent, null)].parent, null)].parent, null)].parent, null) != null])} is longer than 10 levels or loops back on itself."
  }

  validation {
    condition     = alltrue([for name, p in var.pools : contains(["ipv4", "ipv6"], p.address_family)])
    error_message = "pools: address_family is ipv4 or ipv6; not so: ${join(", ", [for name, p in var.pools : "pools[\"${name}\"]" if !contains(["ipv4", "ipv6"], p.address_family)])}."
  }

  validation {
    condition     = alltrue([for name, p in var.pools : (p.cidrs == null) != (p.netmask_length == null)])
    error_message = "pools: give exactly one of cidrs (a list) or netmask_length (Amazon-provided IPv6 blocks); not so: ${join(", ", [for name, p in var.pools : "pools[\"${name}\"]" if(p.cidrs == null) == (p.netmask_length == null)])}."
  }

  validation {
    condition     = alltrue(flatten([for name, p in var.pools : [for c in coalesce(p.cidrs, []) : can(cidrhost(c, 0)) && length(split("/", c)) == 2]]))
    error_message = "pools: ${join("; ", flatten([for name, p in var.pools : [for i, c in coalesce(p.cidrs, []) : "pools[\"${name}\"].cidrs[${i}]: \"${c}\" is not a CIDR block (address/prefix length, for example 10.0.0.0/8)" if !(can(cidrhost(c, 0)) && length(split("/", c)) == 2)]]))}."
  }

  validation {
    # cidrhost(c, 0) is the block's first address in Terraform's canonical spelling: host bits cleared.
    condition     = alltrue(flatten([for name, p in var.pools : [for c in coalesce(p.cidrs, []) : try("${cidrhost(c, 0)}/${split("/", c)[1]}" == c, true)]]))
    error_message = "pools: ${join("; ", flatten([for name, p in var.pools : [for i, c in coalesce(p.cidrs, []) : "pools[\"${name}\"].cidrs[${i}]: ${c} has host bits set or is not spelled canonically; write ${cidrhost(c, 0)}/${split("/", c)[1]}" if !try("${cidrhost(c, 0)}/${split("/", c)[1]}" == c, true)]]))}."
  }

  validation {
    condition     = alltrue(flatten([for name, p in var.pools : [for c in coalesce(p.cidrs, []) : (p.address_family == "ipv6") == strcontains(c, ":")]]))
    error_message = "pools: ${join("; ", flatten([for name, p in var.pools : [for i, c in coalesce(p.cidrs, []) : "pools[\"${name}\"].cidrs[${i}]: ${c} is not an ${p.address_family} block; the pool's address_family is ${p.address_family}" if(p.address_family == "ipv6") != strcontains(c, ":")]]))}."
  }

  validation {
    condition     = alltrue([for name, p in var.pools : p.netmask_length == null || try(p.netmask_length >= 0 && p.netmask_length <= (p.address_family == "ipv6" ? 128 : 32), false)])
    error_message = "pools: ${join("; ", [for name, p in var.pools : "pools[\"${name}\"].netmask_length: ${p.netmask_length} is out of range for ${p.address_family} (0-${p.address_family == "ipv6" ? 128 : 32})" if !(p.netmask_length == null || try(p.netmask_length >= 0 && p.netmask_length <= (p.address_family == "ipv6" ? 128 : 32), false))])}."
  }

  validation {
    condition     = alltrue([for name, p in var.pools : p.parent == null || try(var.pools[p.parent].address_family == p.address_family, true)])
    error_message = "pools: a child pool has its parent's address family; not so: ${join(", ", [for name, p in var.pools : "pools[\"${name}\"] (parent \"${p.parent}\" is ${var.pools[p.parent].address_family})" if p.parent != null && !try(var.pools[p.parent].address_family == p.address_family, true)])}."
  }

  validation {
    condition     = alltrue([for name, p in var.pools : p.parent == null || try(var.pools[p.parent].scope == p.scope, true)])
    error_message = "pools: AWS creates a child pool in its parent's scope: set its scope to the parent's; not so: ${join(", ", [for name, p in var.pools : "pools[\"${name}\"].scope (parent \"${p.parent}\" is in ${var.pools[p.parent].scope})" if p.parent != null && !try(var.pools[p.parent].scope == p.scope, true)])}."
  }

  validation {
    condition     = alltrue([for name, p in var.pools : contains(concat(["private", "public"], keys(var.scopes)), p.scope)])
    error_message = "pools: scope is private, public, or a key of var.scopes; not so: ${join(", ", [for name, p in var.pools : "pools[\"${name}\"].scope \"${p.scope}\"" if !contains(concat(["private", "public"], keys(var.scopes)), p.scope)])}."
  }

  validation {
    condition     = alltrue([for name, p in var.pools : p.locale == null || contains(var.operating_regions, coalesce(p.locale, "-"))])
    error_message = "pools: a pool's locale must be one of operating_regions (${join(", ", var.operating_regions)}); add it there, or fix the locale: ${join(", ", [for name, p in var.pools : "pools[\"${name}\"].locale \"${p.locale}\"" if p.locale != null && !contains(var.operating_regions, coalesce(p.locale, "-"))])}."
  }

  validation {
    # A child of a pool with a locale allocates in that Region.
    condition     = alltrue([for name, p in var.pools : p.parent == null || try(var.pools[p.parent].locale == null || var.pools[p.parent].locale == p.locale, true)])
    error_message = "pools: a child of a pool with a locale has the same locale; not so: ${join(", ", [for name, p in var.pools : "pools[\"${name}\"].locale (parent \"${p.parent}\" is in ${var.pools[p.parent].locale})" if p.parent != null && !try(var.pools[p.parent].locale == null || var.pools[p.parent].locale == p.locale, true)])}."
  }

  validation {
    # inside(c, parent) <=> c's prefix is at least as long and c's first address, cut to the parent's prefix, is the parent's first address.
    condition = alltrue(flatten([for name, p in var.pools : [for c in coalesce(p.cidrs, []) : try(anytrue([
      for pc in var.pools[p.parent].cidrs : tonumber(split("/", c)[1]) >= tonumber(split("/", pc)[1]) && cidrhost("${cidrhost(c, 0)}/${split("/", pc)[1]}", 0) == cidrhost(pc, 0)
    ]), true)] if p.parent != null]))
    error_message = "pools: ${join("; ", flatten([for name, p in var.pools : [for i, c in coalesce(p.cidrs, []) : "pools[\"${name}\"].cidrs[${i}]: ${c} is not inside parent pool \"${p.parent}\" (${join(", ", var.pools[p.parent].cidrs)})" if !try(anytrue([
      for pc in var.pools[p.parent].cidrs : tonumber(split("/", c)[1]) >= tonumber(split("/", pc)[1]) && cidrhost("${cidrhost(c, 0)}/${split("/", pc)[1]}", 0) == cidrhost(pc, 0)
    ]), true)] if p.parent != null]))}."
  }

  validation {
    # Two CIDR blocks overlap exactly when one holds the other's first address at its own prefix length.
    # Siblings: pools with the same parent, or top-level pools of one scope and address family.
    condition = alltrue(flatten([for a, pa in var.pools : [for i, ca in coalesce(pa.cidrs, []) : [for b, pb in var.pools : [for j, cb in coalesce(pb.cidrs, []) : try(
      !(cidrhost("${cidrhost(cb, 0)}/${split("/", ca)[1]}", 0) == cidrhost(ca, 0) || cidrhost("${cidrhost(ca, 0)}/${split("/", cb)[1]}", 0) == cidrhost(cb, 0)), true
    ) if a == b ? i < j : sort([a, b])[0] == a] if pa.parent == pb.parent && (pa.parent != null || (pa.scope == pb.scope && pa.address_family == pb.address_family))]]]))
    error_message = "pools: ${join("; ", flatten([for a, pa in var.pools : [for i, ca in coalesce(pa.cidrs, []) : [for b, pb in var.pools : [for j, cb in coalesce(pb.cidrs, []) : "pools[\"${b}\"].cidrs[${j}]: ${cb} overlaps ${ca} of ${a == b ? "the same pool" : "sibling pool \"${a}\""}" if(a == b ? i < j : sort([a, b])[0] == a) && !try(
      !(cidrhost("${cidrhost(cb, 0)}/${split("/", ca)[1]}", 0) == cidrhost(ca, 0) || cidrhost("${cidrhost(ca, 0)}/${split("/", cb)[1]}", 0) == cidrhost(cb, 0)), true
    )] if pa.parent == pb.parent && (pa.parent != null || (pa.scope == pb.scope && pa.address_family == pb.address_family))]]]))}."
  }
}

variable "guardrails" {
  description = "require_ipam_for_vpcs: an SCP on each listed OU (IDs) that makes its VPCs allocate their CIDRs from the pools shared with that OU (or the organization) that have a locale; exempt_accounts are never restricted (the IPAM account never is)."
  type = object({
    require_ipam_for_vpcs = optional(object({
      organizational_units = list(string)
      exempt_accounts      = optional(list(string), [])
    }))
  })
  default = {}

  validation {
    condition     = try(alltrue([for ou in var.guardrails.require_ipam_for_vpcs.organizational_units : can(regex("^ou-[a-z0-9]{4,32}-[a-z0-9]{8,32}$", ou))]), true)
    error_message = "guardrails.require_ipam_for_vpcs.organizational_units must be OU IDs (ou-...): an SCP is attached by ID."
  }
}
