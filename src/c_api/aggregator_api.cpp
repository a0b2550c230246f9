// Aggregators: creation, records, batches, anonymous counts, merge, tallies, serialization.
#include <cstring>

#include "firewall.hpp"

using namespace jamstat::c_api;

namespace {

const char* type_name(uint32_t type) {
  switch (type) {
    case JAMSTAT_COLUMN_NONE: return "NONE";
    case JAMSTAT_COLUMN_U8: return "U8";
    case JAMSTAT_COLUMN_U16: return "U16";
    case JAMSTAT_COLUMN_I32: return "I32";
    case JAMSTAT_COLUMN_U32: return "U32";
    case JAMSTAT_COLUMN_U64: return "U64";
    case JAMSTAT_COLUMN_F32: return "F32";
    case JAMSTAT_COLUMN_F64: return "F64";
    case JAMSTAT_COLUMN_BYTES: return "BYTES";
    case JAMSTAT_COLUMN_I64: return "I64";
  }
  return "unknown";
}

template <class T>
std::span<const T> typed(const jamstat_column& c, size_t rows) {
  return {static_cast<const T*>(c.data), rows};
}

// Describes column `i` of a kind for messages: "code column 2 ('education')".
std::string column_name(const jamstat::schema& s, const char* kind, size_t i, size_t field) {
  return std::string(kind) + " column " + std::to_string(i) + " ('" + s.field_name(field) + "')";
}

void require_data(const jamstat_column& c, size_t rows, const std::string& name) {
  if (rows > 0 && !c.data) throw api_error(JAMSTAT_ERROR_NULL_ARGUMENT, name + " has no data (NULL)");
}

[[noreturn]] void wrong_type(const jamstat_column& c, const std::string& name, const char* allowed) {
  throw api_error(JAMSTAT_ERROR_INVALID_ARGUMENT,
                  name + " has type " + type_name(c.type) + " (" + std::to_string(c.type) + "); allowed: " + allowed);
}

// Translates a C batch into the engine's column_batch; string ids are gathered into `ids`.
jamstat::column_batch to_batch(const jamstat::schema& s, const jamstat_batch& b, std::vector<std::string_view>& ids) {
  auto count = [&](size_t got, size_t want, const char* what, const jamstat_column* columns) {
    if (got != want)
      throw api_error(JAMSTAT_ERROR_INVALID_ARGUMENT, std::string("batch has ") + std::to_string(got) + " " + what +
                                                          " columns; the schema has " + std::to_string(want));
    if (got > 0) require(columns, (std::string("batch.") + what + "s").c_str());
  };
  count(b.code_count, s.dimensions().size(), "code", b.codes);
  count(b.outcome_count, s.outcomes().size(), "outcome", b.outcomes);
  count(b.numeric_count, s.numeric_measures().size(), "numeric", b.numerics);
  jamstat::column_batch out;
  out.rows = b.rows;
  for (size_t d = 0; d < b.code_count; ++d) {
    const jamstat_column& c = b.codes[d];
    const std::string name = column_name(s, "code", d, d);
    require_data(c, b.rows, name);
    switch (c.type) {
      case JAMSTAT_COLUMN_U8: out.codes.emplace_back(typed<uint8_t>(c, b.rows)); break;
      case JAMSTAT_COLUMN_U16: out.codes.emplace_back(typed<uint16_t>(c, b.rows)); break;
      case JAMSTAT_COLUMN_I32: out.codes.emplace_back(typed<int32_t>(c, b.rows)); break;
      default: wrong_type(c, name, "U8, U16, I32");
    }
  }
  for (size_t o = 0; o < b.outcome_count; ++o) {
    const jamstat_column& c = b.outcomes[o];
    const std::string name = column_name(s, "outcome", o, s.outcome_field(o));
    require_data(c, b.rows, name);
    switch (c.type) {
      case JAMSTAT_COLUMN_U8: out.outcomes.emplace_back(typed<uint8_t>(c, b.rows)); break;
      case JAMSTAT_COLUMN_I32: out.outcomes.emplace_back(typed<int32_t>(c, b.rows)); break;
      default: wrong_type(c, name, "U8, I32");
    }
  }
  for (size_t m = 0; m < b.numeric_count; ++m) {
    const jamstat_column& c = b.numerics[m];
    const std::string name = column_name(s, "numeric", m, s.numeric_field(m));
    require_data(c, b.rows, name);
    switch (c.type) {
      case JAMSTAT_COLUMN_F64: out.numerics.emplace_back(typed<double>(c, b.rows)); break;
      case JAMSTAT_COLUMN_F32: out.numerics.emplace_back(typed<float>(c, b.rows)); break;
      case JAMSTAT_COLUMN_I64:
        if (s.domain(m).kind != jamstat::measure_kind::decimal) wrong_type(c, name, "F64, F32 (I64 grid units only for decimal measures)");
        out.numerics.emplace_back(typed<int64_t>(c, b.rows));
        break;
      default: wrong_type(c, name, s.domain(m).kind == jamstat::measure_kind::decimal ? "F64, F32, I64" : "F64, F32");
    }
  }
  const jamstat_column& p = b.person_ids;
  if (p.type != JAMSTAT_COLUMN_NONE) require_data(p, b.rows, "the person_id column");
  switch (p.type) {
    case JAMSTAT_COLUMN_NONE: break;
    case JAMSTAT_COLUMN_U32: out.persons = typed<uint32_t>(p, b.rows); break;
    case JAMSTAT_COLUMN_U64: out.persons = typed<uint64_t>(p, b.rows); break;
    case JAMSTAT_COLUMN_BYTES: {
      const auto* strings = static_cast<const jamstat_bytes*>(p.data);
      ids.resize(b.rows);
      for (size_t i = 0; i < b.rows; ++i) {
        if (!strings[i].data && strings[i].length > 0)
          throw api_error(JAMSTAT_ERROR_NULL_ARGUMENT, "row " + std::to_string(i) + ": person_id has length " +
                                                           std::to_string(strings[i].length) + " but no data (NULL)");
        ids[i] = strings[i].data ? std::string_view(reinterpret_cast<const char*>(strings[i].data), strings[i].length)
                                 : std::string_view();
      }
      out.persons = std::span<const std::string_view>(ids);
      break;
    }
    default: wrong_type(p, "the person_id column", "NONE, U32, U64, BYTES");
  }
  return out;
}

jamstat::person_id to_person(const jamstat_person_id* p) {
  if (!p) return std::monostate{};
  switch (p->kind) {
    case JAMSTAT_PERSON_ID_NONE: return std::monostate{};
    case JAMSTAT_PERSON_ID_INTEGER: return p->integer;
    case JAMSTAT_PERSON_ID_BYTES:
      if (!p->bytes && p->length > 0)
        throw api_error(JAMSTAT_ERROR_NULL_ARGUMENT, "person.bytes is NULL but person.length is " + std::to_string(p->length));
      return p->bytes ? std::string_view(reinterpret_cast<const char*>(p->bytes), p->length) : std::string_view();
  }
  throw api_error(JAMSTAT_ERROR_INVALID_ARGUMENT, "person.kind is " + std::to_string(p->kind) + "; expected NONE, INTEGER or BYTES");
}

}  // namespace

