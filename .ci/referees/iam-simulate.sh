#!/usr/bin/env bash
# A second IAM evaluator: the access simulator's differential corpus (tests/differential.rs)
# evaluated with @cloud-copilot/iam-simulate, pinned by tests/differential/package-lock.json
# and installed under target/differential. Fails on any disagreement not listed in
# tests/differential/disagreements.json.
set -euo pipefail
cd "$(dirname "$0")/../.."

DIR=target/differential
mkdir -p "$DIR"
cp tests/differential/package.json tests/differential/package-lock.json tests/differential/run.mjs "$DIR/"
if ! cmp -s tests/differential/package-lock.json "$DIR/.installed-lock.json"; then
  echo "== npm ci (@cloud-copilot/iam-simulate, pinned)"
  (cd "$DIR" && npm ci --no-audit --no-fund --silent)
  cp tests/differential/package-lock.json "$DIR/.installed-lock.json"
fi

echo "== writing the differential corpus"
cargo test --quiet --test differential -- --nocapture

echo "== comparing with iam-simulate"
node "$DIR/run.mjs" target/tmp/differential/corpus.json tests/differential/disagreements.json
