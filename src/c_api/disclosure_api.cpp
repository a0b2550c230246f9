// Disclosure control through the C ABI: the protected tables of an aggregator's state, column-wise
// per published grouping, with the status of every statistic, the summary and the audit.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "firewall.hpp"
#include "jamstat/disclosure/cell_key.hpp"
#include "jamstat/disclosure/ptable.hpp"
#include "jamstat/disclosure/state_tables.hpp"
#include "jamstat/disclosure/suppression.hpp"
#include "jamstat/engine/grouping_set.hpp"
#include "jamstat/engine/rollup.hpp"

namespace dc = jamstat::disclosure;

struct jamstat_protected_tables {
  std::uint32_t magic;
  // One published grouping's columns (jamstat_protected_columns points into them).
  struct grouping_columns {
    std::uint64_t mask = 0;
    std::uint64_t cells = 0;
    std::vector<std::size_t> dimensions;
    std::vector<std::vector<std::uint32_t>> level_indices;
    std::vector<std::vector<std::int32_t>> level_codes;
    std::vector<std::int32_t> count_status;
    std::vector<std::uint64_t> persons, participations;
    std::vector<std::vector<std::int32_t>> outcome_status;
    std::vector<std::vector<std::uint64_t>> successes;
    std::vector<std::vector<std::int32_t>> measure_status;
    std::vector<std::vector<double>> measure_sums;
    std::vector<const std::uint32_t*> level_index_ptrs;
    std::vector<const std::int32_t*> level_code_ptrs;
    std::vector<const std::int32_t*> outcome_status_ptrs, measure_status_ptrs;
    std::vector<const std::uint64_t*> successes_ptrs;
    std::vector<const double*> measure_sum_ptrs;
  };
  std::vector<grouping_columns> groupings;
  jamstat_disclosure_summary summary{};
  // The audit's rows (empty under the cell key method).
  std::vector<std::int32_t> quantity, protected_enough;
  std::vector<std::uint32_t> index, grouping;
  std::vector<std::uint64_t> cell;
  std::vector<double> value, lower, upper, required_lower, required_upper;
};

using namespace jamstat::c_api;

