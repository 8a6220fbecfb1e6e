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
  nullable    = false # null (a caller passing an absent input on) means the default

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
  nullable    = false # null (a caller passing an absent input on) means the default

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
  nullable    = false # null (a caller passing an absent input on) means the default
}

variable "ipam_tags" {
  description = "Tags on the IPAM alone, beside var.tags."
  type        = map(string)
  default     = {}
  nullable    = false # null (a caller passing an absent input on) means the default
}

variable "tags" {
  description = "Tags on every taggable resource (the IPAM, scopes, pools, RAM shares, SSM parameters, SCPs); the callers' providers may add default_tags."
  type        = map(string)
  default     = {}
  nullable    = false # null (a caller passing an absent input on) means the default

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
  default  = {}
  nullable = false # null (a caller passing an absent input on) means the default

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
  default  = {}
  nullable = false # null (a caller passing an absent input on) means the default

  validation {
    condition     = alltrue([for name in keys(var.pools) : can(regex("^[A-Za-z][A-Za-z0-9-]{0,62}$", name))])
    error_message = "pools: a pool name starts with an ASCII letter, then ASCII letters, digits or hyphens (at most 63 characters): names become resource keys and SSM parameter paths; not so: ${join(", ", [for name in keys(var.pools) : jsonencode(name) if !can(regex("^[A-Za-z][A-Za-z0-9-]{0,62}$", name))])}."
  }

  validation {
    condition     = alltrue([for name, p in var.pools : p.parent == null || can(var.pools[p.parent])])
    error_message = "pools: ${join("; ", [for name, p in var.pools : "pools[\"${name}\"].parent: \"${p.parent}\" is not a pool in this map" if p.parent != null && !can(var.pools[p.parent])])}."
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
    # Siblings (pools with one parent, or top-level pools of one scope and family) and one pool's own CIDRs must not
    # overlap. CIDR blocks either nest or are disjoint, so with the blocks sorted by first address (wider first) an
    # overlap shows between neighbours: n log n, where comparing every pair would take minutes for hundreds of CIDRs.
    condition = length(flatten([for group, sorted in { for group, entries in {
      for name, p in var.pools : (p.parent != null ? "sibling pool|${p.parent}" : "top-level ${p.scope} pool|${p.address_family}") => [
        for i, c in coalesce(p.cidrs, []) : "${(strcontains(c, ":") ? "6:${join(":", [for halves in [split("::", cidrhost(c, 0))] : [for h in concat(halves[0] == "" ? [] : split(":", halves[0]), [for z in range(8 - length(halves[0] == "" ? [] : split(":", halves[0])) - length(try(halves[1], "") == "" ? [] : split(":", halves[1]))) : "0"], try(halves[1], "") == "" ? [] : split(":", halves[1])) : substr("0000${h}", length(h), 4)]][0])}" : "4:${join(".", [for octet in split(".", cidrhost(c, 0)) : format("%03d", tonumber(octet))])}")}/${format("%03d", tonumber(split("/", c)[1]))}/${name}/${i}/${c}" if can(cidrhost(c, 0)) && length(split("/", c)) == 2
      ]... } : group => sort(flatten(entries)) } : [
      for pair in [for j in range(max(length(sorted) - 1, 0)) : [split("/", sorted[j]), split("/", sorted[j + 1])]] : "pools[\"${pair[1][2]}\"].cidrs[${pair[1][3]}]: ${pair[1][4]}/${pair[1][5]} overlaps ${pair[0][2] == pair[1][2] ? "${pair[0][4]}/${pair[0][5]} in the same pool" : "${split("|", group)[0]} \"${pair[0][2]}\" (${pair[0][4]}/${pair[0][5]})"}"
      if cidrhost("${pair[1][4]}/${tonumber(pair[0][1])}", 0) == cidrhost("${pair[0][4]}/${pair[0][5]}", 0)
    ]])) == 0
    error_message = "pools: ${join("; ", flatten([for group, sorted in { for group, entries in {
      for name, p in var.pools : (p.parent != null ? "sibling pool|${p.parent}" : "top-level ${p.scope} pool|${p.address_family}") => [
        for i, c in coalesce(p.cidrs, []) : "${(strcontains(c, ":") ? "6:${join(":", [for halves in [split("::", cidrhost(c, 0))] : [for h in concat(halves[0] == "" ? [] : split(":", halves[0]), [for z in range(8 - length(halves[0] == "" ? [] : split(":", halves[0])) - length(try(halves[1], "") == "" ? [] : split(":", halves[1]))) : "0"], try(halves[1], "") == "" ? [] : split(":", halves[1])) : substr("0000${h}", length(h), 4)]][0])}" : "4:${join(".", [for octet in split(".", cidrhost(c, 0)) : format("%03d", tonumber(octet))])}")}/${format("%03d", tonumber(split("/", c)[1]))}/${name}/${i}/${c}" if can(cidrhost(c, 0)) && length(split("/", c)) == 2
      ]... } : group => sort(flatten(entries)) } : [
      for pair in [for j in range(max(length(sorted) - 1, 0)) : [split("/", sorted[j]), split("/", sorted[j + 1])]] : "pools[\"${pair[1][2]}\"].cidrs[${pair[1][3]}]: ${pair[1][4]}/${pair[1][5]} overlaps ${pair[0][2] == pair[1][2] ? "${pair[0][4]}/${pair[0][5]} in the same pool" : "${split("|", group)[0]} \"${pair[0][2]}\" (${pair[0][4]}/${pair[0][5]})"}"
      if cidrhost("${pair[1][4]}/${tonumber(pair[0][1])}", 0) == cidrhost("${pair[0][4]}/${pair[0][5]}", 0)
    ]]))}."
  }
  validation {
    condition     = length([for name, p in var.pools : "pools[\"${name}\"].locale: \"${p.locale}\" is not an AWS Region name (for example eu-west-1)" if p.locale != null && !can(regex("^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]{1,2}$", coalesce(p.locale, "-")))]) == 0
    error_message = "pools: ${join("; ", [for name, p in var.pools : "pools[\"${name}\"].locale: \"${p.locale}\" is not an AWS Region name (for example eu-west-1)" if p.locale != null && !can(regex("^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]{1,2}$", coalesce(p.locale, "-")))])}."
  }

  validation {
    # One organization, its IPAM and every ARN built for it live in one partition; ISO partitions are not supported.
    condition     = length([for name, p in var.pools : "pools[\"${name}\"].locale: ${p.locale} is in partition ${startswith(p.locale, "cn-") ? "aws-cn" : startswith(p.locale, "us-gov-") ? "aws-us-gov" : strcontains(p.locale, "-iso") ? "iso (not supported)" : "aws"}, but var.partition is ${var.partition}" if p.locale != null && (startswith(coalesce(p.locale, "-"), "cn-") ? "aws-cn" : startswith(coalesce(p.locale, "-"), "us-gov-") ? "aws-us-gov" : strcontains(coalesce(p.locale, "-"), "-iso") ? "iso" : "aws") != var.partition]) == 0
    error_message = "pools: ${join("; ", [for name, p in var.pools : "pools[\"${name}\"].locale: ${p.locale} is in partition ${startswith(p.locale, "cn-") ? "aws-cn" : startswith(p.locale, "us-gov-") ? "aws-us-gov" : strcontains(p.locale, "-iso") ? "iso (not supported)" : "aws"}, but var.partition is ${var.partition}" if p.locale != null && (startswith(coalesce(p.locale, "-"), "cn-") ? "aws-cn" : startswith(coalesce(p.locale, "-"), "us-gov-") ? "aws-us-gov" : strcontains(coalesce(p.locale, "-"), "-iso") ? "iso" : "aws") != var.partition])}."
  }

  validation {
    # IPAM imports only resources in the pool's Region.
    condition     = length([for name, p in var.pools : "pools[\"${name}\"].auto_import needs a locale: IPAM imports only resources in the pool's Region" if p.auto_import && p.locale == null]) == 0
    error_message = "pools: ${join("; ", [for name, p in var.pools : "pools[\"${name}\"].auto_import needs a locale: IPAM imports only resources in the pool's Region" if p.auto_import && p.locale == null])}."
  }

  validation {
    condition     = length([for name, p in var.pools : "pools[\"${name}\"].cidrs: parent pool \"${p.parent}\" has no CIDRs of its own; a child with cidrs needs a parent with cidrs that contain them" if p.parent != null && p.cidrs != null && try(length(var.pools[p.parent].cidrs) == 0, true)]) == 0
    error_message = "pools: ${join("; ", [for name, p in var.pools : "pools[\"${name}\"].cidrs: parent pool \"${p.parent}\" has no CIDRs of its own; a child with cidrs needs a parent with cidrs that contain them" if p.parent != null && p.cidrs != null && try(length(var.pools[p.parent].cidrs) == 0, true)])}."
  }

  validation {
    # A child's block is taken from its parent: it cannot be larger than the parent's largest block.
    condition     = length([for name, p in var.pools : "pools[\"${name}\"].netmask_length: /${p.netmask_length} is larger than any block of parent pool \"${p.parent}\"" if p.parent != null && p.netmask_length != null && try(p.netmask_length < min(concat([for c in coalesce(var.pools[p.parent].cidrs, []) : tonumber(split("/", c)[1])], var.pools[p.parent].netmask_length != null ? [var.pools[p.parent].netmask_length] : [])...), false)]) == 0
    error_message = "pools: ${join("; ", [for name, p in var.pools : "pools[\"${name}\"].netmask_length: /${p.netmask_length} is larger than any block of parent pool \"${p.parent}\"" if p.parent != null && p.netmask_length != null && try(p.netmask_length < min(concat([for c in coalesce(var.pools[p.parent].cidrs, []) : tonumber(split("/", c)[1])], var.pools[p.parent].netmask_length != null ? [var.pools[p.parent].netmask_length] : [])...), false)])}."
  }

  validation {
    # ProvisionIpamPoolCidr: a top-level pool gets a block by netmask_length only from Amazon-provided public space.
    condition     = length([for name, p in var.pools : "pools[\"${name}\"].netmask_length: a top-level pool has no parent to take a block from, and AWS provisions top-level pools by netmask_length only from Amazon-provided public space; give cidrs, or set scope = \"public\" with public_ip_source = \"amazon\"" if p.parent == null && p.netmask_length != null && (p.scope != "public" || p.public_ip_source == "byoip" || (p.public_ip_source == null && p.address_family == "ipv4"))]) == 0
    error_message = "pools: ${join("; ", [for name, p in var.pools : "pools[\"${name}\"].netmask_length: a top-level pool has no parent to take a block from, and AWS provisions top-level pools by netmask_length only from Amazon-provided public space; give cidrs, or set scope = \"public\" with public_ip_source = \"amazon\"" if p.parent == null && p.netmask_length != null && (p.scope != "public" || p.public_ip_source == "byoip" || (p.public_ip_source == null && p.address_family == "ipv4"))])}."
  }

  validation {
    # CreateIpamPool: AwsService, PublicIpSource and PubliclyAdvertisable belong to the public scope.
    condition     = length(flatten([for name, p in var.pools : [for field, value in { aws_service = p.aws_service, public_ip_source = p.public_ip_source, publicly_advertisable = p.publicly_advertisable } : "pools[\"${name}\"].${field} applies only to pools in the public scope (CreateIpamPool); remove it, or set scope = \"public\"" if value != null] if p.scope != "public"])) == 0
    error_message = "pools: ${join("; ", flatten([for name, p in var.pools : [for field, value in { aws_service = p.aws_service, public_ip_source = p.public_ip_source, publicly_advertisable = p.publicly_advertisable } : "pools[\"${name}\"].${field} applies only to pools in the public scope (CreateIpamPool); remove it, or set scope = \"public\"" if value != null] if p.scope != "public"]))}."
  }

  validation {
    condition     = length([for name, p in var.pools : "pools[\"${name}\"].publicly_advertisable: AWS accepts true only on IPv6 pools with public_ip_source = \"byoip\" (CreateIpamPool); remove it or set false" if p.scope == "public" && p.publicly_advertisable == true && !(p.address_family == "ipv6" && p.public_ip_source == "byoip")]) == 0
    error_message = "pools: ${join("; ", [for name, p in var.pools : "pools[\"${name}\"].publicly_advertisable: AWS accepts true only on IPv6 pools with public_ip_source = \"byoip\" (CreateIpamPool); remove it or set false" if p.scope == "public" && p.publicly_advertisable == true && !(p.address_family == "ipv6" && p.public_ip_source == "byoip")])}."
  }

  validation {
    condition     = length(flatten([for name, p in var.pools : concat(p.aws_service == null ? ["pools[\"${name}\"].aws_service: a top-level public IPv6 pool needs the service its addresses are for; set aws_service = \"ec2\""] : [], p.public_ip_source == null ? ["pools[\"${name}\"].public_ip_source: set \"amazon\" for Amazon-provided IPv6 (or \"byoip\" for your own); AWS would default to byoip"] : []) if p.scope == "public" && p.parent == null && p.address_family == "ipv6"])) == 0
    error_message = "pools: ${join("; ", flatten([for name, p in var.pools : concat(p.aws_service == null ? ["pools[\"${name}\"].aws_service: a top-level public IPv6 pool needs the service its addresses are for; set aws_service = \"ec2\""] : [], p.public_ip_source == null ? ["pools[\"${name}\"].public_ip_source: set \"amazon\" for Amazon-provided IPv6 (or \"byoip\" for your own); AWS would default to byoip"] : []) if p.scope == "public" && p.parent == null && p.address_family == "ipv6"]))}."
  }

  validation {
    # A private IPv6 pool takes global (GUA) space only when the IPAM enables private GUA, which this module does not set.
    condition     = length(flatten([for name, p in var.pools : [for i, c in coalesce(p.cidrs, []) : "pools[\"${name}\"].cidrs[${i}]: ${c} is not unique local (fc00::/7); use a range in fd00::/8" if !try(tonumber(split("/", c)[1]) >= 7 && cidrhost("${cidrhost(c, 0)}/7", 0) == "fc00::", true)] if p.scope != "public" && p.parent == null && p.address_family == "ipv6"])) == 0
    error_message = "pools: ${join("; ", flatten([for name, p in var.pools : [for i, c in coalesce(p.cidrs, []) : "pools[\"${name}\"].cidrs[${i}]: ${c} is not unique local (fc00::/7); use a range in fd00::/8" if !try(tonumber(split("/", c)[1]) >= 7 && cidrhost("${cidrhost(c, 0)}/7", 0) == "fc00::", true)] if p.scope != "public" && p.parent == null && p.address_family == "ipv6"]))}."
  }

  validation {
    condition = length(flatten([for name, p in var.pools : concat(
      [for key in ["min_netmask_length", "default_netmask_length", "max_netmask_length"] : "pools[\"${name}\"].allocation.${key}: ${p.allocation[key]} is out of range for ${p.address_family} (0-${p.address_family == "ipv6" ? 128 : 32})" if p.allocation[key] != null && !try(p.allocation[key] >= 0 && p.allocation[key] <= (p.address_family == "ipv6" ? 128 : 32), false)],
      try(p.allocation.min_netmask_length > p.allocation.default_netmask_length, false) ? ["pools[\"${name}\"].allocation.default_netmask_length: /${p.allocation.default_netmask_length} is a larger block than min_netmask_length /${p.allocation.min_netmask_length}; need min <= default <= max netmask length"] : [],
      try(p.allocation.default_netmask_length > p.allocation.max_netmask_length, false) ? ["pools[\"${name}\"].allocation.max_netmask_length: /${p.allocation.max_netmask_length} is a larger block than default_netmask_length /${p.allocation.default_netmask_length}; need min <= default <= max netmask length"] : [],
      try(p.allocation.min_netmask_length >= p.allocation.max_netmask_length, false) ? ["pools[\"${name}\"].allocation.max_netmask_length: must be greater than min_netmask_length, as CreateIpamPool requires"] : [],
      [for key in ["min_netmask_length", "default_netmask_length", "max_netmask_length"] : "pools[\"${name}\"].allocation.${key}: /${p.allocation[key]} is larger than the pool's largest CIDR; allocations must fit inside the pool" if try(p.allocation[key] < min([for c in p.cidrs : tonumber(split("/", c)[1])]...), false)],
    )])) == 0
    error_message = "pools: ${join("; ", flatten([for name, p in var.pools : concat(
      [for key in ["min_netmask_length", "default_netmask_length", "max_netmask_length"] : "pools[\"${name}\"].allocation.${key}: ${p.allocation[key]} is out of range for ${p.address_family} (0-${p.address_family == "ipv6" ? 128 : 32})" if p.allocation[key] != null && !try(p.allocation[key] >= 0 && p.allocation[key] <= (p.address_family == "ipv6" ? 128 : 32), false)],
      try(p.allocation.min_netmask_length > p.allocation.default_netmask_length, false) ? ["pools[\"${name}\"].allocation.default_netmask_length: /${p.allocation.default_netmask_length} is a larger block than min_netmask_length /${p.allocation.min_netmask_length}; need min <= default <= max netmask length"] : [],
      try(p.allocation.default_netmask_length > p.allocation.max_netmask_length, false) ? ["pools[\"${name}\"].allocation.max_netmask_length: /${p.allocation.max_netmask_length} is a larger block than default_netmask_length /${p.allocation.default_netmask_length}; need min <= default <= max netmask length"] : [],
      try(p.allocation.min_netmask_length >= p.allocation.max_netmask_length, false) ? ["pools[\"${name}\"].allocation.max_netmask_length: must be greater than min_netmask_length, as CreateIpamPool requires"] : [],
      [for key in ["min_netmask_length", "default_netmask_length", "max_netmask_length"] : "pools[\"${name}\"].allocation.${key}: /${p.allocation[key]} is larger than the pool's largest CIDR; allocations must fit inside the pool" if try(p.allocation[key] < min([for c in p.cidrs : tonumber(split("/", c)[1])]...), false)],
    )]))}."
  }

  validation {
    # BYOIP: each CIDR of a top-level public pool whose addresses are your own is provisioned with a signed authorization.
    condition = length(flatten([for name, p in var.pools : concat(
      length(p.cidr_authorization_contexts) > 0 && !(p.scope == "public" && p.parent == null && p.cidrs != null && (p.public_ip_source == "byoip" || (p.public_ip_source == null && p.address_family == "ipv4"))) ? ["pools[\"${name}\"].cidr_authorization_contexts applies only to the CIDRs of a top-level public pool with public_ip_source = \"byoip\"; remove it"] : [],
      [for c in coalesce(p.cidrs, []) : "pools[\"${name}\"].cidr_authorization_contexts: BYOIP CIDR ${c} needs an authorization (message and signature); see https://docs.aws.amazon.com/vpc/latest/ipam/tutorials-byoip-ipam.html" if !contains(keys(p.cidr_authorization_contexts), c) && p.scope == "public" && p.parent == null && (p.public_ip_source == "byoip" || (p.public_ip_source == null && p.address_family == "ipv4"))],
      [for c, a in p.cidr_authorization_contexts : "pools[\"${name}\"].cidr_authorization_contexts[\"${c}\"]: ${c} is not one of the pool's cidrs; authorize exactly the CIDRs the pool provisions" if !contains(coalesce(p.cidrs, []), c)],
      [for c, a in p.cidr_authorization_contexts : "pools[\"${name}\"].cidr_authorization_contexts[\"${c}\"].message: \"${a.message}\" is not 1|aws|${var.ipam_account_id}|${c}|<expiry YYYYMMDD>|SHA256|RSAPSS for this IPAM account and CIDR" if !can(regex("^1\\|aws[a-z-]*\\|${var.ipam_account_id}\\|${replace(c, ".", "\\.")}\\|[0-9]{8}\\|SHA256\\|RSAPSS$", a.message))],
      [for c, a in p.cidr_authorization_contexts : "pools[\"${name}\"].cidr_authorization_contexts[\"${c}\"].message: expired on ${split("|", a.message)[4]}: AWS refuses an expired authorization; sign a new message" if try(tonumber(split("|", a.message)[4]) < tonumber(formatdate("YYYYMMDD", plantimestamp())), false)],
      [for c, a in p.cidr_authorization_contexts : "pools[\"${name}\"].cidr_authorization_contexts[\"${c}\"].signature is not in AWS's URL-safe base64 (letters, digits, -, _ and ~)" if !can(regex("^[A-Za-z0-9_~-]+$", a.signature))],
    )])) == 0
    error_message = "pools: ${join("; ", flatten([for name, p in var.pools : concat(
      length(p.cidr_authorization_contexts) > 0 && !(p.scope == "public" && p.parent == null && p.cidrs != null && (p.public_ip_source == "byoip" || (p.public_ip_source == null && p.address_family == "ipv4"))) ? ["pools[\"${name}\"].cidr_authorization_contexts applies only to the CIDRs of a top-level public pool with public_ip_source = \"byoip\"; remove it"] : [],
      [for c in coalesce(p.cidrs, []) : "pools[\"${name}\"].cidr_authorization_contexts: BYOIP CIDR ${c} needs an authorization (message and signature); see https://docs.aws.amazon.com/vpc/latest/ipam/tutorials-byoip-ipam.html" if !contains(keys(p.cidr_authorization_contexts), c) && p.scope == "public" && p.parent == null && (p.public_ip_source == "byoip" || (p.public_ip_source == null && p.address_family == "ipv4"))],
      [for c, a in p.cidr_authorization_contexts : "pools[\"${name}\"].cidr_authorization_contexts[\"${c}\"]: ${c} is not one of the pool's cidrs; authorize exactly the CIDRs the pool provisions" if !contains(coalesce(p.cidrs, []), c)],
      [for c, a in p.cidr_authorization_contexts : "pools[\"${name}\"].cidr_authorization_contexts[\"${c}\"].message: \"${a.message}\" is not 1|aws|${var.ipam_account_id}|${c}|<expiry YYYYMMDD>|SHA256|RSAPSS for this IPAM account and CIDR" if !can(regex("^1\\|aws[a-z-]*\\|${var.ipam_account_id}\\|${replace(c, ".", "\\.")}\\|[0-9]{8}\\|SHA256\\|RSAPSS$", a.message))],
      [for c, a in p.cidr_authorization_contexts : "pools[\"${name}\"].cidr_authorization_contexts[\"${c}\"].message: expired on ${split("|", a.message)[4]}: AWS refuses an expired authorization; sign a new message" if try(tonumber(split("|", a.message)[4]) < tonumber(formatdate("YYYYMMDD", plantimestamp())), false)],
      [for c, a in p.cidr_authorization_contexts : "pools[\"${name}\"].cidr_authorization_contexts[\"${c}\"].signature is not in AWS's URL-safe base64 (letters, digits, -, _ and ~)" if !can(regex("^[A-Za-z0-9_~-]+$", a.signature))],
    )]))}."
  }

  validation {
    # RAM principals: within this organization, each listed once, never the IPAM account itself.
    condition = length(flatten([for name, p in var.pools : concat(
      !p.share.organization && length(p.share.organizational_units) == 0 && length(p.share.accounts) == 0 ? ["pools[\"${name}\"].share shares with nobody: set organization = true, organizational_units or accounts, or remove share"] : [],
      try(length(p.share.name) < 1 || length(p.share.name) > 256, false) ? ["pools[\"${name}\"].share.name: a share name becomes its Name tag: 1 to 256 characters"] : [],
      [for i, ou in p.share.organizational_units : "pools[\"${name}\"].share.organizational_units[${i}]: \"${ou}\" is not an OU ID (ou-...) or the ARN of an OU of ${var.organization_id} (management account ${var.management_account_id}, partition ${var.partition})" if !can(regex("^(arn:${var.partition}:organizations::${var.management_account_id}:ou/${var.organization_id}/)?ou-[a-z0-9]{4,32}-[a-z0-9]{8,32}$", ou))],
      length(distinct([for ou in p.share.organizational_units : reverse(split("/", ou))[0]])) < length(p.share.organizational_units) ? ["pools[\"${name}\"].share.organizational_units lists an OU twice (by ID and by ARN counts); list each principal once"] : [],
      [for i, account in p.share.accounts : "pools[\"${name}\"].share.accounts[${i}]: \"${account}\" is not an account ID (exactly 12 digits, quoted)" if !can(regex("^[0-9]{12}$", account))],
      [for i, account in p.share.accounts : "pools[\"${name}\"].share.accounts[${i}]: ${account} is the IPAM account itself; it owns the pool and needs no share" if account == var.ipam_account_id],
      length(distinct(p.share.accounts)) < length(p.share.accounts) ? ["pools[\"${name}\"].share.accounts lists an account twice; list each principal once"] : [],
      try(p.share.publish && length(join(",", p.cidrs)) > 8192, false) ? ["pools[\"${name}\"].share.publish: the pool's CIDRs take ${length(join(",", p.cidrs))} characters as one SSM parameter, over the advanced tier's 8192"] : [],
    ) if p.share != null])) == 0
    error_message = "pools: ${join("; ", flatten([for name, p in var.pools : concat(
      !p.share.organization && length(p.share.organizational_units) == 0 && length(p.share.accounts) == 0 ? ["pools[\"${name}\"].share shares with nobody: set organization = true, organizational_units or accounts, or remove share"] : [],
      try(length(p.share.name) < 1 || length(p.share.name) > 256, false) ? ["pools[\"${name}\"].share.name: a share name becomes its Name tag: 1 to 256 characters"] : [],
      [for i, ou in p.share.organizational_units : "pools[\"${name}\"].share.organizational_units[${i}]: \"${ou}\" is not an OU ID (ou-...) or the ARN of an OU of ${var.organization_id} (management account ${var.management_account_id}, partition ${var.partition})" if !can(regex("^(arn:${var.partition}:organizations::${var.management_account_id}:ou/${var.organization_id}/)?ou-[a-z0-9]{4,32}-[a-z0-9]{8,32}$", ou))],
      length(distinct([for ou in p.share.organizational_units : reverse(split("/", ou))[0]])) < length(p.share.organizational_units) ? ["pools[\"${name}\"].share.organizational_units lists an OU twice (by ID and by ARN counts); list each principal once"] : [],
      [for i, account in p.share.accounts : "pools[\"${name}\"].share.accounts[${i}]: \"${account}\" is not an account ID (exactly 12 digits, quoted)" if !can(regex("^[0-9]{12}$", account))],
      [for i, account in p.share.accounts : "pools[\"${name}\"].share.accounts[${i}]: ${account} is the IPAM account itself; it owns the pool and needs no share" if account == var.ipam_account_id],
      length(distinct(p.share.accounts)) < length(p.share.accounts) ? ["pools[\"${name}\"].share.accounts lists an account twice; list each principal once"] : [],
      try(p.share.publish && length(join(",", p.cidrs)) > 8192, false) ? ["pools[\"${name}\"].share.publish: the pool's CIDRs take ${length(join(",", p.cidrs))} characters as one SSM parameter, over the advanced tier's 8192"] : [],
    ) if p.share != null]))}."
  }

  validation {
    # EC2 tag limits: https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/Using_Tags.html#tag-restrictions
    condition = length(flatten([for name, p in var.pools : concat(
      length(merge(var.tags, { Name = "" }, p.tags)) > 50 ? ["pools[\"${name}\"].tags: the pool would carry ${length(merge(var.tags, { Name = "" }, p.tags))} tags (Name, var.tags and its own); AWS allows at most 50"] : [],
      flatten([for where, tags in { tags = p.tags, "allocation.resource_tags" = p.allocation.resource_tags } : [for key, value in tags : "pools[\"${name}\"].${where}[\"${key}\"]: ${length(key) < 1 || length(key) > 128 ? "a tag key has 1 to 128 characters" : startswith(lower(key), "aws:") ? "tag keys starting with aws: are reserved for AWS" : "a tag value has at most 256 characters"}" if length(key) < 1 || length(key) > 128 || startswith(lower(key), "aws:") || length(value) > 256]]),
    )])) == 0
    error_message = "pools: ${join("; ", flatten([for name, p in var.pools : concat(
      length(merge(var.tags, { Name = "" }, p.tags)) > 50 ? ["pools[\"${name}\"].tags: the pool would carry ${length(merge(var.tags, { Name = "" }, p.tags))} tags (Name, var.tags and its own); AWS allows at most 50"] : [],
      flatten([for where, tags in { tags = p.tags, "allocation.resource_tags" = p.allocation.resource_tags } : [for key, value in tags : "pools[\"${name}\"].${where}[\"${key}\"]: ${length(key) < 1 || length(key) > 128 ? "a tag key has 1 to 128 characters" : startswith(lower(key), "aws:") ? "tag keys starting with aws: are reserved for AWS" : "a tag value has at most 256 characters"}" if length(key) < 1 || length(key) > 128 || startswith(lower(key), "aws:") || length(value) > 256]]),
    )]))}."
  }

  validation {
    # The free tier has no RAM sharing and no private scope pools (https://docs.aws.amazon.com/vpc/latest/ipam/mod-ipam.html).
    condition = length(flatten([for name, p in var.pools : concat(
      p.share != null ? ["pools[\"${name}\"].share: the free tier cannot share pools through AWS RAM; set tier = \"advanced\""] : [],
      p.scope != "public" && p.parent == null ? ["pools[\"${name}\"].scope: the free tier has no private scope pools (IPv4 or IPv6); set tier = \"advanced\""] : [],
    ) if var.tier == "free"])) == 0
    error_message = "pools: ${join("; ", flatten([for name, p in var.pools : concat(
      p.share != null ? ["pools[\"${name}\"].share: the free tier cannot share pools through AWS RAM; set tier = \"advanced\""] : [],
      p.scope != "public" && p.parent == null ? ["pools[\"${name}\"].scope: the free tier has no private scope pools (IPv4 or IPv6); set tier = \"advanced\""] : [],
    ) if var.tier == "free"]))}."
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
  default  = {}
  nullable = false # null (a caller passing an absent input on) means the default

  validation {
    condition     = try(alltrue([for ou in var.guardrails.require_ipam_for_vpcs.organizational_units : can(regex("^ou-[a-z0-9]{4,32}-[a-z0-9]{8,32}$", ou))]), true)
    error_message = "guardrails.require_ipam_for_vpcs.organizational_units must be OU IDs (ou-...): an SCP is attached by ID."
  }

  validation {
    condition     = try(length(var.guardrails.require_ipam_for_vpcs.organizational_units) > 0, true)
    error_message = "guardrails.require_ipam_for_vpcs.organizational_units lists no OU: name the OUs whose VPCs must come from IPAM, or remove require_ipam_for_vpcs."
  }

  validation {
    condition     = try(length(distinct(var.guardrails.require_ipam_for_vpcs.organizational_units)) == length(var.guardrails.require_ipam_for_vpcs.organizational_units) && length(distinct(var.guardrails.require_ipam_for_vpcs.exempt_accounts)) == length(var.guardrails.require_ipam_for_vpcs.exempt_accounts), true)
    error_message = "guardrails.require_ipam_for_vpcs: list each OU and each exempt account once."
  }

  validation {
    condition     = try(alltrue([for account in var.guardrails.require_ipam_for_vpcs.exempt_accounts : can(regex("^[0-9]{12}$", account)) && account != var.management_account_id]), true)
    error_message = "guardrails.require_ipam_for_vpcs.exempt_accounts must be account IDs (exactly 12 digits, quoted), never the management account, which SCPs never restrict."
  }

  validation {
    # An SCP naming no pool would deny every VPC in the OU.
    condition = try(alltrue([for ou in var.guardrails.require_ipam_for_vpcs.organizational_units : anytrue([
      for name, p in var.pools : p.address_family == "ipv4" && p.locale != null && p.share != null && try(p.share.organization || contains([for entry in p.share.organizational_units : reverse(split("/", entry))[0]], ou), false)
    ])]), true)
    error_message = "guardrails.require_ipam_for_vpcs: the SCP would deny every VPC creation in ${join(", ", try([for ou in var.guardrails.require_ipam_for_vpcs.organizational_units : ou if !anytrue([
      for name, p in var.pools : p.address_family == "ipv4" && p.locale != null && p.share != null && try(p.share.organization || contains([for entry in p.share.organizational_units : reverse(split("/", entry))[0]], ou), false)
    ])], []))}: no IPv4 pool with a locale is shared with it or with the organization; share one with it, or remove the OU."
  }
}

