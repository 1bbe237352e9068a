#include "partition/cell_layout.h"

#include <map>
#include <numeric>
#include <utility>

#include "partition/contiguity.h"

namespace libgrid::internal {
namespace {

class UnitsLayout final : public CellLayout {
 public:
  explicit UnitsLayout(std::vector<ParentPlan> plans) : plans_(std::move(plans)) {}

  void add_cut_lines(std::vector<std::vector<Point>>& lines) const override {
    for (const ParentPlan& plan : plans_) {
      lines.insert(lines.end(), plan.cuts.begin(), plan.cuts.end());
    }
  }

  // The part of the plan's block holding each face's inside point.
  std::vector<int> cells_of_faces(std::size_t p, const FaceSet& faces) override {
    const ParentPlan& plan = plans_[p];
    std::vector<int> cell;
    for (std::size_t f = faces.first_of_parent[p]; f < faces.first_of_parent[p + 1]; ++f) {
      cell.push_back(plan.part.empty() ? 0 : plan.part[plan.locator->locate(faces.inside[f])]);
    }
    return cell;
  }

  void make_contiguous(const FaceSet& faces, const std::vector<double>& face_weight,
                       std::vector<int>& part) const override {
    make_parts_contiguous(faces, face_weight, part);
  }

  CellBand band(std::size_t p, const std::vector<double>&) const override {
    return {plans_[p].min_part, plans_[p].max_part};
  }

  void name_cell(std::size_t, std::size_t, Cell&) const override {}

  // The plan's reasons, or a shortfall of cells.
  std::vector<std::string> parent_shortfalls(std::size_t p, std::size_t formed) const override {
    const ParentPlan& plan = plans_[p];
    if (!plan.reasons.empty()) return plan.reasons;
    if (static_cast<int>(formed) < plan.parts) {
      return {"only " + std::to_string(formed) + " of " + std::to_string(plan.parts) +
              " cells could be formed: too few blocks"};
    }
    return {};
  }

  bool explains_out_of_band() const override { return true; }

  std::string summary_name() const override { return "libgrid"; }

 private:
  std::vector<ParentPlan> plans_;
};

class LatticeLayout final : public CellLayout {
 public:
  LatticeLayout(Lattice lattice, PartitionMethod method)
      : lattice_(std::move(lattice)), method_(method) {}

  void add_cut_lines(std::vector<std::vector<Point>>& lines) const override {
    lines.insert(lines.end(), lattice_.lines.begin(), lattice_.lines.end());
  }

  // The lattice cell holding each face's inside point, numbered in the order first met.
  std::vector<int> cells_of_faces(std::size_t p, const FaceSet& faces) override {
    std::map<std::string, int> by_name;
    std::vector<int> cell;
    for (std::size_t f = faces.first_of_parent[p]; f < faces.first_of_parent[p + 1]; ++f) {
      const auto [it, added] =
          by_name.try_emplace(lattice_.cell_of(faces.inside[f]), static_cast<int>(by_name.size()));
      cell.push_back(it->second);
    }
    if (names_.size() <= p) names_.resize(p + 1);
    names_[p].resize(by_name.size());
    for (const auto& [name, k] : by_name) names_[p][static_cast<std::size_t>(k)] = name;
    return cell;
  }

  void make_contiguous(const FaceSet&, const std::vector<double>&,
                       std::vector<int>&) const override {}

  // The parent's mean: its cells as even as can be.
  CellBand band(std::size_t, const std::vector<double>& weight) const override {
    if (weight.empty()) return {};
    const double mean =
        std::accumulate(weight.begin(), weight.end(), 0.0) / static_cast<double>(weight.size());
    return {mean, mean};
  }

  void name_cell(std::size_t p, std::size_t k, Cell& cell) const override {
    if (method_ != PartitionMethod::kBeidou) return;
    cell.name = names_[p][k];
    cell.attributes.push_back({"beidou_code", names_[p][k]});
  }

  std::vector<std::string> parent_shortfalls(std::size_t, std::size_t) const override { return {}; }

  bool explains_out_of_band() const override { return false; }

  std::string summary_name() const override { return "libgrid " + std::string(to_string(method_)); }

 private:
  Lattice lattice_;
  PartitionMethod method_;
  std::vector<std::vector<std::string>> names_;  // per parent and cell: its lattice cell's name
};

}  // namespace

std::unique_ptr<CellLayout> units_layout(std::vector<ParentPlan> plans) {
  return std::make_unique<UnitsLayout>(std::move(plans));
}

std::unique_ptr<CellLayout> lattice_layout(Lattice lattice, PartitionMethod method) {
  return std::make_unique<LatticeLayout>(std::move(lattice), method);
}

}  // namespace libgrid::internal
