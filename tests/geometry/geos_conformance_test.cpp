// The GEOS/JTS XML point-vs-polygon cases (../shared/data/peer-tests/geos/) as a conformance check
// of locate(): for each case with a point set and a polygonal area, the DE-9IM matrix is built
// from libgrid's exact point locations and every predicate the case states is checked against it.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "libgrid/error.h"
#include "libgrid/geometry/predicates.h"
#include "libgrid/geometry/wkt.h"
#include "support/test_data.h"

namespace libgrid {
namespace {

std::string between(const std::string& text, const std::string& open, const std::string& close,
                    std::size_t& from) {
  const std::size_t a = text.find(open, from);
  if (a == std::string::npos) return {};
  const std::size_t b = text.find(close, a + open.size());
  from = b + close.size();
  return text.substr(a + open.size(), b - a - open.size());
}

std::string attribute(const std::string& tag, const std::string& name) {
  const std::size_t a = tag.find(name + "=\"");
  if (a == std::string::npos) return {};
  const std::size_t b = tag.find('"', a + name.size() + 2);
  return tag.substr(a + name.size() + 2, b - a - name.size() - 2);
}

std::string trimmed(const std::string& s) {
  const auto a = s.find_first_not_of(" \t\r\n");
  const auto b = s.find_last_not_of(" \t\r\n");
  return a == std::string::npos ? std::string() : s.substr(a, b - a + 1);
}

bool is_points(const std::string& wkt) {
  return wkt.rfind("POINT", 0) == 0 || wkt.rfind("MULTIPOINT", 0) == 0;
}
bool is_area(const std::string& wkt) {
  return wkt.rfind("POLYGON", 0) == 0 || wkt.rfind("MULTIPOLYGON", 0) == 0;
}

bool matches(const std::string& im, const std::string& pattern) {
  for (std::size_t i = 0; i < 9; ++i) {
    const char p = pattern[i];
    const char v = im[i];
    if (p == '*') continue;
    if (p == 'T' && v == 'F') return false;
    if (p == 'F' && v != 'F') return false;
    if (p >= '0' && p <= '2' && v != p) return false;
  }
  return true;
}

// DE-9IM of a point set (first) against an area (second).
std::string point_area_matrix(const std::vector<Point>& points, const MultiPolygon& area) {
  bool interior = false, boundary = false, exterior = false;
  for (Point p : points) {
    switch (locate(area, p)) {
      case PointLocation::kInterior:
        interior = true;
        break;
      case PointLocation::kBoundary:
        boundary = true;
        break;
      case PointLocation::kExterior:
        exterior = true;
        break;
    }
  }
  std::string im = "FFFFFF212";
  im[0] = interior ? '0' : 'F';
  im[1] = boundary ? '0' : 'F';
  im[2] = exterior ? '0' : 'F';
  return im;
}

std::string transpose(const std::string& im) {
  return {im[0], im[3], im[6], im[1], im[4], im[7], im[2], im[5], im[8]};
}

bool any_of(const std::string& im, std::initializer_list<const char*> patterns) {
  for (const char* p : patterns) {
    if (matches(im, p)) return true;
  }
  return false;
}

// Named predicates from the matrix, for dim(A) != dim(B).
bool predicate(const std::string& name, const std::string& im, bool a_is_points) {
  if (name == "intersects") return !matches(im, "FF*FF****");
  if (name == "disjoint") return matches(im, "FF*FF****");
  if (name == "contains") return matches(im, "T*****FF*");
  if (name == "covers") return any_of(im, {"T*****FF*", "*T****FF*", "***T**FF*", "****T*FF*"});
  if (name == "within") return matches(im, "T*F**F***");
  if (name == "coveredBy") return any_of(im, {"T*F**F***", "*TF**F***", "**FT*F***", "**F*TF***"});
  if (name == "touches") return any_of(im, {"FT*******", "F**T*****", "F***T****"});
  if (name == "crosses") return a_is_points ? matches(im, "T*T******") : matches(im, "T*****T**");
  if (name == "overlaps" || name == "equalsTopo") return false;
  ADD_FAILURE() << "unknown predicate " << name;
  return false;
}

TEST(GeosConformance, PointVersusPolygonCases) {
  LIBGRID_REQUIRE_SHARED(folder, "peer-tests/geos");
  int cases = 0, checks = 0;
  for (const auto& entry : std::filesystem::directory_iterator(folder)) {
    if (entry.path().extension() != ".xml") continue;
    std::ifstream in(entry.path());
    std::stringstream buffer;
    buffer << in.rdbuf();
    const std::string xml = buffer.str();
    std::size_t at = 0;
    while (true) {
      const std::string body = between(xml, "<case>", "</case>", at);
      if (body.empty()) break;
      std::size_t pos = 0;
      const std::string desc = trimmed(between(body, "<desc>", "</desc>", pos));
      pos = 0;
      const std::string a = trimmed(between(body, "<a>", "</a>", pos));
      pos = 0;
      const std::string b = trimmed(between(body, "<b>", "</b>", pos));
      const bool a_points = is_points(a);
      if (!((a_points && is_area(b)) || (is_area(a) && is_points(b)))) continue;
      const auto points = parse_wkt_points(a_points ? a : b);
      if (points.empty()) continue;
      const MultiPolygon area = parse_wkt_area(a_points ? b : a);
      const std::string pa = point_area_matrix(points, area);
      const std::string im = a_points ? pa : transpose(pa);
      ++cases;
      std::size_t op_at = 0;
      while (true) {
        const std::size_t open = body.find("<op", op_at);
        if (open == std::string::npos) break;
        const std::size_t tag_end = body.find('>', open);
        const std::size_t close = body.find("</op>", tag_end);
        const std::string tag = body.substr(open, tag_end - open);
        const std::string expected = trimmed(body.substr(tag_end + 1, close - tag_end - 1));
        op_at = close;
        const std::string name = attribute(tag, "name");
        ASSERT_EQ(attribute(tag, "arg1"), "A");
        const bool want = expected == "true";
        const bool got =
            name == "relate" ? matches(im, attribute(tag, "arg3")) : predicate(name, im, a_points);
        EXPECT_EQ(got, want) << entry.path().filename() << ": " << desc << ": " << name << " "
                             << attribute(tag, "arg3") << " (matrix " << im << ")";
        ++checks;
      }
    }
  }
  EXPECT_GE(cases, 60);
  EXPECT_GE(checks, 300);
  std::cout << "GEOS conformance: " << cases << " point/polygon cases, " << checks
            << " predicate checks\n";
}

}  // namespace
}  // namespace libgrid
