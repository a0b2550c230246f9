// Adjusting many p-values at once: Benjamini-Hochberg q-values (false discovery rate) and Holm's
// step-down adjusted p-values (family-wise error). As R's p.adjust: NaN p-values stay NaN and do
// not count among the tests.
#pragma once

#include <span>
#include <vector>

namespace jamstat::analysis {

/// Benjamini & Hochberg (1995) adjusted p-values, q_(i) = min_{j >= i} min(1, m p_(j) / j)
/// (R: p.adjust(p, "BH")). q.size() must equal p.size() (usage_error otherwise); p and q may be
/// the same span. p-values outside [0, 1] are a usage_error.
void benjamini_hochberg(std::span<const double> p, std::span<double> q);
std::vector<double> benjamini_hochberg(std::span<const double> p);

/// Holm (1979) adjusted p-values, p~_(i) = max_{j <= i} min(1, (m - j + 1) p_(j)) (R: p.adjust(p, "holm")).
void holm(std::span<const double> p, std::span<double> adjusted);
std::vector<double> holm(std::span<const double> p);

}  // namespace jamstat::analysis
