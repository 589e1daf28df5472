#!/usr/bin/env bash
# scripts/bench end to end on a tiny generated tree (times are not judged, only the report):
# every command timed in both variants of --speedup and --growth, the same output bytes with
# -j 1 as with every core, a ratio table, results.tsv kept where TKB_BENCH_DIR says, and the
# refusals of arguments that make no sense.
# usage: bench_test.sh TKB SCRIPTS_DIR
set -uo pipefail
tkb=$1 scripts=$2
for tool in rg python3 /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "FAIL: $tool not found (scripts/lib.sh installs it)"; exit 1; }
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
export TKB_BENCH_BIN=$tkb TKB_BENCH_DIR=$tmp/bench
commands=("tkb check" "tkb check --no-cache" "tkb check, storing its cache" "tkb timestamps"
  "tkb list --video ID" "tkb resolve --all")

# rows OUT TITLE: the command rows of the table headed TITLE in OUT, as "command|bytes".
# bytes_of ROWS COMMAND: that command's output bytes in ROWS.
rows() {
  awk -v title="$2" '
    index($0, title) == 1 { on = 1; next }
    on && /^$/ { exit }
    on && /^(rg|tkb) / { bytes = $NF; sub(/ +[0-9.]+ +[0-9.]+ +[0-9.]+ +[0-9.]+ +[0-9.]+ +[0-9.]+ +[0-9]+$/, ""); print $0 "|" bytes }
  ' "$1"
}
bytes_of() { awk -F'|' -v c="$2" '$1 == c { print $2 }' "$1"; }

"$scripts/bench" --notes 200 --runs 2 --speedup >"$tmp/speedup" 2>"$tmp/speedup.err" ||
  fail "--speedup exited $?: $(tail -3 "$tmp/speedup.err")"
rows "$tmp/speedup" "200 notes (" >"$tmp/all"
rows "$tmp/speedup" "-j 1, 200 notes (" >"$tmp/one"
[ "$(wc -l <"$tmp/all")" -eq 7 ] || fail "--speedup: $(wc -l <"$tmp/all") rows timed with every core, not 7"
[ "$(wc -l <"$tmp/one")" -eq 7 ] || fail "--speedup: $(wc -l <"$tmp/one") rows timed with -j 1, not 7"
for c in "${commands[@]}"; do
  a=$(bytes_of "$tmp/all" "$c") b=$(bytes_of "$tmp/one" "${c/tkb /tkb -j 1 }")
  [ -n "$a" ] || fail "--speedup: no row for '$c'"
  [ -n "$a" ] && [ "$a" = "$b" ] || fail "--speedup: '$c' wrote $a bytes with every core, $b with -j 1"
  [ "${a:-0}" -gt 0 ] || fail "--speedup: '$c' wrote nothing"
done
grep -q '^speedup: time with -j 1 / time with -j default' "$tmp/speedup" || fail "--speedup: no ratio table"
[ "$(grep -c $'\t200\t' "$tmp/bench/results.tsv")" -eq 14 ] ||
  fail "results.tsv: $(grep -c $'\t200\t' "$tmp/bench/results.tsv") lines for 200 notes, not 14"
[ -d "$tmp/bench/kb-200" ] || fail "the tree was not generated under TKB_BENCH_DIR"

"$scripts/bench" --notes 200 --runs 1 --growth >"$tmp/growth" 2>"$tmp/growth.err" ||
  fail "--growth exited $?: $(tail -3 "$tmp/growth.err")"
[ "$(rows "$tmp/growth" "200 notes (" | wc -l)" -eq 7 ] || fail "--growth: no table for 200 notes"
[ "$(rows "$tmp/growth" "20 notes (" | wc -l)" -eq 7 ] || fail "--growth: no table for 20 notes"
grep -q '^growth: time with 200 notes / time with 20 notes' "$tmp/growth" || fail "--growth: no ratio table"
grep -q 'reusing .*kb-200 ' "$tmp/growth.err" || fail "--growth: the 200-note tree was generated again"

# --root: an existing folder, here one of the generated trees.
"$scripts/bench" --root "$tmp/bench/kb-20" --runs 1 >"$tmp/root" 2>"$tmp/root.err" ||
  fail "--root exited $?: $(tail -3 "$tmp/root.err")"
[ "$(rows "$tmp/root" "command " | wc -l)" -eq 7 ] || fail "--root: no table"
grep -q "^  tree     $tmp/bench/kb-20$" "$tmp/root" || fail "--root: the tree benched is not the one given"

# Refused, with exit 2: nothing is timed.
refused() {
  "$scripts/bench" "$@" >"$tmp/refused" 2>&1
  local rc=$?
  [ "$rc" -eq 2 ] || fail "bench $*: exit $rc, not 2"
  grep -q '^bench: ' "$tmp/refused" || fail "bench $*: no message"
}
refused --notes 0
refused --runs x
refused --growth --root "$tmp/bench/kb-20"
refused --speedup --jobs 1
refused --no-such-option

[ "$failures" -eq 0 ] && echo "1 passed, 0 failed" || echo "0 passed, 1 failed"
exit $((failures > 0))
