#!/usr/bin/env bash
# Regenerates the pictures under docs/img from the bundled scenarios, so the README shows what the
# simulator draws today. Needs PlantUML (Debian: apt-get install plantuml). Run: npm run docs:images
set -euo pipefail
cd "$(dirname "$0")/.."

npm run --silent build
mkdir -p docs/img
draw() {
  node bin/cpmsim.js diagram "scenarios/appendix-c/$1.yaml" --format plantuml | plantuml -tsvg -pipe -charset UTF-8 > "docs/img/$2.svg.tmp"
  mv "docs/img/$2.svg.tmp" "docs/img/$2.svg"
  echo "wrote docs/img/$2.svg"
}
draw c-3-1-1-1-pager-to-user-originating figure-16
draw c-2-1-2-3-group-session-multiple-clients figure-7
