# shellcheck shell=bash
# Sourced by scripts/setup, scripts/serve and scripts/test: the repo root as working directory,
# the tool locations, and a few helpers. Not meant to be run on its own.

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT" || exit

# wasm-opt (npm package binaryen) and playwright-core live in node_modules; cargo-installed tools
# in ~/.cargo/bin. Both go first on PATH so trunk finds the pinned wasm-opt, not some other one.
export PATH="$ROOT/node_modules/.bin:${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

# The browser and its driver come from Debian (apt), never from a run-time download.
export SDPLAY_CHROMIUM=${SDPLAY_CHROMIUM:-/usr/bin/chromium}
export SDPLAY_CHROMEDRIVER=${SDPLAY_CHROMEDRIVER:-/usr/bin/chromedriver}

# trunk must never fetch tools or check for its own updates.
export TRUNK_SKIP_VERSION_CHECK=true

if [ -t 2 ]; then B=$'\e[1m' BLUE=$'\e[1;34m' YELLOW=$'\e[1;33m' RED=$'\e[1;31m' OFF=$'\e[0m'; else B='' BLUE='' YELLOW='' RED='' OFF=''; fi
log() { printf '%s==>%s %s%s%s\n' "$BLUE" "$OFF" "$B" "$*" "$OFF" >&2; }
warn() { printf '%swarning:%s %s\n' "$YELLOW" "$OFF" "$*" >&2; }
die() { printf '%serror:%s %s\n' "$RED" "$OFF" "$*" >&2; exit 1; }

# The version of the `wasm-bindgen` crate that Cargo.lock pins. wasm-bindgen-cli and Trunk.toml's
# [tools] wasm_bindgen must both equal it, or the generated JS glue and the wasm disagree.
wasm_bindgen_lock_version() {
  local versions
  versions=$(awk '
    /^\[\[package\]\]/ { name = "" }
    /^name = /         { name = $3 }
    /^version = / && name == "\"wasm-bindgen\"" { gsub(/"/, "", $3); print $3 }
  ' Cargo.lock)
  case "$versions" in
    "") die "Cargo.lock pins no wasm-bindgen crate (is Cargo.lock missing or the web crate gone?)" ;;
    *$'\n'*) die "Cargo.lock pins several wasm-bindgen versions (${versions//$'\n'/, }); unify them with cargo update -p wasm-bindgen" ;;
  esac
  printf '%s\n' "$versions"
}
