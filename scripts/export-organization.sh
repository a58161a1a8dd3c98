#!/usr/bin/env bash
# Saves what the AWS CLI prints about your organization into a directory that
# `orgstack::import` reads (and `cargo run --example import -- DIR` turns into an
# `OrgSpec`, orgspec.json, and with `--rust FILE` into code).
#
#   scripts/export-organization.sh DIR
#
# Run it from the management account with read access to Organizations
# (organizations:Describe*, organizations:List*). It only reads. The files, one per call,
# are what the CLI prints as JSON, named after the command and its argument:
#
#   DIR/describe-organization.json
#   DIR/list-roots.json
#   DIR/list-organizational-units-for-parent/<parent id>.json   the root and every OU
#   DIR/list-accounts-for-parent/<parent id>.json               the root and every OU
#   DIR/list-policies/<policy type>.json                        every type enabled on the root
#   DIR/describe-policy/<policy id>.json                        every policy listed
#   DIR/list-targets-for-policy/<policy id>.json                every policy listed
#
# The CLI fetches every page itself, so each file holds the whole list.
set -euo pipefail

out="${1:?usage: export-organization.sh DIR}"
export AWS_PAGER=""
cli() { aws organizations "$@" --output json; }
# The values of the KEY fields that start with PREFIX in FILE (ids KEY PREFIX FILE), one
# per line, as the CLI prints them; none for an empty list.
ids() { { grep -o "\"$1\": \"$2[^\"]*\"" "$3" || true; } | cut -d'"' -f4; }

mkdir -p "$out"/list-organizational-units-for-parent "$out"/list-accounts-for-parent \
  "$out"/list-policies "$out"/describe-policy "$out"/list-targets-for-policy

cli describe-organization > "$out/describe-organization.json"
cli list-roots > "$out/list-roots.json"

# Every level of OUs, breadth first from the root.
queue=($(ids Id r- "$out/list-roots.json"))
while [ "${#queue[@]}" -gt 0 ]; do
  parent="${queue[0]}"
  queue=("${queue[@]:1}")
  cli list-organizational-units-for-parent --parent-id "$parent" \
    > "$out/list-organizational-units-for-parent/$parent.json"
  cli list-accounts-for-parent --parent-id "$parent" \
    > "$out/list-accounts-for-parent/$parent.json"
  queue+=($(ids Id ou- "$out/list-organizational-units-for-parent/$parent.json"))
done

# The policy types enabled on the root, then every policy of each with its targets.
types=($(aws organizations list-roots --output text \
  --query "Roots[0].PolicyTypes[?Status=='ENABLED'].Type"))
for type in "${types[@]}"; do
  file="$out/list-policies/$type.json"
  cli list-policies --filter "$type" > "$file"
  for policy in $(ids Id p- "$file"); do
    cli describe-policy --policy-id "$policy" > "$out/describe-policy/$policy.json"
    cli list-targets-for-policy --policy-id "$policy" \
      > "$out/list-targets-for-policy/$policy.json"
  done
done

echo "saved the organization to $out/"
