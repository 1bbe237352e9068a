#!/usr/bin/env bash
# gridtool assign against mawk -F, '{print $0",x"}' on the same points file, in one run:
# end-to-end time (best of 3) and peak memory (/usr/bin/time -v), without and with the
# responsibility columns (roster and duty table in the grid set, event class and time in the
# points), plain and gzip'd.
#
#   bench/assign/assign_vs_mawk.sh [BUILD_DIR] [ROWS]      (defaults: build, 10000000)
#
# Grid set: NYC boroughs > community districts from ../shared/data/nyc (skipped with a message
# when absent). Points: uniform in the NYC extent (seeded, so every run reads the same file),
# written to a temporary folder that is removed afterwards (TMPDIR chooses where).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
build="${1:-$root/build}"
rows="${2:-10000000}"
gridtool="$build/tools/gridtool"
nyc="$root/../shared/data/nyc"
for tool in mawk /usr/bin/time gzip "$gridtool"; do
  command -v "$tool" >/dev/null || { echo "missing: $tool (scripts/install-deps.sh, scripts/build.sh)"; exit 1; }
done
[ -d "$nyc" ] || { echo "skipped: $nyc is absent"; exit 0; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# A grid set without and with a roster (one worker and one leader per district) and duty table.
"$gridtool" import --level borough="$nyc/boroughs.geojson:BoroCode" \
  --level district="$nyc/community_districts.geojson:BoroCD" -o "$work/plain.gpkg" >/dev/null
{
  echo "cell_code,role,person_id,name,phone"
  for d in $(grep -o '"BoroCD": [0-9]*' "$nyc/community_districts.geojson" | cut -d' ' -f2); do
    echo "$d,grid_worker,W$d,Worker $d,555-01$d"
    echo "$d,grid_leader,L$d,Leader $d,555-02$d"
  done
} >"$work/roster.csv"
cat >"$work/duty.csv" <<'CSV'
event_class,department,handling_level,deadline,deadline_unit,class_name
01,Sanitation,district,8,working_hours,street cleaning
02,Transportation,borough,2,working_days,road damage
03,Police,district,1,urgent_hours,noise
CSV
"$gridtool" import --level borough="$nyc/boroughs.geojson:BoroCode" \
  --level district="$nyc/community_districts.geojson:BoroCD" --roster "$work/roster.csv" \
  --duty "$work/duty.csv" -o "$work/duty.gpkg" >/dev/null

# Points in lon/lat (the grid set's CRS), about 60 bytes a row.
mawk -v n="$rows" 'BEGIN {
  srand(20261202)
  print "event_id,lon,lat,event_class,reported_at"
  for (i = 1; i <= n; i++) {
    printf "E%d,%.6f,%.6f,0%d,2026-11-%02dT%02d:%02d\n", i, -74.26 + rand() * 0.56,
      40.49 + rand() * 0.43, 1 + int(rand() * 3), 1 + int(rand() * 28), int(rand() * 24),
      int(rand() * 60)
  }
}' >"$work/points.csv"
gzip -1 -c "$work/points.csv" >"$work/points.csv.gz"

# Best of 3: "seconds peak_kB".
measure() {
  local best="" rss=0
  for _ in 1 2 3; do
    /usr/bin/time -f "%e %M" -o "$work/time.txt" "$@" >/dev/null 2>&1
    read -r seconds kb <"$work/time.txt"
    if [ -z "$best" ] || awk -v a="$seconds" -v b="$best" 'BEGIN { exit !(a < b) }'; then best=$seconds; fi
    [ "$kb" -gt "$rss" ] && rss=$kb
  done
  echo "$best $rss"
}

size_mb=$(du -m "$work/points.csv" | cut -f1)
gz_mb=$(du -m "$work/points.csv.gz" | cut -f1)
echo "points: $rows rows, $size_mb MB ($gz_mb MB gzip'd); $(nproc) cores"
read -r mawk_s mawk_kb < <(measure sh -c "mawk -F, '{print \$0\",x\"}' '$work/points.csv' >'$work/mawk.csv'")
read -r mawkgz_s mawkgz_kb < <(measure sh -c "gzip -dc '$work/points.csv.gz' | mawk -F, '{print \$0\",x\"}' | gzip -1 >'$work/mawk.csv.gz'")
printf '%-44s %8s %8s %10s %9s\n' run seconds "x mawk" "M rows/s" "peak MB"
report() {
  local name=$1 seconds=$2 kb=$3 base=$4
  awk -v n="$name" -v s="$seconds" -v kb="$kb" -v b="$base" -v r="$rows" \
    'BEGIN { printf "%-44s %8.2f %8.2f %10.2f %9.0f\n", n, s, s / b, r / s / 1e6, kb / 1024 }'
}
report "mawk" "$mawk_s" "$mawk_kb" "$mawk_s"
for grids in plain duty; do
  read -r s kb < <(measure "$gridtool" assign "$work/$grids.gpkg" --points "$work/points.csv" \
    -o "$work/out.csv" --no-progress)
  report "gridtool assign ($grids)" "$s" "$kb" "$mawk_s"
done
report "gzip -dc | mawk | gzip -1" "$mawkgz_s" "$mawkgz_kb" "$mawkgz_s"
read -r s kb < <(measure "$gridtool" assign "$work/duty.gpkg" --points "$work/points.csv.gz" \
  -o "$work/out.csv.gz" --no-progress)
report "gridtool assign (duty, .gz in and out)" "$s" "$kb" "$mawkgz_s"
