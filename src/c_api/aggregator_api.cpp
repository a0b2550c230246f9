// Aggregators: creation, records, batches, anonymous counts, merge, tallies, serialization.
#include <algorithm>
#include <cstring>
#include <limits>

#include "jamstat/engine/person_free.hpp"
#include "firewall.hpp"
#include "../engine/message_text.hpp"

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
std::span<const T> typed(const void* data, size_t rows) {
  return {static_cast<const T*>(data), rows};
}

// Describes column `i` of a kind for messages: "code column 2 ('education')".
std::string column_name(const jamstat::schema& s, const char* kind, size_t i, size_t field) {
  return std::string(kind) + " column " + std::to_string(i) + " ('" + s.field_name(field) + "')";
}

[[noreturn]] void wrong_type(uint32_t type, const std::string& name, const char* allowed) {
  throw api_error(JAMSTAT_ERROR_INVALID_ARGUMENT,
                  name + " has type " + type_name(type) + " (" + std::to_string(type) + "); allowed: " + allowed);
}

// One column of a C batch: its type, data and length, and its name for messages.
struct column_ref {
  uint32_t type;
  const void* data;
  uint64_t length;
};

// Translates C columns (codes, outcomes, numerics, person ids) into the engine's column_batch;
// string ids are gathered into `ids`. Every column must hold `rows` values.
jamstat::column_batch to_batch(const jamstat::schema& s, uint64_t rows, const std::vector<column_ref>& codes,
                               const std::vector<column_ref>& outcomes, const std::vector<column_ref>& numerics,
                               column_ref p, std::vector<std::string_view>& ids) {
  auto count = [&](size_t got, size_t want, const char* what) {
    if (got != want)
      throw api_error(JAMSTAT_ERROR_INVALID_ARGUMENT, std::string("batch has ") + std::to_string(got) + " " + what +
                                                          " columns; the schema has " + std::to_string(want));
  };
  count(codes.size(), s.dimensions().size(), "code");
  count(outcomes.size(), s.outcomes().size(), "outcome");
  count(numerics.size(), s.numeric_measures().size(), "numeric");
  if (rows > std::numeric_limits<size_t>::max() / 8)
    throw api_error(JAMSTAT_ERROR_INVALID_ARGUMENT, "batch has " + std::to_string(rows) + " rows, more than memory can hold");
  auto check_column = [&](const column_ref& c, const std::string& name) {
    if (c.length != rows)
      throw api_error(JAMSTAT_ERROR_INVALID_ARGUMENT, name + " has " + std::to_string(c.length) + " values; the batch has " +
                                                          std::to_string(rows) + " rows");
    if (rows > 0 && !c.data) throw api_error(JAMSTAT_ERROR_NULL_ARGUMENT, name + " has no data (NULL)");
  };
  const auto n = static_cast<size_t>(rows);
  jamstat::column_batch out;
  out.rows = n;
  for (size_t d = 0; d < codes.size(); ++d) {
    const column_ref& c = codes[d];
    const std::string name = column_name(s, "code", d, d);
    check_column(c, name);
    switch (c.type) {
      case JAMSTAT_COLUMN_U8: out.codes.emplace_back(typed<uint8_t>(c.data, n)); break;
      case JAMSTAT_COLUMN_U16: out.codes.emplace_back(typed<uint16_t>(c.data, n)); break;
      case JAMSTAT_COLUMN_I32: out.codes.emplace_back(typed<int32_t>(c.data, n)); break;
      default: wrong_type(c.type, name, "U8, U16, I32");
    }
  }
  for (size_t o = 0; o < outcomes.size(); ++o) {
    const column_ref& c = outcomes[o];
    const std::string name = column_name(s, "outcome", o, s.outcome_field(o));
    check_column(c, name);
    switch (c.type) {
      case JAMSTAT_COLUMN_U8: out.outcomes.emplace_back(typed<uint8_t>(c.data, n)); break;
      case JAMSTAT_COLUMN_I32: out.outcomes.emplace_back(typed<int32_t>(c.data, n)); break;
      default: wrong_type(c.type, name, "U8, I32");
    }
  }
  for (size_t m = 0; m < numerics.size(); ++m) {
    const column_ref& c = numerics[m];
    const std::string name = column_name(s, "numeric", m, s.numeric_field(m));
    check_column(c, name);
    switch (c.type) {
      case JAMSTAT_COLUMN_F64: out.numerics.emplace_back(typed<double>(c.data, n)); break;
      case JAMSTAT_COLUMN_F32: out.numerics.emplace_back(typed<float>(c.data, n)); break;
      case JAMSTAT_COLUMN_I64:
        if (s.domain(m).kind != jamstat::measure_kind::decimal) wrong_type(c.type, name, "F64, F32 (I64 grid units only for decimal measures)");
        out.numerics.emplace_back(typed<int64_t>(c.data, n));
        break;
      default: wrong_type(c.type, name, s.domain(m).kind == jamstat::measure_kind::decimal ? "F64, F32, I64" : "F64, F32");
    }
  }
  if (p.type != JAMSTAT_COLUMN_NONE) check_column(p, "the person_id column");
  switch (p.type) {
    case JAMSTAT_COLUMN_NONE: break;
    case JAMSTAT_COLUMN_U32: out.persons = typed<uint32_t>(p.data, n); break;
    case JAMSTAT_COLUMN_U64: out.persons = typed<uint64_t>(p.data, n); break;
    case JAMSTAT_COLUMN_BYTES: {
      const auto* strings = static_cast<const jamstat_bytes*>(p.data);
      ids.resize(n);
      for (size_t i = 0; i < n; ++i) {
        if (!strings[i].data && strings[i].length > 0)
          throw api_error(JAMSTAT_ERROR_NULL_ARGUMENT, "row " + std::to_string(i) + ": person_id has length " +
                                                           std::to_string(strings[i].length) + " but no data (NULL)");
        ids[i] = strings[i].data ? std::string_view(reinterpret_cast<const char*>(strings[i].data), strings[i].length)
                                 : std::string_view();
      }
      out.persons = std::span<const std::string_view>(ids);
      break;
    }
    default: wrong_type(p.type, "the person_id column", "NONE, U32, U64, BYTES");
  }
  return out;
}

