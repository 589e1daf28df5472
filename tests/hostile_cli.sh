#!/usr/bin/env bash
# Hostile input through the command line: exit codes, stderr, JSON that parses whatever bytes
# the notes hold, and the cases that need a real disk (a FIFO, a folder named x.md, symlink
# loops and links out of the root, a file name with a newline, a note over --max-note-size,
# stdout as a pipe, output that cannot be written).
# The exact findings of tests/fixtures/hostile are golden cases; core-level cases are in
# tests/unit/test_hostile.cpp.
# usage: hostile_cli.sh TKB FIXTURES_DIR
set -uo pipefail
tkb=$(cd "$(dirname "$1")" && pwd)/$(basename "$1") fixtures=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0
fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}
# run EXPECTED_EXIT ARGS...: tkb with a time limit (a hang is a failure); output in $tmp/out,
# $tmp/err.
run() {
  local want=$1
  shift
  timeout 60 "$tkb" "$@" >"$tmp/out" 2>"$tmp/err"
  local rc=$?
  [ "$rc" -eq "$want" ] || fail "tkb $* exited $rc, expected $want; stderr: $(head -c 500 "$tmp/err")"
}
has_line() { grep -qxF -- "$2" "$1" || fail "no line '$2' in $1: $(head -c 800 "$1")"; }

# ---- JSON output is valid for notes with invalid UTF-8 in titles, links and text -----------
cd "$fixtures/hostile" || exit 1
for args in "list --format json" "videos --format json" "resolve --all --format json" \
  "timestamps --format json" "links bad_utf8 --format json" "backlinks chan --format json" \
  "check --format json" "check --format sarif" "check --summary --format json"; do
  # shellcheck disable=SC2086
  timeout 60 "$tkb" $args >"$tmp/out" 2>/dev/null
  rc=$?
  [ "$rc" -le 1 ] || fail "tkb $args exited $rc"
  [ -s "$tmp/out" ] && jq -e . "$tmp/out" >/dev/null || fail "tkb $args: output is not valid JSON"
done
run 0 list --format json
jq -e '.[] | select(.path == "chan/bad_utf8.md") | .title == "Caf\ufffd \ufffd title"' "$tmp/out" \
  >/dev/null || fail "list --format json: the invalid bytes of the title are not U+FFFD"
run 0 resolve --all --format json
jq -e '[.[] | select(.source == "chan/bad_utf8.md") | .raw] | index("[[caf\ufffd target|caf\ufffd alias]]") != null' \
  "$tmp/out" >/dev/null || fail "resolve --all --format json: the link's invalid bytes are not U+FFFD"
run 0 timestamps --format json --note bad_utf8
jq -e '.[0].text == "Bytes \ufffd that are not UTF-8 caf\ufffd alias in a sentence"' "$tmp/out" \
  >/dev/null || fail "timestamps --format json: the text's invalid bytes are not U+FFFD"

# ---- A real disk: FIFO, folder named x.md, symlinks, odd names --------------------------------
kb=$tmp/kb
mkdir -p "$kb/chan/folder.md" "$tmp/outside"
printf -- '---\ntitle: Good\nvideoId: AAAAAAAAAA1\n---\n\nFrom: [[chan]]\n' >"$kb/chan/good.md"
printf -- '---\ntitle: Chan\n---\n\n[[good]]\n' >"$kb/chan/chan.md"
printf -- '---\ntitle: Inner\n---\n' >"$kb/chan/folder.md/inner.md"
printf -- '---\ntitle: Newline\n---\n' >"$kb/chan/new
line.md"
printf -- '---\ntitle: Secret\n---\n' >"$tmp/outside/secret.md"
mkfifo "$kb/chan/fifo.md"
ln -s . "$kb/chan/loop"
ln -s self.md "$kb/chan/self.md"
ln -s "$tmp/outside/secret.md" "$kb/chan/secret.md"
ln -s "$tmp/outside" "$kb/outside"
run 0 -C "$kb" list --format json
jq -e '[.[].path] == ["chan/chan.md", "chan/folder.md/inner.md", "chan/good.md", "chan/new\nline.md"]' \
  "$tmp/out" >/dev/null || fail "list on the disk cases: $(cat "$tmp/out")"
[ -s "$tmp/err" ] && fail "list on the disk cases wrote to stderr: $(cat "$tmp/err")"
run 1 -C "$kb" check --select skipped-file,missing-video-id
has_line "$tmp/out" "chan/fifo.md:1:1: info: not a regular file (a FIFO, socket or device) [skipped-file]"
has_line "$tmp/out" "chan/secret.md:1:1: info: symbolic link is not followed [skipped-file]"
has_line "$tmp/out" "chan/self.md:1:1: info: symbolic link is not followed [skipped-file]"
# A newline in a file name cannot forge a line of output.
has_line "$tmp/out" 'chan/new\nline.md:1:1: error: front matter has no videoId [missing-video-id]'
has_line "$tmp/out" "checked 4 notes: 2 errors, 0 warnings, 3 info (missing-video-id 2, skipped-file 3)"

# ---- --max-note-size: a 20 MB single-line note ------------------------------------------------
{ printf -- '---\ntitle: Huge\n---\n\nFrom: [[chan]] '; head -c 20000000 /dev/zero | tr '\0' a; } \
  >"$kb/chan/huge.md"