namespace {

constexpr std::uint32_t protected_tables_magic = 0x4A534454;  // "JSDT"

const jamstat_protected_tables* check_tables(const jamstat_protected_tables* h) {
  return require_handle(h, protected_tables_magic, "tables", "jamstat_protected_tables");
}

[[noreturn]] void bad_option(const std::string& message) { throw api_error(JAMSTAT_ERROR_INVALID_ARGUMENT, "options." + message); }

// The options as the layer takes them; the enum-valued fields are checked here (a cast would
// wrap an out-of-range value into a valid one), the numbers by the layer itself.
struct options_in {
  std::uint32_t method = JAMSTAT_DISCLOSURE_CELL_SUPPRESSION;
  dc::suppression_rules rules;
  dc::person_handover persons = dc::person_handover::hashes;
  dc::cell_key_options cell_key;
};

options_in read_options(const jamstat_disclosure_options* o) {
  options_in in;
  const jamstat_disclosure_options defaults = JAMSTAT_DISCLOSURE_OPTIONS_INIT;
  if (!o) o = &defaults;
  require_input_struct(o, o->struct_size, JAMSTAT_FIELD_END(jamstat_disclosure_options, ptable_csv),
                       sizeof(jamstat_disclosure_options), "options", "JAMSTAT_DISCLOSURE_OPTIONS_INIT");
  if (o->method != JAMSTAT_DISCLOSURE_CELL_SUPPRESSION && o->method != JAMSTAT_DISCLOSURE_CELL_KEY)
    bad_option("method is " + std::to_string(o->method) +
               "; expected JAMSTAT_DISCLOSURE_CELL_SUPPRESSION (0) or JAMSTAT_DISCLOSURE_CELL_KEY (1)");
  in.method = o->method;
  if (o->dominance > JAMSTAT_DOMINANCE_NK)
    bad_option("dominance is " + std::to_string(o->dominance) +
               "; expected JAMSTAT_DOMINANCE_NONE (0), JAMSTAT_DOMINANCE_P_PERCENT (1) or JAMSTAT_DOMINANCE_NK (2)");
  if (o->nk_n != 1 && o->nk_n != 2) bad_option("nk_n is " + std::to_string(o->nk_n) + "; expected 1 or 2");
  if (o->cost > JAMSTAT_SUPPRESSION_COST_CELLS)
    bad_option("cost is " + std::to_string(o->cost) +
               "; expected JAMSTAT_SUPPRESSION_COST_PERSONS (0) or JAMSTAT_SUPPRESSION_COST_CELLS (1)");
  if (o->persons > JAMSTAT_PERSONS_FROM_COUNTS)
    bad_option("persons is " + std::to_string(o->persons) +
               "; expected JAMSTAT_PERSONS_FROM_HASHES (0) or JAMSTAT_PERSONS_FROM_COUNTS (1)");
  dc::suppression_rules& r = in.rules;
  r.frequency_threshold = o->frequency_threshold;
  r.group_threshold = o->group_threshold;
  r.dominance = static_cast<dc::dominance_rule>(o->dominance);
  r.p_percent = o->p_percent;
  r.nk_n = static_cast<int>(o->nk_n);
  r.nk_k = o->nk_k;
  r.frequency_protection_fraction = o->frequency_protection_fraction;
  r.frequency_protection_minimum = o->frequency_protection_minimum;
  r.group_protection = o->group_protection;
  r.dominance_protection_minimum_fraction = o->dominance_protection_minimum_fraction;
  r.cost = static_cast<dc::suppression_cost>(o->cost);
  in.persons = static_cast<dc::person_handover>(o->persons);
  if (in.method == JAMSTAT_DISCLOSURE_CELL_KEY) {
    std::memcpy(in.cell_key.secret.data(), o->cell_key_secret, 16);
    bool all_zero = true;
    for (std::uint8_t b : in.cell_key.secret) all_zero = all_zero && b == 0;
    if (all_zero)
      bad_option("cell_key_secret is all zero; the cell key method needs the publisher's own 16-byte secret (the same for every "
                 "publication of the same data)");
    if (o->ptable_csv) {
      in.cell_key.ptable = dc::perturbation_table::from_csv(std::string_view(o->ptable_csv));
    } else {
      dc::ptable_parameters p;
      p.max_deviation = o->ptable_max_deviation;
      p.variance = o->ptable_variance;
      p.small_count_threshold = o->ptable_small_count_threshold;
      in.cell_key.ptable = dc::perturbation_table::generate(p);
    }
    in.cell_key.measure_rules = r;
  }
  return in;
}

std::int32_t status_number(dc::cell_status s) { return static_cast<std::int32_t>(s); }

// The true published figures of one grouping (cell index = mixed-radix index in schema order),
// from the engine's roll-up: what the table set's sums are.
void fill_true_values(jamstat_protected_tables::grouping_columns& g, const jamstat::aggregator& state, const dc::table_set& t) {
  const jamstat::schema& s = state.schema_ref();
  const std::size_t outcomes = t.outcomes.size(), measures = t.measures.size();
  g.persons.assign(g.cells, 0);
  g.participations.assign(g.cells, 0);
  g.successes.assign(outcomes, std::vector<std::uint64_t>(g.cells, 0));
  g.measure_sums.assign(measures, std::vector<double>(g.cells, 0.0));
  const jamstat::rollup_table r = jamstat::rollup(state, jamstat::grouping_set::from_mask(s, g.mask));
  for (const jamstat::rollup_cell& rc : r.cells()) {
    std::uint64_t at = 0;
    std::size_t k = 0;
    for (std::size_t d = 0; d < t.dimensions.size(); ++d)
      if (g.mask >> d & 1) at = at * t.dimensions[d].levels + rc.levels[k++];
    if (at >= g.cells) throw api_error(JAMSTAT_ERROR_INTERNAL, "internal error: a roll-up cell outside its grouping");
    g.participations[at] = rc.participations;
    g.persons[at] = t.persons_counted ? rc.persons.value_or(0) : rc.participations;
    for (std::size_t o = 0; o < outcomes; ++o) g.successes[o][at] = rc.successes[o];
    for (std::size_t m = 0; m < measures; ++m) g.measure_sums[m][at] = rc.numerics[m].total();
  }
}

// Builds every grouping's columns: levels, statuses, and the values that may be published.
void build(jamstat_protected_tables& h, const jamstat::aggregator& state, const dc::table_set& t, const dc::suppression_pattern* pattern,
           const dc::perturbed_tables* perturbed) {
  const jamstat::schema& s = state.schema_ref();
  const std::vector<std::uint64_t> offsets = dc::published_cell_offsets(t);
  const std::size_t outcomes = t.outcomes.size(), measures = t.measures.size();
  constexpr std::uint64_t hidden = JAMSTAT_SUPPRESSED_COUNT;
  const double hidden_sum = std::numeric_limits<double>::quiet_NaN();
  h.groupings.resize(t.groupings.size());
  for (std::size_t gi = 0; gi < t.groupings.size(); ++gi) {
    auto& g = h.groupings[gi];
    g.mask = t.groupings[gi];
    g.cells = dc::grouping_cell_count(t, g.mask);
    for (std::size_t d = 0; d < t.dimensions.size(); ++d)
      if (g.mask >> d & 1) g.dimensions.push_back(d);
    g.level_indices.assign(g.dimensions.size(), std::vector<std::uint32_t>(g.cells));
    g.level_codes.assign(g.dimensions.size(), std::vector<std::int32_t>(g.cells));
    for (std::uint64_t c = 0; c < g.cells; ++c) {
      const std::vector<std::uint32_t> levels = dc::grouping_cell_levels(t, g.mask, c);
      for (std::size_t k = 0; k < g.dimensions.size(); ++k) {
        const std::uint32_t level = levels[g.dimensions[k]];
        g.level_indices[k][c] = level;
        g.level_codes[k][c] = s.dimensions()[g.dimensions[k]].levels()[level].code;
      }
    }
    fill_true_values(g, state, t);
    g.count_status.assign(g.cells, 0);
    g.outcome_status.assign(outcomes, std::vector<std::int32_t>(g.cells, 0));
    g.measure_status.assign(measures, std::vector<std::int32_t>(g.cells, 0));
    const std::uint64_t first = offsets[gi];
    for (std::uint64_t c = 0; c < g.cells; ++c) {
      const std::uint64_t n = first + c;
      const dc::cell_status count = pattern ? pattern->counts[n] : perturbed->counts[n];
      g.count_status[c] = status_number(count);
      if (perturbed) {
        g.persons[c] = perturbed->persons[n];
        g.participations[c] = perturbed->participations[n];
      } else if (dc::is_suppressed(count)) {
        g.persons[c] = hidden;
        g.participations[c] = hidden;
      }
      for (std::size_t o = 0; o < outcomes; ++o) {
        dc::cell_status st = pattern ? pattern->outcomes[o][n] : perturbed->outcomes[o][n];
        if (dc::is_suppressed(count) && !dc::is_suppressed(st)) st = count;  // a hidden count hides its outcomes
        g.outcome_status[o][c] = status_number(st);
        if (dc::is_suppressed(st)) g.successes[o][c] = hidden;
        else if (perturbed) g.successes[o][c] = perturbed->successes[o][n];
      }
      for (std::size_t m = 0; m < measures; ++m) {
        dc::cell_status st = pattern ? pattern->measures[m][n] : perturbed->measures[m][n];
        if (dc::is_suppressed(count) && !dc::is_suppressed(st)) st = count;
        g.measure_status[m][c] = status_number(st);
        if (dc::is_suppressed(st)) g.measure_sums[m][c] = hidden_sum;
      }
    }
    for (auto& v : g.level_indices) g.level_index_ptrs.push_back(v.data());
    for (auto& v : g.level_codes) g.level_code_ptrs.push_back(v.data());
    for (auto& v : g.outcome_status) g.outcome_status_ptrs.push_back(v.data());
    for (auto& v : g.successes) g.successes_ptrs.push_back(v.data());
    for (auto& v : g.measure_status) g.measure_status_ptrs.push_back(v.data());
    for (auto& v : g.measure_sums) g.measure_sum_ptrs.push_back(v.data());
  }
}

void copy_audit(jamstat_protected_tables& h, const dc::audit_report& a) {
  for (std::size_t i = 0; i < a.size(); ++i) {
    h.quantity.push_back(static_cast<std::int32_t>(a.quantity[i]));
    h.protected_enough.push_back(a.protected_enough[i] ? 1 : 0);
  }
  h.index = a.index;
  h.grouping = a.grouping;
  h.cell = a.cell;
  h.value = a.value;
  h.lower = a.lower;
  h.upper = a.upper;
  h.required_lower = a.required_lower;
  h.required_upper = a.required_upper;
}

// Writes `full` into the caller's struct: only the bytes its struct_size covers (the struct grows
// at its end), struct_size itself left as the caller set it.
template <class T>
void write_out(T* out, const T& full) {
  const std::size_t n = std::min<std::size_t>(out->struct_size, sizeof(T));
  constexpr std::size_t skip = sizeof(std::uint32_t);
  if (n > skip) std::memcpy(reinterpret_cast<unsigned char*>(out) + skip, reinterpret_cast<const unsigned char*>(&full) + skip, n - skip);
}

}  // namespace

