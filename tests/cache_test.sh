#!/usr/bin/env bash
# check's cache of parsed notes, end to end on a copy of a fixture: the second run reuses
# every note, and whatever happens in between (a note changed, added or removed, the cache
# damaged, no cache folder, --no-cache) the findings are exactly those of a run without it.
set -uo pipefail
tkb=$1 fixtures=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
kb=$tmp/kb
cp -R "$fixtures/problems" "$kb"
export TKB_CACHE_DIR=$tmp/cache
# A file changed in the last two seconds is never reused (its stamp could not vouch for it):
# let the copies age.
sleep 2.2

# run NAME ARGS...: check's stdout in $tmp/NAME, its -v log in $tmp/NAME.err, exit in $tmp/NAME.rc
run() {
  local name=$1
  shift
  "$tkb" -C "$kb" -v check "$@" >"$tmp/$name" 2>"$tmp/$name.err"
  echo $? >"$tmp/$name.rc"
}
# same NAME: the run NAME answered exactly as a run without the cache does now
same() {
  run "$1.plain" --no-cache
  cmp -s "$tmp/$1" "$tmp/$1.plain" || fail "$1: findings differ from --no-cache: $(diff "$tmp/$1" "$tmp/$1.plain" | head -5)"
  cmp -s "$tmp/$1.rc" "$tmp/$1.plain.rc" || fail "$1: exit $(cat "$tmp/$1.rc"), --no-cache $(cat "$tmp/$1.plain.rc")"
  grep -q "cache" "$tmp/$1.plain.err" && fail "$1: --no-cache mentions a cache: $(cat "$tmp/$1.plain.err")"
}
log_has() { grep -q -- "$2" "$tmp/$1.err" || fail "$1: log lacks '$2': $(grep cache "$tmp/$1.err")"; }

# The notes check reads (a binary file among them), from a run that stores no cache.
count() { TKB_CACHE_DIR=$tmp/count "$tkb" -C "$kb" -v check 2>&1 >/dev/null | sed -n 's/.*: 0 notes reused, \([0-9]*\) parsed.*/\1/p'; rm -rf "$tmp/count"; }
notes=$(count)
[ "$notes" -ge 10 ] || fail "cannot tell how many notes the fixture has: '$notes'"
run cold
same cold
log_has cold ": 0 notes reused, $notes parsed; stored anew"
[ "$(find "$TKB_CACHE_DIR" -name 'check-*.cache' | wc -l)" -eq 1 ] || fail "no cache file stored"
run warm
same warm
log_has warm ": $notes notes reused, 0 parsed\$"

# A note changed: it is read again (and, changed just now, not stored until it has aged).
printf '\n[[a link added later]]\n' >>"$kb/third/linker.md"
run changed
same changed
log_has changed ": $((notes - 1)) notes reused, 1 parsed"
grep -q "a link added later" "$tmp/changed" || fail "changed: the new broken link is not reported"

# A note removed, one added.
rm "$kb/other/shared_topic.md"
printf -- '---\ntitle: Newcomer\n---\n[[nowhere at all]]\n' >"$kb/chan/newcomer.md"
run moved
same moved

# The cache damaged: bytes overwritten in the middle, then cut short. Never believed.
sleep 2.2
notes=$(count)
run stored
cache=$(find "$TKB_CACHE_DIR" -name 'check-*.cache')
size=$(stat -c %s "$cache")
printf 'XXXXXXXXXXXXXXXX' | dd of="$cache" bs=1 seek=$((size / 2)) conv=notrunc status=none
run damaged
same damaged
log_has damaged "reused"
truncate -s $((size / 3)) "$cache"
run cut
same cut
log_has cut "0 notes reused, $notes parsed; it could not be used and was replaced; stored anew"
run healed
log_has healed ": $notes notes reused, 0 parsed\$"

# --no-cache neither reads nor writes it; TKB_CACHE_DIR empty turns it off; a cache folder
# that cannot be made only costs the speed.
rm -rf "$TKB_CACHE_DIR"
run off --no-cache
[ -e "$TKB_CACHE_DIR" ] && fail "--no-cache made the cache folder"
TKB_CACHE_DIR='' run empty
[ -e "$TKB_CACHE_DIR" ] && fail "TKB_CACHE_DIR='' made a cache folder"
cmp -s "$tmp/empty" "$tmp/off" || fail "TKB_CACHE_DIR='' changed the findings"
printf 'a file' >"$tmp/blocker"
TKB_CACHE_DIR=$tmp/blocker/cache run unwritable
cmp -s "$tmp/unwritable" "$tmp/off" || fail "an unwritable cache folder changed the findings"
cmp -s "$tmp/unwritable.rc" "$tmp/off.rc" || fail "an unwritable cache folder changed the exit code"
log_has unwritable "; a new one could not be stored"

if [ "$failures" -gt 0 ]; then
  echo "$failures failure(s)"
  exit 1
fi
echo "cache: all cases agree with --no-cache"
