"""Rules on the config's free text that reaches Terraform outside the literal escaping (modules/text.py).

cdktf replaces `${TfToken[...]}`, `#{TfToken[...]}` and `&{TfToken[...]}` in any string with a reference
or crashes on it, before Terraform sees the text: such a string is refused wherever it stands. Backend and
provider settings are read by Terraform at init, by `terraform_remote_state` and by STS: they are held to the
grammar AWS gives them (which AWS would enforce at plan or apply), and none of those can hold `${` or `%{`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel

from ipam_org.config.model import Config

TOKEN_MARKER = "TfToken["
BUCKET = re.compile(r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")  # S3 bucket naming rules
OBJECT_KEY = re.compile(r"[A-Za-z0-9!_.*'()/-]{1,1024}")  # S3's safe characters for object keys
PROFILE = re.compile(r"[A-Za-z0-9_.+@-]{1,128}")
KMS_KEY = re.compile(r"[A-Za-z0-9:/_-]{1,2048}")  # key ID, key ARN, alias name or alias ARN
# STS AssumeRole's own patterns for these parameters (AWS STS API reference).
ROLE_ARN = re.compile(r"arn:aws[a-z-]*:iam::[0-9]{12}:role/[\w+=,.@/-]{1,512}", re.ASCII)
EXTERNAL_ID = re.compile(r"[\w+=,.@:/-]{2,1224}", re.ASCII)
SESSION_NAME = re.compile(r"[\w+=,.@-]{2,64}", re.ASCII)


def strings(value: Any, path: str) -> Iterator[tuple[str, str]]:
    """(path, text) for every string in the model, keys of mappings included: a field added later is covered."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from strings(getattr(value, name), f"{path}.{name}" if path else name)
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            yield from strings(item, f"{path}[{index}]")
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from strings(key, f"{path} (key)")
            yield from strings(item, f"{path}.{key}")


def token_problems(config: Config) -> list[tuple[str, str]]:
    return [
        (
            path,
            f'contains "{TOKEN_MARKER}", which CDKTF reads as a reference to another resource, not as text; remove it',
        )
        for path, text in strings(config, "")
        if TOKEN_MARKER in text
    ]


def settings_problems(config: Config) -> list[tuple[str, str]]:
    """Provider and backend settings outside the grammar AWS and Terraform accept."""
    found = []
    for alias in ("management", "delegated"):
        settings = getattr(config.providers, alias)
        for field, pattern, what in (
            ("role_arn", ROLE_ARN, "an IAM role ARN (arn:aws:iam::<account>:role/<name>)"),
            ("external_id", EXTERNAL_ID, "2 to 1,224 letters, digits and _ + = , . @ : / -"),
            ("session_name", SESSION_NAME, "2 to 64 letters, digits and _ + = , . @ -"),
            ("profile", PROFILE, "letters, digits and _ . + @ -"),
        ):
            value = getattr(settings, field)
            if value is not None and not pattern.fullmatch(value):
                found.append((f"providers.{alias}.{field}", f"must be {what}, as STS and the AWS provider accept it"))
    s3 = config.backend.s3 if config.backend else None
    if s3 is None:
        return found
    if not BUCKET.fullmatch(s3.bucket) or ".." in s3.bucket:
        found.append(
            (
                "backend.s3.bucket",
                "must be an S3 bucket name: 3 to 63 lowercase letters, digits, dots and hyphens, starting and ending "
                "with a letter or digit",
            )
        )
    for field, value in (("key", s3.key), ("workspace_key_prefix", s3.workspace_key_prefix)):
        if value is None:
            continue
        if not OBJECT_KEY.fullmatch(value):
            found.append(
                (
                    f"backend.s3.{field}",
                    "may hold only letters, digits and ! _ . * ' ( ) / - (S3's safe characters for keys)",
                )
            )
        elif value.startswith("/") or value.endswith("/") or "//" in value:
            found.append(
                (f"backend.s3.{field}", "must not start or end with / or contain //: Terraform's S3 backend refuses it")
            )
    if s3.profile is not None and not PROFILE.fullmatch(s3.profile):
        found.append(("backend.s3.profile", "may hold only letters, digits and _ . + @ -"))
    if s3.kms_key_id is not None and not KMS_KEY.fullmatch(s3.kms_key_id):
        found.append(("backend.s3.kms_key_id", "must be a KMS key ID, key ARN or alias (letters, digits and : / _ -)"))
    return found