// A jamstat_batch's columns (each `rows` long by definition).
jamstat::column_batch to_batch(const jamstat::schema& s, const jamstat_batch& b, std::vector<std::string_view>& ids) {
  auto refs = [&](const jamstat_column* columns, size_t count, const char* what) {
    if (count > 0) require(columns, (std::string("batch.") + what).c_str());
    std::vector<column_ref> out;
    for (size_t i = 0; i < count; ++i) out.push_back({columns[i].type, columns[i].data, b.rows});
    return out;
  };
  return to_batch(s, b.rows, refs(b.codes, b.code_count, "codes"), refs(b.outcomes, b.outcome_count, "outcomes"),
                  refs(b.numerics, b.numeric_count, "numerics"), {b.person_ids.type, b.person_ids.data, b.rows}, ids);
}

// Arrays in schema field order.
jamstat::column_batch to_batch(const jamstat::aggregator& a, uint64_t rows, const jamstat_array* columns, size_t count,
                               std::vector<std::string_view>& ids) {
  const jamstat::schema& s = a.schema_ref();
  const size_t fields = s.field_count(), expected = a.counts_persons() ? fields : fields - 1;
  if (count != expected)
    throw api_error(JAMSTAT_ERROR_INVALID_ARGUMENT,
                    "add_arrays got " + std::to_string(count) + " arrays; expected " + std::to_string(expected) + " (" +
                        std::to_string(s.dimensions().size()) + " dimensions, " + std::to_string(s.outcomes().size()) +
                        " outcomes, " + std::to_string(s.numeric_measures().size()) + " numeric measures" +
                        (a.counts_persons() ? ", person_id)" : "; no person_id: persons are not counted)"));
  if (count > 0) require(columns, "columns");
  for (size_t i = 0; i < count; ++i)
    if (columns[i].flags != 0)
      throw api_error(JAMSTAT_ERROR_INVALID_ARGUMENT, "columns[" + std::to_string(i) + "].flags is " + std::to_string(columns[i].flags) +
                                                          "; expected 0 (reserved)");
  std::vector<column_ref> codes, outcomes, numerics;
  size_t i = 0;
  for (size_t d = 0; d < s.dimensions().size(); ++d, ++i) codes.push_back({columns[i].type, columns[i].data, columns[i].length});
  for (size_t o = 0; o < s.outcomes().size(); ++o, ++i) outcomes.push_back({columns[i].type, columns[i].data, columns[i].length});
  for (size_t m = 0; m < s.numeric_measures().size(); ++m, ++i)
    numerics.push_back({columns[i].type, columns[i].data, columns[i].length});
  const column_ref person = a.counts_persons() ? column_ref{columns[i].type, columns[i].data, columns[i].length}
                                               : column_ref{JAMSTAT_COLUMN_NONE, nullptr, rows};
  if (a.counts_persons() && person.type == JAMSTAT_COLUMN_NONE)
    throw api_error(JAMSTAT_ERROR_INVALID_ARGUMENT, "the person_id array has type NONE, but this aggregator counts persons");
  return to_batch(s, rows, codes, outcomes, numerics, person, ids);
}

// Copies a message into a fixed buffer, cut at a UTF-8 character boundary.
void copy_message(const std::string& message, char* out, size_t capacity) {
  size_t n = std::min(message.size(), capacity - 1);
  while (n > 0 && n < message.size() && (static_cast<unsigned char>(message[n]) & 0xC0) == 0x80) --n;
  std::memcpy(out, message.data(), n);
  out[n] = 0;
}

