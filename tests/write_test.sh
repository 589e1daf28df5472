#!/usr/bin/env bash
# `--write` runs killed at random points: every note must hold either its old or its new
# content (never a mix, never a missing note), whatever instant the process died at.
# usage: write_test.sh TKB FIXTURES_DIR [TRIALS]
set -uo pipefail
tkb=$(realpath "$1") fixtures=$(realpath "$2") trials=${3:-12}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# A knowledge base with many notes to fix and many links to rename: the editing fixture plus
# 300 generated notes in its kitchen channel.
base=$tmp/base
cp -r "$fixtures/editing" "$base"
for i in $(seq 1 300); do
  printf -- '---\ntitle: Generated %d\nvideoId: GGGGGGGGGG7\n---\n\nFrom: [[kitchen]] <br/>\n\nSee [[Sourdough starters]] at [00:%02d:%02d] and [[sourdough_starters|the starter]].\r\nNo final newline [[Crust and crumb]]' \
    "$i" $((i / 60 % 60)) $((i % 60)) >"$base/kitchen/generated_$i.md"
done

# The expected end state of each command, from an uninterrupted run.
run_full() {  # NAME ARGS...
  local name=$1
  shift
  rm -rf "$tmp/$name"
  cp -r "$base" "$tmp/$name"
  local start end
  start=$(date +%s%N)
  (cd "$tmp/$name" && "$tkb" "$@" --write >/dev/null 2>"$tmp/$name.err") ||
    fail "tkb $* --write failed: $(head -c 300 "$tmp/$name.err")"
  end=$(date +%s%N)
  echo $(((end - start) / 1000000))
}
fix_ms=$(run_full fixed fix)
rename_ms=$(run_full renamed rename sourdough_starters bread_starters)

# Every .md file in DIR is the old (base) or new (EXPECTED) version of some note, and every
# note is there once, as old or new.
check_state() {  # DIR EXPECTED MOVED_FROM MOVED_TO
  local dir=$1 expected=$2 from=${3:-} to=${4:-}
  local old=0 new=0 bad=0
  while IFS= read -r -d '' f; do
    rel=${f#"$dir/"}
    if [ -n "$from" ] && [ "$rel" = "$to" ]; then
      cmp -s "$f" "$expected/$to" && new=$((new + 1)) || { bad=$((bad + 1)); echo "  $rel: neither old nor new"; }
      continue
    fi
    if [ -e "$base/$rel" ] && cmp -s "$f" "$base/$rel"; then
      old=$((old + 1))
    elif [ -e "$expected/$rel" ] && cmp -s "$f" "$expected/$rel"; then
      new=$((new + 1))
    elif [ -n "$from" ] && [ "$rel" = "$from" ] && cmp -s "$f" "$expected/$to"; then
      new=$((new + 1))  # written in place, killed before the move
    else
      bad=$((bad + 1))
      echo "  $rel: neither old nor new"
    fi
  done < <(find "$dir" -name '*.md' -not -path '*/.*' -print0)
  local notes
  notes=$(find "$dir" -name '*.md' -not -path '*/.*' | wc -l)
  [ "$notes" -eq "$(find "$base" -name '*.md' | wc -l)" ] || { bad=$((bad + 1)); echo "  $notes notes, expected $(find "$base" -name '*.md' | wc -l)"; }
  echo "$old $new $bad"
}

mid=0
for t in $(seq 1 "$trials"); do
  if [ $((t % 2)) -eq 1 ]; then
    name=fixed ms=$fix_ms args=(fix --write) from= to=
  else
    name=renamed ms=$rename_ms args=(rename sourdough_starters bread_starters --write)
    from=kitchen/sourdough_starters.md to=kitchen/bread_starters.md
  fi
  dir=$tmp/trial
  rm -rf "$dir"
  cp -r "$base" "$dir"
  # A random instant within the run (and a little past it).
  delay=$((RANDOM * (ms + ms / 5 + 1) / 32768))
  (cd "$dir" && exec "$tkb" "${args[@]}" >/dev/null 2>&1) &
  pid=$!
  sleep "$(printf '%d.%03d' $((delay / 1000)) $((delay % 1000)))"
  kill -9 "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  read -r old new bad < <(check_state "$dir" "$tmp/$name" "$from" "$to" | tail -1)
  if [ "$bad" -ne 0 ]; then
    check_state "$dir" "$tmp/$name" "$from" "$to" | head -5
    fail "trial $t (${args[*]}, killed after ${delay} ms): $bad files are neither old nor new"
  fi
  [ "$old" -gt 0 ] && [ "$new" -gt 0 ] && mid=$((mid + 1))
  # A run killed half-way is finished by running it again.
  if [ "$name" = fixed ]; then
    (cd "$dir" && "$tkb" fix --write >/dev/null 2>&1)
    (cd "$dir" && "$tkb" fix 2>&1 | grep -q '^nothing to fix$') ||
      fail "trial $t: fix --write after the interrupted run left something to fix"
  fi
done
echo "fix --write: ${fix_ms} ms, rename --write: ${rename_ms} ms; $trials runs killed, $mid of them half-way through writing"
[ "$mid" -gt 0 ] || echo "note: no run was killed half-way through writing (the runs are too fast here)"
[ "$failures" -eq 0 ] && echo "1 passed, 0 failed" || echo "0 passed, 1 failed"
exit $((failures > 0))
