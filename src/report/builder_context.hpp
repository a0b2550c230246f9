// What the parts of build_report share (internal): the states' roll-ups, the protection seam with
// its answers cached (each statistic of each cell is asked about once, so every output shows the
// same answer), and the labels in the report's language.
#pragma once

#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <tuple>
#include <vector>

#include "jamstat/engine/rollup.hpp"
#include "jamstat/report/report_input.hpp"
#include "jamstat/report/report_model.hpp"
#include "texts.hpp"

namespace jamstat::report::detail {

/// The roll-ups of one state, made once per grouping.
class rollup_cache {
 public:
  explicit rollup_cache(const aggregator* a) : aggregator_(a) {}
  const rollup_table& table(std::uint64_t mask);
  const aggregator& state() const noexcept { return *aggregator_; }

 private:
  const aggregator* aggregator_;
  std::map<std::uint64_t, rollup_table> tables_;
};

/// One cell's figures for one statistic family, as asked about and as answered.
struct protected_cell {
  protection_decision count;  ///< family count
  protection_decision family; ///< the asked family (== count for family count)
  const measure_stats* measure = nullptr;  ///< the true statistics of a measure (family measure), else null
  bool present = false;       ///< the cell has participations
  std::uint64_t anonymous = 0;
};

/// The builder's shared state.
class builder_context {
 public:
  builder_context(const report_input& input, report_model& model);

  const report_input& input() const noexcept { return input_; }
  report_model& model() noexcept { return model_; }
  const report_model& model() const noexcept { return model_; }
  const schema& schema_ref() const noexcept { return input_.current->schema_ref(); }
  const texts& text() const noexcept { return texts_for(input_.lang); }
  bool english() const noexcept { return input_.lang == language::en; }
  rollup_cache& state(period_role p) { return p == period_role::previous ? previous_ : current_; }
  bool has_previous() const noexcept { return input_.previous != nullptr; }

  /// The decision for one statistic family of one cell (levels in schema order of the mask's
  /// dimensions), asking the seam the first time.
  protected_cell ask(period_role period, std::uint64_t mask, std::span<const std::uint32_t> levels,
                     statistic_family family, std::size_t index);

  /// Level index of an ISO/IEC 5218 sex code.
  static std::uint32_t sex_level(std::int32_t code);

 private:
  protection_decision decide(period_role period, std::uint64_t mask, std::span<const std::uint32_t> levels,
                             statistic_family family, std::size_t index, const cell_figures& truth);

  const report_input& input_;
  report_model& model_;
  rollup_cache current_;
  rollup_cache previous_;
  using key = std::tuple<int, std::uint64_t, std::vector<std::uint32_t>, int, std::size_t>;
  std::map<key, protection_decision> answers_;
};

/// The dimensions (schema indices) that get a table of their own, in the order given.
std::vector<std::size_t> table_dimensions_of(const report_input& in);

/// The parts of the builder (build_tables.cpp, build_findings.cpp, build_intersectional.cpp).
void build_tables(builder_context& c);
void build_findings(builder_context& c);
void build_heat_map(builder_context& c);
void build_maihda(builder_context& c);
void build_decomposition(builder_context& c);
void build_data_quality(builder_context& c);

/// The statistic columns every table has (persons when counted, participations, per outcome its
/// successes and proportion, per measure its sum, mean and sum per person).
std::vector<statistic_column> standard_columns(const builder_context& c, bool with_anonymous);

/// The values of every statistic column for one cell.
std::vector<shown_value> cell_values(builder_context& c, period_role period, std::uint64_t mask,
                                     std::span<const std::uint32_t> levels, const std::vector<statistic_column>& columns);

/// The Wilson interval of a (possibly perturbed) proportion, in percent.
void wilson_percent(shown_value& v, double successes, double participations, double confidence_level);

}  // namespace jamstat::report::detail
