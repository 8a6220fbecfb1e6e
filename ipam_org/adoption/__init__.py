"""Adopt an organization's existing IPAM: discover it, write the config, import it with zero changes."""
