// Internal: the attacker's linear program. Knowing every shown class's value and that every
// variable is non-negative, what interval can the attacker derive for a hidden class?
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "linear_system.hpp"

namespace jamstat::disclosure::detail {

struct interval {
  double lower = 0.0;
  double upper = 0.0;
};

class attacker {
 public:
  /// `shown[k]` = the attacker knows class k's value.
  attacker(const linear_system& sys, const std::vector<std::uint8_t>& shown);

  /// The exact LP interval of every class in `targets` (in that order). First the variables the
  /// shown values determine are fixed (empty shown classes, then shown classes with one unknown
  /// variable left, repeatedly). A bound is then proven either by an LP or, without one, by a
  /// feasible table (a previous LP's solution) that attains a trivial bound: 0 below, and above
  /// the smallest shown value of a class containing the target (or the sum of its variables'
  /// such bounds).
  std::vector<interval> bounds(std::span<const std::uint32_t> targets);

  std::uint64_t linear_programs() const noexcept { return linear_programs_; }

 private:
  const linear_system* sys_;
  std::vector<std::uint8_t> shown_;
  std::vector<double> fixed_;         // per variable: value when fixed, NaN when unknown
  std::vector<std::int32_t> column_;  // per variable: LP column or -1
  std::vector<double> class_rest_;    // per class: value minus its fixed variables
  std::uint64_t linear_programs_ = 0;
};

}  // namespace jamstat::disclosure::detail
