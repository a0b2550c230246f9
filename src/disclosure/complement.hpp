// Internal: the complementary suppressions that protect one sensitive statistic.
//
// Fischetti and Salazar-Gonzalez ("Models and algorithms for optimizing cell suppression in
// tabular data with linear constraints", JASA 2000) protect a sensitive cell in the upper
// direction by exhibiting a second table y >= 0 that agrees with every published value and
// exceeds the cell by its protection level; the cells where y differs from the true table x
// must be suppressed. Any such y is a *certificate*: once the cells where it differs are
// suppressed, an attacker cannot exclude y, so the attacker's interval reaches the cell's value
// in y. Suppressing further cells later only widens the attacker's intervals, so certificates
// stay valid; protection is by construction, and the audit checks it.
//
// Two ways to find a cheap certificate are used:
// - hypercubes (Repsilber's method as in tau-Argus's GHMITER, generalized to linked tables):
//   move the sensitive finest cell by +a, its partners along k dimensions by -a, +a, ... so that
//   every cell of a grouping that does not keep all k dimensions is unchanged; the cells that
//   change must be suppressed. Every 1-, 2- and 3-dimensional cube through the cell is priced
//   and the cheapest is taken (cells already suppressed cost nothing);
// - when no cube fits (the amount is larger than the cells it would take from), the LP of one
//   sensitive cell (Fischetti and Salazar's model of one cell, solved as an LP with CLP):
//
//   minimize   sum_k w_k (p_k + q_k)                       over shown (suppressible) classes k
//   subject to sum_{v in k} (u_v - d_v) - p_k + q_k = 0    every shown class k
//              sum_{v in k} (u_v - d_v)             = 0    every class that must stay shown
//              sum_{v in t} (u_v - d_v)             = +-a  the sensitive class t
//              u_v >= 0, 0 <= d_v <= x_v                   (y = x + u - d >= 0)
//
//   over the variables near the sensitive cell (a restriction of the full model, so its
//   solutions are certificates too), and over all variables if that is infeasible.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "linear_system.hpp"

namespace jamstat::disclosure::detail {

enum class class_state : std::uint8_t {
  hidden = 0,  ///< suppressed: no constraint
  shown = 1,   ///< published, may be suppressed at its cost
  fixed = 2,   ///< published and must stay so (in this pass)
};

/// A certificate: the change of every variable and of every class it moves.
struct certificate {
  std::vector<std::pair<std::uint32_t, double>> variables;  ///< (variable, change)
  std::vector<std::pair<std::uint32_t, double>> classes;    ///< (class, change), non-zero only
  double cost = 0.0;                                        ///< of the shown classes it moves
};

/// Finds a certificate that moves class t by `amount` (> 0 up, < 0 down) while every shown
/// class it moves is suppressible, by the LP above over `variables` (all when empty).
/// `values` are the current variable values. Returns nothing when no such table exists.
std::optional<certificate> complement_lp(const linear_system& sys, const std::vector<class_state>& states,
                                         const std::vector<double>& costs, const std::vector<double>& values,
                                         std::span<const std::uint32_t> variables, std::uint32_t t, double amount,
                                         std::uint64_t& linear_programs);

}  // namespace jamstat::disclosure::detail
