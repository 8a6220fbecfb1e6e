"""Preflight and verify against the real organization with boto3, least-privilege deployer policies,
and resolution of OU and account names in `share`. Never imports the CDKTF bindings."""
