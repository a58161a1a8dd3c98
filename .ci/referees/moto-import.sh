#!/usr/bin/env bash
# The import fixtures, checked against moto's Organizations emulator twice:
# 1. regenerated with moto's mock (scripts/fixtures/make-import-fixtures.py), they must
#    equal the checked-in copy (tests/fixtures/import/moto/);
# 2. against moto's server, scripts/export-organization.sh run with the AWS CLI must
#    write the same files, with the same content, as the generator's export of the same
#    organization (join times aside: the CLI prints the server's clock).
# Installs pinned tools in virtualenvs under target/; exits non-zero on any difference.
set -euo pipefail
cd "$(dirname "$0")/../.."

MOTO_VERSION=5.1.4
BOTO3_VERSION=1.44.8
AWSCLI_VERSION=1.46.3
PORT="${MOTO_PORT:-5123}"
VENV=target/import-venv
CLI_VENV=target/import-cli-venv
if [ ! -x "$VENV/bin/moto_server" ] \
  || ! "$VENV/bin/pip" show moto 2>/dev/null | grep -q "^Version: $MOTO_VERSION$" \
  || ! "$VENV/bin/pip" show boto3 2>/dev/null | grep -q "^Version: $BOTO3_VERSION$"; then
  rm -rf "$VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check \
    "moto[server,organizations]==$MOTO_VERSION" "boto3==$BOTO3_VERSION"
fi
if [ ! -x "$CLI_VENV/bin/aws" ] \
  || ! "$CLI_VENV/bin/pip" show awscli 2>/dev/null | grep -q "^Version: $AWSCLI_VERSION$"; then
  rm -rf "$CLI_VENV"
  python3 -m venv "$CLI_VENV"
  "$CLI_VENV/bin/pip" install --quiet --disable-pip-version-check "awscli==$AWSCLI_VERSION"
fi

work=target/import-referee
rm -rf "$work"
mkdir -p "$work"

echo "== the fixtures, regenerated with moto $MOTO_VERSION"
"$VENV/bin/python" scripts/fixtures/make-import-fixtures.py "$work/mock"
if ! diff -r tests/fixtures/import/moto "$work/mock"; then
  echo "the import fixtures differ from what moto writes: rerun scripts/fixtures/make-import-fixtures.py" >&2
  exit 1
fi

echo "== scripts/export-organization.sh with the AWS CLI $AWSCLI_VERSION against moto's server"
"$VENV/bin/moto_server" -p "$PORT" > "$work/server.log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true' EXIT
for _ in $(seq 50); do
  curl -s "http://127.0.0.1:$PORT/moto-api/" > /dev/null 2>&1 && break
  sleep 0.2
done
endpoint="http://127.0.0.1:$PORT"
"$VENV/bin/python" scripts/fixtures/make-import-fixtures.py --endpoint "$endpoint" build
PATH="$PWD/$CLI_VENV/bin:$PATH" AWS_ENDPOINT_URL="$endpoint" AWS_ACCESS_KEY_ID=testing \
  AWS_SECRET_ACCESS_KEY=testing AWS_DEFAULT_REGION=us-east-1 AWS_CONFIG_FILE=/dev/null \
  bash scripts/export-organization.sh "$work/cli"
"$VENV/bin/python" scripts/fixtures/make-import-fixtures.py --endpoint "$endpoint" export "$work/py"
for d in cli py; do
  find "$work/$d" -type f -name '*.json' -exec sed -i -E 's/"JoinedTimestamp": [^,}]*/"JoinedTimestamp": "…"/' {} +
done
if ! diff -r "$work/cli" "$work/py"; then
  echo "scripts/export-organization.sh and the fixture generator disagree" >&2
  exit 1
fi
echo "import fixtures match moto $MOTO_VERSION, and the export script writes what the generator writes"
