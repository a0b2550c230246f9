// Roll-up tables: creation and cell-by-cell accessors.
#include <cmath>
#include <limits>

#include <cstddef>

#include "firewall.hpp"

using namespace jamstat::c_api;

namespace {

jamstat::rollup_cell cell_at(const jamstat_table* table, size_t cell) {
  const auto cells = check(table)->table.cells();
  require_index(cell, cells.size(), "cell");
  return cells[cell];
}

jamstat_table* new_table(const jamstat::aggregator& a, const jamstat::grouping_set& g) {
  return new jamstat_table{table_magic, a.schema_ptr(), jamstat::rollup(a, g)};
}

}  // namespace

extern "C" {

jamstat_status jamstat_rollup(const jamstat_aggregator* aggregator, const size_t* dimensions, size_t dimension_count,
                              jamstat_table** out) {
  return guarded([&] {
    require(out, "out");
    const jamstat::aggregator& a = check(aggregator)->aggregator;
    if (dimension_count) require(dimensions, "dimensions");
    std::vector<size_t> dims(dimensions, dimensions + dimension_count);
    *out = new_table(a, jamstat::grouping_set::from_indices(a.schema_ref(), std::move(dims)));
  });
}

jamstat_status jamstat_rollup_by_name(const jamstat_aggregator* aggregator, const char* const* names, size_t name_count,
                                      int keep_sex, jamstat_table** out) {
  return guarded([&] {
    require(out, "out");
    const jamstat::aggregator& a = check(aggregator)->aggregator;
    if (name_count) require(names, "names");
    std::vector<std::string_view> list;
    for (size_t i = 0; i < name_count; ++i)
      list.emplace_back(require(names[i], ("names[" + std::to_string(i) + "]").c_str()));
    *out = new_table(a, jamstat::grouping_set::of(a.schema_ref(), list,
                                                  keep_sex ? jamstat::sex_grouping::keep : jamstat::sex_grouping::drop));
  });
}

void jamstat_table_free(jamstat_table** table) { free_handle(table, table_magic); }

jamstat_status jamstat_table_cell_count(const jamstat_table* table, size_t* out) {
  return guarded([&] { *require(out, "out") = check(table)->table.cells().size(); });
}

jamstat_status jamstat_table_dimension_count(const jamstat_table* table, size_t* out) {
  return guarded([&] { *require(out, "out") = check(table)->table.grouping().dimensions().size(); });
}

jamstat_status jamstat_table_dimension(const jamstat_table* table, size_t k, size_t* schema_dimension) {
  return guarded([&] {
    require(schema_dimension, "schema_dimension");
    const auto& dims = check(table)->table.grouping().dimensions();
    require_index(k, dims.size(), "grouped dimension");
    *schema_dimension = dims[k];
  });
}

jamstat_status jamstat_table_cell_level(const jamstat_table* table, size_t cell, size_t k, uint32_t* level_index,
                                        int32_t* code, int32_t language, const char** label) {
  return guarded([&] {
    const jamstat::rollup_cell c = cell_at(table, cell);
    require_index(k, c.levels.size(), "grouped dimension");
    if (language != JAMSTAT_SWEDISH && language != JAMSTAT_ENGLISH)
      throw api_error(JAMSTAT_ERROR_INVALID_ARGUMENT, "language is " + std::to_string(language) +
                                                          "; expected JAMSTAT_SWEDISH (0) or JAMSTAT_ENGLISH (1)");
    const size_t d = table->table.grouping().dimensions()[k];
    const jamstat::level& l = table->schema->dimensions()[d].levels()[c.levels[k]];
    if (level_index) *level_index = c.levels[k];
    if (code) *code = l.code;
    if (label) *label = (language == JAMSTAT_SWEDISH ? l.label_sv : l.label_en).c_str();
  });
}

jamstat_status jamstat_table_find(const jamstat_table* table, const uint32_t* level_indices, size_t count, size_t* cell) {
  return guarded([&] {
    require(cell, "cell");
    const jamstat::rollup_table& t = check(table)->table;
    if (count != t.grouping().dimensions().size())
      throw api_error(JAMSTAT_ERROR_INVALID_ARGUMENT, "table_find got " + std::to_string(count) +
                                                          " level indices; the table groups " +
                                                          std::to_string(t.grouping().dimensions().size()) + " dimensions");
    if (count) require(level_indices, "level_indices");
    const auto found = t.find_index({level_indices, count});
    if (!found) throw api_error(JAMSTAT_ERROR_INVALID_ARGUMENT, "no non-empty cell has these level indices");
    *cell = *found;
  });
}

jamstat_status jamstat_table_cell_counts(const jamstat_table* table, size_t cell, jamstat_cell_counts* out) {
  return guarded([&] {
    require(out, "out");
    require_struct_size(out->struct_size, sizeof(jamstat_cell_counts), "out", "JAMSTAT_CELL_COUNTS_INIT");
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
