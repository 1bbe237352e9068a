#!/usr/bin/env bash
# The whole assign job, points CSV in and a code per level out, by libgrid and its peers on the
# same points file and the same grid set, in one run:
#   - gridtool assign, plain (2 code columns) and duty (with the roster and duty columns);
#   - GeoPandas: read_csv, points_from_xy, sjoin(predicate="within") per level, to_csv
#     (geopandas_assign.py, /usr/bin/python3);
#   - PostGIS: a throwaway server in a temporary folder, COPY in, point geometry, GiST index,
#     ANALYZE, a join per level on ST_Covers driven from the cells, COPY out (postgis_assign.sql);
#   - mawk -F, '{print $0",x"}', reading and writing the same lines: the floor.
# Wall seconds and peak memory (largest single process) from GNU time; then every peer's codes
# are compared with libgrid's, row by row (compare_assign.py).
#
#   bench/assign/assign_vs_peers.sh [BUILD_DIR] [ROWS]      (defaults: build, 2000000)
#
# mawk and gridtool are timed best of LIBGRID_BENCH_RUNS (3), GeoPandas and PostGIS best of
# LIBGRID_BENCH_PEER_RUNS (1). Needs LIBGRID_WITH_BENCH=1 scripts/install-deps.sh (mawk, GNU time,
# python3-rtree, PostgreSQL with PostGIS) and a Release build. Grid set: NYC boroughs > community
# districts from ../shared/data/nyc (skipped with a message when absent). Points: uniform in the
# NYC extent, seeded (bench/assign/nyc_inputs.sh), written to a temporary folder removed
# afterwards (TMPDIR chooses where). Run as root, the database server runs as the user postgres.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
here="$root/bench/assign"
build="${1:-$root/build}"
rows="${2:-2000000}"
runs="${LIBGRID_BENCH_RUNS:-3}"
peer_runs="${LIBGRID_BENCH_PEER_RUNS:-1}"
gridtool="$build/tools/gridtool"
nyc="$root/../shared/data/nyc"
python=/usr/bin/python3
pg_bin="${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}"

for tool in mawk /usr/bin/time ogr2ogr "$python" "$gridtool" "$pg_bin/initdb" "$pg_bin/postgres" \
  "$pg_bin/psql"; do
  command -v "$tool" >/dev/null || {
    echo "missing: $tool (LIBGRID_WITH_BENCH=1 scripts/install-deps.sh, scripts/build.sh)"
    exit 1
  }
done
"$python" -c 'import geopandas, rtree' 2>/dev/null || {
  echo "missing: GeoPandas with rtree for $python (LIBGRID_WITH_BENCH=1 scripts/install-deps.sh)"
  exit 1
}
[ -d "$nyc" ] || { echo "skipped: $nyc is absent"; exit 0; }

# PostgreSQL refuses to run as root: the server and psql then run as the user postgres, which
# Debian's postgresql packages create.
as_db=()
if [ "$(id -u)" -eq 0 ]; then
  id postgres >/dev/null 2>&1 || { echo "missing: the user postgres (postgresql-common)"; exit 1; }
  as_db=(runuser -u postgres --)
fi
as_db_user() { "${as_db[@]}" "$@"; }

work="$(mktemp -d)"
chmod 755 "$work"
pg="$work/pg"
cleanup() {
  if [ -f "$pg/data/postmaster.pid" ]; then
    as_db_user "$pg_bin/pg_ctl" -D "$pg/data" stop -m immediate -w >/dev/null 2>&1 || true
  fi
  wait
  rm -rf "$work"
}
trap cleanup EXIT

source "$here/nyc_inputs.sh"
make_nyc_grid_sets "$gridtool" "$nyc" "$work"
make_nyc_points "$rows" "$work/points.csv"

# A database server for this run only: its own folder, its own socket folder, no TCP.
mkdir "$pg"
cp "$here/postgis_assign.sql" "$pg/"
[ "$(id -u)" -eq 0 ] && chown -R postgres "$pg"
as_db_user "$pg_bin/initdb" -D "$pg/data" -U bench --auth=trust -E UTF8 --no-sync >/dev/null
port=54329
# GNU time around the server gives the largest of its processes (the session's backend).
as_db_user /usr/bin/time -f %M -o "$pg/server_kb" "$pg_bin/postgres" -D "$pg/data" -k "$pg" \
  -c listen_addresses= -c port=$port -c fsync=off -c synchronous_commit=off \
  -c full_page_writes=off -c work_mem=64MB -c maintenance_work_mem=256MB >"$pg/server.log" 2>&1 &
psql_cmd=("${as_db[@]}" env PGOPTIONS="-c client_min_messages=warning" "$pg_bin/psql" -X -q -h "$pg" -p $port -U bench -d postgres -v ON_ERROR_STOP=1)
psql() { "${psql_cmd[@]}" "$@"; }
for _ in $(seq 60); do
  as_db_user "$pg_bin/pg_isready" -q -h "$pg" -p $port && break
  sleep 0.5
done
psql -c 'CREATE EXTENSION postgis' >/dev/null
# The cells, as a database holding them would have them (not timed).
for level in borough district; do
  ogr2ogr -f PGDump /vsistdout/ "$work/plain.gpkg" "$level" -nln "$level" -select code \
    -nlt MULTIPOLYGON -lco GEOMETRY_NAME=geom -lco SRID=4326 -lco FID=fid | psql >/dev/null
done
psql -c 'ANALYZE borough; ANALYZE district' >/dev/null

source "$here/measure.sh"

