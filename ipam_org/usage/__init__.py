"""IP address usage across the organization: what `ipam-org usage` reads from IPAM (collect), what it makes of
it (compute, forecast) and how it shows it (render: terminal, Markdown, JSON, HTML). Read-only.

The numbers follow AWS's own definitions (docs/monitoring.md cites them); everything untrusted that a report
shows (pool and VPC names, tags, descriptions) leaves through one escaping point per format.
"""
