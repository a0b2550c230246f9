#include "jamstat/disclosure/audit.hpp"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <map>
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
    // Every hidden statistic of this quantity, as classes; equal ones are bounded once.
    struct hidden_row {
      std::uint64_t cell;
      audited_quantity kind;
      std::size_t target;
    };
    std::vector<hidden_row> hidden;
    std::vector<statistic> targets;
    std::map<std::pair<std::int32_t, std::int32_t>, std::size_t> seen;
    auto add = [&](std::uint64_t cell, audited_quantity kind, statistic st) {
      auto [it, fresh] = seen.try_emplace({st.plus, st.minus}, targets.size());
      if (fresh) targets.push_back(st);
      hidden.push_back({cell, kind, it->second});
    };
    for (std::uint64_t cell = 0; cell < c.cell_count(); ++cell) {
      const std::int32_t first = sys.class_of(sys.row_of(cell, 0));
      switch (q.kind) {
        case audited_quantity::persons:
        case audited_quantity::participations:
          if (is_suppressed(pattern.counts[cell])) add(cell, q.kind, {first, -1});
          break;
        case audited_quantity::successes:
        case audited_quantity::failures: {
          // An outcome hidden while the count is shown; in a cell whose count is hidden only
          // the statistic the group-disclosure rule protects (the rest is the count's).
          if (!is_suppressed(pattern.outcomes[q.index][cell])) break;
          const bool count_shown = !is_suppressed(pattern.counts[cell]);
          const group_disclosure gd = s.outcome[q.index][cell];
          if (count_shown || gd == group_disclosure::nobody) add(cell, audited_quantity::successes, {first, -1});
          if (count_shown || gd == group_disclosure::everyone)
            add(cell, audited_quantity::failures, {sys.class_of(sys.row_of(cell, 1)), first});
          break;
        }
        case audited_quantity::measure_sum:
          if (is_suppressed(pattern.measures[q.index][cell]) &&
              (!is_suppressed(pattern.counts[cell]) || s.measure[q.index][cell].needed()))
            add(cell, q.kind, {first, -1});
          break;
      }
    }
    const auto t0 = std::chrono::steady_clock::now();
    attacker att(sys, shown_classes(q, pattern));
    std::vector<statistic> real_targets;
    std::vector<std::int64_t> real_index(targets.size(), -1);
    for (std::size_t i = 0; i < targets.size(); ++i)
      if (targets[i].plus >= 0) {
        real_index[i] = static_cast<std::int64_t>(real_targets.size());
        real_targets.push_back(targets[i]);
      }
    const auto bounds = att.bounds(real_targets);
    rep.linear_programs += att.linear_programs();
    if (std::getenv("JAMSTAT_DISCLOSURE_TRACE"))
      std::fprintf(stderr, "audit kind=%d index=%zu classes=%zu targets=%zu lps=%llu %.3f s\n", static_cast<int>(q.kind), q.index,
                   sys.classes(), real_targets.size(), static_cast<unsigned long long>(att.linear_programs()),
                   std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    for (const hidden_row& h : hidden) {
      const std::uint64_t cell = h.cell;
      double lower = 0.0, upper = 0.0;
      if (real_index[h.target] >= 0) {
        const interval b = bounds[static_cast<std::size_t>(real_index[h.target])];
        lower = b.lower * q.scale;
        upper = b.upper * q.scale;
      }
      const statistic& st = targets[h.target];
      const double value = ((st.plus >= 0 ? sys.class_value(static_cast<std::size_t>(st.plus)) : 0.0) -
                            (st.minus >= 0 ? sys.class_value(static_cast<std::size_t>(st.minus)) : 0.0)) * q.scale;
      double need_lower = nan, need_upper = nan;
      switch (h.kind) {
        case audited_quantity::persons:
        case audited_quantity::participations:
          if (s.count[cell]) {
            const protection p = frequency_protection(value, rules);
            need_lower = value - p.lower;
            need_upper = value + p.upper;
          }
          break;
        case audited_quantity::successes:
          if (s.outcome[q.index][cell] == group_disclosure::nobody) need_upper = value + group_protection(c, cell, rules);
          break;
        case audited_quantity::failures:
          if (s.outcome[q.index][cell] == group_disclosure::everyone) need_upper = value + group_protection(c, cell, rules);
          break;
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
      rep.quantity.push_back(h.kind);
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
