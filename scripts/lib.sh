#!/usr/bin/env bash
# Shared by the developer scripts: install what is missing, then configure and build.
# Sourced, not run.

TKB_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

# Debian packages the build, the tests and the benchmark need.
TKB_PACKAGES=(g++ cmake ninja-build pkg-config libcli11-dev libyaml-cpp-dev libcmark-gfm-dev
  libcmark-gfm-extensions-dev libspdlog-dev libfmt-dev nlohmann-json3-dev libmimalloc-dev catch2 jq
  ripgrep time python3)

# Install the packages in "$@" that are not installed yet. Quiet when nothing is missing.
tkb_install() {
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "tkb: installing missing packages: ${missing[*]}" >&2
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "tkb: run as root or install: ${missing[*]}" >&2; return 1; }
    sudo=(sudo)
  fi
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -qq >&2 || return 1
  "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2 || return 1
}

# Configure (once) and build the tree in build/$1 with CMAKE_BUILD_TYPE $2 and extra cmake args.
tkb_build() {
  local dir="$TKB_TOP/build/$1" type=$2
  shift 2
  if [ ! -f "$dir/build.ninja" ]; then
    cmake -S "$TKB_TOP" -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE="$type" "$@" >&2 || return 1
  fi
  cmake --build "$dir" -- -j"$(nproc)" >&2 || return 1
}
