-- The assign job in PostGIS, run by assign_vs_peers.sh as one psql session: the points CSV on
-- psql's standard input, the assigned rows written to the file named by -v out=FILE, each step's
-- time on standard output. The tables borough and district (code, geom) are loaded beforehand,
-- as cells a database already holds.
\set ON_ERROR_STOP on
\timing on
DROP TABLE IF EXISTS points, hit_borough, hit_district;
\echo 'table and COPY in, geometry made by COPY'
-- The geometry is computed while COPY reads the rows; id keeps the input's order.
CREATE UNLOGGED TABLE points (
  id bigint GENERATED ALWAYS AS IDENTITY,
  event_id text, lon text, lat text, event_class text, reported_at text,
  geom geometry(Point, 4326)
    GENERATED ALWAYS AS (ST_SetSRID(ST_MakePoint(lon::float8, lat::float8), 4326)) STORED
);
\copy points (event_id, lon, lat, event_class, reported_at) from pstdin with (format csv, header true)
\echo 'GiST index, ANALYZE'
CREATE INDEX points_geom ON points USING gist (geom);
ANALYZE points;
-- Driven from the cells: for each cell the index finds the points in its box and ST_Covers tests
-- them against the same cell again and again, so PostGIS prepares its geometry once and reuses it.
\echo 'join borough'
CREATE UNLOGGED TABLE hit_borough AS
  SELECT p.id, c.code FROM borough c JOIN points p ON ST_Covers(c.geom, p.geom);
\echo 'join district'
CREATE UNLOGGED TABLE hit_district AS
  SELECT p.id, c.code FROM district c JOIN points p ON ST_Covers(c.geom, p.geom);
-- ST_Covers gives a point on a shared edge to both cells: keep the lowest code.
\echo 'COPY out, in input order'
\o :out
COPY (
  SELECT p.event_id, p.lon, p.lat, p.event_class, p.reported_at, b.code AS borough,
         d.code AS district
  FROM points p
  LEFT JOIN (SELECT id, min(code) AS code FROM hit_borough GROUP BY id) b ON b.id = p.id
  LEFT JOIN (SELECT id, min(code) AS code FROM hit_district GROUP BY id) d ON d.id = p.id
  ORDER BY p.id
) TO STDOUT WITH (FORMAT csv, HEADER true);
