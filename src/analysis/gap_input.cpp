// Validation and storage of the gap report's engine-neutral input.
#include "jamstat/analysis/gap_input.hpp"

#include <cmath>
#include <string>

#include "jamstat/engine/errors.hpp"

namespace jamstat::analysis {

namespace {

void check_sex(std::int32_t sex, const char* function) {
  if (sex != 0 && sex != 1 && sex != 2 && sex != 9) {
    throw usage_error(std::string(function) + ": sex code " + std::to_string(sex) +
                      " is not ISO/IEC 5218; expected 0, 1, 2 or 9");
  }
}

void check_length(std::size_t got, std::size_t expected, const char* function, const char* what) {
  if (got != expected) {
    throw usage_error(std::string(function) + ": " + what + " must have " + std::to_string(expected) +
                      " values (got " + std::to_string(got) + ")");
  }
}

}  // namespace

std::size_t gap_schema::dimension_index(std::string_view name) const {
  std::string known;
  for (std::size_t d = 0; d < dimensions.size(); ++d) {
    if (dimensions[d].name == name) return d;
    known += (d ? ", " : "") + dimensions[d].name;
  }
  throw usage_error("gap report: no dimension named '" + std::string(name) + "'; the dimensions are: " + known);
}

gap_cells::gap_cells(std::size_t dimensions, std::size_t outcomes, std::size_t measures)
    : dimensions_(dimensions), outcomes_(outcomes), measures_(measures) {}

gap_cells::gap_cells(const gap_schema& schema)
    : gap_cells(schema.dimensions.size(), schema.outcomes.size(), schema.measures.size()) {}

void gap_cells::reserve(std::size_t cells) {
  levels_.reserve(cells * dimensions_);
  sex_.reserve(cells);
  participations_.reserve(cells);
  persons_.reserve(cells);
  successes_.reserve(cells * outcomes_);
  moments_.reserve(cells * measures_);
}

void gap_cells::add(std::span<const std::uint32_t> levels, std::int32_t sex, std::uint64_t participations,
                    std::uint64_t persons, std::span<const std::uint64_t> successes,
                    std::span<const measure_moments> measures) {
  const char* f = "gap_cells::add";
  check_length(levels.size(), dimensions_, f, "levels");
  check_length(successes.size(), outcomes_, f, "successes");
  check_length(measures.size(), measures_, f, "measures");
  check_sex(sex, f);
  if (persons != persons_unknown && persons > participations) {
    throw usage_error(std::string(f) + ": persons (" + std::to_string(persons) + ") exceed participations (" +
                      std::to_string(participations) + ")");
  }
  for (std::size_t o = 0; o < successes.size(); ++o) {
    if (successes[o] > participations) {
      throw usage_error(std::string(f) + ": successes of outcome " + std::to_string(o) + " (" +
                        std::to_string(successes[o]) + ") exceed participations (" + std::to_string(participations) +
                        ")");
    }
  }
  for (std::size_t m = 0; m < measures.size(); ++m) {
    const measure_moments& mm = measures[m];
    if (mm.count > participations) {
      throw usage_error(std::string(f) + ": measure " + std::to_string(m) + ": count exceeds participations");
    }
    if (mm.count > 0 && (!std::isfinite(mm.sum) || !std::isfinite(mm.mean))) {
      throw usage_error(std::string(f) + ": measure " + std::to_string(m) + ": sum and mean must be finite");
    }
    if (mm.count >= 2 && !(mm.variance >= 0 && std::isfinite(mm.variance))) {
      throw usage_error(std::string(f) + ": measure " + std::to_string(m) +
                        ": the variance must be finite and non-negative when count >= 2");
    }
  }
  levels_.insert(levels_.end(), levels.begin(), levels.end());
  sex_.push_back(sex);
  participations_.push_back(participations);
  persons_.push_back(persons);
  successes_.insert(successes_.end(), successes.begin(), successes.end());
  moments_.insert(moments_.end(), measures.begin(), measures.end());
}

target_group::target_group(std::vector<std::size_t> dimensions) : dimensions_(std::move(dimensions)) {}

void target_group::add(std::span<const std::uint32_t> levels, std::int32_t sex, std::uint64_t population) {
  check_length(levels.size(), dimensions_.size(), "target_group::add", "levels");
  check_sex(sex, "target_group::add");
  for (std::uint32_t l : levels) {
    if (l == all_levels) throw usage_error("target_group::add: every level must be given (all_levels is not allowed)");
  }
  levels_.insert(levels_.end(), levels.begin(), levels.end());
  sex_.push_back(sex);
  population_.push_back(population);
}

}  // namespace jamstat::analysis
