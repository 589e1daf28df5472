#!/usr/bin/env bash
# Every command on the real corpus (../shared/corpus/content), when it is there.
# Asserts exit codes, that JSON parses, that counts agree across commands, and that no note
# fails to load. Exit 77 (skipped) when the corpus is absent.
set -uo pipefail
tkb=$1 corpus=$2
if [ ! -d "$corpus" ]; then
  echo "corpus not found at $corpus: skipped"
  exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
run() {  # run EXPECTED_EXIT NAME ARGS... ; output in $tmp/NAME
  local want=$1 name=$2
  shift 2
  "$tkb" -C "$corpus" "$@" >"$tmp/$name" 2>"$tmp/$name.err"
  local rc=$?
  [ "$rc" -eq "$want" ] || fail "tkb $* exited $rc, expected $want: $(head -c 300 "$tmp/$name.err")"
}
json_ok() { jq -e 'type == "array"' "$tmp/$1" >/dev/null || fail "$1 is not a JSON array"; }

files=$(cd "$corpus" && find . -name '*.md' -not -path '*/.*' | wc -l)

run 0 list_tsv list --format tsv
run 0 list_json list --format json
run 0 videos_json videos --format json
run 0 videos_table videos
run 1 check check
run 1 check_json check --format json
run 0 resolve_all resolve --all --format json
run 0 ts_csv timestamps
run 0 ts_json timestamps --format json
json_ok list_json; json_ok videos_json; json_ok check_json; json_ok resolve_all; json_ok ts_json

notes=$(($(wc -l <"$tmp/list_tsv") - 1))
[ "$notes" -eq "$files" ] || fail "list shows $notes notes, the corpus has $files .md files"
[ "$(jq length "$tmp/list_json")" -eq "$files" ] || fail "list --format json row count"

# No note fails to load.
bad=$(jq '[.[] | select(.rule == "unreadable-file" or .rule == "binary-content")] | length' "$tmp/check_json")
[ "$bad" -eq 0 ] || fail "$bad notes failed to load"

# check: text and JSON agree; every finding has a position inside its file.
text_findings=$(($(wc -l <"$tmp/check") - 1))
[ "$text_findings" -eq "$(jq length "$tmp/check_json")" ] || fail "check text and JSON disagree"
jq -e 'all(.[]; .line >= 1 and .column >= 1)' "$tmp/check_json" >/dev/null || fail "check positions"
tail -1 "$tmp/check" | grep -q '^checked '"$files"' notes' || fail "check summary line: $(tail -1 "$tmp/check")"

# timestamps: one CSV row (CRLF-ended) per anchor that list counts.
anchors=$(awk -F'\t' 'NR > 1 { s += $6 } END { print s + 0 }' "$tmp/list_tsv")
csv_rows=$(($(grep -c $'\r$' "$tmp/ts_csv") - 1))
[ "$csv_rows" -eq "$anchors" ] || fail "timestamps CSV has $csv_rows rows, list counts $anchors anchors"
[ "$(jq length "$tmp/ts_json")" -eq "$anchors" ] || fail "timestamps JSON row count"

# resolve --all: one row per link that list counts.
links=$(awk -F'\t' 'NR > 1 { s += $5 } END { print s + 0 }' "$tmp/list_tsv")
[ "$(jq length "$tmp/resolve_all")" -eq "$links" ] || fail "resolve --all rows != links counted by list"

# videos: one row per distinct videoId.
vids=$(awk -F'\t' 'NR > 1 && $3 != "" { print $3 }' "$tmp/list_tsv" | sed "s/^'//" | sort -u | wc -l)
[ "$(jq length "$tmp/videos_json")" -eq "$vids" ] || fail "videos rows != distinct videoIds"

# One note's links, backlinks and a resolve, by path, including the bidi-wrapped folder.
note=$(awk -F'\t' 'NR == 2 { print $1 }' "$tmp/list_tsv")
run 0 links links "$note"
run 0 backlinks backlinks lexfridman/lexfridman.md
run 0 resolve resolve lexfridman --format json
run 0 cleo list --channel "$(printf '\u2068cleoabram\u2069')" --format paths
[ -s "$tmp/cleo" ] || fail "no notes listed for the bidi-wrapped channel folder"

# Parallel loading and formatting change nothing: -j 1, -j 2 and -j 3 print the same bytes.
for cmd in check "check --format json" "timestamps" "timestamps --format json" "resolve --all" \
  "resolve --all --format tsv" "resolve --all --format json"; do
  # shellcheck disable=SC2086  # the command's words are meant to split
  "$tkb" -j 1 -C "$corpus" $cmd >"$tmp/j1" 2>/dev/null
  for j in 2 3; do
    # shellcheck disable=SC2086
    "$tkb" -j $j -C "$corpus" $cmd >"$tmp/j$j" 2>/dev/null
    cmp -s "$tmp/j1" "$tmp/j$j" || fail "tkb $cmd prints different output with -j 1 and -j $j"
  done
done

echo "corpus: $files notes, $anchors anchors, $links links, $vids videos, $text_findings findings"
[ "$failures" -eq 0 ] && echo "1 passed, 0 failed" || echo "0 passed, 1 failed"
exit $((failures > 0))
