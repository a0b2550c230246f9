#include "jamstat/disclosure/audit.hpp"

#include <chrono>
#include <cmath>
#include <limits>
#include <string>

#include "attacker.hpp"
#include "audit_impl.hpp"
#include "jamstat/engine/errors.hpp"
#include "quantity.hpp"

namespace jamstat::disclosure {

std::string to_string(audited_quantity q) {
  switch (q) {
    case audited_quantity::persons: return "persons";
    case audited_quantity::participations: return "participations";
    case audited_quantity::successes: return "successes";
    case audited_quantity::failures: return "failures";
    case audited_quantity::measure_sum: return "measure_sum";
  }
  return "unknown";
}

namespace detail {

void check_pattern_shape(const cube& c, const suppression_pattern& p) {
  const std::uint64_t cells = c.cell_count();
  auto fail = [](const std::string& m) { throw usage_error("disclosure: suppression_pattern." + m); };
  if (p.counts.size() != cells)
    fail("counts has " + std::to_string(p.counts.size()) + " statuses, expected " + std::to_string(cells) + " (published cells)");
  if (p.outcomes.size() != c.outcomes()) fail("outcomes must have one status vector per outcome");
  for (const auto& o : p.outcomes)
    if (o.size() != cells) fail("outcomes[...] must have one status per published cell");
  if (p.measures.size() != c.measures()) fail("measures must have one status vector per measure");
  for (const auto& m : p.measures)
    if (m.size() != cells) fail("measures[...] must have one status per published cell");
  for (std::uint64_t k = 0; k < cells; ++k) {
    if (!is_suppressed(p.counts[k])) continue;
    for (const auto& o : p.outcomes)
      if (!is_suppressed(o[k])) fail("outcomes: a statistic of a cell whose count is suppressed must be suppressed too");
    for (const auto& m : p.measures)
      if (!is_suppressed(m[k])) fail("measures: a statistic of a cell whose count is suppressed must be suppressed too");
  }
}

audit_report audit_cube(const cube& c, const sensitivity& s, const suppression_pattern& pattern,
                        const suppression_rules& rules) {
  const auto start = std::chrono::steady_clock::now();
  check_pattern_shape(c, pattern);
  audit_report rep;
  const auto zeros = structural_zeros(c);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  for (const quantity& q : all_quantities(c, zeros)) {
    const linear_system& sys = *q.system;
    std::vector<std::uint64_t> rows;
    std::vector<std::uint32_t> targets;
    std::vector<std::int32_t> target_index(sys.classes(), -1);
    for (std::uint64_t cell = 0; cell < c.cell_count(); ++cell)
      for (std::size_t fn = 0; fn < sys.functionals(); ++fn) {
        const std::uint64_t row = cell * sys.functionals() + fn;
        if (!row_hidden_statistic(q, pattern, row)) continue;
        rows.push_back(row);
        const std::int32_t k = sys.class_of(row);
        if (k >= 0 && target_index[static_cast<std::size_t>(k)] < 0) {
          target_index[static_cast<std::size_t>(k)] = static_cast<std::int32_t>(targets.size());
          targets.push_back(static_cast<std::uint32_t>(k));
        }
      }
    attacker att(sys, shown_classes(q, pattern));
    const auto bounds = att.bounds(targets);
    rep.linear_programs += att.linear_programs();
    for (const std::uint64_t row : rows) {
      const std::uint64_t cell = row / sys.functionals();
      const auto fn = static_cast<functional>(row % sys.functionals());
      const std::int32_t k = sys.class_of(row);
      double lower = 0.0, upper = 0.0;
      if (k >= 0) {
        const interval b = bounds[static_cast<std::size_t>(target_index[static_cast<std::size_t>(k)])];
        lower = b.lower * q.scale;
        upper = b.upper * q.scale;
      }
      const double value = sys.row_value(row) * q.scale;
      double need_lower = nan, need_upper = nan;
      audited_quantity kind = q.kind;
      switch (q.kind) {
        case audited_quantity::persons:
        case audited_quantity::participations:
          if (s.count[cell]) {
            const protection p = frequency_protection(value, rules);
            need_lower = value - p.lower;
            need_upper = value + p.upper;
          }
          break;
        case audited_quantity::successes:
        case audited_quantity::failures: {
          kind = fn == functional::first ? audited_quantity::successes : audited_quantity::failures;
          const group_disclosure gd = s.outcome[q.index][cell];
          if ((gd == group_disclosure::nobody && kind == audited_quantity::successes) ||
              (gd == group_disclosure::everyone && kind == audited_quantity::failures))
            need_upper = value + group_protection(c, cell, rules);
          break;
        }
        case audited_quantity::measure_sum: {
          const protection p = s.measure[q.index][cell];
          if (p.needed()) {
            need_lower = value - p.lower;
            need_upper = value + p.upper;
          }
          break;
        }
      }
      double lo = lower, hi = upper;
      if (q.integer) {
        // An attacker knows counts are integers: the LP bounds round inwards.
        lo = std::ceil(lower - 1e-6);
        hi = std::floor(upper + 1e-6);
      }
      const double tol = q.integer ? 1e-9 : 1e-6 * std::max(1.0, std::abs(value));
      const bool ok = (std::isnan(need_lower) || lo <= need_lower + tol) && (std::isnan(need_upper) || hi >= need_upper - tol);
      const std::size_t g = c.grouping_of(cell);
      rep.quantity.push_back(kind);
      rep.index.push_back(static_cast<std::uint32_t>(q.index));
      rep.grouping.push_back(static_cast<std::uint32_t>(g));
      rep.cell.push_back(cell - c.offsets()[g]);
      rep.value.push_back(value);
      rep.lower.push_back(lower);
      rep.upper.push_back(upper);
      rep.required_lower.push_back(need_lower);
      rep.required_upper.push_back(need_upper);
      rep.protected_enough.push_back(ok ? 1 : 0);
      if (!ok) ++rep.under_protected;
      if (hi - lo <= tol) ++rep.exactly_disclosed;
    }
  }
  rep.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return rep;
}

}  // namespace detail

audit_report audit(const table_set& tables, const suppression_pattern& pattern, const suppression_rules& rules) {
  const detail::cube c(tables);
  return detail::audit_cube(c, detail::find_sensitive(c, rules), pattern, rules);
}

}  // namespace jamstat::disclosure
