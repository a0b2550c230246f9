// Internal: the complementary suppressions that protect one sensitive class.
//
// Fischetti and Salazar-Gonzalez ("Models and algorithms for optimizing cell suppression in
// tabular data with linear constraints", JASA 2000) protect a sensitive cell in the upper
// direction by exhibiting a second table y >= 0 that agrees with every published value and
// exceeds the cell by its protection level; the cells where y differs from the true table x
// must be suppressed. For one sensitive cell and direction the cheapest such y (cost = the
// suppressed cells' weights times |y - x|) is a linear program:
//
//   minimize   sum_k w_k (p_k + q_k)                       over shown (suppressible) classes k
//   subject to sum_{v in k} (u_v - d_v) - p_k + q_k = 0    every shown class k
//              sum_{v in k} (u_v - d_v)             = 0    every class that must stay shown
//              sum_{v in t} (u_v - d_v)             = +-a  the sensitive class t
//              u_v >= 0, 0 <= d_v <= x_v                   (y = x + u - d >= 0)
//
// Every shown class with p_k + q_k > 0 is then suppressed, so y agrees with every value that
// stays published: an attacker cannot exclude y, whose value of t is x_t +- a. Protection is
// therefore by construction; suppressing further cells later only widens the attacker's
// intervals. This is the LP heuristic of tau-Argus's "Modular" and sdcTable's approach without
// the integer master problem: the support of an LP vertex instead of an optimal 0-1 pattern.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "linear_system.hpp"

namespace jamstat::disclosure::detail {

class linear_program;

class complement {
 public:
  enum class state : std::uint8_t {
    hidden = 0,  ///< suppressed: no constraint
    shown = 1,   ///< published, may be suppressed at its cost
    fixed = 2,   ///< published and must stay so (in this pass)
  };
  complement(const linear_system& sys, std::vector<state> states, std::vector<double> costs);
  ~complement();

  /// Makes hidden class t movable by `amount` (> 0 up, < 0 down): hides the classes the LP
  /// finds and returns them; `moved[k]` receives every class's change in the certificate table
  /// (kept for later certificates). Returns false when no such table exists (the amount is
  /// larger than the non-negativity and the fixed classes allow).
  bool protect(std::uint32_t t, double amount, std::vector<std::uint32_t>& hidden_now, std::vector<double>& moved);

  /// Marks a class hidden (suppressed by another pass).
  void hide(std::uint32_t k);
  state class_state(std::uint32_t k) const noexcept { return states_[k]; }
  std::uint64_t linear_programs() const noexcept { return linear_programs_; }

 private:
  const linear_system* sys_;
  std::vector<state> states_;
  std::vector<double> costs_;
  std::unique_ptr<linear_program> lp_;
  std::uint64_t linear_programs_ = 0;
};

}  // namespace jamstat::disclosure::detail
