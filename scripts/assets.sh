#!/usr/bin/env bash
# Front-end files of the web workbench, from the npm registry (package.json + package-lock.json):
# `npm ci` into node_modules/, then the browser files are copied into the package's static folder.
# Never a CDN at run time (users are often offline or behind a government proxy), never vendored by
# hand. Idempotent and fast when already done: a stamp holds the SHA-256 of the lock and of every
# copied file, and nothing runs while they all match. Fails loudly (exit 1) when npm is missing or the
# registry cannot be reached. CHIIKI_NPM chooses the npm executable (default: npm on PATH).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
vendor=src/chiiki/web/static/vendor
stamp=$vendor/.assets.sha256
npm=${CHIIKI_NPM:-npm}
# package file under node_modules/ → name in the static vendor folder
assets=(
  "htmx.org/dist/htmx.min.js:htmx.min.js"
)

die() { echo "chiiki: assets: $*" >&2; exit 1; }

if [ -f "$stamp" ] && sha256sum --check --status "$stamp" 2>/dev/null; then
  echo "chiiki: front-end assets up to date ($vendor)"
  exit 0
fi

command -v "$npm" >/dev/null 2>&1 \
  || die "npm is missing: install Debian's nodejs and npm (bash scripts/system-deps.sh does it as root), then run make setup again"
command -v node >/dev/null 2>&1 || die "node is missing: install Debian's nodejs, then run make setup again"

# npm ci wipes node_modules first; skip it when what is installed is already exactly the lock
# (npm's own record, node_modules/.package-lock.json), so a second run also works offline.
installed_matches_lock() {
  node -e '
    const fs = require("fs");
    const want = JSON.parse(fs.readFileSync("package-lock.json", "utf8")).packages;
    const have = JSON.parse(fs.readFileSync("node_modules/.package-lock.json", "utf8")).packages;
    const key = (p) => JSON.stringify([p.version, p.integrity]);
    for (const [path, p] of Object.entries(want)) {
      if (path === "") continue;
      if (!have[path] || key(have[path]) !== key(p) || !fs.existsSync(path + "/package.json")) process.exit(1);
    }
  ' 2>/dev/null
}

if ! installed_matches_lock; then
  echo "chiiki: installing front-end packages from $("$npm" config get registry 2>/dev/null || echo 'the npm registry') (npm ci)" >&2
  if ! "$npm" ci --no-audit --no-fund --ignore-scripts --loglevel=error; then
    die "npm ci failed: is the npm registry reachable? (registry: $("$npm" config get registry 2>/dev/null || echo '?'); behind a proxy: npm config set proxy http://HOST:PORT, or set npm_config_registry to a mirror)"
  fi
fi

mkdir -p "$vendor"
copied=()
for pair in "${assets[@]}"; do
  src=node_modules/${pair%%:*}
  dest=$vendor/${pair##*:}
  [ -f "$src" ] || die "$src is missing after npm ci (package-lock.json and scripts/assets.sh disagree?)"
  tmp=$(mktemp "$dest.XXXXXX")
  cp "$src" "$tmp"
  chmod 0644 "$tmp"
  mv -f "$tmp" "$dest"   # a rename: a server reading the file never sees half of it
  copied+=("$dest")
done

tmp=$(mktemp "$stamp.XXXXXX")
sha256sum package-lock.json "${copied[@]}" >"$tmp"
mv -f "$tmp" "$stamp"
echo "chiiki: front-end assets copied into $vendor"
