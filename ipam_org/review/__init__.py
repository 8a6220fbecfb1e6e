"""Plan review for pull requests: Markdown (or JSON) from `terraform show -json` plans, risks first.

Reads JSON only; never imports the CDKTF bindings.
"""
