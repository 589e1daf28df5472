#!/usr/bin/env bash
# `tkb fix --write` on a copy of the real corpus (../shared/corpus/content), when it is there:
# the fixed rules' counts fall by exactly what fix reports (to zero where it left nothing), no
# other rule gains a finding, a second run finds nothing to fix, and `git diff` shows only the
# intended lines changed (each changed line differs from the old one only in links and
# timestamps). Exit 77 (skipped) when the corpus is absent.
set -uo pipefail
tkb=$(realpath "$1") corpus=$2
if [ ! -d "$corpus" ]; then
  echo "corpus not found at $corpus: skipped"
  exit 77
fi
for tool in git jq python3; do
  command -v "$tool" >/dev/null || { echo "$tool not found: skipped"; exit 77; }
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

kb=$tmp/content
cp -r "$corpus" "$kb"
git -C "$kb" init -q && git -C "$kb" add -A &&
  git -C "$kb" -c user.name=tkb -c user.email=tkb@localhost commit -qm corpus ||
  { echo "cannot make a git repository of the copy"; exit 1; }

counts() {  # FILE.json -> "rule count" lines
  jq -r 'group_by(.rule)[] | "\(.[0].rule) \(length)"' "$1"
}
"$tkb" -C "$kb" check --format json >"$tmp/before.json"
"$tkb" -C "$kb" fix --write >"$tmp/written" 2>"$tmp/fix.err"
rc=$?
[ "$rc" -eq 0 ] || fail "fix --write exited $rc: $(head -c 300 "$tmp/fix.err")"
"$tkb" -C "$kb" check --format json >"$tmp/after.json"
counts "$tmp/before.json" | sort >"$tmp/before"
counts "$tmp/after.json" | sort >"$tmp/after"

count() { awk -v r="$2" '$1 == r { print $2 }' "$1" | grep . || echo 0; }
echo "rule                      before  after  fixed   left"
for rule in non-canonical-link timestamp-label-mismatch timestamp-as-link bare-timestamp; do
  line=$(grep "^$rule " "$tmp/fix.err")
  fixed=$(echo "$line" | awk '{ print $2 }')
  left=$(echo "$line" | awk '{ print $3 }')
  b=$(count "$tmp/before" "$rule") a=$(count "$tmp/after" "$rule")
  printf '%-24s %7d %6d %6d %6d\n' "$rule" "$b" "$a" "${fixed:-0}" "${left:-0}"
  [ "$a" -eq "${left:-0}" ] || fail "$rule: check finds $a after fix, fix said it left ${left:-0}"
done
[ "$(count "$tmp/after" non-canonical-link)" -eq 0 ] || fail "non-canonical-link did not fall to zero"

# No other rule gains a finding.
while read -r rule n; do
  b=$(count "$tmp/before" "$rule")
  [ "$n" -le "$b" ] || fail "$rule: $b findings before fix, $n after"
done <"$tmp/after"

# Idempotence: nothing more to fix.
"$tkb" -C "$kb" fix >"$tmp/again" 2>"$tmp/again.err"
[ ! -s "$tmp/again" ] || fail "a second fix would change $(grep -c '^diff --git' "$tmp/again") files"
grep -q '^nothing to fix$' "$tmp/again.err" || fail "a second fix did not say 'nothing to fix'"

# git: the files fix says it wrote, and in each only whole lines replaced by lines that differ
# in links and timestamps alone.
written=$(grep -c '^wrote ' "$tmp/written")
changed=$(git -C "$kb" diff --name-only | wc -l)
[ "$changed" -eq "$written" ] || fail "fix wrote $written files, git sees $changed changed"
[ -z "$(git -C "$kb" status --porcelain --untracked-files=all | grep -v '^ M ')" ] ||
  fail "files other than modified ones: $(git -C "$kb" status --porcelain | grep -v '^ M ' | head -3)"
git -C "$kb" diff -U0 --no-color --no-ext-diff >"$tmp/diff"
python3 - "$tmp/diff" <<'EOF' || fail "git diff shows changes other than links and timestamps"
import re, sys
anchor = re.compile(rb'<a class="yt-timestamp" data-t="[^"]*">\[[^\]]*\]</a>|<a [^>]*yt-timestamp[^>]*>.*?</a>')
time_link = re.compile(rb'\[\[\d+:\d+(?::\d+)?\]\]')
bare = re.compile(rb'\[\d+:\d+(?::\d+)?\](?!\()')
wikilink = re.compile(rb'\[\[[^\]\n]*\]\]')
def norm(line):
    line = anchor.sub(b'T', line)
    line = time_link.sub(b'T', line)
    line = bare.sub(b'T', line)
    return wikilink.sub(b'L', line)
bad = 0
minus, plus = [], []
def flush():
    global bad, minus, plus
    if len(minus) != len(plus):
        bad += 1
        print('a hunk replaces %d lines by %d' % (len(minus), len(plus)))
    for a, b in zip(minus, plus):
        if norm(a) != norm(b):
            bad += 1
            if bad < 5:
                print('changed beyond links and timestamps:\n  -%r\n  +%r' % (a[:200], b[:200]))
    minus, plus = [], []
for line in open(sys.argv[1], 'rb').read().split(b'\n'):
    if line.startswith(b'@@') or line.startswith(b'diff --git'):
        flush()
    elif line.startswith(b'-') and not line.startswith(b'--- '):
        minus.append(line[1:])
    elif line.startswith(b'+') and not line.startswith(b'+++ '):
        plus.append(line[1:])
flush()
sys.exit(1 if bad else 0)
EOF
echo "git diff --stat: $(git -C "$kb" diff --stat | tail -1)"
echo "corpus fix: $(tail -1 "$tmp/fix.err")"
[ "$failures" -eq 0 ] && echo "1 passed, 0 failed" || echo "0 passed, 1 failed"
exit $((failures > 0))
