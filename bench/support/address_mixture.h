// A Gaussian mixture fitted to real street addresses, to draw points clustered the way
// households are (dense centres, sparse edges, empty gaps) over any dataset's extent.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace libgrid::bench {

// Components live in the unit square: the addresses' own lon/lat extent scaled to [0, 1]^2, so
// the mixture maps onto another extent by the same affine scaling (aspect ratio not kept).
struct AddressMixture {
  struct Component {
    double u = 0.0, v = 0.0;  // centre
    double sigma = 0.0;       // isotropic standard deviation
    double weight = 0.0;      // share of the addresses, sums to 1 over components
  };
  std::vector<Component> components{};
};

// The fit: `components` addresses drawn at random (seeded) become the centres; every address
// joins its nearest centre (one k-means assignment step); a component's weight is its share of
// the addresses and its sigma the RMS per-axis spread of its addresses about the centre
// (floored at 0.1% of the extent so a lone address still spreads). Reads the CSV's "lat" and
// "lon" columns. nullopt, with a printed message, when the file is absent or has no points.
std::optional<AddressMixture> fit_address_mixture(const std::string& csv_path, int components,
                                                  std::uint64_t seed);

}  // namespace libgrid::bench
