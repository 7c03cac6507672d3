#!/usr/bin/env bash
# Installs what the tests need beyond npm: Debian's Chromium for the browser tests
# (playwright-core drives it; `npx playwright install` cannot download browsers here).
set -euo pipefail
chromium="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ -x "$chromium" ]; then
  echo "chromium: $("$chromium" --version 2>/dev/null || echo present)"
  exit 0
fi
if ! command -v apt-get >/dev/null; then
  echo "No Chromium at $chromium and no apt-get: install Chromium and set CHROMIUM_PATH." >&2
  exit 1
fi
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null
echo "chromium: $("$chromium" --version)"
