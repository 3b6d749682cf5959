#!/usr/bin/env bash
# Rebuilds docs/semantics.md: the engine contract (shared SEMANTICS.md) plus the engine's documented choices.
set -euo pipefail
cd "$(dirname "$0")/.."
spec=${1:-../shared/SEMANTICS.md}
{
  echo "# hookline semantics"
  echo
  echo "This is the engine's contract. Every MUST here is pinned by a test in \`test/engine/\` (named after the rule)."
  echo "Implementation choices where the contract leaves room follow at the end (from src/engine/README.md)."
  echo
  sed '1d' "$spec"
  echo
  echo "## Implementation choices"
  echo
  sed '1,/^## Documented choices/d' src/engine/README.md
} > docs/semantics.md
