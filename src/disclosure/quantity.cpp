#include "quantity.hpp"

#include <algorithm>

namespace jamstat::disclosure::detail {

quantity make_quantity(const cube& c, audited_quantity kind, std::size_t index, const std::vector<std::uint8_t>& zeros) {
  quantity q;
  q.kind = kind;
  q.index = index;
  std::vector<double> values;
  std::size_t components = 1;
  switch (kind) {
    case audited_quantity::persons:
      values = c.finest_persons();
      break;
    case audited_quantity::participations:
      values = c.finest_participations();
      break;
    case audited_quantity::successes:
    case audited_quantity::failures: {
      // (successes, participations) per finest cell, successes <= participations.
      q.kind = audited_quantity::successes;
      components = 2;
      const auto s = c.finest_successes(index), n = c.finest_participations();
      values.resize(2 * s.size());
      for (std::size_t f = 0; f < s.size(); ++f) {
        values[2 * f] = s[f];
        values[2 * f + 1] = n[f];
      }
      break;
    }
    case audited_quantity::measure_sum: {
      values = c.finest_sums(index);
      q.integer = false;
      const double largest = values.empty() ? 0.0 : *std::max_element(values.begin(), values.end());
      q.scale = std::max(1.0, largest / 1000.0);
      for (double& v : values) v /= q.scale;
      break;
    }
  }
  q.system = std::make_unique<linear_system>(c, components, std::move(values), zeros, components == 2);
  return q;
}

std::vector<quantity> all_quantities(const cube& c, const std::vector<std::uint8_t>& zeros) {
  std::vector<quantity> out;
  if (c.tables().persons_counted) out.push_back(make_quantity(c, audited_quantity::persons, 0, zeros));
  out.push_back(make_quantity(c, audited_quantity::participations, 0, zeros));
  for (std::size_t o = 0; o < c.outcomes(); ++o) out.push_back(make_quantity(c, audited_quantity::successes, o, zeros));
  for (std::size_t m = 0; m < c.measures(); ++m) out.push_back(make_quantity(c, audited_quantity::measure_sum, m, zeros));
  return out;
}

bool row_shown(const quantity& q, const suppression_pattern& pattern, std::uint64_t row) {
  const std::uint64_t cell = row / q.system->components();
  const std::size_t comp = row % q.system->components();
  switch (q.kind) {
    case audited_quantity::persons:
    case audited_quantity::participations:
      return !is_suppressed(pattern.counts[cell]);
    case audited_quantity::successes:
    case audited_quantity::failures:
      return comp == 0 ? !is_suppressed(pattern.outcomes[q.index][cell]) : !is_suppressed(pattern.counts[cell]);
    case audited_quantity::measure_sum:
      return !is_suppressed(pattern.measures[q.index][cell]);
  }
  return false;
}

std::vector<std::uint8_t> shown_classes(const quantity& q, const suppression_pattern& pattern) {
  const linear_system& sys = *q.system;
  std::vector<std::uint8_t> shown(sys.classes(), 0);
  for (std::size_t k = 0; k < sys.classes(); ++k)
    for (const std::uint64_t r : sys.class_rows(k))
      if (row_shown(q, pattern, r)) {
        shown[k] = 1;
        break;
      }
  return shown;
}

}  // namespace jamstat::disclosure::detail
