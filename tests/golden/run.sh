#!/usr/bin/env bash
# Run one golden case: tkb with ARGS inside fixture FIXTURE, compared with EXPECTED.
# usage: run.sh TKB FIXTURES_DIR EXPECTED FIXTURE [ARGS...]
# The transcript holds the command, stdout, stderr and the exit code. An argument @OUT@ is
# replaced by a temporary file whose contents are appended to the transcript.
# TKB_UPDATE_GOLDEN=1 rewrites EXPECTED instead of comparing (see scripts/update-golden).
set -uo pipefail
tkb=$1 fixtures=$2 expected=$3 fixture=$4
shift 4
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
args=()
for a in "$@"; do args+=("${a//@OUT@/$tmp/out}"); done
(cd "$fixtures/$fixture" && "$tkb" "${args[@]}" >"$tmp/stdout" 2>"$tmp/stderr"; echo $? >"$tmp/rc")
{
  echo "\$ tkb $*"
  cat "$tmp/stdout"
  if [ -s "$tmp/stderr" ]; then echo "[stderr]"; cat "$tmp/stderr"; fi
  if [ -e "$tmp/out" ]; then echo "[@OUT@]"; cat "$tmp/out"; fi
  echo "[exit $(cat "$tmp/rc")]"
} >"$tmp/actual"
if [ "${TKB_UPDATE_GOLDEN:-}" = 1 ]; then
  mkdir -p "$(dirname "$expected")"
  cp "$tmp/actual" "$expected"
  exit 0
fi
if [ ! -f "$expected" ]; then
  echo "no golden file $expected; create it with scripts/update-golden" >&2
  exit 1
fi
diff -u --label expected --label actual "$expected" "$tmp/actual"