run 0 -C "$kb" list --format paths
has_line "$tmp/err" "chan/huge.md:1:1: error: cannot read note: note is larger than the limit of 16777216 bytes [unreadable-file]"
has_line "$tmp/out" "chan/good.md"
run 1 -C "$kb" check --select unreadable-file
has_line "$tmp/out" "chan/huge.md:1:1: error: cannot read note: note is larger than the limit of 16777216 bytes [unreadable-file]"
run 0 -C "$kb" --max-note-size 30000000 list --format tsv
has_line "$tmp/out" "chan/huge.md	Huge		chan	1	0"
[ -s "$tmp/err" ] && fail "list with --max-note-size 30000000 wrote to stderr: $(head -c 500 "$tmp/err")"
run 2 -C "$kb" --max-note-size 4294967296 list
has_line "$tmp/err" "--max-note-size: Value 4294967296 not in range 1 to 4294967295"
run 2 -C "$kb" --max-note-size=-1 list

# ---- stdout as a pipe: widened to 1 MiB (as root, where the limit allows), same bytes ------
run 0 -C "$kb" --max-note-size 30000000 timestamps
cp "$tmp/out" "$tmp/to_file"
if command -v python3 >/dev/null; then
  # The reader reads everything first, then asks the pipe's size (F_GETPIPE_SZ, 1032).
  "$tkb" -C "$kb" --max-note-size 30000000 timestamps 2>/dev/null |
    python3 -c 'import fcntl, sys
data = sys.stdin.buffer.read()
open(sys.argv[1], "wb").write(data)
print(fcntl.fcntl(0, 1032))' "$tmp/to_pipe" >"$tmp/pipe_size"
  cmp -s "$tmp/to_file" "$tmp/to_pipe" || fail "timestamps wrote other bytes to a pipe than to a file"
  if [ "$(id -u)" -eq 0 ] && [ "$(cat /proc/sys/fs/pipe-max-size)" -ge 1048576 ]; then
    [ "$(cat "$tmp/pipe_size")" = 1048576 ] ||
      fail "stdout pipe is $(cat "$tmp/pipe_size") bytes, expected 1048576"
  fi
fi

# ---- a large output into a pipe (handed over in blocks): the same bytes as into a file ------
big=$tmp/big
mkdir -p "$big/chan"
# 300 notes of 200 anchors: batches of rows of about 600 KB, as in a large knowledge base.
awk -v dir="$big/chan" 'BEGIN {
  for (n = 0; n < 300; ++n) {
    f = sprintf("%s/note_%03d.md", dir, n)
    printf "---\ntitle: Note %d\nvideoId: video%07d\n---\n\nFrom: [[chan]] <br/>\n\n", n, n > f
    for (k = 0; k < 200; ++k)
      printf "Sentence %d says something long enough to fill a row of the export. <a class=\"yt-timestamp\" data-t=\"%02d:%02d:%02d\">[x]</a>\n\n", k, k / 3600, k / 60 % 60, k % 60 > f
    close(f)
  }
}'
run 0 -C "$big" timestamps
cp "$tmp/out" "$tmp/big_file"
[ "$(wc -c <"$tmp/big_file")" -gt 10000000 ] || fail "the large timestamps output is only $(wc -c <"$tmp/big_file") bytes"
"$tkb" -C "$big" timestamps 2>"$tmp/err" | cat >"$tmp/big_pipe"
cmp -s "$tmp/big_file" "$tmp/big_pipe" || fail "timestamps wrote other bytes into a pipe than into a file"
[ -s "$tmp/err" ] && fail "timestamps into a pipe wrote to stderr: $(head -c 500 "$tmp/err")"
"$tkb" -C "$big" timestamps --format json 2>/dev/null | cat >"$tmp/big_pipe"
"$tkb" -C "$big" timestamps --format json >"$tmp/big_file" 2>/dev/null
cmp -s "$tmp/big_file" "$tmp/big_pipe" || fail "timestamps --format json: other bytes into a pipe"

# ---- output that cannot be written: exit 2 and why; a reader gone away is not an error -------
for args in "timestamps" "check" "list" "resolve --all"; do
  # shellcheck disable=SC2086
  timeout 60 "$tkb" -C "$big" $args >/dev/full 2>"$tmp/err"
  rc=$?
  [ "$rc" -eq 2 ] || fail "tkb $args >/dev/full exited $rc, expected 2"
  has_line "$tmp/err" "tkb: error: cannot write the output: No space left on device"
done
rc=$( (
  trap '' PIPE
  "$tkb" -C "$big" timestamps 2>"$tmp/err" | head -c 100 >/dev/null
  echo "${PIPESTATUS[0]}"
))
[ "$rc" = 0 ] || fail "timestamps into a closed pipe (SIGPIPE ignored) exited $rc, expected 0"
[ -s "$tmp/err" ] && fail "timestamps into a closed pipe wrote to stderr: $(head -c 500 "$tmp/err")"

if [ "$failures" -ne 0 ]; then
  echo "$failures hostile command-line check(s) failed" >&2
  exit 1
fi
echo "hostile command-line checks passed"
