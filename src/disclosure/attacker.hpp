// Internal: the attacker's linear program. Knowing every shown class's value and that every
// variable is non-negative (and successes <= participations in every finest cell), what
// interval can the attacker derive for a hidden statistic?
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

/// A statistic as classes: the value of class `plus` minus that of class `minus` (-1 = none).
/// An outcome's failures in a cell are its participations class minus its successes class.
struct statistic {
  std::int32_t plus = -1;
  std::int32_t minus = -1;
};

class attacker {
 public:
  /// `shown[k]` = the attacker knows class k's value.
  attacker(const linear_system& sys, const std::vector<std::uint8_t>& shown);

  /// The exact LP interval of every statistic in `targets` (in that order). First the variables
  /// the shown values determine are fixed (empty shown classes, then shown classes with one
  /// unknown variable left, repeatedly) and shown classes that are the sum of shown finer cells
  /// are dropped (they add nothing); the rest is reduced and split into independent components
  /// (reduced_lp.hpp), and each bound is an LP over the components the statistic touches.
  std::vector<interval> bounds(std::span<const statistic> targets);

  std::uint64_t linear_programs() const noexcept { return linear_programs_; }

 private:
  const linear_system* sys_;
  std::vector<std::uint8_t> shown_;
  std::vector<double> fixed_;         // per variable: value when fixed, NaN when unknown
  std::vector<std::int32_t> column_;  // per variable: its own LP column, or -1 when fixed
  // Per variable: its value as LP columns plus a constant. An outcome's participations are
  // columns of successes and failures (participations - successes >= 0), so that
  // successes <= participations needs no constraint rows.
  struct expression {
    std::int32_t col[2] = {-1, -1};
    double constant = 0.0;
  };
  std::vector<expression> expr_;
  std::vector<double> col_lower_, col_upper_;
  std::vector<double> class_rest_;    // per class: value minus its fixed variables
  std::vector<std::uint8_t> redundant_;  // per class: implied by shown finer classes
  std::uint64_t linear_programs_ = 0;
};

}  // namespace jamstat::disclosure::detail
