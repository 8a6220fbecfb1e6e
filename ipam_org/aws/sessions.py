"""boto3 sessions with the same credentials the providers use: a profile, or role_arn assumed from the ambient
session."""

from __future__ import annotations

import boto3
from botocore.exceptions import BotoCoreError, ClientError
from botocore.parsers import ResponseParserError

from ipam_org.config.model import ProviderSettings

# What boto3 raises when AWS cannot be reached or refuses the credentials: every command's exit 3.
AWS_ERRORS = (ClientError, BotoCoreError, ResponseParserError)


def session_for(settings: ProviderSettings) -> boto3.Session:
    base = boto3.Session(profile_name=settings.profile, region_name=settings.region)
    if not settings.role_arn:
        return base
    request = {"RoleArn": settings.role_arn, "RoleSessionName": settings.session_name or "ipam-org-preflight"}
    if settings.external_id:
        request["ExternalId"] = settings.external_id
    credentials = base.client("sts").assume_role(**request)["Credentials"]
    return boto3.Session(
        aws_access_key_id=credentials["AccessKeyId"],
        aws_secret_access_key=credentials["SecretAccessKey"],
        aws_session_token=credentials["SessionToken"],
        region_name=settings.region,
    )
