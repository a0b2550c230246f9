// Schema builder and schema accessors.
#include <cmath>
#include <cstddef>

#include "firewall.hpp"
#include "../engine/message_text.hpp"

using namespace jamstat::c_api;

namespace {

std::string text_arg(const char* s, const std::string& what) {
  if (!s) throw api_error(JAMSTAT_ERROR_NULL_ARGUMENT, what + " is NULL");
  return s;
}

const jamstat::dimension& dimension_at(const jamstat_schema* schema, size_t d) {
  const auto& dims = check(schema)->schema->dimensions();
  require_index(d, dims.size(), "dimension");
  return dims[d];
}

}  // namespace

extern "C" {

jamstat_status jamstat_schema_builder_new(jamstat_schema_builder** out) {
  return guarded([&] {
    require(out, "out");
    *out = new jamstat_schema_builder{builder_magic, {}, {}, {}, {}};
  });
}

void jamstat_schema_builder_free(jamstat_schema_builder** builder) { free_handle(builder, builder_magic, "jamstat_schema_builder"); }

jamstat_status jamstat_schema_builder_add_dimension(jamstat_schema_builder* builder, const char* name, size_t level_count,
                                                    const int32_t* codes, const char* const* labels_sv,
                                                    const char* const* labels_en) {
  return guarded([&] {
    check(builder);
    const std::string n = text_arg(name, "name");
    // Limits first: level_count is not trusted to size anything, nor to read the arrays.
    if (level_count > jamstat::dimension::max_levels)
      throw api_error(JAMSTAT_ERROR_INVALID_SCHEMA, "dimension '" + jamstat::detail::text_for_message(n) + "': level_count is " +
                                                        std::to_string(level_count) + "; at most " +
                                                        std::to_string(jamstat::dimension::max_levels) + " levels are allowed");
    if (level_count > 0) {
      require(codes, "codes");
      require(labels_sv, "labels_sv");
      require(labels_en, "labels_en");
    }
    std::vector<jamstat::level> levels;
    levels.reserve(level_count);
    for (size_t i = 0; i < level_count; ++i) {
      const std::string at = "dimension '" + n + "' level " + std::to_string(i) + " (code " + std::to_string(codes[i]) + "): ";
      levels.push_back({codes[i], text_arg(labels_sv[i], at + "labels_sv[" + std::to_string(i) + "]"),
                        text_arg(labels_en[i], at + "labels_en[" + std::to_string(i) + "]")});
    }
    builder->dimensions.emplace_back(n, std::move(levels));  // validates
  });
}

jamstat_status jamstat_schema_builder_set_dimension_labels(jamstat_schema_builder* builder, const char* dimension,
                                                           const char* label_sv, const char* label_en) {
  return guarded([&] {
    check(builder);
    const std::string name = text_arg(dimension, "dimension");
    for (jamstat::dimension& d : builder->dimensions)
      if (d.name() == name) {
        d = jamstat::dimension(d.name(), d.levels(), text_arg(label_sv, "label_sv"), text_arg(label_en, "label_en"));
        return;
      }
    throw api_error(JAMSTAT_ERROR_INVALID_ARGUMENT,
                    "no dimension called '" + jamstat::detail::text_for_message(name) + "' was added to this builder");
  });
}

jamstat_status jamstat_schema_builder_add_outcome(jamstat_schema_builder* builder, const char* name, const char* label_sv,
                                                  const char* label_en) {
  return guarded([&] {
    check(builder);
    builder->outcomes.push_back({text_arg(name, "name"), text_arg(label_sv, "label_sv"), text_arg(label_en, "label_en")});
  });
}

jamstat_status jamstat_schema_builder_add_numeric(jamstat_schema_builder* builder, const char* name, const char* unit,
                                                  const char* label_sv, const char* label_en) {
  return guarded([&] {
    check(builder);
    builder->numerics.push_back(
        {text_arg(name, "name"), text_arg(unit, "unit"), text_arg(label_sv, "label_sv"), text_arg(label_en, "label_en")});
  });
}

jamstat_status jamstat_schema_builder_add_measure(jamstat_schema_builder* builder, const jamstat_measure_definition* definition) {
  return guarded([&] {
    check(builder);
    const jamstat_measure_definition& d = *require(definition, "definition");
    require_input_struct(&d, d.struct_size, JAMSTAT_FIELD_END(jamstat_measure_definition, highest),
                         sizeof(jamstat_measure_definition), "definition", "JAMSTAT_MEASURE_DEFINITION_INIT");
    if (d.kind > JAMSTAT_MEASURE_DECIMAL)
      throw api_error(JAMSTAT_ERROR_INVALID_ARGUMENT, "definition.kind is " + std::to_string(d.kind) +
                                                          "; expected JAMSTAT_MEASURE_FLOATING (0) or JAMSTAT_MEASURE_DECIMAL (1)");
    if (d.off_grid > JAMSTAT_OFF_GRID_ROUND)
      throw api_error(JAMSTAT_ERROR_INVALID_ARGUMENT, "definition.off_grid is " + std::to_string(d.off_grid) +
                                                          "; expected JAMSTAT_OFF_GRID_REJECT (0) or JAMSTAT_OFF_GRID_ROUND (1)");
    if (d.has_range > 1)
      throw api_error(JAMSTAT_ERROR_INVALID_ARGUMENT, "definition.has_range is " + std::to_string(d.has_range) + "; expected 0 or 1");
    jamstat::numeric_measure m{text_arg(d.name, "definition.name"), text_arg(d.unit, "definition.unit"),
                               text_arg(d.label_sv, "definition.label_sv"), text_arg(d.label_en, "definition.label_en")};
    m.kind = static_cast<jamstat::measure_kind>(d.kind);
    m.decimals = static_cast<std::uint8_t>(d.decimals > 255 ? 255 : d.decimals);
    m.off_grid = static_cast<jamstat::off_grid_policy>(d.off_grid);
    if (d.has_range) {
      m.lowest = d.lowest;
      m.highest = d.highest;
      if (std::isnan(d.lowest) || std::isnan(d.highest))
        throw api_error(JAMSTAT_ERROR_INVALID_SCHEMA, "numeric measure '" + m.name + "': a range bound is NaN");
    }
    // Validated now, so that the error names this measure rather than surfacing at build.
    (void)jamstat::schema({}, {}, {m});
    builder->numerics.push_back(std::move(m));
  });
}

jamstat_status jamstat_schema_builder_set_cross_products(jamstat_schema_builder* builder, const char* const* names,
                                                         size_t count) {
  return guarded([&] {
    check(builder);
    if (count > jamstat::schema::max_cross_product_variables)
      throw api_error(JAMSTAT_ERROR_INVALID_ARGUMENT, "count is " + std::to_string(count) + "; a cross-product set has at most " +
                                                          std::to_string(jamstat::schema::max_cross_product_variables) + " variables");
    if (count) require(names, "names");
    std::vector<std::string> set;
    for (std::size_t i = 0; i < count; ++i) set.push_back(text_arg(names[i], ("names[" + std::to_string(i) + "]").c_str()));
    builder->cross_products = std::move(set);
  });
}

jamstat_status jamstat_schema_cross_product_count(const jamstat_schema* schema, size_t* out) {
  return guarded([&] { *require(out, "out") = check(schema)->schema->cross_product_variables().size(); });
}

jamstat_status jamstat_schema_cross_product_name(const jamstat_schema* schema, size_t index, const char** out) {
  return guarded([&] {
    require(out, "out");
    const auto& set = check(schema)->schema->cross_product_variables();
    if (index >= set.size())
      throw api_error(JAMSTAT_ERROR_INVALID_ARGUMENT, "index is " + std::to_string(index) + "; the cross-product set has " +
                                                          std::to_string(set.size()) + " variables");
    *out = set[index].name.c_str();
  });
}

jamstat_status jamstat_schema_build(const jamstat_schema_builder* builder, jamstat_schema** out) {
  return guarded([&] {
    check(builder);
    require(out, "out");
    auto s = std::make_shared<const jamstat::schema>(builder->dimensions, builder->outcomes, builder->numerics,
                                                     builder->cross_products);
    *out = new jamstat_schema{schema_magic, std::move(s)};
  });
}

void jamstat_schema_free(jamstat_schema** schema) { free_handle(schema, schema_magic, "jamstat_schema"); }

jamstat_status jamstat_schema_dimension_count(const jamstat_schema* schema, size_t* out) {
  return guarded([&] { *require(out, "out") = check(schema)->schema->dimensions().size(); });
}

jamstat_status jamstat_schema_dimension_name(const jamstat_schema* schema, size_t dimension, const char** out) {
  return guarded([&] {
    require(out, "out");
    *out = dimension_at(schema, dimension).name().c_str();
  });
}

jamstat_status jamstat_schema_dimension_labels(const jamstat_schema* schema, size_t dimension, const char** label_sv,
                                               const char** label_en) {
  return guarded([&] {
    const jamstat::dimension& d = dimension_at(schema, dimension);
    if (label_sv) *label_sv = d.label_sv().c_str();
    if (label_en) *label_en = d.label_en().c_str();
  });
}

jamstat_status jamstat_schema_dimension_index(const jamstat_schema* schema, const char* name, size_t* out) {
  return guarded([&] {
    require(out, "out");
    const auto d = check(schema)->schema->dimension_index(require(name, "name"));
    if (!d)
      throw api_error(JAMSTAT_ERROR_INVALID_ARGUMENT, "no dimension is called '" + jamstat::detail::text_for_message(name) + "'");
    *out = *d;
  });
}

jamstat_status jamstat_schema_level_count(const jamstat_schema* schema, size_t dimension, size_t* out) {
  return guarded([&] {
    require(out, "out");
    *out = dimension_at(schema, dimension).cardinality();
  });
}

jamstat_status jamstat_schema_level(const jamstat_schema* schema, size_t dimension, size_t level, int32_t* code,
                                    const char** label_sv, const char** label_en) {
  return guarded([&] {
    const jamstat::dimension& d = dimension_at(schema, dimension);
    require_index(level, d.cardinality(), "level");
    const jamstat::level& l = d.levels()[level];
    if (code) *code = l.code;
    if (label_sv) *label_sv = l.label_sv.c_str();
    if (label_en) *label_en = l.label_en.c_str();
  });
}

jamstat_status jamstat_schema_level_index(const jamstat_schema* schema, size_t dimension, int32_t code, size_t* level) {
  return guarded([&] {
    require(level, "level");
    const jamstat::dimension& d = dimension_at(schema, dimension);
    const auto index = d.index_of(code);
    if (!index)
      throw api_error(JAMSTAT_ERROR_INVALID_ARGUMENT, "dimension '" + jamstat::detail::text_for_message(d.name()) + "' has no level with code " +
                                                          std::to_string(code) + "; its codes are " + d.codes_list());
    *level = *index;
  });
}

jamstat_status jamstat_schema_outcome_count(const jamstat_schema* schema, size_t* out) {
  return guarded([&] { *require(out, "out") = check(schema)->schema->outcomes().size(); });
}

jamstat_status jamstat_schema_numeric_count(const jamstat_schema* schema, size_t* out) {
  return guarded([&] { *require(out, "out") = check(schema)->schema->numeric_measures().size(); });
}

jamstat_status jamstat_schema_field_name(const jamstat_schema* schema, size_t field, const char** out) {
  return guarded([&] {
    require(out, "out");
    const jamstat::schema& s = *check(schema)->schema;
    require_index(field, s.field_count(), "field");
    *out = s.field_name(field).c_str();
  });
}

jamstat_status jamstat_schema_fingerprint(const jamstat_schema* schema, uint64_t* out) {
  return guarded([&] { *require(out, "out") = check(schema)->schema->fingerprint(); });
}

jamstat_status jamstat_schema_measure(const jamstat_schema* schema, size_t measure, jamstat_measure_definition* out) {
  return guarded([&] {
    require(out, "out");
    require_struct_size(out->struct_size, offsetof(jamstat_measure_definition, highest) + sizeof(double), "out",
                        "JAMSTAT_MEASURE_DEFINITION_INIT");
    const jamstat::schema& s = *check(schema)->schema;
    require_index(measure, s.numeric_measures().size(), "numeric measure");
    const jamstat::numeric_measure& m = s.numeric_measures()[measure];
    out->name = m.name.c_str();
    out->unit = m.unit.c_str();
    out->label_sv = m.label_sv.c_str();
    out->label_en = m.label_en.c_str();
    out->kind = static_cast<uint32_t>(m.kind);
    out->decimals = m.decimals;
    out->off_grid = static_cast<uint32_t>(m.off_grid);
    out->has_range = 1;
    out->lowest = m.lowest;
    out->highest = m.highest;
  });
}

}  // extern "C"
