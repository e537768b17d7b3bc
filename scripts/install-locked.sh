#!/usr/bin/env bash
# Installs a lock file with uv: scripts/install-locked.sh <uv> <uv pip install arguments, the lock among them>.
# PyPI's wheel of the Argon2 binding is compiled for SSE2, which every x86-64 processor has. Where this processor
# has AVX2, the binding is compiled here for it (x86-64-v3) instead: the same hash of a sign-in's password, with the
# same parameters and result, takes about a third less CPU (docs/adr/0013-serving-deadline-day.md). A binary
# compiled so stops at start on a processor without AVX2 (gunicorn.conf.py), rather than at someone's sign-in.
set -euo pipefail
uv=$1
shift
# The flags go as a build setting, not CFLAGS: uv keys the wheels it builds and keeps by their settings, and would
# otherwise install a copy it once built without them.
if [ "$(uname -m)" = x86_64 ] && grep -qw avx2 /proc/cpuinfo; then
  set -- --no-binary argon2-cffi-bindings --config-setting cmake.define.CMAKE_C_FLAGS=-march=x86-64-v3 "$@"
fi
exec "$uv" pip install "$@"