variable "monitoring" {
  description = "CloudWatch alarms on IPAM's pool metrics (namespace AWS/IPAM) in the home Region: alarms (used: a pool's used share reaches used_percent; noncompliant: a pool holds a resource CIDR that breaks its allocation rules), on pools (default every pool), notifying topic_arn or a topic named topic_name that the module creates, with e-mail subscriptions. null: no alarms."
  type = object({
    alarms       = optional(list(string), ["used", "noncompliant"])
    used_percent = optional(number, 80)
    pools        = optional(list(string))
    topic_arn    = optional(string)
    topic_name   = optional(string, "ipam-pool-alarms")
    emails       = optional(list(string), [])
  })
  default = null

  validation {
    condition     = try(length(var.monitoring.alarms) > 0 && alltrue([for kind in var.monitoring.alarms : contains(["used", "noncompliant"], kind)]) && length(distinct(var.monitoring.alarms)) == length(var.monitoring.alarms), true)
    error_message = "monitoring.alarms: list used and/or noncompliant, each once."
  }

  validation {
    condition     = try(var.monitoring.used_percent >= 1 && var.monitoring.used_percent <= 99 && floor(var.monitoring.used_percent) == var.monitoring.used_percent, true)
    error_message = "monitoring.used_percent must be a whole percentage between 1 and 99."
  }

  validation {
    condition     = try(length(var.monitoring.pools) > 0 && alltrue([for name in var.monitoring.pools : contains(keys(var.pools), name)]) && length(distinct(var.monitoring.pools)) == length(var.monitoring.pools), true)
    error_message = "monitoring.pools must name pools of var.pools, each once (leave it out to watch every pool)."
  }

  validation {
    # Its Region is checked against the home Region where the alarms are (a precondition in main.tf).
    condition     = try(var.monitoring.topic_arn == null || can(regex("^arn:${var.partition}:sns:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_-]{1,256}$", var.monitoring.topic_arn)), true)
    error_message = "monitoring.topic_arn must be an SNS topic ARN in the partition ${var.partition}: arn:${var.partition}:sns:<region>:<account>:<name>."
  }

  validation {
    condition     = try(var.monitoring.topic_arn == null || length(var.monitoring.emails) == 0 || split(":", var.monitoring.topic_arn)[4] == var.ipam_account_id, true)
    error_message = "monitoring.emails: subscribing to a topic in another account needs that account's topic policy; subscribe there, or leave topic_arn out and the module creates a topic in the IPAM account."
  }

  validation {
    condition     = var.monitoring == null || can(regex("^[A-Za-z0-9_-]{1,256}$", var.monitoring.topic_name))
    error_message = "monitoring.topic_name: 1-256 letters, digits, hyphens and underscores."
  }

  validation {
    condition     = try(alltrue([for email in var.monitoring.emails : can(regex("^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9-]+)+$", email))]) && length(distinct([for email in var.monitoring.emails : lower(email)])) == length(var.monitoring.emails), true)
    error_message = "monitoring.emails must be e-mail addresses, each once."
  }
}
