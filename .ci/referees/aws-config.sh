#!/usr/bin/env bash
# Writes the profiles of the five-account layout (examples/profiles.rs, with sample account
# ids), parses them with botocore's own config loader (pinned, from PyPI, in a virtualenv
# under target/) and checks that every profile assumes a role the assembly creates, through
# a source profile the file defines, with an MFA device and a region.
set -euo pipefail
cd "$(dirname "$0")/../.."

BOTOCORE_VERSION=1.44.5
VENV=target/aws-config-venv
OUT=target/ci-profiles

if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c "import botocore, sys; sys.exit(botocore.__version__ != '$BOTOCORE_VERSION')" 2>/dev/null; then
  echo "== installing botocore $BOTOCORE_VERSION"
  rm -rf "$VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check "botocore==$BOTOCORE_VERSION"
fi
rm -rf "$OUT"
cargo run --quiet --example profiles -- "$OUT" --sample-ids

"$VENV/bin/python" - "$OUT" <<'PY'
import glob, json, sys
from botocore.configloader import load_config

out = sys.argv[1]
profiles = load_config(f"{out}/aws-config")["profiles"]
roles = set()
for path in glob.glob(f"{out}/*.template.json"):
    for res in json.load(open(path)).get("Resources", {}).values():
        name = res.get("Properties", {}).get("RoleName")
        if res.get("Type") == "AWS::IAM::Role" and isinstance(name, str):
            roles.add(name)
problems = []
assuming = [p for p, v in profiles.items() if "role_arn" in v]
for name in assuming:
    p = profiles[name]
    role = p["role_arn"].rsplit("/", 1)[-1]
    if role not in roles:
        problems.append(f"{name}: role {role} is not a role of the assembly")
    if p.get("source_profile") not in profiles:
        problems.append(f"{name}: source profile {p.get('source_profile')} is not defined")
    if not p.get("mfa_serial", "").startswith("arn:aws:iam::"):
        problems.append(f"{name}: no MFA device")
    if not p.get("region"):
        problems.append(f"{name}: no region")
if not assuming:
    problems.append("no profile assumes a role")
for p in problems:
    print("aws-config:", p, file=sys.stderr)
print(f"aws-config: {len(assuming)} profiles checked against {len(roles)} roles")
sys.exit(1 if problems else 0)
PY
