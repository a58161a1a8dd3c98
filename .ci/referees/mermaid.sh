#!/usr/bin/env bash
# Renders the organization diagram of every assembly's deploy plan with mermaid-cli
# (pinned, from npm, under target/), through Debian's chromium: a diagram Mermaid cannot
# parse fails. The PNGs are left beside the plans' copies under target/ci-mermaid/.
set -euo pipefail
cd "$(dirname "$0")/../.."

MERMAID_CLI_VERSION=11.12.0
PREFIX=target/mermaid-cli
OUT=target/ci-mermaid
MMDC="$PREFIX/node_modules/.bin/mmdc"

CHROMIUM="$(command -v chromium || command -v chromium-browser || true)"
if [ -z "$CHROMIUM" ]; then
  echo "mermaid: chromium is missing (apt-get install -y chromium)" >&2
  exit 1
fi
if [ ! -x "$MMDC" ] || ! "$MMDC" --version 2>/dev/null | grep -q "$MERMAID_CLI_VERSION"; then
  echo "== installing @mermaid-js/mermaid-cli $MERMAID_CLI_VERSION"
  rm -rf "$PREFIX"
  mkdir -p "$PREFIX"
  PUPPETEER_SKIP_DOWNLOAD=1 npm install --prefix "$PREFIX" --no-audit --no-fund --silent \
    "@mermaid-js/mermaid-cli@$MERMAID_CLI_VERSION"
fi
mkdir -p "$OUT"
cat > "$OUT/puppeteer.json" <<JSON
{ "executablePath": "$CHROMIUM", "args": ["--no-sandbox", "--disable-gpu"] }
JSON

# Every deploy plan the examples and tests wrote (or the directories given).
if [ "$#" -gt 0 ]; then
  mapfile -t plans < <(for d in "$@"; do ls "$d"/deploy-plan.md; done)
else
  mapfile -t plans < <( (ls target/ci-out/*/deploy-plan.md target/tmp/assemblies/*/deploy-plan.md 2>/dev/null || true) | sort)
fi
if [ "${#plans[@]}" -eq 0 ]; then
  echo "mermaid: no deploy plan to render" >&2
  exit 1
fi
status=0
for plan in "${plans[@]}"; do
  name="$(basename "$(dirname "$plan")")"
  mmd="$OUT/$name.mmd"
  # The diagram: the mermaid block of the plan.
  awk '/^```mermaid$/{on=1; next} /^```$/{if (on) exit} on' "$plan" > "$mmd"
  if [ ! -s "$mmd" ]; then
    echo "mermaid: $plan holds no diagram" >&2
    status=1
    continue
  fi
  echo "== mermaid $plan"
  if ! "$MMDC" --quiet -p "$OUT/puppeteer.json" -i "$mmd" -o "$OUT/$name.png" -b white; then
    echo "mermaid: could not render the diagram of $plan" >&2
    status=1
  fi
done
exit "$status"
