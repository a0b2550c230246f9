#include "linear_system.hpp"

#include <algorithm>
#include <unordered_map>

namespace jamstat::disclosure::detail {

std::vector<std::uint8_t> structural_zeros(const cube& c) {
  std::vector<std::uint8_t> zero(c.finest_count(), 0);
  const auto& n = c.participations();
  for (std::uint64_t f = 0; f < c.finest_count(); ++f) {
    if (c.slot(f) >= 0) continue;
    for (std::size_t g = 0; g < c.groupings(); ++g)
      if (n[c.cell_of(g, f)] == 0) {
        zero[f] = 1;
        break;
      }
  }
  return zero;
}

namespace {

std::uint64_t mix(std::uint64_t h, std::uint64_t x) noexcept {
  h ^= x + 0x9E3779B97F4A7C15ULL + (h << 6) + (h >> 2);
  return h * 0xBF58476D1CE4E5B9ULL;
}

}  // namespace

linear_system::linear_system(const cube& c, std::size_t components, std::vector<double> values,
                             const std::vector<std::uint8_t>& structural_zero, bool ordered)
    : cube_(&c), components_(components), ordered_(ordered) {
  var_of_.assign(c.finest_count() * components, -1);
  for (std::uint64_t f = 0; f < c.finest_count(); ++f) {
    if (structural_zero[f]) continue;
    for (std::size_t k = 0; k < components; ++k) {
      var_of_[f * components + k] = static_cast<std::int32_t>(var_finest_.size());
      var_finest_.push_back(f);
      var_component_.push_back(static_cast<std::uint8_t>(k));
      var_value_.push_back(values[f * components + k]);
    }
  }
  const std::size_t groupings = c.groupings();
  const std::uint64_t rows = c.cell_count() * components_;
  auto for_each_row = [&](std::size_t v, auto&& visit) {
    const std::uint64_t f = var_finest_[v];
    for (std::size_t g = 0; g < groupings; ++g) visit(row_of(c.cell_of(g, f), var_component_[v]));
  };
  // Rows as CSR: count, then fill (variables in increasing order, so each row's list is sorted).
  std::vector<std::size_t> start(rows + 1, 0);
  for (std::size_t v = 0; v < var_finest_.size(); ++v) for_each_row(v, [&](std::uint64_t r) { ++start[r + 1]; });
  for (std::uint64_t r = 0; r < rows; ++r) start[r + 1] += start[r];
  std::vector<std::uint32_t> row_vars(start[rows]);
  {
    std::vector<std::size_t> fill(start.begin(), start.end() - 1);
    for (std::size_t v = 0; v < var_finest_.size(); ++v)
      for_each_row(v, [&](std::uint64_t r) { row_vars[fill[r]++] = static_cast<std::uint32_t>(v); });
  }

  // Merge rows over identical variable sets into classes.
  row_class_.assign(rows, -1);
  std::unordered_map<std::uint64_t, std::vector<std::uint32_t>> by_hash;
  std::vector<std::uint64_t> class_first_row;
  for (std::uint64_t r = 0; r < rows; ++r) {
    if (start[r] == start[r + 1]) continue;
    std::uint64_t h = start[r + 1] - start[r];
    for (std::size_t i = start[r]; i < start[r + 1]; ++i) h = mix(h, row_vars[i]);
    auto& candidates = by_hash[h];
    std::int32_t found = -1;
    for (const std::uint32_t k : candidates) {
      const std::uint64_t q = class_first_row[k];
      if (std::equal(row_vars.begin() + static_cast<std::ptrdiff_t>(start[r]), row_vars.begin() + static_cast<std::ptrdiff_t>(start[r + 1]),
                     row_vars.begin() + static_cast<std::ptrdiff_t>(start[q]), row_vars.begin() + static_cast<std::ptrdiff_t>(start[q + 1]))) {
        found = static_cast<std::int32_t>(k);
        break;
      }
    }
    if (found < 0) {
      found = static_cast<std::int32_t>(class_first_row.size());
      candidates.push_back(static_cast<std::uint32_t>(found));
      class_first_row.push_back(r);
    }
    row_class_[r] = found;
  }
  const std::size_t classes = class_first_row.size();
  class_var_start_.assign(classes + 1, 0);
  class_value_.assign(classes, 0.0);
  for (std::size_t k = 0; k < classes; ++k) {
    const std::uint64_t r = class_first_row[k];
    class_var_start_[k + 1] = class_var_start_[k] + (start[r + 1] - start[r]);
    for (std::size_t i = start[r]; i < start[r + 1]; ++i) {
      class_vars_.push_back(row_vars[i]);
      class_value_[k] += var_value_[row_vars[i]];
    }
  }
  class_row_start_.assign(classes + 1, 0);
  for (std::uint64_t r = 0; r < rows; ++r)
    if (row_class_[r] >= 0) ++class_row_start_[static_cast<std::size_t>(row_class_[r]) + 1];
  for (std::size_t k = 0; k < classes; ++k) class_row_start_[k + 1] += class_row_start_[k];
  class_rows_.resize(class_row_start_[classes]);
  {
    std::vector<std::size_t> fill(class_row_start_.begin(), class_row_start_.end() - 1);
    for (std::uint64_t r = 0; r < rows; ++r)
      if (row_class_[r] >= 0) class_rows_[fill[static_cast<std::size_t>(row_class_[r])]++] = r;
  }
  var_class_start_.assign(var_finest_.size() + 1, 0);
  for (const std::uint32_t v : class_vars_) ++var_class_start_[v + 1];
  for (std::size_t v = 0; v < var_finest_.size(); ++v) var_class_start_[v + 1] += var_class_start_[v];
  var_classes_.resize(class_vars_.size());
  {
    std::vector<std::size_t> fill(var_class_start_.begin(), var_class_start_.end() - 1);
    for (std::size_t k = 0; k < classes; ++k)
      for (std::size_t i = class_var_start_[k]; i < class_var_start_[k + 1]; ++i)
        var_classes_[fill[class_vars_[i]]++] = static_cast<std::uint32_t>(k);
  }
}

}  // namespace jamstat::disclosure::detail
