output "delegated_admin_account_id" {
  description = "The account delegated as IPAM administrator."
  value       = aws_vpc_ipam_organization_admin_account.delegation.delegated_admin_account_id
}

output "ipam_id" {
  description = "The IPAM's ID."
  value       = aws_vpc_ipam.ipam.id
}

output "ipam_arn" {
  description = "The IPAM's ARN."
  value       = aws_vpc_ipam.ipam.arn
}

output "private_default_scope_id" {
  description = "The IPAM's default private scope."
  value       = aws_vpc_ipam.ipam.private_default_scope_id
}

output "public_default_scope_id" {
  description = "The IPAM's default public scope."
  value       = aws_vpc_ipam.ipam.public_default_scope_id
}

output "custom_scope_ids" {
  description = "Each custom scope's ID, by scope name."
  value       = { for name, scope in aws_vpc_ipam_scope.custom : name => scope.id }
}

output "pools" {
  description = "Every pool's id and arn, by pool name."
  value       = { for name, pool in local.pool_resources : name => { id = pool.id, arn = pool.arn } }
}

output "share_arns" {
  description = "The RAM share ARN of every shared pool, by pool name."
  value       = { for name, share in aws_ram_resource_share.pool : name => share.arn }
}

output "alarm_topic_arn" {
  description = "The SNS topic the pool alarms notify (null without monitoring)."
  value       = local.alarm_topic_arn
}
