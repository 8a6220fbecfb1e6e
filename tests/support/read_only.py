"""Proof that a command only reads: every API call it makes, recorded through botocore (nothing escapes it)."""

from __future__ import annotations

import re
from typing import Any

from botocore.client import BaseClient

READ_ONLY = re.compile(r"(Describe|List|Get|Simulate)[A-Za-z]*")


def writes(calls: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The calls that are not reads: anything but Describe/List/Get/Simulate, and STS."""
    return [
        (service, operation) for service, operation in calls if service != "sts" and not READ_ONLY.fullmatch(operation)
    ]


def record_api_calls(monkeypatch: Any, credentials: dict[str, str], endpoint: str) -> list[tuple[str, str]]:
    """Point boto3 at the endpoint with these credentials; returns the list every call is appended to."""
    for name, value in {**credentials, "AWS_ENDPOINT_URL": endpoint, "AWS_DEFAULT_REGION": "us-east-1"}.items():
        monkeypatch.setenv(name, value)
    for name in ("AWS_PROFILE", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE"):
        monkeypatch.delenv(name, raising=False)
    calls: list[tuple[str, str]] = []
    make_api_call = BaseClient._make_api_call

    def recorded(client: Any, operation: str, params: dict[str, Any]) -> Any:
        calls.append((client.meta.service_model.service_name, operation))
        return make_api_call(client, operation, params)

    monkeypatch.setattr(BaseClient, "_make_api_call", recorded)
    return calls
