#include "support/address_mixture.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <limits>
#include <random>
#include <sstream>

namespace libgrid::bench {
namespace {

std::vector<std::string> split_csv_head(const std::string& line) {
  // Enough for this file: the columns we read come before the only quoted one (label).
  std::vector<std::string> fields;
  std::stringstream in(line);
  for (std::string f; std::getline(in, f, ',');) fields.push_back(f);
  return fields;
}

}  // namespace

std::optional<AddressMixture> fit_address_mixture(const std::string& csv_path, int components,
                                                  std::uint64_t seed) {
  std::ifstream in(csv_path);
  if (!in) {
    std::printf("no clustered points: %s is absent\n", csv_path.c_str());
    return std::nullopt;
  }
  std::string line;
  std::getline(in, line);
  const auto head = split_csv_head(line);
  const auto column = [&](const char* name) {
    return static_cast<std::size_t>(std::find(head.begin(), head.end(), name) - head.begin());
  };
  const std::size_t lat_col = column("lat"), lon_col = column("lon");
  std::vector<double> u, v;
  while (std::getline(in, line)) {
    const auto f = split_csv_head(line);
    if (f.size() <= std::max(lat_col, lon_col)) continue;
    u.push_back(std::stod(f[lon_col]));
    v.push_back(std::stod(f[lat_col]));
  }
  if (u.empty() || static_cast<int>(u.size()) < components) {
    std::printf("no clustered points: %s has too few addresses\n", csv_path.c_str());
    return std::nullopt;
  }
  // Into the unit square of the addresses' own extent.
  const auto [u_lo, u_hi] = std::minmax_element(u.begin(), u.end());
  const auto [v_lo, v_hi] = std::minmax_element(v.begin(), v.end());
  const double u0 = *u_lo, du = *u_hi - *u_lo, v0 = *v_lo, dv = *v_hi - *v_lo;
  for (auto& x : u) x = (x - u0) / du;
  for (auto& y : v) y = (y - v0) / dv;

  std::vector<std::size_t> order(u.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::mt19937_64 rng(seed);
  std::shuffle(order.begin(), order.end(), rng);

  AddressMixture mixture;
  const auto k = static_cast<std::size_t>(components);
  for (std::size_t c = 0; c < k; ++c) {
    mixture.components.push_back({u[order[c]], v[order[c]], 0.0, 0.0});
  }
  std::vector<double> sum_sq(k, 0.0);
  std::vector<std::size_t> members(k, 0);
  for (std::size_t i = 0; i < u.size(); ++i) {
    std::size_t best = 0;
    double best_d = std::numeric_limits<double>::infinity();
    for (std::size_t c = 0; c < k; ++c) {
      const double du2 = u[i] - mixture.components[c].u, dv2 = v[i] - mixture.components[c].v;
      const double d = du2 * du2 + dv2 * dv2;
      if (d < best_d) best_d = d, best = c;
    }
    sum_sq[best] += best_d;
    ++members[best];
  }
  for (std::size_t c = 0; c < k; ++c) {
    auto& comp = mixture.components[c];
    comp.weight = static_cast<double>(members[c]) / static_cast<double>(u.size());
    // E[d^2] = 2 sigma^2 for an isotropic 2-D Gaussian.
    comp.sigma = std::max(1e-3, std::sqrt(sum_sq[c] / (2.0 * static_cast<double>(members[c]))));
  }
  return mixture;
}

}  // namespace libgrid::bench
