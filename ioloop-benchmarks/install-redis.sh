#!/usr/bin/env bash
# Installs Debian's redis-server and redis-tools (redis-cli, redis-benchmark) when one of them is missing, with
# sudo unless run as root. Used by run-load.sh and run-cpu-per-request.sh; does nothing when all three are on PATH.
set -euo pipefail
if ! command -v redis-benchmark >/dev/null || ! command -v redis-server >/dev/null || ! command -v redis-cli >/dev/null; then
  printf '[install-redis %s] installing Debian'"'"'s redis-server and redis-tools\n' "$(date -u +%H:%M:%S)" >&2
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq redis-server redis-tools >/dev/null
fi
