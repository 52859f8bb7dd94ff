#!/bin/bash
# gen.sh: fills in what real bash prints for every case of cases.json (its stdout, stderr and exit
# status), so that bash-cases.test.ts checks the playground's shell against bash itself.
#   engine/shell/bash52/gen.sh   # rewrites cases.json in place; needs bash 5.2 and jq
# Each script runs as `bash -c SCRIPT` in an empty directory with a clean environment. The
# playground's shell prints errors as an interactive bash does, without `bash -c`'s "line N: ",
# so that prefix is removed here.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
file="$here/cases.json"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
version=$(bash -c 'echo "$BASH_VERSION"')
n=$(jq '.cases | length' "$file")
results='[]'
for ((i = 0; i < n; i++)); do
	script=$(jq -r ".cases[$i].script" "$file")
	status=0
	# A fresh directory for each case, holding what the test machine's /root holds (test-setup.ts).
	rm -rf "$work/cwd" && mkdir "$work/cwd" && printf 'alpha\nbeta\ngamma\n' >"$work/cwd/list"
	(cd "$work/cwd" && env -i HOME=/root PATH=/usr/bin:/bin LC_ALL=C.UTF-8 \
		bash -c "$script" >"$work/.out" 2>"$work/.err" </dev/null) 2>/dev/null || status=$?
	sed -i -E 's/^bash: line [0-9]+: /bash: /' "$work/.err"
	results=$(jq --rawfile out "$work/.out" --rawfile err "$work/.err" --argjson st "$status" \
		'. + [{stdout: $out, stderr: $err, status: $st}]' <<<"$results")
	rm -f "$work"/.out "$work"/.err
done
jq --arg v "$version" --argjson r "$results" \
	'.bash = $v | .cases = [.cases | to_entries[] | .value + $r[.key]]' "$file" >"$work/.new"
mv "$work/.new" "$file"
