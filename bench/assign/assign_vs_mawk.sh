#!/usr/bin/env bash
# gridtool assign against mawk -F, '{print $0",x"}' on the same points file, in one run:
# end-to-end time (best of 5) and peak memory (/usr/bin/time -v), without and with the
# responsibility columns (roster and duty table in the grid set, event class and time in the
# points), with the index built at start-up and loaded from a file saved by build-index, with
# the output past the page cache (the default for a file this size) and through it, plain and
# gzip'd, and with the points through a pipe. Each row is timed by turns with the mawk command
# it is compared to, so that the machine's speed drifting over the minutes of the run tilts no
# ratio. Every try writes new files (the previous ones are removed before it, outside the
# timing); one more duty row writes over its previous output, as a re-run does, beside mawk
# writing over its own. The disk's own time for the duty output's bytes (dd with oflag=direct)
# is the floor for the runs that bypass the page cache.
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

# The grid sets (plain.gpkg, duty.gpkg) and the points, as in the other assign benchmarks.
source "$root/bench/assign/nyc_inputs.sh"
make_nyc_grid_sets "$gridtool" "$nyc" "$work"
for grids in plain duty; do "$gridtool" build-index "$work/$grids.gpkg" -o "$work/$grids.lgi" >/dev/null; done
make_nyc_points "$rows" "$work/points.csv"
gzip -1 -c "$work/points.csv" >"$work/points.csv.gz"

source "$root/bench/assign/measure.sh"

size_mb=$(du -m "$work/points.csv" | cut -f1)
gz_mb=$(du -m "$work/points.csv.gz" | cut -f1)
echo "points: $rows rows, $size_mb MB ($gz_mb MB gzip'd); $(nproc) cores"
export fresh="$work/mawk.csv $work/mawk.csv.gz $work/out.csv $work/out.csv.gz $work/floor.bin"
runs=5
mawk_cmd="mawk -F, '{print \$0\",x\"}' '$work/points.csv' >'$work/mawk.csv'"
mawkgz_cmd="gzip -dc '$work/points.csv.gz' | mawk -F, '{print \$0\",x\"}' | gzip -1 >'$work/mawk.csv.gz'"
read -r mawk_s mawk_kb < <(measure "$runs" /dev/null /dev/null sh -c "$mawk_cmd")
printf '%-56s %8s %8s %8s %10s %9s\n' run seconds "mawk s" "x mawk" "M rows/s" "peak MB"
report() {
  local name=$1 seconds=$2 kb=$3 base=$4
  awk -v n="$name" -v s="$seconds" -v kb="$kb" -v b="$base" -v r="$rows" \
    'BEGIN { printf "%-56s %8.2f %8.2f %8.2f %10.2f %9.0f\n", n, s, b, s / b, r / s / 1e6, kb / 1024 }'
}
report "mawk" "$mawk_s" "$mawk_kb" "$mawk_s"
# Every other row is timed by turns with the mawk run it is compared to ("mawk s": its best
# of the runs taken alongside).
by_turns() {
  local name=$1 base=$2
  shift 2
  read -r s kb base_s < <(measure_by_turns "$runs" "$base" /dev/null /dev/null "$@")
  report "$name" "$s" "$kb" "$base_s"
}
for grids in plain duty; do
  by_turns "gridtool assign ($grids)" "$mawk_cmd" "$gridtool" assign "$work/$grids.gpkg" \
    --points "$work/points.csv" -o "$work/out.csv" --no-progress
  by_turns "gridtool assign ($grids, --index)" "$mawk_cmd" "$gridtool" assign "$work/$grids.gpkg" \
    --points "$work/points.csv" --index "$work/$grids.lgi" -o "$work/out.csv" --no-progress
  # The output through the page cache, as before assign bypassed it for large files.
  by_turns "gridtool assign ($grids, --index, --direct-io never)" "$mawk_cmd" "$gridtool" assign \
    "$work/$grids.gpkg" --points "$work/points.csv" --index "$work/$grids.lgi" -o "$work/out.csv" \
    --no-progress --direct-io never
done
# Each writing over its previous output, as a re-run does: replacing a large file frees its
# blocks (mawk's when its shell truncates the file, assign's when the new one is renamed over
# it).
mawk -F, '{print $0",x"}' "$work/points.csv" >"$work/mawk.csv"  # there to be written over
"$gridtool" assign "$work/duty.gpkg" --points "$work/points.csv" --index "$work/duty.lgi" \
  -o "$work/out.csv" --no-progress >/dev/null
fresh="" by_turns "gridtool assign (duty, --index, over its last output)" "$mawk_cmd" \
  "$gridtool" assign "$work/duty.gpkg" --points "$work/points.csv" --index "$work/duty.lgi" \
  -o "$work/out.csv" --no-progress
# The points through a pipe (-p -), as from a decompressor or another machine.
by_turns "gridtool assign (duty, --index, points through a pipe)" "$mawk_cmd" sh -c \
  "cat '$work/points.csv' | '$gridtool' assign '$work/duty.gpkg' -p - --index '$work/duty.lgi' \
  -o '$work/out.csv' --no-progress"
# The floor: the duty output's bytes written past the page cache by dd, 4 MB at a time.
"$gridtool" assign "$work/duty.gpkg" --points "$work/points.csv" --index "$work/duty.lgi" \
  -o "$work/out.csv" --no-progress >/dev/null
blocks=$(( ($(stat -c %s "$work/out.csv") + 4194303) / 4194304 ))
by_turns "dd oflag=direct of the duty output's size ($((blocks * 4)) MB)" "$mawk_cmd" \
  dd if=/dev/zero of="$work/floor.bin" bs=4M count="$blocks" oflag=direct
read -r mawkgz_s mawkgz_kb < <(measure "$runs" /dev/null /dev/null sh -c "$mawkgz_cmd")
report "gzip -dc | mawk | gzip -1" "$mawkgz_s" "$mawkgz_kb" "$mawkgz_s"
by_turns "gridtool assign (duty, .gz in and out)" "$mawkgz_cmd" "$gridtool" assign \
  "$work/duty.gpkg" --points "$work/points.csv.gz" -o "$work/out.csv.gz" --no-progress
