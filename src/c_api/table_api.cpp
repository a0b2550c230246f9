// Roll-up tables: creation and cell-by-cell accessors.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>

#include "firewall.hpp"

using namespace jamstat::c_api;

namespace {

jamstat::rollup_cell cell_at(const jamstat_table* table, size_t cell) {
  const auto cells = check(table)->table.cells();
  require_index(cell, cells.size(), "cell");
  return cells[cell];
}

// A table handle over `table`, presenting its dimensions in the caller's `order` (schema indices).
jamstat_table* new_table(std::shared_ptr<const jamstat::schema> schema, jamstat::rollup_table table, std::vector<size_t> order) {
  const auto& canonical = table.grouping().dimensions();
  std::vector<size_t> position(order.size());
  for (size_t k = 0; k < order.size(); ++k)
    position[k] = static_cast<size_t>(std::find(canonical.begin(), canonical.end(), order[k]) - canonical.begin());
  return new jamstat_table{table_magic, std::move(schema), std::move(table), std::move(order), std::move(position), {}};
}

jamstat_table* new_table(const jamstat::aggregator& a, std::vector<size_t> order) {
  for (size_t k = 0; k < order.size(); ++k)
    for (size_t j = 0; j < k; ++j)
      if (order[j] == order[k])
        throw api_error(JAMSTAT_ERROR_INVALID_ARGUMENT, "dimension " + std::to_string(order[k]) + " is named twice");
  const jamstat::grouping_set g = jamstat::grouping_set::from_indices(a.schema_ref(), order);  // validates the indices
  return new_table(a.schema_ptr(), jamstat::rollup(a, g), std::move(order));
}

size_t canonical_position(const jamstat_table* t, size_t k) {
  require_index(k, t->order.size(), "grouped dimension");
  return t->position[k];
}

}  // namespace

// Column-wise exports of a table (jamstat_table_export), built once per flags value and kept
// with the table, so the pointers handed out stay valid as long as the table.
struct jamstat_table::exported {
  uint32_t flags = 0;
  std::vector<uint32_t> cell_order;  // exported row -> table cell
  std::vector<std::vector<uint32_t>> level_indices;
  std::vector<std::vector<int32_t>> level_codes;
  std::vector<const uint32_t*> level_index_ptrs;
  std::vector<const int32_t*> level_code_ptrs;
  std::vector<uint64_t> participations, persons, anonymous;
  std::vector<std::vector<uint64_t>> successes;
  std::vector<const uint64_t*> success_ptrs;
  struct measure {
    std::vector<uint64_t> count;
    std::vector<double> sum, mean, variance, sd, min, max, second_max;
  };
  std::vector<measure> measures;
  std::vector<jamstat_measure_columns> measure_columns;
};

