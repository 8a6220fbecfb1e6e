"""The config: its schema (model), how it is read (loader), its problems and their paths (errors)."""

DEFAULT_CONFIG = "ipam.yaml"  # what every command reads when no --config is given
