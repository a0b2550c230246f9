// Internal: one additive quantity over the finest cells as the linear system an attacker knows.
//
// Every finest cell has K non-negative components: K = 1 for counts and sums; K = 2 for an
// outcome, (successes, participations) with successes <= participations in every finest cell
// ("ordered"). A row is one (published cell, component); its value is the component summed over
// the cell's finest cells. Rows over the same set of variables are the same linear function,
// so they are merged into one *class*: an attacker who knows one member knows them all, and
// suppression treats a class as one unit.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "cube.hpp"

namespace jamstat::disclosure::detail {

class linear_system {
 public:
  /// `values`: finest index * components + component. `structural_zero[f]` marks finest cells
  /// known to be empty whatever is suppressed (they lie in a published empty cell, and empty
  /// cells are never suppressed); their components are not variables.
  linear_system(const cube& c, std::size_t components, std::vector<double> values,
                const std::vector<std::uint8_t>& structural_zero, bool ordered);

  const cube& grid() const noexcept { return *cube_; }
  std::size_t components() const noexcept { return components_; }
  /// Component 0 <= component 1 in every finest cell (an outcome's successes and participations).
  bool ordered() const noexcept { return ordered_; }
  std::uint64_t row_of(std::uint64_t cell, std::size_t component) const noexcept { return cell * components_ + component; }

  std::size_t variables() const noexcept { return var_finest_.size(); }
  std::uint64_t variable_finest(std::size_t v) const noexcept { return var_finest_[v]; }
  std::size_t variable_component(std::size_t v) const noexcept { return var_component_[v]; }
  double variable_value(std::size_t v) const noexcept { return var_value_[v]; }
  /// The variable of component k of finest cell f, or -1 (a structural zero).
  std::int32_t variable_of(std::uint64_t f, std::size_t k) const noexcept { return var_of_[f * components_ + k]; }

  /// The class of a row, or -1 when the row has no variables (its value is 0 whatever happens).
  std::int32_t class_of(std::uint64_t row) const noexcept { return row_class_[row]; }
  std::size_t classes() const noexcept { return class_value_.size(); }
  std::span<const std::uint32_t> class_variables(std::size_t k) const noexcept {
    return {class_vars_.data() + class_var_start_[k], class_var_start_[k + 1] - class_var_start_[k]};
  }
  std::span<const std::uint64_t> class_rows(std::size_t k) const noexcept {
    return {class_rows_.data() + class_row_start_[k], class_row_start_[k + 1] - class_row_start_[k]};
  }
  /// The true value of the class's linear function.
  double class_value(std::size_t k) const noexcept { return class_value_[k]; }
  /// The value of a row (0 for a row without variables).
  double row_value(std::uint64_t row) const noexcept {
    const std::int32_t k = row_class_[row];
    return k < 0 ? 0.0 : class_value_[static_cast<std::size_t>(k)];
  }
  /// Classes containing each variable.
  std::span<const std::uint32_t> variable_classes(std::size_t v) const noexcept {
    return {var_classes_.data() + var_class_start_[v], var_class_start_[v + 1] - var_class_start_[v]};
  }

 private:
  const cube* cube_;
  std::size_t components_;
  bool ordered_;
  std::vector<std::uint64_t> var_finest_;
  std::vector<std::uint8_t> var_component_;
  std::vector<double> var_value_;
  std::vector<std::int32_t> var_of_;
  std::vector<std::int32_t> row_class_;
  std::vector<double> class_value_;
  std::vector<std::size_t> class_var_start_, class_row_start_, var_class_start_;
  std::vector<std::uint32_t> class_vars_, var_classes_;
  std::vector<std::uint64_t> class_rows_;
};

/// Finest cells that lie in a published cell without participations.
std::vector<std::uint8_t> structural_zeros(const cube& c);

}  // namespace jamstat::disclosure::detail
