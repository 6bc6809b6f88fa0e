#!/usr/bin/env bash
# Build ledger-vcsim (main.go beside this script) against Debian's govmomi simulator library.
#   usage: build.sh [OUTDIR]   (default: <repo>/.vcsim-bin, git-ignored) -> OUTDIR/ledger-vcsim
# Needs only Debian's packages golang-go and golang-github-vmware-govmomi-dev (installed if missing).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
OUT="${1:-$HERE/../../.vcsim-bin}"; mkdir -p "$OUT"; OUT="$(cd "$OUT" && pwd)"
need=()
for p in golang-go golang-github-vmware-govmomi-dev; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || need+=("$p")
done
if [ "${#need[@]}" -gt 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}"
fi
SRC="$(mktemp -d)"; trap 'rm -rf "$SRC"' EXIT
cp "$HERE/main.go" "$SRC/main.go"
cd "$SRC"
env GO111MODULE=off GOPATH=/usr/share/gocode GOFLAGS= GOPROXY=off CGO_ENABLED=0 \
  go build -trimpath -ldflags '-s -w' -o "$OUT/ledger-vcsim" .
echo "built $OUT/ledger-vcsim"