// Runs a batch and reports into the caller's result: counts, the first bad row with its message,
// and (when the caller gave a buffer) every bad row, under either policy.
void run_batch(jamstat::aggregator& a, const jamstat::column_batch& batch, jamstat_batch_result* result) {
  if (result) require_struct_size(result->struct_size, JAMSTAT_FIELD_END(jamstat_batch_result, first_rejected_reason), "result",
                                  "JAMSTAT_BATCH_RESULT_INIT");
  const bool v2 = result && has_field(result->struct_size, JAMSTAT_FIELD_END(jamstat_batch_result, error_count));
  const bool wants_errors = v2 && result->errors && result->error_capacity > 0;
  if (v2) {
    result->first_rejected_message[0] = 0;
    result->error_count = 0;
  }
  auto fill_errors = [&] {
    if (!v2) return;
    uint64_t stored = 0;
    result->error_count = a.find_bad_rows(batch, [&](uint64_t row, size_t field, jamstat::rejection_reason reason) {
      if (!wants_errors || stored >= result->error_capacity) return;
      result->errors[stored++] = {row, static_cast<int64_t>(field), static_cast<int32_t>(reason), 0};
    });
  };
  try {
    const jamstat::batch_result r = a.add_batch(batch);
    if (result) {
      result->accepted = r.accepted;
      result->rejected = r.rejected;
      result->first_rejected_row = r.first_rejected ? static_cast<int64_t>(r.first_rejected->row) : -1;
      result->first_rejected_field = r.first_rejected ? static_cast<int64_t>(r.first_rejected->field) : -1;
      result->first_rejected_reason = r.first_rejected ? static_cast<int32_t>(r.first_rejected->reason) : -1;
      if (v2 && r.first_rejected) copy_message(r.first_rejected->message, result->first_rejected_message, 256);
      if (v2 && r.rejected > 0) fill_errors();
    }
  } catch (const jamstat::input_error& e) {
    // REJECT: nothing was added. Report the first bad row in the result too, and every bad row
    // in the caller's buffer, so that a file can be fixed in one pass.
    if (result) {
      result->accepted = 0;
      result->rejected = 0;
      result->first_rejected_row = static_cast<int64_t>(e.row());
      result->first_rejected_field = static_cast<int64_t>(e.field());
      result->first_rejected_reason = static_cast<int32_t>(e.reason());
      if (v2) copy_message(jamstat::detail::safe_message(e.what(), 255), result->first_rejected_message, 256);
      fill_errors();
    }
    throw;
  }
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

void jamstat_aggregator_free(jamstat_aggregator** aggregator) { free_handle(aggregator, aggregator_magic, "jamstat_aggregator"); }

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
    require_input_struct(batch, batch->struct_size, JAMSTAT_FIELD_END(jamstat_batch, person_ids), sizeof(jamstat_batch), "batch",
                         "JAMSTAT_BATCH_INIT");
    std::vector<std::string_view> ids;
    run_batch(a, to_batch(a.schema_ref(), *batch, ids), result);
  });
}

jamstat_status jamstat_aggregator_add_arrays(jamstat_aggregator* aggregator, uint64_t rows, const jamstat_array* columns,
                                             size_t column_count, jamstat_batch_result* result) {
  return guarded([&] {
    jamstat::aggregator& a = check(aggregator)->aggregator;
    std::vector<std::string_view> ids;
    run_batch(a, to_batch(a, rows, columns, column_count, ids), result);
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

jamstat_status jamstat_aggregator_serialized_size(const jamstat_aggregator* aggregator, size_t* out) {
  return guarded([&] { *require(out, "out") = jamstat::state_size(check(aggregator)->aggregator); });
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

jamstat_status jamstat_aggregator_state_form(const jamstat_aggregator* aggregator, int32_t* out) {
  return guarded([&] {
    require(out, "out");
    const jamstat::aggregator& a = check(aggregator)->aggregator;
    *out = a.is_person_free() ? JAMSTAT_STATE_PERSON_FREE : a.counts_persons() ? JAMSTAT_STATE_PSEUDONYMISED : JAMSTAT_STATE_PARTICIPATIONS_ONLY;
  });
}

jamstat_status jamstat_aggregator_person_free(const jamstat_aggregator* aggregator, const uint64_t* grouping_masks, size_t count,
                                              jamstat_aggregator** out) {
  return guarded([&] {
    require(out, "out");
    const jamstat::aggregator& a = check(aggregator)->aggregator;
    if (count > 0) require(grouping_masks, "grouping_masks");
    jamstat::aggregator copy = jamstat::person_free(a, {grouping_masks, count});
    *out = new jamstat_aggregator{aggregator_magic, std::move(copy)};
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
