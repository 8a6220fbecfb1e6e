output "vpc_id" {
  description = "The VPC's ID."
  value       = aws_vpc.this.id
}

output "pool_id" {
  description = "The IPAM pool the VPC's CIDR was allocated from."
  value       = data.aws_ssm_parameter.pool_id.insecure_value
  sensitive   = true
}
