"""The usage report's published JSON Schema (ipam_org/usage/report.schema.json), as a validator."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema

import ipam_org.usage

SCHEMA = json.loads((Path(ipam_org.usage.__file__).parent / "report.schema.json").read_text())
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA, format_checker=jsonschema.FormatChecker())
