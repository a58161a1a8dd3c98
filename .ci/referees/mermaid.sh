#!/usr/bin/env bash
# Renders the organization diagram every assembly writes (`organization.mmd`) with
# mermaid-cli (pinned, from npm, under target/), through Debian's chromium: a diagram Mermaid
# cannot parse fails, and so does an assembly without one. The PNGs are left under
# target/ci-mermaid/, one per assembly.
#
# Usage: mermaid.sh [ASSEMBLY_DIR…]. Without arguments: every assembly `.ci/run` and the
# tests wrote (target/ci-out/*/, target/tmp/assemblies/*/), which must include the
# five-account layout's example (target/ci-out/five_account_layout/).
set -euo pipefail
cd "$(dirname "$0")/../.."

MERMAID_CLI_VERSION=11.12.0
PREFIX=target/mermaid-cli
OUT=target/ci-mermaid
MMDC="$PREFIX/node_modules/.bin/mmdc"
DIAGRAM=organization.mmd
REQUIRED=target/ci-out/five_account_layout

CHROMIUM="$(command -v chromium || command -v chromium-browser || true)"
if [ -z "$CHROMIUM" ] && [ "$(id -u)" -eq 0 ] && command -v apt-get > /dev/null; then
  echo "== installing Debian's chromium"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq > /dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium > /dev/null
  CHROMIUM="$(command -v chromium || true)"
fi
if [ -z "$CHROMIUM" ]; then
  echo "mermaid: chromium is missing (apt-get install -y chromium)" >&2
  exit 1
fi

# The assemblies to render.
if [ "$#" -gt 0 ]; then
  dirs=("$@")
else
  mapfile -t dirs < <( (ls -d target/ci-out/*/ target/tmp/assemblies/*/ 2>/dev/null || true) \
    | sed 's:/*$::' | sort)
  if [ ! -d "$REQUIRED" ]; then
    echo "mermaid: $REQUIRED is missing (run .ci/run, which writes the examples' assemblies)" >&2
    exit 1
  fi
fi
if [ "${#dirs[@]}" -eq 0 ]; then
  echo "mermaid: no assembly to render" >&2
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

status=0
for dir in "${dirs[@]}"; do
  mmd="$dir/$DIAGRAM"
  name="$(basename "$dir")"
  if [ ! -s "$mmd" ]; then
    echo "mermaid: $dir has no $DIAGRAM" >&2
    status=1
    continue
  fi
  echo "== mermaid $mmd"
  if ! "$MMDC" --quiet -p "$OUT/puppeteer.json" -i "$mmd" -o "$OUT/$name.png" -b white; then
    echo "mermaid: could not render $mmd" >&2
    status=1
  fi
done
exit "$status"
