// The protection seam of a report: every statistic a report publishes is passed through the
// caller's disclosure control before it is shown, and the report says how it was protected.
//
// The report layer does not protect anything itself. It asks, for every statistic of every cell
// it publishes, "may I show this, and what value?" through report_protection::cells, and for every
// finding of the gap analysis through report_protection::findings. Disclosure control (cell
// suppression, the cell key method) answers. A report built without an answer is refused unless
// the caller explicitly asks for an internal, unprotected report, which is then labelled "För
// internt bruk" / "For internal use only" in every output.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <string_view>

#include "jamstat/analysis/finding.hpp"
#include "jamstat/analysis/gap_input.hpp"

namespace jamstat::report {

/// How a statistic is shown. The first four values are those of disclosure control
/// (jamstat::disclosure::cell_status) with the same numbers; `internal` marks statistics of an
/// internal, unprotected report. Values are stable (exported in CSV and JSON by name).
enum class cell_status : std::uint8_t {
  published = 0,  ///< shown as computed
  primary = 1,    ///< suppressed (`..`): the cell itself is sensitive
  secondary = 2,  ///< suppressed (`..`): hidden so that a sensitive cell cannot be computed
  perturbed = 3,  ///< shown with noise (cell key method); parts need not add up to totals
  internal = 4,   ///< shown as computed, unprotected: the report is for internal use only
};

/// True for the statuses shown as `..`.
constexpr bool is_suppressed(cell_status s) noexcept {
  return s == cell_status::primary || s == cell_status::secondary;
}

/// Stable name of a status as written in CSV and JSON ("published", "primary", "secondary",
/// "perturbed", "internal").
std::string_view to_string(cell_status s) noexcept;

/// The more protective of two statuses (primary > secondary > perturbed > internal > published):
/// the status of a statistic derived from two others, e.g. a proportion from a count and an
/// outcome.
cell_status combine(cell_status a, cell_status b) noexcept;

/// The families of statistics of a cell (as jamstat::disclosure::statistic_family). A statistic
/// derived from a cell (a proportion, a mean, an interval) takes the status of its family there.
enum class statistic_family : std::uint8_t {
  count = 0,    ///< persons and participations
  outcome = 1,  ///< successes of one outcome, its proportion and interval
  measure = 2,  ///< sum of one numeric measure, its mean, interval and sum per person
};

/// Which state a cell comes from.
enum class period_role : std::uint8_t { current = 0, previous = 1 };

/// The figures of one cell for one statistic family. `amount` is the successes of the outcome
/// (family outcome), the sum of the measure (family measure), NaN for family count. `persons`
/// equals `participations` when the state does not count persons.
struct cell_figures {
  double persons = 0.0;
  double participations = 0.0;
  double amount = 0.0;
};

/// One question to disclosure control: may this statistic of this cell be shown?
struct protection_query {
  period_role period = period_role::current;
  /// The cell's grouping: bit d set = schema dimension d kept (bit 0 = sex); 0 = the total.
  std::uint64_t grouping_mask = 0;
  /// Level index (position in dimension::levels()) of every kept dimension, in schema order (sex
  /// first when kept): rollup_cell::levels of the grouping.
  std::span<const std::uint32_t> levels;
  statistic_family family = statistic_family::count;
  std::size_t index = 0;  ///< the outcome or measure (0 for family count)
  cell_figures figures;   ///< the true figures (empty cells are asked about too, with zeros)
};

/// The answer: the status, and the figures to show (the true ones, or perturbed ones that replace
/// them; ignored when the status suppresses). Derived statistics are computed from what is shown,
/// so that they agree with the published counts: the proportion as the outcome family's shown
/// amount / the count family's shown participations, the sum per person as the measure family's
/// shown amount / the count family's shown persons, the mean as the shown amount / the measure's
/// number of values (the roll-up's own mean when not perturbed).
struct protection_decision {
  cell_status status = cell_status::published;
  cell_figures shown;
};

/// Disclosure control of cells: called once per (cell, statistic family) that a report publishes.
using cell_protection = std::function<protection_decision(const protection_query&)>;

/// Disclosure control of findings: the status of one finding of the gap analysis (gap report or
/// strata table) in period `period` (a change finding is asked about once, with period current).
/// The report combines it with the statuses of the cells the finding's figures are read from (the
/// women's and men's cells of its grouping, in each period it describes), so a finding resting on
/// a suppressed cell is suppressed with it whatever this returns; this decides what the cells
/// cannot: adjusted findings rest on strata (see findings_resting_on_fewer_than).
using finding_protection = std::function<cell_status(const analysis::finding&)>;

/// How a report is protected.
struct report_protection {
  /// Required unless internal_use_only.
  cell_protection cells;
  /// Optional: without it, findings take the statuses of the cells they are read from only.
  finding_protection findings;
  /// What protection was applied, in Swedish and English ("Celler med färre än 5 personer är
  /// undertryckta ..."): printed in every output.
  analysis::bilingual note;
  /// An internal, unprotected report: the callbacks are not called, every statistic has status
  /// internal, and every output is labelled "För internt bruk" / "For internal use only".
  bool internal_use_only = false;
};

/// An internal, unprotected report's protection (internal_use_only set, a note saying so).
report_protection internal_use_only();

/// A finding rule: primary suppression of every finding that rests on a (stratum x sex) cell with
/// fewer than `persons` persons (finding::smallest_cell_persons; participations where persons are
/// not counted), as the frequency rule of cell suppression applies to cells. Use the threshold of
/// the cell rule.
finding_protection findings_resting_on_fewer_than(std::uint64_t persons);

}  // namespace jamstat::report
