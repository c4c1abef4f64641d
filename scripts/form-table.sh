#!/usr/bin/env bash
# Measures musical form, real pieces against generated ones, for every genre and writes the
# table into README.md between the "form-table" markers (section "Musical form").
# Each genre: all its data files (read in place) and 50 generated pieces of 32 bars (seeds 1-50,
# the genre's default sampling) with its shipped model, and the loudness of the first 10 of them
# rendered as /compose does; one to two minutes per genre on one core.
# Usage: scripts/form-table.sh [DATASETS]   (default: ../shared/datasets beside the repository)
set -euo pipefail
cd "$(dirname "$0")/.."
DATA="${1:-../shared/datasets}"
table="$(node_modules/.bin/node bin/mixtape.js form --all-genres --generate 50 --bars 32 --loudness --datasets "$DATA" --markdown)"
TABLE="$table" node_modules/.bin/node -e '
  const fs = require("node:fs");
  const readme = fs.readFileSync("README.md", "utf8");
  const start = "<!-- form-table:start -->", end = "<!-- form-table:end -->";
  const from = readme.indexOf(start), to = readme.indexOf(end);
  if (from < 0 || to < from) { console.error("README.md has no form-table markers"); process.exit(2); }
  fs.writeFileSync("README.md", readme.slice(0, from + start.length) + "\n" + process.env.TABLE + "\n" + readme.slice(to));
'
echo "$table"