size_mb=$(du -m "$work/points.csv" | cut -f1)
echo "points: $rows rows, $size_mb MB; $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f", $2 / 1048576 }' /proc/meminfo) GiB"
echo "peers: $(mawk -W version 2>&1 | head -n 1);" \
  "$("$python" -c 'import geopandas, shapely; print("GeoPandas", geopandas.__version__, "Shapely", shapely.__version__, "GEOS", ".".join(map(str, shapely.geos.geos_version)))')"
echo "       $(psql -At -c "SELECT split_part(version(), ' on ', 1) || ', PostGIS ' || postgis_lib_version() || ', GEOS ' || postgis_geos_version()")"

read -r mawk_s mawk_kb < <(measure "$runs" "$work/mawk.csv" /dev/null \
  mawk -F, '{print $0",x"}' "$work/points.csv")
read -r plain_s plain_kb < <(measure "$runs" /dev/null "$work/plain.log" \
  "$gridtool" assign "$work/plain.gpkg" --points "$work/points.csv" -o "$work/libgrid.csv" --no-progress)
read -r duty_s duty_kb < <(measure "$runs" /dev/null "$work/duty.log" \
  "$gridtool" assign "$work/duty.gpkg" --points "$work/points.csv" -o "$work/libgrid_duty.csv" --no-progress)
read -r gp_s gp_kb < <(measure "$peer_runs" /dev/null "$work/geopandas.log" \
  "$python" "$here/geopandas_assign.py" "$work/plain.gpkg" "$work/points.csv" "$work/geopandas.csv")
read -r pg_s pg_kb < <(stdin="$work/points.csv" measure "$peer_runs" "$work/postgis_steps.log" \
  "$work/postgis.log" "${psql_cmd[@]}" -v out="$pg/postgis.csv" -f "$pg/postgis_assign.sql")

# ST_Covers counts a point on a shared edge in both cells: how many did, and the join's plan.
covers_twice() {
  psql -At -c "SELECT (SELECT count(*) - count(DISTINCT id) FROM hit_borough) || ' ' ||
    (SELECT count(*) - count(DISTINCT id) FROM hit_district)"
}
read -r twice_b twice_d < <(covers_twice)
plan=$(psql -c 'EXPLAIN (COSTS OFF) SELECT p.id, c.code FROM district c JOIN points p ON ST_Covers(c.geom, p.geom)')

# Not timed: every distinct vertex of the districts, points exactly on cell boundaries, through
# libgrid and both peers, to compare how each decides them.
"$python" "$here/vertex_points.py" "$work/plain.gpkg" district "$work/vertices.csv"
"$gridtool" assign "$work/plain.gpkg" --points "$work/vertices.csv" -o "$work/libgrid_vertices.csv" \
  --no-progress >/dev/null 2>&1
"$python" "$here/geopandas_assign.py" "$work/plain.gpkg" "$work/vertices.csv" \
  "$work/geopandas_vertices.csv" 2>/dev/null
psql -v out="$pg/postgis_vertices.csv" -f "$pg/postgis_assign.sql" <"$work/vertices.csv" >/dev/null
read -r vtwice_b vtwice_d < <(covers_twice)
as_db_user "$pg_bin/pg_ctl" -D "$pg/data" stop -m fast -w >/dev/null
wait
server_kb=$(cat "$pg/server_kb")

echo
printf '%-40s %8s %10s %9s %10s %8s\n' run seconds "M rows/s" "peak MB" "x libgrid" "x mawk"
report() {
  awk -v n="$1" -v s="$2" -v kb="$3" -v lib="$plain_s" -v m="$mawk_s" -v r="$rows" \
    'BEGIN { if (s < 0.01) s = 0.01; if (m < 0.01) m = 0.01  # GNU time reports 0.00 below 5 ms
      printf "%-40s %8.2f %10.3f %9.0f %10.2f %8.2f\n", n, s, r / s / 1e6, kb / 1024, s / lib, s / m }'
}
report "mawk -F, '{print \$0\",x\"}'" "$mawk_s" "$mawk_kb"
report "gridtool assign, plain" "$plain_s" "$plain_kb"
report "gridtool assign, duty" "$duty_s" "$duty_kb"
report "GeoPandas sjoin within" "$gp_s" "$gp_kb"
report "PostGIS ST_Covers (psql; server below)" "$pg_s" "$pg_kb"
awk -v kb="$server_kb" 'BEGIN { printf "%-40s %8s %10s %9.0f\n", "  PostGIS server, largest process", "", "", kb / 1024 }'

echo
echo "GeoPandas steps (seconds):"
sed 's/^/  /' "$work/geopandas.log"
echo "PostGIS steps (psql \\timing):"
sed -n '/^table and COPY in/,$p' "$work/postgis_steps.log" | sed 's/^/  /'
echo "PostGIS plan of a join:"
echo "$plan" | sed 's/^/  /'
echo "ST_Covers put $twice_b points in two boroughs, $twice_d in two districts (lowest code kept)"

echo
echo "The codes, row by row:"
status=0
"$python" "$here/compare_assign.py" "$work/plain.gpkg" "$work/libgrid.csv" \
  GeoPandas="$work/geopandas.csv" PostGIS="$pg/postgis.csv" || status=1
echo
echo "Every district vertex ($(($(wc -l <"$work/vertices.csv") - 1)) points, each on a cell boundary; ST_Covers" \
  "put $vtwice_b in two boroughs, $vtwice_d in two districts):"
"$python" "$here/compare_assign.py" "$work/plain.gpkg" "$work/libgrid_vertices.csv" \
  GeoPandas="$work/geopandas_vertices.csv" PostGIS="$pg/postgis_vertices.csv" || status=1
exit $status
