# Inputs shared by the assign benchmarks (sourced, not run): the NYC grid sets and the points.

# make_nyc_grid_sets GRIDTOOL NYC_DIR WORK: WORK/plain.gpkg, boroughs > community districts
# (2 code columns), and WORK/duty.gpkg, the same with a roster (one worker and one leader per
# district) and a duty table of three event classes.
make_nyc_grid_sets() {
  local gridtool=$1 nyc=$2 work=$3
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
}

# make_nyc_points ROWS FILE: points uniform in the NYC extent in lon/lat (the grid sets' CRS),
# seeded, so the same ROWS always give the same file; about 48 bytes a row, columns event_id,
# lon, lat, event_class, reported_at.
make_nyc_points() {
  mawk -v n="$1" 'BEGIN {
    srand(20261202)
    print "event_id,lon,lat,event_class,reported_at"
    for (i = 1; i <= n; i++) {
      printf "E%d,%.6f,%.6f,0%d,2026-11-%02dT%02d:%02d\n", i, -74.26 + rand() * 0.56,
        40.49 + rand() * 0.43, 1 + int(rand() * 3), 1 + int(rand() * 28), int(rand() * 24),
        int(rand() * 60)
    }
  }' >"$2"
}
