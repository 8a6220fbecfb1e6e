"""The config: its schema (model), how it is read (loader), and the names and documents derived from it."""

DEFAULT_CONFIG = "ipam.yaml"  # what every command reads when no --config is given
