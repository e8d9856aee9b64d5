#!/usr/bin/env bash
# Debian packages chiiki needs at run time and in tests, installed only when missing.
# WeasyPrint needs pango; the tests need a PostgreSQL server; pdftoppm (poppler) checks PDFs;
# LibreOffice opens our exports as a spreadsheet user would. node and npm fetch the web workbench's
# front-end files from the npm registry (scripts/assets.sh, pinned by package-lock.json).
# The browser tests drive Debian's Chromium with Playwright (never Playwright's own download) and
# need a Japanese font, or every page renders as empty boxes in their screenshots.
set -u
need=()
dpkg -s libpango-1.0-0 >/dev/null 2>&1 || need+=(libpango-1.0-0)
dpkg -s libpangoft2-1.0-0 >/dev/null 2>&1 || need+=(libpangoft2-1.0-0)
# harfbuzz-subset makes WeasyPrint's font subsetting ~2.5x faster (PDF step 3.2 s → 1.3 s CPU)
dpkg -s libharfbuzz-subset0 >/dev/null 2>&1 || need+=(libharfbuzz-subset0)
# on PATH rather than dpkg: a node from elsewhere (nodesource, nvm) with its own npm is fine too
command -v node >/dev/null 2>&1 || need+=(nodejs)
command -v npm >/dev/null 2>&1 || need+=(npm)
if [ "${CHIIKI_NEED_POSTGRES:-0}" = 1 ] || [ -n "${CI:-}" ]; then
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
  command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)
  # LibreOffice (headless) opens our CSV/XLSX exports in the formula-injection tests
  command -v soffice >/dev/null 2>&1 || need+=(libreoffice-calc-nogui)
fi
if [ "${CHIIKI_NEED_BROWSER:-0}" = 1 ] || [ -n "${CI:-}" ]; then
  [ -x /usr/bin/chromium ] || need+=(chromium)
  fc-list :lang=ja 2>/dev/null | grep -q . || need+=(fonts-ipafont-gothic)
fi
[ ${#need[@]} -eq 0 ] && exit 0
if ! command -v apt-get >/dev/null 2>&1; then
  echo "chiiki: please install: ${need[*]} (no apt-get here)" >&2
  exit 0
fi
SUDO=""
[ "$(id -u)" = 0 ] || SUDO="sudo -n"
echo "chiiki: installing Debian packages: ${need[*]}" >&2
$SUDO apt-get update -qq >/dev/null 2>&1 || true
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null \
  || echo "chiiki: could not install ${need[*]}; some features or tests may be unavailable" >&2
exit 0
