// The perturbation table (ptable) of the cell key method: how a count is changed, given a cell key.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace jamstat::disclosure {

/// Parameters of a count ptable, as Destatis's R package ptable (create_cnt_ptable) names them.
/// Defaults and their reasons are in docs/disclosure.md.
struct ptable_parameters {
  /// D: the largest change of a count (|perturbed - original| <= D).
  std::uint32_t max_deviation = 5;
  /// V: the variance of the change, for counts large enough to reach it (unbiased: mean 0).
  double variance = 3.0;
  /// js: no count is published as 1..js (a positive count becomes 0 or more than js); 0 turns
  /// the rule off.
  std::uint32_t small_count_threshold = 2;
};

/// One transition of a ptable row: original count i becomes `perturbed` with `probability`.
/// A cell key k in [lower, upper) selects it (upper - lower = probability).
struct ptable_transition {
  std::uint64_t perturbed = 0;
  double probability = 0.0;
  double lower = 0.0;
  double upper = 0.0;
};

/// A count perturbation table. Row i (i = 0 .. last_row()) gives the distribution of the
/// perturbed value of an original count i; every count above last_row() uses the last row
/// shifted by (count - last_row()) (all rows from D + js + 1 on are the same symmetric
/// distribution). Zero stays zero.
class perturbation_table {
 public:
  /// Generates the table by maximum entropy, as ptable's pt_optim_entropy: each row i is the
  /// distribution on the allowed values j (|j - i| <= D, j >= 0, j = 0 or j > js) with mean i
  /// (unbiased), variance V, and the largest entropy, p_j proportional to exp(a (j-i) + b (j-i)^2)
  /// with a and b from Newton's method on the convex dual. Rows that cannot have variance V (small
  /// counts next to the blocked range 1..js) get the feasible variance nearest to V, kept 5% of the
  /// feasible range inside it (docs/disclosure.md). Throws usage_error for D = 0, V not in
  /// (0, D^2), or js >= 1000.
  static perturbation_table generate(const ptable_parameters& parameters = {});

  /// Reads a table from CSV text with a header naming at least the columns i, j and p (the
  /// layout of ptable's pt_export and of tau-Argus's ptable files; other columns are ignored),
  /// one row per transition. Throws usage_error (saying which line and what was expected) unless
  /// rows 0..last are all present, each row's probabilities are in [0, 1] and sum to 1 within
  /// 1e-9, row 0 is 0 -> 0 with probability 1, and the last row is a shift-invariant
  /// distribution of changes. The parameters are read back from the table (D, V of the last row,
  /// js as the largest value no row produces).
  static perturbation_table from_csv(std::string_view text);
  /// The table as CSV: i,j,p,v,p_int_lb,p_int_ub (v = j - i), as ptable writes it.
  std::string to_csv() const;

  /// The perturbed value of `count` for a cell key in [0, 1).
  std::uint64_t perturb(std::uint64_t count, double cell_key) const noexcept;

  const ptable_parameters& parameters() const noexcept { return parameters_; }
  std::uint64_t last_row() const noexcept { return rows_.size() - 1; }
  /// The transitions of row i (i <= last_row()), by perturbed value ascending.
  const std::vector<ptable_transition>& row(std::uint64_t i) const { return rows_.at(i); }
  /// Mean and variance of the change j - i in row i.
  double mean_change(std::uint64_t i) const;
  double variance_of_change(std::uint64_t i) const;

 private:
  explicit perturbation_table(ptable_parameters p, std::vector<std::vector<ptable_transition>> rows);
  ptable_parameters parameters_;
  std::vector<std::vector<ptable_transition>> rows_;
};

/// The default count ptable: generate() with the default ptable_parameters (D = 5, V = 3, js = 2).
perturbation_table default_ptable();

}  // namespace jamstat::disclosure