namespace {

// Swedish tables list women first: Kvinnor, Män, Okänt, Ej tillämpligt (sex level indices 2, 1, 0, 3).
constexpr uint32_t reporting_rank[4] = {2, 1, 0, 3};

std::shared_ptr<jamstat_table::exported> build_export(const jamstat_table& t, uint32_t flags) {
  auto e = std::make_shared<jamstat_table::exported>();
  e->flags = flags;
  const auto cells = t.table.cells();
  const size_t n = cells.size(), g = t.order.size();
  e->cell_order.resize(n);
  for (size_t i = 0; i < n; ++i) e->cell_order[i] = static_cast<uint32_t>(i);
  const auto& canonical = t.table.grouping().dimensions();
  if ((flags & JAMSTAT_EXPORT_REPORTING_ORDER) && !canonical.empty() && canonical[0] == 0) {
    // Sex is the canonical first dimension: a stable sort by its reporting rank keeps the rest
    // of the order within each sex.
    std::stable_sort(e->cell_order.begin(), e->cell_order.end(), [&](uint32_t x, uint32_t y) {
      return reporting_rank[cells[x].levels[0]] < reporting_rank[cells[y].levels[0]];
    });
  }
  e->level_indices.assign(g, std::vector<uint32_t>(n));
  e->level_codes.assign(g, std::vector<int32_t>(n));
  for (size_t k = 0; k < g; ++k) {
    const auto& levels = t.schema->dimensions()[t.order[k]].levels();
    for (size_t r = 0; r < n; ++r) {
      const uint32_t level = cells[e->cell_order[r]].levels[t.position[k]];
      e->level_indices[k][r] = level;
      e->level_codes[k][r] = levels[level].code;
    }
    e->level_index_ptrs.push_back(e->level_indices[k].data());
    e->level_code_ptrs.push_back(e->level_codes[k].data());
  }
  const size_t outcomes = t.schema->outcomes().size(), measures = t.schema->numeric_measures().size();
  e->participations.resize(n);
  e->successes.assign(outcomes, std::vector<uint64_t>(n));
  e->measures.resize(measures);
  for (auto& m : e->measures) {
    m.count.resize(n);
    for (auto* v : {&m.sum, &m.mean, &m.variance, &m.sd, &m.min, &m.max, &m.second_max}) v->resize(n);
  }
  const bool persons = n > 0 && cells[0].persons.has_value();
  if (persons) e->persons.resize(n);
  const bool anonymous = g <= 1 && (g == 0 || t.order[0] == 0);
  if (anonymous) e->anonymous.resize(n);
  for (size_t r = 0; r < n; ++r) {
    const jamstat::rollup_cell c = cells[e->cell_order[r]];
    e->participations[r] = c.participations;
    if (persons) e->persons[r] = c.persons.value_or(0);
    if (anonymous) e->anonymous[r] = c.anonymous_participants;
    for (size_t o = 0; o < outcomes; ++o) e->successes[o][r] = c.successes[o];
    for (size_t m = 0; m < measures; ++m) {
      const jamstat::measure_stats& st = c.numerics[m];
      auto& out = e->measures[m];
      out.count[r] = st.count();
      out.sum[r] = st.total();
      out.mean[r] = st.mean();
      out.variance[r] = st.sample_variance();
      out.sd[r] = st.sample_sd();
      out.min[r] = st.min();
      out.max[r] = st.max();
      out.second_max[r] = st.second_max();
    }
  }
  for (auto& s_o : e->successes) e->success_ptrs.push_back(s_o.data());
  for (auto& m : e->measures)
    e->measure_columns.push_back({m.count.data(), m.sum.data(), m.mean.data(), m.variance.data(), m.sd.data(), m.min.data(),
                                  m.max.data(), m.second_max.data()});
  return e;
}

}  // namespace

