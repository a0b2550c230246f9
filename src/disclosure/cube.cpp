#include "cube.hpp"

#include <algorithm>
#include <string>

#include "jamstat/engine/errors.hpp"

namespace jamstat::disclosure::detail {

cube::cube(const table_set& tables) : tables_(&tables) {
  validate(tables);
  const std::size_t dims = tables.dimensions.size();
  levels_.resize(dims);
  finest_stride_.assign(dims, 1);
  for (std::size_t d = 0; d < dims; ++d) levels_[d] = tables.dimensions[d].levels;
  for (std::size_t d = dims; d-- > 0;) {
    finest_stride_[d] = finest_count_;
    finest_count_ *= levels_[d];
  }
  masks_ = tables.groupings;
  offsets_ = published_cell_offsets(tables);
  kept_.resize(masks_.size());
  for (std::size_t g = 0; g < masks_.size(); ++g) {
    std::uint64_t stride = 1;
    for (std::size_t d = dims; d-- > 0;)
      if (masks_[g] >> d & 1) {
        kept_[g].emplace_back(d, stride);
        stride *= levels_[d];
      }
  }

  slot_.assign(finest_count_, -1);
  finest_index_.resize(tables.cells.size());
  for (std::size_t i = 0; i < tables.cells.size(); ++i) {
    std::uint64_t f = 0;
    for (std::size_t d = 0; d < dims; ++d) f += tables.cells[i].levels[d] * finest_stride_[d];
    finest_index_[i] = f;
    slot_[f] = static_cast<std::int64_t>(i);
  }

  const std::uint64_t cells = cell_count();
  const std::size_t outcomes = tables.outcomes.size(), measures = tables.measures.size();
  participations_.assign(cells, 0);
  persons_sum_.assign(cells, 0);
  successes_.assign(outcomes, std::vector<std::uint64_t>(cells, 0));
  sums_.assign(measures, std::vector<double>(cells, 0.0));
  largest_.assign(measures, std::vector<double>(cells, 0.0));
  second_.assign(measures, std::vector<double>(cells, 0.0));
  for (std::size_t i = 0; i < tables.cells.size(); ++i) {
    const finest_cell& fc = tables.cells[i];
    for (std::size_t g = 0; g < masks_.size(); ++g) {
      const std::uint64_t c = cell_of(g, finest_index_[i]);
      participations_[c] += fc.participations;
      persons_sum_[c] += fc.persons;
      for (std::size_t o = 0; o < outcomes; ++o) successes_[o][c] += fc.successes[o];
      for (std::size_t m = 0; m < measures; ++m) {
        sums_[m][c] += fc.measures[m].sum;
        // The two largest single contributions of the union are the two largest of the
        // finest cells' two largest.
        for (const double x : {fc.measures[m].largest, fc.measures[m].second_largest}) {
          if (x > largest_[m][c]) {
            second_[m][c] = largest_[m][c];
            largest_[m][c] = x;
          } else if (x > second_[m][c]) {
            second_[m][c] = x;
          }
        }
      }
    }
  }

  if (!tables.persons_counted) {
    persons_ = participations_;
  } else if (tables.has_person_hashes) {
    distinct_persons_from_hashes();
  } else {
    persons_.resize(cells);
    for (std::size_t g = 0; g < masks_.size(); ++g)
      for (std::uint64_t c = 0; c < offsets_[g + 1] - offsets_[g]; ++c) {
        const std::uint64_t p = tables.grouping_persons[g][c], n = participations_[offsets_[g] + c];
        if (p > n || (p == 0) != (n == 0))
          throw usage_error("disclosure: table_set.grouping_persons[" + std::to_string(g) + "][" + std::to_string(c) +
                            "] = " + std::to_string(p) + " is inconsistent with the cell's " + std::to_string(n) +
                            " participations (expected 1..participations, or 0 for an empty cell)");
        persons_[offsets_[g] + c] = p;
      }
  }
}

std::size_t cube::grouping_of(std::uint64_t cell) const noexcept {
  return static_cast<std::size_t>(std::upper_bound(offsets_.begin(), offsets_.end(), cell) - offsets_.begin() - 1);
}

std::int64_t cube::grouping_with_mask(std::uint64_t mask) const noexcept {
  for (std::size_t g = 0; g < masks_.size(); ++g)
    if (masks_[g] == mask) return static_cast<std::int64_t>(g);
  return -1;
}

void cube::children(std::uint64_t cell, std::size_t child, std::size_t d, std::vector<std::uint64_t>& out) const {
  const std::size_t g = grouping_of(cell);
  std::uint64_t local = cell - offsets_[g];
  // Decode the cell's levels (kept_ lists dimensions from the fastest), re-encode in `child`.
  std::vector<std::uint32_t> lv(levels_.size(), 0);
  for (const auto& [dim, stride] : kept_[g]) {
    (void)stride;
    lv[dim] = static_cast<std::uint32_t>(local % levels_[dim]);
    local /= levels_[dim];
  }
  std::uint64_t base = 0, step = 0;
  for (const auto& [dim, stride] : kept_[child]) {
    if (dim == d) step = stride;
    else base += lv[dim] * stride;
  }
  for (std::uint32_t l = 0; l < levels_[d]; ++l) out.push_back(offsets_[child] + base + l * step);
}

void cube::distinct_persons_from_hashes() {
  // Every person with the finest cells it appears in: one sort of (hash, finest cell) pairs.
  // A roll-up cell's persons are the union over its finest cells, so each person counts once
  // in every published cell that contains any of its finest cells.
  const table_set& tables = *tables_;
  const std::size_t groupings = masks_.size();
  std::vector<std::uint64_t> cell_table(tables.cells.size() * groupings);
  for (std::size_t i = 0; i < tables.cells.size(); ++i)
    for (std::size_t g = 0; g < groupings; ++g) cell_table[i * groupings + g] = cell_of(g, finest_index_[i]);
  std::vector<std::pair<std::uint64_t, std::uint32_t>> pairs;
  std::size_t total = 0;
  for (const finest_cell& c : tables.cells) total += c.person_hashes.size();
  pairs.reserve(total);
  for (std::size_t i = 0; i < tables.cells.size(); ++i)
    for (const std::uint64_t h : tables.cells[i].person_hashes) pairs.emplace_back(h, static_cast<std::uint32_t>(i));
  std::sort(pairs.begin(), pairs.end());
  persons_.assign(cell_count(), 0);
  std::vector<std::uint64_t> touched;
  for (std::size_t a = 0; a < pairs.size();) {
    std::size_t b = a + 1;
    while (b < pairs.size() && pairs[b].first == pairs[a].first) ++b;
    if (b == a + 1) {
      const std::uint64_t* cells = &cell_table[pairs[a].second * groupings];
      for (std::size_t g = 0; g < groupings; ++g) ++persons_[cells[g]];
    } else {
      for (std::size_t g = 0; g < groupings; ++g) {
        touched.clear();
        for (std::size_t k = a; k < b; ++k) {
          const std::uint64_t c = cell_table[pairs[k].second * groupings + g];
          if (std::find(touched.begin(), touched.end(), c) == touched.end()) touched.push_back(c);
        }
        for (const std::uint64_t c : touched) ++persons_[c];
      }
    }
    a = b;
  }
}

std::vector<double> cube::finest_participations() const {
  std::vector<double> v(finest_count_, 0.0);
  for (std::size_t i = 0; i < tables_->cells.size(); ++i)
    v[finest_index_[i]] = static_cast<double>(tables_->cells[i].participations);
  return v;
}

std::vector<double> cube::finest_persons() const {
  std::vector<double> v(finest_count_, 0.0);
  for (std::size_t i = 0; i < tables_->cells.size(); ++i) v[finest_index_[i]] = static_cast<double>(tables_->cells[i].persons);
  return v;
}

std::vector<double> cube::finest_successes(std::size_t o) const {
  std::vector<double> v(finest_count_, 0.0);
  for (std::size_t i = 0; i < tables_->cells.size(); ++i)
    v[finest_index_[i]] = static_cast<double>(tables_->cells[i].successes[o]);
  return v;
}

std::vector<double> cube::finest_sums(std::size_t m) const {
  std::vector<double> v(finest_count_, 0.0);
  for (std::size_t i = 0; i < tables_->cells.size(); ++i) v[finest_index_[i]] = tables_->cells[i].measures[m].sum;
  return v;
}

}  // namespace jamstat::disclosure::detail
