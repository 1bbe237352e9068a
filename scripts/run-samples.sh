#!/usr/bin/env bash
# The main job on the sample city in data/samples: import the five levels with the roster and
# the duty table, describe the grid set, assign the 100,000 events, print the per-grid summary,
# evaluate how the grids and workers handled them (stats);
# then draw grids afresh: partition the communities by their households along the roads, and
# render the result; then adjust the grids a year later (a new estate, a demolition) with
# rebalance, and draw what changed.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/scripts/install-deps.sh"
"$root/scripts/build.sh" "$root/build" -DLIBGRID_BUILD_TESTS=OFF -DLIBGRID_BUILD_PYTHON=OFF

gridtool="$root/build/tools/gridtool"
samples="$root/data/samples"
out="${LIBGRID_SAMPLES_OUT:-$root/build/samples}"
mkdir -p "$out"

echo "== gridtool import"
"$gridtool" import \
  --level district="$samples/district.geojson" --level street="$samples/street.geojson" \
  --level community="$samples/community.geojson" --level grid="$samples/grid.geojson" \
  --level microgrid="$samples/microgrid.geojson" \
  --roster "$samples/roster.csv" --duty "$samples/duty.csv" --calendar "$samples/calendar.csv" \
  -o "$out/city.gpkg"
echo
echo "== gridtool info"
"$gridtool" info "$out/city.gpkg"
echo
echo "== gridtool assign"
"$gridtool" assign "$out/city.gpkg" --points "$samples/events.csv.gz" -o "$out/events_assigned.csv" \
  --top 0
echo
echo "assigned events: $out/events_assigned.csv"
echo
echo "== gridtool stats (考核: closure, on-time and rework rates per grid, as of the end of October)"
"$gridtool" stats "$out/city.gpkg" --events "$samples/events.csv.gz" --by grid \
  --from 2026-01-01 --to 2026-10-31 -o "$out/stats_grid.csv"
"$gridtool" stats "$out/city.gpkg" --events "$samples/events.csv.gz" --by worker \
  --from 2026-01-01 --to 2026-10-31 --top 3 -o "$out/stats_worker.csv" | tail -n 6
echo
echo "== gridtool partition (communities into grids of 300-500 households, along the roads)"
"$gridtool" import --level district="$samples/district.geojson" \
  --level street="$samples/street.geojson" --level community="$samples/community.geojson" \
  -o "$out/communities.gpkg" >/dev/null
"$gridtool" partition "$out/communities.gpkg" --parent-level community --new-level grid \
  --units "$samples/units.csv:households" --barriers "$samples/roads.geojson" --target 300:500 \
  --limit 10 -o "$out/partitioned.gpkg"
"$gridtool" render "$out/partitioned.gpkg" --level grid --color households \
  -o "$out/partitioned.png"
echo
echo "== gridtool rebalance (a year later: a new estate in the north-east, a demolition in the south-west)"
awk -F, 'BEGIN { OFS = "," }
  NR == 1 { print; next }
  { ex = $2 - 501800; ey = $3 - 4421300; dx = $2 - 498200; dy = $3 - 4419200
    if (ex * ex + ey * ey < 300 * 300) $4 = 3 * $4
    else if (dx * dx + dy * dy < 250 * 250) $4 = 0
    print }' "$samples/units.csv" > "$out/units_next_year.csv"
"$gridtool" rebalance "$out/city.gpkg" --level grid --units "$out/units_next_year.csv:households" \
  --target 300:500 -o "$out/rebalanced.gpkg"
"$gridtool" render "$out/rebalanced.gpkg" --level grid --color households \
  --compare "$out/city.gpkg" -o "$out/rebalanced.png"
