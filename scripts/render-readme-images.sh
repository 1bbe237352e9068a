#!/usr/bin/env bash
# Draws the README's pictures into docs/images with the gridtool in build/ (scripts/build.sh):
# the sample district partitioned into grids, the sample city's grids after a rebalance, and
# Beijing's districts from DataV's 110100_full.json (GCJ-02; not in the repository: give its
# path as the first argument, by default ../shared/data/beijing/110100_full.json beside the
# repository; skipped when absent).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
gridtool="$root/build/tools/gridtool"
samples="$root/data/samples"
images="$root/docs/images"
beijing="${1:-$root/../shared/data/beijing/110100_full.json}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

"$gridtool" import --level district="$samples/district.geojson" \
  --level street="$samples/street.geojson" --level community="$samples/community.geojson" \
  -o "$work/communities.gpkg" >/dev/null
"$gridtool" partition "$work/communities.gpkg" --parent-level community --new-level grid \
  --units "$samples/units.csv:households" --barriers "$samples/roads.geojson" --target 300:500 \
  --limit 10 -o "$work/partitioned.gpkg" >/dev/null
"$gridtool" render "$work/partitioned.gpkg" --level grid --color households --label code \
  --width 1000 --title "Sample district: 87 grids of 300–500 households" \
  -o "$images/sample_partition.png"

"$gridtool" import --level district="$samples/district.geojson" \
  --level street="$samples/street.geojson" --level community="$samples/community.geojson" \
  --level grid="$samples/grid.geojson" -o "$work/city.gpkg" >/dev/null
awk -F, 'BEGIN { OFS = "," }
  NR == 1 { print; next }
  { ex = $2 - 501800; ey = $3 - 4421300; dx = $2 - 498200; dy = $3 - 4419200
    if (ex * ex + ey * ey < 300 * 300) $4 = 3 * $4
    else if (dx * dx + dy * dy < 250 * 250) $4 = 0
    print }' "$samples/units.csv" > "$work/units_next_year.csv"
"$gridtool" rebalance "$work/city.gpkg" --level grid \
  --units "$work/units_next_year.csv:households" --target 300:500 \
  -o "$work/rebalanced.gpkg" >/dev/null
"$gridtool" render "$work/rebalanced.gpkg" --level grid --color households --labels \
  --compare "$work/city.gpkg" --width 1200 -o "$images/sample_rebalance.png"

if [ -f "$beijing" ]; then
  "$gridtool" import --level district="$beijing:adcode" --crs GCJ-02 --make-valid \
    -o "$work/beijing.gpkg" >/dev/null
  "$gridtool" render "$work/beijing.gpkg" --level district --color none --labels \
    --title "北京市各区" --width 1000 -o "$images/beijing_districts.png"
else
  echo "no $beijing: the Beijing picture is left as it is" >&2
fi
