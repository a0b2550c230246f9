// Aggregation of the gap report's cells and target-group counts into groupings.
#include "gap_tables.hpp"

#include <algorithm>
#include <bit>
#include <limits>
#include <string>

#include "jamstat/engine/errors.hpp"

namespace jamstat::analysis::detail {

void pooled_moments::add(const measure_moments& m) {
  if (m.count == 0) return;
  const double n = static_cast<double>(m.count);
  const double own_m2 = m.count >= 2 ? m.variance * (n - 1.0) : 0.0;
  if (count == 0) {
    count = m.count;
    sum = m.sum;
    mean = m.mean;
    m2 = own_m2;
    return;
  }
  // Chan, Golub & LeVeque (1979): merge two (count, mean, M2) summaries.
  const double na = static_cast<double>(count);
  const double total = na + n;
  const double delta = m.mean - mean;
  m2 += own_m2 + delta * delta * na * n / total;
  mean += delta * n / total;
  count += m.count;
  sum += m.sum;
}

sample_moments pooled_moments::sample() const {
  return {count, mean, count >= 2 ? m2 / static_cast<double>(count - 1) : std::numeric_limits<double>::quiet_NaN()};
}

key_layout::key_layout(std::vector<std::size_t> dims, const std::vector<std::size_t>& level_counts)
    : dimensions(std::move(dims)) {
  std::sort(dimensions.begin(), dimensions.end());
  for (std::size_t d : dimensions) {
    radices.push_back(level_counts[d]);
    if (level_counts[d] > 0 && keys > (std::size_t{1} << 22) / level_counts[d]) {
      throw usage_error("gap report: the grouping with the legitimate factors has more than 4,194,304 "
                        "combinations of levels; adjust for fewer factors");
    }
    keys *= level_counts[d];
  }
}

std::uint32_t key_layout::level(std::size_t key, std::size_t position) const {
  // The first dimension is the most significant digit.
  for (std::size_t p = dimensions.size(); p-- > position + 1;) key /= radices[p];
  return static_cast<std::uint32_t>(key % radices[position]);
}

std::size_t key_layout::position_of(std::size_t d) const {
  for (std::size_t p = 0; p < dimensions.size(); ++p) if (dimensions[p] == d) return p;
  return static_cast<std::size_t>(-1);
}

group_table::group_table(const gap_cells& cells, const std::vector<std::uint64_t>& masks, key_layout layout)
    : layout_(std::move(layout)), outcomes_(cells.outcome_count()), measures_(cells.measure_count()) {
  std::uint64_t want = 0;
  for (std::size_t d : layout_.dimensions) want |= std::uint64_t{1} << d;
  // The cells to use: those with the fewest specified dimensions among those specifying all kept
  // ones (exactly the kept ones when the caller supplied that roll-up).
  std::uint64_t chosen = 0;
  int best = 65;
  for (std::uint64_t m : masks) {
    if ((m & want) != want) continue;
    const int bits = std::popcount(m);
    if (bits < best || (bits == best && m < chosen)) {
      best = bits;
      chosen = m;
    }
  }
  persons_exact_ = best == 65 || chosen == want;
  const std::size_t slots = layout_.keys * sex_slots;
  participations_.assign(slots, 0);
  persons_.assign(slots, 0);
  successes_.assign(slots * outcomes_, 0);
  moments_.assign(slots * measures_, pooled_moments{});
  if (best == 65) return;  // no cells at all
  for (std::size_t i = 0; i < cells.size(); ++i) {
    if (masks[i] != chosen) continue;
    const std::span<const std::uint32_t> levels = cells.levels(i);
    std::size_t key = 0;
    for (std::size_t p = 0; p < layout_.dimensions.size(); ++p) key = key * layout_.radices[p] + levels[layout_.dimensions[p]];
    const std::size_t s = key * sex_slots + sex_slot(cells.sex(i));
    participations_[s] += cells.participations(i);
    const std::uint64_t persons = cells.persons(i);
    if (persons == persons_unknown || persons_[s] == persons_unknown) persons_[s] = persons_unknown;
    else persons_[s] += persons;
    const std::span<const std::uint64_t> succ = cells.successes(i);
    for (std::size_t o = 0; o < outcomes_; ++o) successes_[s * outcomes_ + o] += succ[o];
    const std::span<const measure_moments> mom = cells.moments(i);
    for (std::size_t m = 0; m < measures_; ++m) moments_[s * measures_ + m].add(mom[m]);
  }
}

population_table::population_table(const target_group& target, key_layout layout) : layout_(std::move(layout)) {
  population_.assign(layout_.keys * sex_slots, 0);
  std::vector<std::size_t> position(layout_.dimensions.size());
  for (std::size_t p = 0; p < layout_.dimensions.size(); ++p) {
    const auto& td = target.dimensions();
    position[p] = static_cast<std::size_t>(std::find(td.begin(), td.end(), layout_.dimensions[p]) - td.begin());
  }
  for (std::size_t i = 0; i < target.size(); ++i) {
    const std::span<const std::uint32_t> levels = target.levels(i);
    std::size_t key = 0;
    for (std::size_t p = 0; p < layout_.dimensions.size(); ++p) key = key * layout_.radices[p] + levels[position[p]];
    population_[key * sex_slots + sex_slot(target.sex(i))] += target.population(i);
  }
}

}  // namespace jamstat::analysis::detail
