// The cell key method (see cell_key.hpp).
#include "jamstat/disclosure/cell_key.hpp"

#include <algorithm>
#include <string>

#include "cube.hpp"
#include "jamstat/disclosure/suppression.hpp"
#include "jamstat/engine/errors.hpp"
#include "jamstat/engine/person_key.hpp"

namespace jamstat::disclosure {

namespace {

/// A 64-bit fixed-point fraction as a double in [0, 1): its top 53 bits.
double fraction(std::uint64_t k) noexcept { return static_cast<double>(k >> 11) * 0x1.0p-53; }

/// Cell keys from persons: each person's record key is added (mod 2^64, i.e. mod 1 in fixed
/// point) once to every published cell that contains any of its finest cells, as the cube counts
/// distinct persons.
std::vector<std::uint64_t> keys_from_persons(const detail::cube& c, const table_set& tables, const person_key& secret) {
  const std::size_t groupings = c.groupings();
  std::vector<std::uint64_t> finest(tables.cells.size());
  for (std::size_t i = 0; i < tables.cells.size(); ++i) {
    std::uint64_t f = 0;
    for (std::size_t d = 0; d < c.dimensions(); ++d) f = f * c.levels(d) + tables.cells[i].levels[d];
    finest[i] = f;
  }
  std::vector<std::pair<std::uint64_t, std::uint32_t>> pairs;
  for (std::size_t i = 0; i < tables.cells.size(); ++i)
    for (const std::uint64_t h : tables.cells[i].person_hashes) pairs.emplace_back(h, static_cast<std::uint32_t>(i));
  std::sort(pairs.begin(), pairs.end());
  std::vector<std::uint64_t> keys(c.cell_count(), 0);
  std::vector<std::uint64_t> touched;
  for (std::size_t a = 0; a < pairs.size();) {
    std::size_t b = a + 1;
    while (b < pairs.size() && pairs[b].first == pairs[a].first) ++b;
    const std::uint64_t record_key = secret.hash(pairs[a].first);
    for (std::size_t g = 0; g < groupings; ++g) {
      touched.clear();
      for (std::size_t k = a; k < b; ++k) {
        const std::uint64_t cell = c.cell_of(g, finest[pairs[k].second]);
        if (std::find(touched.begin(), touched.end(), cell) == touched.end()) touched.push_back(cell);
      }
      for (const std::uint64_t cell : touched) keys[cell] += record_key;  // wraps: the sum mod 1
    }
    a = b;
  }
  return keys;
}

/// Cell keys from the cells themselves: SipHash of "jamstat cell key", the grouping's dimension
/// names, the cell's levels and its participations.
std::vector<std::uint64_t> keys_from_cells(const detail::cube& c, const table_set& tables, const person_key& secret) {
  std::vector<std::uint64_t> keys(c.cell_count(), 0);
  for (std::size_t g = 0; g < c.groupings(); ++g) {
    std::string prefix = "jamstat cell key";
    for (std::size_t d = 0; d < c.dimensions(); ++d)
      if (c.mask(g) >> d & 1) prefix += '\x1f' + tables.dimensions[d].name;
    prefix += '\x1e';
    const std::uint64_t cells = c.offsets()[g + 1] - c.offsets()[g];
    for (std::uint64_t local = 0; local < cells; ++local) {
      const std::uint64_t cell = c.offsets()[g] + local;
      std::string id = prefix;
      for (const std::uint32_t l : grouping_cell_levels(tables, c.mask(g), local))
        if (l != not_grouped) id += std::to_string(l) + ',';
      id += '\x1e' + std::to_string(c.participations()[cell]);
      keys[cell] = secret.hash(std::string_view(id));
    }
  }
  return keys;
}

}  // namespace

perturbed_tables protect_by_cell_key(const table_set& tables, const cell_key_options& options) {
  if (std::all_of(options.secret.begin(), options.secret.end(), [](std::uint8_t b) { return b == 0; }))
    throw usage_error("disclosure: cell_key_options.secret is all zero; pass the publisher's 16-byte secret");
  const detail::cube c(tables);
  const person_key secret(options.secret);
  perturbed_tables out;
  out.keys_from_persons = tables.has_person_hashes;
  const std::vector<std::uint64_t> keys = out.keys_from_persons ? keys_from_persons(c, tables, secret) : keys_from_cells(c, tables, secret);
  const std::uint64_t cells = c.cell_count();
  const perturbation_table& pt = options.ptable;
  out.cell_key.resize(cells);
  out.persons.resize(cells);
  out.participations.resize(cells);
  out.counts.resize(cells);
  out.successes.assign(c.outcomes(), std::vector<std::uint64_t>(cells, 0));
  out.outcomes.assign(c.outcomes(), std::vector<cell_status>(cells, cell_status::published));
  for (std::uint64_t k = 0; k < cells; ++k) {
    const bool empty = c.participations()[k] == 0;
    const double key = empty ? 0.0 : fraction(keys[k]);
    out.cell_key[k] = key;
    out.counts[k] = empty ? cell_status::published : cell_status::perturbed;
    const std::uint64_t n = pt.perturb(c.participations()[k], key);
    out.participations[k] = n;
    std::uint64_t p = pt.perturb(c.persons()[k], key);
    bool capped = false;
    if (p > n) {
      p = n;
      capped = true;
    }
    out.persons[k] = p;
    for (std::size_t o = 0; o < c.outcomes(); ++o) {
      std::uint64_t s = pt.perturb(c.successes(o)[k], key);
      if (s > n) {
        s = n;
        capped = true;
      }
      out.successes[o][k] = s;
      out.outcomes[o][k] = out.counts[k];
    }
    out.capped += capped;
  }
  if (c.measures() > 0) {
    suppression_rules rules = options.measure_rules;
    rules.frequency_threshold = 1;  // counts are perturbed, not suppressed
    rules.group_threshold = 0;
    const suppression_result r = protect_by_suppression(tables, rules);
    out.measures = r.pattern.measures;
  }
  return out;
}

}  // namespace jamstat::disclosure
