// Exact conditional tests of independence: Fisher's test for a 2x2 table (with the conditional
// maximum-likelihood odds ratio and its exact interval) and the Fisher-Freeman-Halton test for an
// r x c table (exact by a network algorithm where the work is bounded, otherwise a seeded Monte-Carlo
// estimate with its standard error). Methods: docs/methods-gap.md, "Contingency tables".
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "jamstat/analysis/estimate.hpp"

namespace jamstat::analysis {

/// Fisher's exact test of a 2x2 table [[a, b], [c, d]] (rows: groups, columns: success/failure).
struct fisher_2x2_result {
  /// Two-sided p: the probabilities of the tables no more likely than the observed one, relative
  /// tolerance 1e-7 (R: fisher.test(matrix(c(a, c, b, d), 2))$p.value).
  double p_value;
  /// The conditional maximum-likelihood odds ratio and its exact conditional interval (R's
  /// fisher.test()$estimate and $conf.int, which R finds with uniroot to about 1e-4; we solve to
  /// full precision). 0 when a is at the bottom of its range, +inf at the top; standard_error NaN.
  estimate odds_ratio;
};

/// Fisher's exact test of [[a, b], [c, d]]. Throws usage_error when the table is empty or the
/// level is not in (0, 1).
fisher_2x2_result fisher_exact_2x2(std::uint64_t a, std::uint64_t b, std::uint64_t c, std::uint64_t d,
                                   double confidence_level = 0.95);

/// Limits and seed of the Fisher-Freeman-Halton test.
struct exact_test_options {
  /// The exact network algorithm gives up after this many steps (one step: one past-probability
  /// entry of a node carried into one child), or does not start when the table could have more
  /// nodes than this; the test then falls back to Monte Carlo.
  std::uint64_t max_exact_steps = 5'000'000;
  /// Monte-Carlo tables drawn when the exact algorithm gives up (R's default is 2,000); the
  /// standard error of p is at most 0.005 with 10,000.
  std::uint64_t replicates = 10'000;
  /// Seed of the Monte-Carlo generator (std::mt19937_64): the same table and seed give the same p.
  std::uint64_t seed = 5218;
};

/// Result of the Fisher-Freeman-Halton test.
struct exact_test_result {
  double p_value;
  /// 0 for an exact p; sqrt(p (1 - p) / replicates) for a Monte-Carlo estimate.
  double standard_error;
  test_method method;  ///< exact or monte_carlo
  std::uint64_t replicates;  ///< 0 when exact
};

/// Fisher-Freeman-Halton exact test of independence of an r x c table of counts (row-major):
/// two-sided p = the total probability (multivariate hypergeometric, margins fixed) of the tables
/// no more likely than the observed one, relative tolerance 1e-7 (R: fisher.test(x)$p.value).
/// Exact by the network algorithm of Mehta & Patel (1983) while the work stays within
/// options.max_exact_steps; otherwise a Monte-Carlo estimate from options.replicates tables drawn
/// with the margins fixed, p = (1 + #{tables no more likely}) / (replicates + 1) as R's
/// fisher.test(simulate.p.value = TRUE). Empty rows and columns are dropped first; a table with
/// fewer than two non-empty rows or columns has p = 1. Throws usage_error when counts.size() is not
/// rows * columns or the table is empty.
exact_test_result fisher_freeman_halton(std::span<const std::uint64_t> counts, std::size_t rows, std::size_t columns,
                                        const exact_test_options& options = {});

}  // namespace jamstat::analysis
