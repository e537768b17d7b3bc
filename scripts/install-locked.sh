#!/usr/bin/env bash
# Installs a lock file with uv: scripts/install-locked.sh <uv> <uv pip install arguments, the lock among them>.
# PyPI's wheel of the Argon2 binding is compiled for SSE2, which every x86-64 processor has. Where this processor
# runs x86-64-v3 code (AVX2 and its companions, as glibc's loader reports), the binding is compiled here for it
# instead: the same hash of a sign-in's password, with the same parameters and result, takes about a third less CPU
# (docs/adr/0013-serving-deadline-day.md). gunicorn checks at start that the binding runs where it is started
# (gunicorn.conf.py), so a copy taken to an older processor stops there rather than at someone's sign-in.
set -euo pipefail
uv=$1
shift
# Reinstalled each time, so that a virtualenv made before, or elsewhere, gets the build this processor takes.
set -- --reinstall-package argon2-cffi-bindings "$@"
# The flags go as a build setting, not CFLAGS: uv keys the wheels it builds and keeps by their settings, and would
# otherwise install a copy it once built without them.
if /lib64/ld-linux-x86-64.so.2 --help 2>/dev/null | grep -q "x86-64-v3 (supported"; then
  set -- --no-binary argon2-cffi-bindings \
    --config-settings-package argon2-cffi-bindings:cmake.define.CMAKE_C_FLAGS=-march=x86-64-v3 "$@"
fi
exec "$uv" pip install "$@"
