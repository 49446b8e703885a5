#!/usr/bin/env bash
# Installs every Debian package leadclean needs, then configures and builds
# it into build/. Safe to run again.
# Usage: scripts/setup.sh [--no-build] [--sanitizers]
#   --sanitizers  also install clang and libclang-rt-14-dev (the asan and fuzz
#                 presets in CMakePresets.json)
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  build-essential cmake pkg-config
  libcli11-dev libfccp-dev libphonenumber-dev libre2-dev catch2 libicu-dev
  libtbb-dev nlohmann-json3-dev libabsl-dev libprotobuf-dev libssl-dev
  libjemalloc-dev
  python3
  libc-ares-dev dnsmasq-base
  # tests only: report_render_check renders the HTML report headless
  chromium
)
no_build=0
for arg in "$@"; do
  case "$arg" in
    --no-build) no_build=1 ;;
    --sanitizers) packages+=(clang libclang-rt-14-dev) ;;
    *) echo "usage: scripts/setup.sh [--no-build] [--sanitizers]" >&2; exit 2 ;;
  esac
done
missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -q "${missing[@]}"
fi

[ "$no_build" = 1 ] && exit 0
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j "$(nproc)"