extern "C" {

jamstat_status jamstat_protected_tables_new(const jamstat_aggregator* aggregator, const uint64_t* grouping_masks, size_t grouping_count,
                                            const jamstat_disclosure_options* options, jamstat_protected_tables** out) {
  return guarded([&] {
    require(out, "out");
    const jamstat::aggregator& state = check(aggregator)->aggregator;
    if (grouping_count == 0)
      throw api_error(JAMSTAT_ERROR_INVALID_ARGUMENT, "grouping_count is 0; expected at least one grouping to publish");
    require(grouping_masks, "grouping_masks");
    const options_in in = read_options(options);
    const auto start = std::chrono::steady_clock::now();
    const std::vector<std::uint64_t> masks(grouping_masks, grouping_masks + grouping_count);
    const dc::table_set t = dc::tables_from_state(state, masks, in.persons);
    auto h = std::make_unique<jamstat_protected_tables>();
    h->magic = 0;
    jamstat_disclosure_summary& sum = h->summary;
    sum.struct_size = sizeof(jamstat_disclosure_summary);
    sum.method = in.method;
    sum.grouping_count = t.groupings.size();
    sum.persons_counted = t.persons_counted ? 1 : 0;
    if (in.method == JAMSTAT_DISCLOSURE_CELL_SUPPRESSION) {
      const dc::suppression_result r = dc::protect_by_suppression(t, in.rules);
      build(*h, state, t, &r.pattern, nullptr);
      copy_audit(*h, r.audit);
      sum.published_cells = r.loss.published_cells;
      sum.primary_cells = r.loss.primary_cells;
      sum.secondary_cells = r.loss.secondary_cells;
      sum.primary_persons = r.loss.primary_persons;
      sum.secondary_persons = r.loss.secondary_persons;
      sum.outcome_statistics_suppressed = r.loss.outcome_statistics_suppressed;
      sum.measure_statistics_suppressed = r.loss.measure_statistics_suppressed;
      sum.audit_rows = r.audit.size();
      sum.under_protected = r.audit.under_protected;
      sum.linear_programs = r.loss.linear_programs;
    } else {
      const dc::perturbed_tables p = dc::protect_by_cell_key(t, in.cell_key);
      build(*h, state, t, nullptr, &p);
      sum.published_cells = p.counts.size();
      for (const dc::cell_status s : p.counts) sum.perturbed_cells += s == dc::cell_status::perturbed;
      for (const auto& g : h->groupings)
        for (std::size_t m = 0; m < g.measure_status.size(); ++m)
          for (std::uint64_t c = 0; c < g.cells; ++c)
            sum.measure_statistics_suppressed += dc::is_suppressed(static_cast<dc::cell_status>(g.measure_status[m][c]));
      sum.capped_cells = p.capped;
      sum.keys_from_persons = p.keys_from_persons ? 1 : 0;
    }
    sum.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    h->magic = protected_tables_magic;
    *out = h.release();
  });
}

void jamstat_protected_tables_free(jamstat_protected_tables** tables) {
  free_handle(tables, protected_tables_magic, "jamstat_protected_tables");
}

jamstat_status jamstat_protected_tables_summary(const jamstat_protected_tables* tables, jamstat_disclosure_summary* out) {
  return guarded([&] {
    require(out, "out");
    require_struct_size(out->struct_size, JAMSTAT_FIELD_END(jamstat_disclosure_summary, seconds), "out", "JAMSTAT_DISCLOSURE_SUMMARY_INIT");
    write_out(out, check_tables(tables)->summary);
  });
}

jamstat_status jamstat_protected_tables_grouping(const jamstat_protected_tables* tables, size_t grouping, jamstat_protected_columns* out) {
  return guarded([&] {
    require(out, "out");
    require_struct_size(out->struct_size, JAMSTAT_FIELD_END(jamstat_protected_columns, measure_sums), "out",
                        "JAMSTAT_PROTECTED_COLUMNS_INIT");
    const jamstat_protected_tables& h = *check_tables(tables);
    require_index(grouping, h.groupings.size(), "grouping");
    const auto& g = h.groupings[grouping];
    jamstat_protected_columns c{};
    c.struct_size = sizeof c;
    c.grouping_mask = g.mask;
    c.cell_count = g.cells;
    c.dimension_count = g.dimensions.size();
    c.dimensions = g.dimensions.data();
    c.level_indices = g.level_index_ptrs.data();
    c.level_codes = g.level_code_ptrs.data();
    c.count_status = g.count_status.data();
    c.persons = g.persons.data();
    c.participations = g.participations.data();
    c.outcome_count = g.outcome_status.size();
    c.outcome_status = g.outcome_status_ptrs.data();
    c.successes = g.successes_ptrs.data();
    c.measure_count = g.measure_status.size();
    c.measure_status = g.measure_status_ptrs.data();
    c.measure_sums = g.measure_sum_ptrs.data();
    write_out(out, c);
  });
}

jamstat_status jamstat_protected_tables_audit(const jamstat_protected_tables* tables, jamstat_disclosure_audit* out) {
  return guarded([&] {
    require(out, "out");
    require_struct_size(out->struct_size, JAMSTAT_FIELD_END(jamstat_disclosure_audit, protected_enough), "out",
                        "JAMSTAT_DISCLOSURE_AUDIT_INIT");
    const jamstat_protected_tables& h = *check_tables(tables);
    jamstat_disclosure_audit a{};
    a.struct_size = sizeof a;
    a.count = h.value.size();
    a.quantity = h.quantity.data();
    a.index = h.index.data();
    a.grouping = h.grouping.data();
    a.cell = h.cell.data();
    a.value = h.value.data();
    a.lower = h.lower.data();
    a.upper = h.upper.data();
    a.required_lower = h.required_lower.data();
    a.required_upper = h.required_upper.data();
    a.protected_enough = h.protected_enough.data();
    write_out(out, a);
  });
}

}  // extern "C"
