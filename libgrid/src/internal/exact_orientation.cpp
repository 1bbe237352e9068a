#include "internal/exact_orientation.h"

#include <array>
#include <cstddef>

namespace libgrid::internal {
namespace {

// x + y = sum + error exactly (Knuth's two-sum).
inline void two_sum(double x, double y, double& sum, double& error) {
  sum = x + y;
  const double virtual_y = sum - x;
  const double virtual_x = sum - virtual_y;
  error = (x - virtual_x) + (y - virtual_y);
}

// Adds `value` to a nonoverlapping expansion kept in increasing magnitude (Shewchuk's
// Grow-Expansion with zero elimination). The sum stays exact.
template <std::size_t N>
void grow(std::array<double, N>& terms, std::size_t& count, double value) {
  double carry = value;
  std::size_t kept = 0;
  for (std::size_t i = 0; i < count; ++i) {
    double sum, error;
    two_sum(carry, terms[i], sum, error);
    if (error != 0.0) terms[kept++] = error;
    carry = sum;
  }
  if (carry != 0.0) terms[kept++] = carry;
  count = kept;
}

}  // namespace

int exact_orientation_slow(Point a, Point b, Point c) {
  // (bx-ax)(cy-ay) - (by-ay)(cx-ax), expanded so that no subtraction is rounded:
  // bx*cy - bx*ay - ax*cy - by*cx + by*ax + ay*cx   (the ax*ay terms cancel).
  const double products[6][2] = {{b.x, c.y},  {-b.x, a.y}, {-a.x, c.y},
                                 {-b.y, c.x}, {b.y, a.x},  {a.y, c.x}};
  std::array<double, 12> terms{};
  std::size_t count = 0;
  for (const auto& pq : products) {
    const double product = pq[0] * pq[1];
    const double error = std::fma(pq[0], pq[1], -product);  // exact low part
    grow(terms, count, product);
    grow(terms, count, error);
  }
  if (count == 0) return 0;
  // The largest nonzero term of a nonoverlapping expansion carries the sign of the sum.
  return terms[count - 1] > 0.0 ? 1 : -1;
}

}  // namespace libgrid::internal
