#!/usr/bin/env bash
# The whole test suite on a fresh Debian machine with Rust: installs what the tests need
# (FRR, GoBGP, iproute2, jq, and the Python tools of tests/setup-deps.sh) when missing, then
# runs every test. `.ci/run` calls exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."

apt_updated=0
need() {
    if ! command -v "$1" >/dev/null 2>&1; then
        if [ "$apt_updated" = 0 ]; then
            apt-get update -qq
            apt_updated=1
        fi
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$2"
    fi
}

need vtysh frr
need gobgpd gobgpd
need ip iproute2
need jq jq
bash tests/setup-deps.sh

cargo test --release --all-targets 2>&1
