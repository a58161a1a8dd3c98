#!/usr/bin/env bash
# Regenerates the import fixtures with moto's Organizations emulator and fails if they
# differ from the checked-in copy (tests/fixtures/import/moto/).
set -euo pipefail
cd "$(dirname "$0")/../.."

MOTO_VERSION=5.1.4
BOTO3_VERSION=1.44.8
VENV=target/import-venv
if [ ! -x "$VENV/bin/python" ] \
  || ! "$VENV/bin/pip" show moto 2>/dev/null | grep -q "^Version: $MOTO_VERSION$" \
  || ! "$VENV/bin/pip" show boto3 2>/dev/null | grep -q "^Version: $BOTO3_VERSION$"; then
  rm -rf "$VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check \
    "moto[organizations]==$MOTO_VERSION" "boto3==$BOTO3_VERSION"
fi

out=target/import-fixtures
rm -rf "$out"
"$VENV/bin/python" scripts/fixtures/make-import-fixtures.py "$out"
if ! diff -r tests/fixtures/import/moto "$out"; then
  echo "the import fixtures differ from what moto writes: rerun scripts/fixtures/make-import-fixtures.py" >&2
  exit 1
fi
echo "import fixtures match moto $MOTO_VERSION"
