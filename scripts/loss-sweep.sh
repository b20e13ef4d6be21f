#!/usr/bin/env bash
# Usage: bash scripts/loss-sweep.sh [seeds]  — every bundled scenario with 5 % loss on every link,
# across that many seeds (default 200): every pager message must end delivered, stored, or reported.
set -euo pipefail
cd "$(dirname "$0")/.."
SWEEP_SEEDS="${1:-200}" exec npx vitest run --testTimeout=0 test/faults/lossy-sweep.test.ts
