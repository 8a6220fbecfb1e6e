"""What this config's own Terraform state says it deployed: so that `preflight check` before a day-2 deploy tells
the IPAM, delegation and shares this config made from foreign ones. Read-only: local state files, or the S3
objects the backend names (s3:GetObject); a state that cannot be read is reported, never guessed."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ipam_org.aws.sessions import AWS_ERRORS
from ipam_org.config.model import Config
from ipam_org.config.stack_names import STATE_DIRECTORY, split_key, stacks_of


@dataclass
class Deployed:
    """IDs this config's state holds, by resource type; where the state was read, or why it could not be."""

    ids: dict[str, set[str]] = field(default_factory=dict)
    protected: dict[str, bool] = field(default_factory=dict)  # where -> its `protect` output as last deployed
    read: list[str] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)

    def holds(self, resource_type: str, identifier: str) -> bool:
        return identifier in self.ids.get(resource_type, set())

    def where(self) -> str:
        return ", ".join(self.read)


def _collect(document: dict[str, Any], into: Deployed) -> None:
    for resource in document.get("resources", []):
        if resource.get("mode") != "managed":
            continue
        for instance in resource.get("instances", []):
            identifier = (instance.get("attributes") or {}).get("id")
            if identifier:
                into.ids.setdefault(resource["type"], set()).add(str(identifier))


def deployed(config: Config, state_dir: Path, s3: Any | None) -> Deployed:
    """s3: a boto3 S3 client for an S3 backend (unused for local state). Reads the default workspace's state."""
    found = Deployed()
    backend = config.backend.s3 if config.backend else None
    for stack in stacks_of(config.layout):
        if backend is None:
            path = state_dir / f"{stack}.tfstate"
            if path.is_file():
                _read(path.read_bytes(), str(path), found)
            continue
        key = backend.key if config.layout == "single" else split_key(backend.key, stack)
        try:
            body = s3.get_object(Bucket=backend.bucket, Key=key)["Body"].read()
        except AWS_ERRORS as error:  # NoSuchKey before the first deploy; anything else is said as it is
            code = getattr(error, "response", {}).get("Error", {}).get("Code", type(error).__name__)
            if code not in ("NoSuchKey", "404"):
                found.unreadable.append(f"s3://{backend.bucket}/{key} ({code})")
            continue
        _read(body, f"s3://{backend.bucket}/{key}", found)
    return found


def _read(body: bytes, where: str, into: Deployed) -> None:
    try:
        document = json.loads(body)
    except ValueError:
        into.unreadable.append(f"{where} (not a JSON Terraform state)")
        return
    document = document if isinstance(document, dict) else {}
    _collect(document, into)
    protect = (document.get("outputs") or {}).get("protect", {})
    if isinstance(protect, dict) and isinstance(protect.get("value"), bool):
        into.protected[where] = protect["value"]
    into.read.append(where)


def default_state_dir(config_path: str) -> Path:
    """Local state sits beside the output directory, which sits beside the config by default."""
    return Path(config_path).resolve().parent / STATE_DIRECTORY
