// The Beidou grid location code (北斗网格位置码) of GB/T 39409-2020, two-dimensional, levels 1–10.
//
// CELLS. Longitude and latitude in degrees of CGCS2000 (x = lon, y = lat). Level 1 is the
// 1:1,000,000 map sheet, 6° × 4°; every further level splits its parent's cell into a fixed number
// of columns × rows:
//
//   level  cell            split of the parent  characters (longitude first, then latitude)
//   1      6° × 4°         —                    N|S, column 01–60, row A–V
//   2      30′ × 30′       12 × 8               column 0–9A–B, row 0–7
//   3      15′ × 10′       2 × 3                one digit 0–5 = 2 × row + column
//   4      1′ × 1′         15 × 10              column 0–9A–E, row 0–9
//   5      4″ × 4″         15 × 15              column 0–9A–E, row 0–9A–E
//   6      2″ × 2″         2 × 2                one digit 0–3 = 2 × row + column
//   7–10   1/4″, 1/32″,    8 × 8 each           column 0–7, row 0–7
//          1/256″, 1/2048″
//
// so a level-N code has 4, 6, 7, 9, 11, 12, 14, 16, 18 or 20 characters, and the code of a cell
// starts with the code of the cell holding it one level up. Letters are upper case.
//
// NUMBERING. Level 1: N for the northern hemisphere, S for the southern; the column counts 6°
// strips east from 180°W (01 = 180°W–174°W, 31 = 0°–6°E, 60 = 174°E–180°); the row counts 4° bands
// away from the equator (A = 0°–4°, V = 84°–88°, north or south). Levels 2–10 count columns and
// rows from the parent's corner nearest to the equator and the prime meridian (the standard's
// 定位角点), away from them: in the eastern hemisphere columns run west → east, in the western one
// east → west; in the northern hemisphere rows run south → north, in the southern one north →
// south. The four hemispheres are mirror images, so 116°18′45.37″W 39°59′35.38″S codes as
// S11J47539B8255346152, the mirror of the worked example below.
//
// BOUNDARIES. A point exactly on a grid line belongs to the cell on the side away from the
// equator and the prime meridian (the cell whose corner nearest to them is on the line), at every
// level: the standard's ⌊(|L| − L₀)/ΔL⌋, ⌊(|B| − B₀)/ΔB⌋. Points on the equator are N, points on
// the prime meridian are east (column 31); 180°E is the same meridian as 180°W and codes in column
// 01. The decision is exact: coordinates are converted to whole units of 1/2048″ (the level-10
// cell) with an exact floor, so no answer depends on rounding.
//
// GRID LINES. Those of level N lie at the exact multiples of beidou_step(N) from 180°W in
// longitude and from the equator in latitude (every step is a whole number of 1/2048″ and divides
// the 6° × 4° level-1 cell), so a caller may draw them as straight lines; beidou_lon_line and
// beidou_lat_line give the double nearest to each.
//
// Not covered: the polar caps |latitude| >= 88°, which the standard codes separately (its
// section 5.3), the three-dimensional code, reference and short codes. Such points are refused.
//
// WHAT WAS VERIFIED, AND WHERE. The cell sizes, splits, character sets and code lengths agree in
// the open-source implementations Gvitech-gis/beidou-grid-location-codec (src/data.ts,
// src/codec-2d.ts) and ywx001/BeidouGridCodec (BeiDouGridConstants, BeiDouGridEncoder), and in the
// level table of a published ArcGIS Pro Beidou grid generator write-up (jishuzhan.net/article/
// 1820687358471704577). The level-1 rules are those of the international 1:1,000,000 map sheet
// (columns 1–60 east from 180°, rows A–V of 4° from the equator, S/N prefix; e.g. Beijing,
// 114°–120°E 36°–40°N, is sheet J-50, here N50J). Worked example (the standard's own point,
// 116°18′45.37″E 39°59′35.38″N): level 8 N50J47539B825534 with its cell box, from the ST_asBGC /
// ST_BGC2Box examples of a PostGIS-style grid extension manual (地理网格模型功能与接口文档); level
// 10 N50J47539B8255346152 in Gvitech-gis/beidou-grid-location-codec's tests. The mirror rule for
// the other hemispheres is Gvitech-gis's reading ("from level 2 all hemispheres are treated
// symmetrically to the north-east"), which the S11J… code above follows; ywx001/BeidouGridCodec
// instead relabels some sub-codes per hemisphere. The standard's figures for the other
// hemispheres could not be read here; the mirror rule is the one followed. Where implementations
// disagree on points exactly on a line (level 1 in the western hemisphere takes ⌊L/6°⌋ + 31 in
// both, which gives a 6° meridian to the cell east of it and breaks nesting with the finer
// levels' |L| rule), the away-from-origin rule is applied at every level so that cells nest.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "libgrid/geometry/box.h"
#include "libgrid/geometry/point.h"

namespace libgrid {

inline constexpr int kBeidouMinLevel = 1, kBeidouMaxLevel = 10;
// Latitudes at or beyond this (north or south) are the polar caps, not coded here.
inline constexpr double kBeidouMaxLatitude = 88.0;

struct BeidouStep {
  double lon_degrees;
  double lat_degrees;
};

// The cell size of a level, in degrees (the double nearest to the exact size). Throws
// Error(kInvalidInput) outside 1..10.
BeidouStep beidou_step(int level);

// Characters in a code of the level: 4, 6, 7, 9, 11, 12, 14, 16, 18, 20. Throws
// Error(kInvalidInput) outside 1..10.
std::size_t beidou_code_length(int level);

// The code of the level-`level` cell holding the point (x = longitude, y = latitude, degrees).
// Throws Error(kInvalidInput) for a level outside 1..10, a coordinate not finite, a longitude
// outside [-180, 180] or a latitude outside (-88, 88).
std::string beidou_code(Point lon_lat, int level);

// The longitude/latitude box a code names (each side the double nearest to the exact line).
// Throws Error(kInvalidInput) with beidou_code_problem's reason for a malformed code.
Box beidou_bounds(std::string_view code);

// The level of a well-formed code; Error(kInvalidInput) for a malformed one.
int beidou_level(std::string_view code);

// Why `code` is not a well-formed Beidou grid code, or nullopt when it is: its length, the
// hemisphere letter, the level-1 column and row, and every later character against its level's
// range.
std::optional<std::string> beidou_code_problem(std::string_view code);

// The n-th level-`level` grid line east of 180°W (a longitude) and north of the equator (a
// latitude; n < 0 for the south), as the double nearest to the exact value. Throws
// Error(kInvalidInput) for a level outside 1..10.
double beidou_lon_line(int level, std::int64_t n);
double beidou_lat_line(int level, std::int64_t n);

}  // namespace libgrid
