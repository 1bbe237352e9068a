#include "libgrid/geometry/wkt.h"

#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>

#include "internal/text.h"
#include "libgrid/error.h"

namespace libgrid {
namespace {

class WktReader {
 public:
  explicit WktReader(std::string_view text) : text_(text) {}

  [[noreturn]] void fail(const std::string& what) const {
    throw Error(ErrorKind::kInvalidInput, "WKT: " + what + " at offset " + std::to_string(pos_) +
                                              " in '" + std::string(text_.substr(0, 60)) +
                                              (text_.size() > 60 ? "...'" : "'"));
  }

  void skip_space() {
    while (pos_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[pos_]))) ++pos_;
  }

  std::string word() {
    skip_space();
    const std::size_t start = pos_;
    while (pos_ < text_.size() && std::isalpha(static_cast<unsigned char>(text_[pos_]))) ++pos_;
    return std::string(text_.substr(start, pos_ - start));
  }

  bool peek(char c) {
    skip_space();
    return pos_ < text_.size() && text_[pos_] == c;
  }

  void expect(char c) {
    if (!peek(c)) fail(std::string("expected '") + c + "'");
    ++pos_;
  }

  // EMPTY after a type name, or an opening parenthesis.
  bool empty_or_open() {
    skip_space();
    const std::size_t save = pos_;
    if (internal::iequals(word(), "EMPTY")) return true;
    pos_ = save;
    expect('(');
    return false;
  }

  // An EMPTY member of a multi-geometry, as in MULTIPOINT (EMPTY, (1 2)).
  bool empty_element() {
    skip_space();
    const std::size_t save = pos_;
    if (internal::iequals(word(), "EMPTY")) return true;
    pos_ = save;
    return false;
  }

  double number() {
    skip_space();
    double value = 0.0;
    const char* first = text_.data() + pos_;
    const auto [end, ec] = std::from_chars(first, text_.data() + text_.size(), value);
    if (ec != std::errc() || !std::isfinite(value)) fail("expected a finite number");
    pos_ += static_cast<std::size_t>(end - first);
    return value;
  }

  Point point() {
    Point p{number(), number()};
    skip_space();
    // Z or M values are read and ignored.
    while (pos_ < text_.size() && text_[pos_] != ',' && text_[pos_] != ')') number();
    return p;
  }

  Ring ring() {
    expect('(');
    Ring r{point()};
    while (peek(',')) {
      ++pos_;
      r.push_back(point());
    }
    expect(')');
    return r;
  }

  Polygon polygon_body() {
    Polygon polygon;
    polygon.rings.push_back(ring());
    while (peek(',')) {
      ++pos_;
      polygon.rings.push_back(ring());
    }
    expect(')');
    return polygon;
  }

  void finish() {
    skip_space();
    if (pos_ != text_.size()) fail("unexpected text after the geometry");
  }

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
};

void append_number(std::string& out, double v) {
  char buffer[32];
  const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, v);
  out.append(buffer, end);
}

}  // namespace

MultiPolygon parse_wkt_area(std::string_view wkt) {
  WktReader reader(wkt);
  const std::string type = reader.word();
  MultiPolygon area;
  if (internal::iequals(type, "POLYGON")) {
    if (!reader.empty_or_open()) area.polygons.push_back(reader.polygon_body());
  } else if (internal::iequals(type, "MULTIPOLYGON")) {
    if (!reader.empty_or_open()) {
      do {
        if (reader.empty_element()) continue;
        reader.expect('(');
        area.polygons.push_back(reader.polygon_body());
      } while (reader.peek(',') && (reader.expect(','), true));
      reader.expect(')');
    }
  } else {
    reader.fail("expected POLYGON or MULTIPOLYGON");
  }
  reader.finish();
  return area;
}

std::vector<Point> parse_wkt_points(std::string_view wkt) {
  WktReader reader(wkt);
  const std::string type = reader.word();
  std::vector<Point> points;
  if (internal::iequals(type, "POINT")) {
    if (!reader.empty_or_open()) {
      points.push_back(reader.point());
      reader.expect(')');
    }
  } else if (internal::iequals(type, "MULTIPOINT")) {
    if (!reader.empty_or_open()) {
      do {
        if (reader.empty_element()) continue;
        const bool wrapped = reader.peek('(');
        if (wrapped) reader.expect('(');
        points.push_back(reader.point());
        if (wrapped) reader.expect(')');
      } while (reader.peek(',') && (reader.expect(','), true));
      reader.expect(')');
    }
  } else {
    reader.fail("expected POINT or MULTIPOINT");
  }
  reader.finish();
  return points;
}

std::string to_wkt(Point p) {
  std::string out = "POINT (";
  append_number(out, p.x);
  out += ' ';
  append_number(out, p.y);
  out += ')';
  return out;
}

std::string to_wkt(const MultiPolygon& area) {
  if (area.empty()) return "MULTIPOLYGON EMPTY";
  std::string out = "MULTIPOLYGON (";
  for (std::size_t i = 0; i < area.polygons.size(); ++i) {
    out += i ? ", (" : "(";
    const auto& rings = area.polygons[i].rings;
    for (std::size_t r = 0; r < rings.size(); ++r) {
      out += r ? ", (" : "(";
      for (std::size_t k = 0; k < rings[r].size(); ++k) {
        if (k) out += ", ";
        append_number(out, rings[r][k].x);
        out += ' ';
        append_number(out, rings[r][k].y);
      }
      out += ')';
    }
    out += ')';
  }
  out += ')';
  return out;
}

}  // namespace libgrid