extern "C" {

jamstat_status jamstat_aggregator_new(const jamstat_schema* schema, const jamstat_aggregator_options* options,
                                      jamstat_aggregator** out) {
  return guarded([&] {
    require(out, "out");
    const auto& s = check(schema)->schema;
    *out = new jamstat_aggregator{aggregator_magic, jamstat::aggregator(s, to_options(options))};
  });
}

void jamstat_aggregator_free(jamstat_aggregator** aggregator) { free_handle(aggregator, aggregator_magic); }

jamstat_status jamstat_aggregator_schema(const jamstat_aggregator* aggregator, jamstat_schema** out) {
  return guarded([&] {
    require(out, "out");
    *out = new jamstat_schema{schema_magic, check(aggregator)->aggregator.schema_ptr()};
  });
}

jamstat_status jamstat_aggregator_add(jamstat_aggregator* aggregator, const int32_t* codes, size_t code_count,
                                      const int32_t* outcomes, size_t outcome_count, const double* numerics,
                                      size_t numeric_count, const jamstat_person_id* person, int* accepted) {
  return guarded([&] {
    jamstat::aggregator& a = check(aggregator)->aggregator;
    if (code_count) require(codes, "codes");
    if (outcome_count) require(outcomes, "outcomes");
    if (numeric_count) require(numerics, "numerics");
    const bool added = a.add({{codes, code_count}, {outcomes, outcome_count}, {numerics, numeric_count}, to_person(person)});
    if (accepted) *accepted = added ? 1 : 0;
  });
}

jamstat_status jamstat_aggregator_add_batch(jamstat_aggregator* aggregator, const jamstat_batch* batch,
                                            jamstat_batch_result* result) {
  return guarded([&] {
    jamstat::aggregator& a = check(aggregator)->aggregator;
    require(batch, "batch");
    require_struct_size(batch->struct_size, sizeof(jamstat_batch), "batch", "JAMSTAT_BATCH_INIT");
    if (result) require_struct_size(result->struct_size, sizeof(jamstat_batch_result), "result", "JAMSTAT_BATCH_RESULT_INIT");
    std::vector<std::string_view> ids;
    const jamstat::batch_result r = a.add_batch(to_batch(a.schema_ref(), *batch, ids));
    if (result) {
      result->accepted = r.accepted;
      result->rejected = r.rejected;
      result->first_rejected_row = r.first_rejected ? static_cast<int64_t>(r.first_rejected->row) : -1;
      result->first_rejected_field = r.first_rejected ? static_cast<int64_t>(r.first_rejected->field) : -1;
      result->first_rejected_reason = r.first_rejected ? static_cast<int32_t>(r.first_rejected->reason) : -1;
    }
  });
}

jamstat_status jamstat_aggregator_add_anonymous(jamstat_aggregator* aggregator, int32_t sex_code, uint64_t participants) {
  return guarded([&] { check(aggregator)->aggregator.add_anonymous(sex_code, participants); });
}

jamstat_status jamstat_aggregator_merge(jamstat_aggregator* aggregator, const jamstat_aggregator* other) {
  return guarded([&] {
    jamstat::aggregator& a = check(aggregator)->aggregator;
    a.merge(check(other, "other")->aggregator);
  });
}

jamstat_status jamstat_aggregator_participations(const jamstat_aggregator* aggregator, uint64_t* out) {
  return guarded([&] { *require(out, "out") = check(aggregator)->aggregator.participations(); });
}

jamstat_status jamstat_aggregator_rejected(const jamstat_aggregator* aggregator, int32_t reason, int64_t field, uint64_t* out) {
  return guarded([&] {
    require(out, "out");
    const jamstat::rejected_tally& t = check(aggregator)->aggregator.rejected();
    if (reason != JAMSTAT_ANY && (reason < 0 || static_cast<size_t>(reason) >= jamstat::rejection_reason_count))
      throw api_error(JAMSTAT_ERROR_INVALID_ARGUMENT, "reason " + std::to_string(reason) + " is not a jamstat_rejection_reason");
    if (field != JAMSTAT_ANY && (field < 0 || static_cast<size_t>(field) >= t.field_count()))
      throw api_error(JAMSTAT_ERROR_INVALID_ARGUMENT, "field " + std::to_string(field) + " is out of range (the schema has " +
                                                          std::to_string(t.field_count()) + " fields)");
    const auto r = static_cast<jamstat::rejection_reason>(reason);
    const auto f = static_cast<size_t>(field);
    if (reason == JAMSTAT_ANY && field == JAMSTAT_ANY) *out = t.total();
    else if (reason == JAMSTAT_ANY) *out = t.by_field(f);
    else if (field == JAMSTAT_ANY) *out = t.by_reason(r);
    else *out = t.at(r, f);
  });
}

jamstat_status jamstat_aggregator_rounded_values(const jamstat_aggregator* aggregator, size_t measure, uint64_t* out) {
  return guarded([&] {
    require(out, "out");
    const jamstat::aggregator& a = check(aggregator)->aggregator;
    require_index(measure, a.schema_ref().numeric_measures().size(), "numeric measure");
    *out = a.rounded_values(measure);
  });
}

jamstat_status jamstat_aggregator_serialize(const jamstat_aggregator* aggregator, uint8_t* buffer, size_t capacity,
                                            size_t* size) {
  return guarded([&] {
    require(size, "size");
    const jamstat::aggregator& a = check(aggregator)->aggregator;
    const std::size_t needed = jamstat::state_size(a);
    if (!buffer || capacity < needed) {
      *size = needed;
      throw api_error(JAMSTAT_ERROR_BUFFER_TOO_SMALL, "the state needs " + std::to_string(needed) + " bytes; the buffer has " +
                                                          std::to_string(buffer ? capacity : 0));
    }
    *size = jamstat::write_state(a, {buffer, capacity});
  });
}

jamstat_status jamstat_aggregator_deserialize(const uint8_t* bytes, size_t size, const jamstat_aggregator_options* options,
                                              jamstat_aggregator** out) {
  return guarded([&] {
    require(out, "out");
    if (size > 0) require(bytes, "bytes");
    jamstat::aggregator a = jamstat::read_state({bytes, size}, to_options(options));
    *out = new jamstat_aggregator{aggregator_magic, std::move(a)};
  });
}

}  // extern "C"
