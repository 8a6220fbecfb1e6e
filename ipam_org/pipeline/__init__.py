"""From pull request to production: what the workflows decide, as code they call.

- record.py: what a reviewed plan was, bound to its commit and to the state it was planned against;
- compare.py: whether the plan made on the default branch is the plan that was reviewed;
- acceptance.py: whether a risky plan was accepted, by whom, after the last push;
- drift.py: what changed outside Terraform, from a plan's resource_drift.
"""