extern "C" {

jamstat_status jamstat_rollup(const jamstat_aggregator* aggregator, const size_t* dimensions, size_t dimension_count,
                              jamstat_table** out) {
  return guarded([&] {
    require(out, "out");
    const jamstat::aggregator& a = check(aggregator)->aggregator;
    if (dimension_count) require(dimensions, "dimensions");
    if (dimension_count > a.schema_ref().dimensions().size())
      throw api_error(JAMSTAT_ERROR_INVALID_ARGUMENT, "dimension_count is " + std::to_string(dimension_count) + "; the schema has " +
                                                          std::to_string(a.schema_ref().dimensions().size()) + " dimensions");
    *out = new_table(a, std::vector<size_t>(dimensions, dimensions + dimension_count));
  });
}

jamstat_status jamstat_rollup_by_name(const jamstat_aggregator* aggregator, const char* const* names, size_t name_count,
                                      int keep_sex, jamstat_table** out) {
  return guarded([&] {
    require(out, "out");
    const jamstat::aggregator& a = check(aggregator)->aggregator;
    if (name_count) require(names, "names");
    if (name_count > a.schema_ref().dimensions().size())
      throw api_error(JAMSTAT_ERROR_INVALID_ARGUMENT, "name_count is " + std::to_string(name_count) + "; the schema has " +
                                                          std::to_string(a.schema_ref().dimensions().size()) + " dimensions");
    std::vector<std::string_view> list;
    for (size_t i = 0; i < name_count; ++i) list.emplace_back(require(names[i], ("names[" + std::to_string(i) + "]").c_str()));
    // Validates the names (unknown, repeated, "sex" with keep_sex 0) as the C++ API does.
    (void)jamstat::grouping_set::of(a.schema_ref(), list, keep_sex ? jamstat::sex_grouping::keep : jamstat::sex_grouping::drop);
    std::vector<size_t> order;
    if (keep_sex) order.push_back(0);
    for (std::string_view name : list) {
      const size_t d = *a.schema_ref().dimension_index(name);
      if (d != 0) order.push_back(d);
    }
    *out = new_table(a, std::move(order));
  });
}

jamstat_status jamstat_total(const jamstat_aggregator* aggregator, jamstat_table** out) {
  return guarded([&] {
    require(out, "out");
    const jamstat::aggregator& a = check(aggregator)->aggregator;
    *out = new_table(a.schema_ptr(), jamstat::total(a), {});
  });
}

void jamstat_table_free(jamstat_table** table) { free_handle(table, table_magic, "jamstat_table"); }

jamstat_status jamstat_cube_new(const jamstat_aggregator* aggregator, jamstat_cube** out) {
  return guarded([&] {
    require(out, "out");
    const jamstat::aggregator& a = check(aggregator)->aggregator;
    auto tables = std::make_shared<const std::vector<jamstat::rollup_table>>(jamstat::cube(a));
    *out = new jamstat_cube{cube_magic, a.schema_ptr(), std::move(tables)};
  });
}

void jamstat_cube_free(jamstat_cube** cube) { free_handle(cube, cube_magic, "jamstat_cube"); }

jamstat_status jamstat_cube_table_count(const jamstat_cube* cube, size_t* out) {
  return guarded([&] { *require(out, "out") = check(cube)->tables->size(); });
}

jamstat_status jamstat_cube_table(const jamstat_cube* cube, uint64_t mask, jamstat_table** out) {
  return guarded([&] {
    require(out, "out");
    const jamstat_cube* c = check(cube);
    if (mask >= c->tables->size())
      throw api_error(JAMSTAT_ERROR_INVALID_ARGUMENT, "mask " + std::to_string(mask) + " names a dimension the schema does not have (" +
                                                          std::to_string(c->schema->dimensions().size()) + " dimensions)");
    const jamstat::rollup_table& t = (*c->tables)[static_cast<size_t>(mask)];
    *out = new_table(c->schema, t, t.grouping().dimensions());  // a table shares its memory chunk
  });
}

jamstat_status jamstat_table_export(const jamstat_table* table, uint32_t flags, jamstat_table_columns* out) {
  return guarded([&] {
    require(out, "out");
    require_struct_size(out->struct_size, JAMSTAT_FIELD_END(jamstat_table_columns, measures), "out", "JAMSTAT_TABLE_COLUMNS_INIT");
    const jamstat_table* t = check(table);
    if (flags & ~JAMSTAT_EXPORT_REPORTING_ORDER)
      throw api_error(JAMSTAT_ERROR_INVALID_ARGUMENT, "flags is " + std::to_string(flags) + "; expected 0 or JAMSTAT_EXPORT_REPORTING_ORDER");
    // Built once per flags value and kept with the table. Exports are the one thing a const table
    // handle caches: concurrent exports of one table from two threads are not synchronised
    // (docs/c-abi.md: a handle must not be used by two threads when either call changes it).
    auto& exports = const_cast<jamstat_table*>(t)->exports;
    std::shared_ptr<jamstat_table::exported> e;
    for (const auto& x : exports)
      if (x->flags == flags) e = x;
    if (!e) {
      e = build_export(*t, flags);
      exports.push_back(e);
    }
    out->cell_count = e->cell_order.size();
    out->dimension_count = t->order.size();
    out->dimensions = t->order.data();
    out->level_indices = e->level_index_ptrs.data();
    out->level_codes = e->level_code_ptrs.data();
    out->participations = e->participations.data();
    out->persons = e->persons.empty() ? nullptr : e->persons.data();
    out->anonymous_participants = e->anonymous.empty() ? nullptr : e->anonymous.data();
    out->outcome_count = e->successes.size();
    out->successes = e->success_ptrs.data();
    out->measure_count = e->measure_columns.size();
    out->measures = e->measure_columns.data();
  });
}

jamstat_status jamstat_table_cell_count(const jamstat_table* table, size_t* out) {
  return guarded([&] { *require(out, "out") = check(table)->table.cells().size(); });
}

jamstat_status jamstat_table_dimension_count(const jamstat_table* table, size_t* out) {
  return guarded([&] { *require(out, "out") = check(table)->order.size(); });
}

jamstat_status jamstat_table_dimension(const jamstat_table* table, size_t k, size_t* schema_dimension) {
  return guarded([&] {
    require(schema_dimension, "schema_dimension");
    const jamstat_table* t = check(table);
    require_index(k, t->order.size(), "grouped dimension");
    *schema_dimension = t->order[k];
  });
}

jamstat_status jamstat_table_cell_level(const jamstat_table* table, size_t cell, size_t k, uint32_t* level_index,
                                        int32_t* code, int32_t language, const char** label) {
  return guarded([&] {
    const jamstat::rollup_cell c = cell_at(table, cell);
    const size_t p = canonical_position(table, k);
    if (language != JAMSTAT_SWEDISH && language != JAMSTAT_ENGLISH)
      throw api_error(JAMSTAT_ERROR_INVALID_ARGUMENT, "language is " + std::to_string(language) +
                                                          "; expected JAMSTAT_SWEDISH (0) or JAMSTAT_ENGLISH (1)");
    const size_t d = table->order[k];
    const jamstat::level& l = table->schema->dimensions()[d].levels()[c.levels[p]];
    if (level_index) *level_index = c.levels[p];
    if (code) *code = l.code;
    if (label) *label = (language == JAMSTAT_SWEDISH ? l.label_sv : l.label_en).c_str();
  });
}

jamstat_status jamstat_table_find(const jamstat_table* table, const uint32_t* level_indices, size_t count, size_t* cell) {
  return guarded([&] {
    require(cell, "cell");
    const jamstat_table* h = check(table);
    const jamstat::rollup_table& t = h->table;
    if (count != h->order.size())
      throw api_error(JAMSTAT_ERROR_INVALID_ARGUMENT, "table_find got " + std::to_string(count) +
                                                          " level indices; the table groups " +
                                                          std::to_string(h->order.size()) + " dimensions");
    if (count) require(level_indices, "level_indices");
    std::vector<uint32_t> canonical(count);
    for (size_t k = 0; k < count; ++k) canonical[h->position[k]] = level_indices[k];
    const auto found = t.find_index(canonical);
    if (!found) throw api_error(JAMSTAT_ERROR_INVALID_ARGUMENT, "no non-empty cell has these level indices");
    *cell = *found;
  });
}

jamstat_status jamstat_table_cell_counts(const jamstat_table* table, size_t cell, jamstat_cell_counts* out) {
  return guarded([&] {
    require(out, "out");
    require_struct_size(out->struct_size, JAMSTAT_FIELD_END(jamstat_cell_counts, anonymous_participants), "out",
                        "JAMSTAT_CELL_COUNTS_INIT");
    const jamstat::rollup_cell c = cell_at(table, cell);
    out->participations = c.participations;
    out->persons = c.persons.value_or(0);
    out->has_persons = c.persons.has_value() ? 1 : 0;
    out->anonymous_participants = c.anonymous_participants;
  });
}

jamstat_status jamstat_table_cell_outcome(const jamstat_table* table, size_t cell, size_t outcome, uint64_t* successes,
                                          double* proportion) {
  return guarded([&] {
    const jamstat::rollup_cell c = cell_at(table, cell);
    require_index(outcome, c.successes.size(), "outcome");
    if (successes) *successes = c.successes[outcome];
    if (proportion) *proportion = c.proportion(outcome);
  });
}

jamstat_status jamstat_table_cell_numeric(const jamstat_table* table, size_t cell, size_t measure, jamstat_numeric_stats* out) {
  return guarded([&] {
    require(out, "out");
    require_struct_size(out->struct_size, offsetof(jamstat_numeric_stats, max) + sizeof(double), "out", "JAMSTAT_NUMERIC_STATS_INIT");
    const jamstat::rollup_cell c = cell_at(table, cell);
    require_index(measure, c.numerics.size(), "numeric measure");
    const jamstat::measure_stats& m = c.numerics[measure];
    out->count = m.count();
    out->sum = m.total();
    out->mean = m.mean();
    out->variance = m.sample_variance();
    out->sd = m.sample_sd();
    out->min = m.min();
    out->max = m.max();
    if (has_field(out->struct_size, offsetof(jamstat_numeric_stats, second_max) + sizeof(double))) {
      out->kind = static_cast<uint32_t>(m.kind());
      out->decimals = m.decimals();
      out->second_max = m.second_max();
    }
  });
}

}  // extern "C"
