"""Emit the same constructs as a plain Terraform module with two aliased providers."""
