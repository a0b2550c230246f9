// The gap report's handle (internal to the C ABI): shared by the gap report and the strata tables.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "jamstat/analysis/gap_report.hpp"

struct jamstat_gap_report {
  std::uint32_t magic;
  jamstat::analysis::gap_report report;
  // The columns of jamstat_findings, built with the report.
  struct sex_arrays {
    std::vector<std::uint64_t> persons, participations;
    std::vector<double> base, amount, estimate, lower, upper, standard_error;
  };
  std::vector<std::int32_t> kind, period, status, adjusted, subject, subject_level, grouping_dimension, grouping_level, effect,
      method, persons_exact;
  std::vector<std::uint64_t> adjusted_for, persons, participations, smallest_cell_persons;
  sex_arrays women, men, not_known, not_applicable;
  std::vector<double> difference, difference_lower, difference_upper, difference_standard_error, ratio, ratio_lower, ratio_upper,
      ratio_log_standard_error, odds_ratio, odds_ratio_lower, odds_ratio_upper, odds_ratio_log_standard_error, statistic, df,
      p_value, q_value, holm_p_value, homogeneity_p_value, monte_carlo_standard_error;
  std::vector<const char*> what_sv, what_en, grouping_sv, grouping_en, adjusted_for_sv, adjusted_for_en, period_label, verdict_sv,
      verdict_en;
  // A strata report's strata (jamstat_gap_report_strata); empty otherwise.
  std::vector<std::size_t> strata_dimensions;
  std::vector<std::vector<std::uint32_t>> strata_levels;
  std::vector<const std::uint32_t*> strata_level_ptrs;
  std::vector<std::string> strata_label_sv, strata_label_en;
  std::vector<const char*> strata_label_sv_ptrs, strata_label_en_ptrs;
};

namespace jamstat::c_api {

inline constexpr std::uint32_t gap_report_magic = 0x4A534752;  // "JSGR"

/// Fills the report's column arrays from its findings.
void build_finding_columns(jamstat_gap_report& r);

}  // namespace jamstat::c_api

