#!/usr/bin/env bash
# Regenerates the pictures under docs/img from the bundled scenarios, so the README shows what the
# simulator draws today. Needs PlantUML (Debian: apt-get install plantuml). Run: npm run docs:images
set -euo pipefail
cd "$(dirname "$0")/.."

npm run --silent build
mkdir -p docs/img
node bin/cpmsim.js diagram scenarios/appendix-c/c-3-1-1-1-pager-to-user-originating.yaml --format plantuml \
  | plantuml -tsvg -pipe -charset UTF-8 > docs/img/figure-16.svg.tmp
mv docs/img/figure-16.svg.tmp docs/img/figure-16.svg
echo "wrote docs/img/figure-16.svg"
