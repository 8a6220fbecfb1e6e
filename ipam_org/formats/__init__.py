"""The one escaping point per output format for untrusted text (config, plan, AWS): Markdown, Mermaid, HTML."""
