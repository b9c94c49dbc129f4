#!/usr/bin/env bash
# Makes this checkout ready to run: system OpenCV (and, with --test, the packages the tests drive), npm ci, build.
# Idempotent and quick when everything is already there. Run by `npm test` and `npm run demo` before they start.
set -euo pipefail
cd "$(dirname "$0")/.."

# The Debian packages the tests drive (test/helpers/require-tool.ts names the tool each one provides; a unit test
# checks that every tool a test needs is here). `--list-test-packages` prints them.
test_pkgs=(tmux xterm xvfb imagemagick x11-utils xdotool fonts-dejavu-core openssh-server openssh-client ffmpeg
  python3 python3-numpy python3-opencv iproute2 nftables
  kitty libgl1-mesa-dri chafa libsixel-bin pulseaudio pulseaudio-utils espeak-ng sox chromium coturn)

want_test=0
case "${1:-}" in
  --test) want_test=1 ;;
  --list-test-packages) printf '%s\n' "${test_pkgs[@]}"; exit 0 ;;
esac
say() { printf 'setup: %s\n' "$*" >&2; }
die() { printf 'setup: %s\n' "$*" >&2; exit 1; }

# --- Node ---
node_ok=$(node -e 'const [a,b]=process.versions.node.split(".").map(Number);console.log(a>20||(a===20&&b>=19)?1:0)' 2>/dev/null || echo 0)
[ "$node_ok" = 1 ] || die "termcall needs Node.js >= 20.19 (found: $(node --version 2>/dev/null || echo none)). Install it from https://nodejs.org or your package manager."

# --- system packages ---
deb_missing() { # prints the Debian packages among "$@" that are not installed
  local p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || printf '%s ' "$p"
  done
}
apt_install() {
  local runner=()
  if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null || die "need root or sudo to install: $*  (run: apt-get install -y $*)"
    runner=(sudo)
  fi
  say "installing with apt-get: $*"
  "${runner[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
  "${runner[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >&2 \
    || die "apt-get could not install: $*"
}

system_pkgs=(libopencv-dev)
[ $want_test = 1 ] && system_pkgs+=("${test_pkgs[@]}")
case "$(uname -s)" in
  Linux)
    if command -v dpkg-query >/dev/null && command -v apt-get >/dev/null; then
      missing=$(deb_missing "${system_pkgs[@]}")
      [ -z "$missing" ] || apt_install $missing
    elif [ ! -e /usr/include/opencv4/opencv2/core.hpp ] && [ ! -e /usr/local/include/opencv4/opencv2/core.hpp ]; then
      die "OpenCV 4 development files are missing. Install your distribution's OpenCV dev package (e.g. opencv-devel, opencv), then run npm test again."
    fi ;;
  Darwin)
    brew list opencv >/dev/null 2>&1 || { command -v brew >/dev/null || die "install Homebrew, then: brew install opencv"; say "brew install opencv"; brew install opencv >&2; } ;;
  *) die "unsupported system $(uname -s): install OpenCV 4 with its development files, then run npm ci && npm run build" ;;
esac

# --- npm dependencies (again when package-lock.json changes) ---
lock_sum=$(sha1sum package-lock.json | cut -c1-40)
if [ ! -f node_modules/.termcall-lock ] || [ "$(cat node_modules/.termcall-lock)" != "$lock_sum" ]; then
  say "npm ci (the OpenCV binding compiles against the system OpenCV: a few minutes the first time)"
  OPENCV4NODEJS_DISABLE_AUTOBUILD=1 JOBS=max npm ci --no-audit --no-fund >&2
  echo "$lock_sum" > node_modules/.termcall-lock
fi

# --- build (again when a source changed) ---
if [ ! -f dist/.build-stamp ] || [ -n "$(find src test tsconfig.json package.json -newer dist/.build-stamp -print -quit)" ]; then
  say "building"
  npx tsc -p tsconfig.json >&2
  touch dist/.build-stamp
fi
