#!/usr/bin/env bash
# Referee: a JSON Schema validator of its own (check-jsonschema, from PyPI, pinned) checks
# that schema/orgspec.schema.json is a valid schema, that it accepts every shipped spec
# (the examples' and the spec the import writes for the moto fixtures, which
# tests/import_spec.rs keeps equal to what `import::to_spec` writes),
# and that it rejects specs that are broken; then the synth_spec example must synthesize
# the shipped specs and refuse the broken ones (exit 1, the JSON path on stderr, no output
# directory). Installs into a virtualenv under target/.
set -euo pipefail
cd "$(dirname "$0")/../.."

CHECK_JSONSCHEMA_VERSION=0.39.0
VENV=target/referee-jsonschema-venv
SCHEMA=schema/orgspec.schema.json
SPECS=(examples/*.json tests/fixtures/import/moto.orgspec.json)

if [ ! -x "$VENV/bin/check-jsonschema" ] \
  || ! "$VENV/bin/check-jsonschema" --version | grep -q "$CHECK_JSONSCHEMA_VERSION"; then
  rm -rf "$VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check \
    "check-jsonschema==$CHECK_JSONSCHEMA_VERSION"
fi
"$VENV/bin/check-jsonschema" --version

echo "== the schema is a valid JSON Schema"
"$VENV/bin/check-jsonschema" --check-metaschema "$SCHEMA"

echo "== it accepts the shipped specs"
"$VENV/bin/check-jsonschema" --schemafile "$SCHEMA" "${SPECS[@]}"

echo "== it rejects broken specs"
BROKEN=target/referee-jsonschema-broken
rm -rf "$BROKEN"
mkdir -p "$BROKEN"
# An unknown field, a wrong type, a missing field, a value outside an enum.
printf '%s\n' '{"layout": {"name": "acme", "emial_domain": "aws.acme.example"}}' > "$BROKEN/unknown-field.json"
printf '%s\n' '{"accounts": [{"name": "A", "email": 7}]}' > "$BROKEN/wrong-type.json"
printf '%s\n' '{"policies": [{"name": "P"}]}' > "$BROKEN/missing-field.json"
printf '%s\n' '{"layout": {"name": "acme", "kms_key": "sometimes"}}' > "$BROKEN/bad-enum.json"
status=0
for f in "$BROKEN"/*.json; do
  if "$VENV/bin/check-jsonschema" --schemafile "$SCHEMA" "$f" > "$f.out" 2>&1; then
    echo "the schema accepts $f, which is broken" >&2
    status=1
  else
    echo "rejected as it should be: $f"
    sed 's/^/    /' "$f.out"
  fi
done

echo "== synth_spec writes the shipped specs and refuses the broken ones"
cargo build --quiet --example synth_spec
SYNTH=target/debug/examples/synth_spec
OUT=target/referee-jsonschema-out
rm -rf "$OUT"
for f in "${SPECS[@]}"; do
  "$SYNTH" "$f" "$OUT/$(basename "$f" .json)"
done
declare -A expected=(
  [unknown-field]='$.layout.emial_domain'
  [wrong-type]='$.accounts[0].email'
  [missing-field]='$.policies[0].document'
  [bad-enum]='$.layout.kms_key'
)
for name in unknown-field wrong-type missing-field bad-enum; do
  f="$BROKEN/$name.json"
  set +e
  "$SYNTH" "$f" "$OUT/$name" 2> "$f.err" > /dev/null
  rc=$?
  set -e
  if [ "$rc" -ne 1 ] || ! grep -qF "${expected[$name]}" "$f.err" || [ -e "$OUT/$name" ]; then
    echo "synth_spec on $f: exit $rc, stderr:" >&2
    cat "$f.err" >&2
    status=1
  else
    echo "refused as it should be: $f (${expected[$name]})"
  fi
done
exit $status
