// Record batches through the Arrow C Data Interface: jamstat_aggregator_add_arrow. The batch's
// children are bound to schema fields, checked (layout, offsets, dictionary indices) before
// anything is added, and read block by block: in place where the buffers are what the engine
// takes, converted otherwise (docs/c-abi.md, "Arrow").
#include <algorithm>
#include <cctype>
#include <cstring>
#include <deque>
#include <limits>
#include <optional>

#include "arrow_column.hpp"
#include "arrow_readers.hpp"
#include "firewall.hpp"
#include "../engine/message_text.hpp"

using namespace jamstat::c_api;
using namespace jamstat::c_api::arrow;

namespace {

constexpr std::uint32_t known_flags =
    JAMSTAT_ARROW_BY_POSITION | JAMSTAT_ARROW_RELEASE | JAMSTAT_ARROW_SKIP_UNKNOWN | JAMSTAT_ARROW_GRID_UNITS;

// Rows converted at a time: small enough that the converted columns stay in cache, large enough
// that the engine's per-batch work (folding touched cells) is amortised. With person ids, each
// engine batch ends by merging every touched cell's new person hashes into its sorted set, so
// blocks are larger there.
constexpr std::int64_t block_rows = std::int64_t{1} << 17;
constexpr std::int64_t person_block_rows = std::int64_t{1} << 20;

[[noreturn]] void invalid(const std::string& message) { throw api_error(JAMSTAT_ERROR_INVALID_ARGUMENT, message); }

const char* field_kind(const jamstat::schema& s, std::size_t f) {
  if (f < s.dimensions().size()) return "dimension";
  if (f < s.outcome_field(s.outcomes().size())) return "outcome";
  if (f < s.person_id_field()) return "numeric measure";
  return "person_id";
}

// Appended piece by piece (here and in the other Arrow files): GCC 12 at -O3 misreads
// `"'" + std::string&&` as an overlapping copy (-Wrestrict), which fails the Release build.
std::string quoted(std::string_view text) {
  std::string out = "'";
  out += jamstat::detail::text_for_message(text);
  out += '\'';
  return out;
}

// The fields a batch must feed, for messages: "sex, region, work, hours".
std::string field_list(const jamstat::schema& s, bool persons) {
  std::string list;
  const std::size_t n = persons ? s.field_count() : s.field_count() - 1;
  for (std::size_t f = 0; f < n; ++f) {
    if (f) list += ", ";
    list += jamstat::detail::text_for_message(s.field_name(f), 60);
  }
  return list;
}

// The record batch: its children bound to the schema's fields and read through field readers.
class batch_reader {
 public:
  batch_reader(const jamstat::aggregator& a, const ArrowSchema& schema, const ArrowArray& array, const jamstat_arrow_options& o)
      : s_(a.schema_ref()), persons_(a.counts_persons()) {
    check_top_level(schema, array);
    const std::vector<std::int64_t> child_of = bind(schema, o);
    const std::size_t fields = s_.field_count();
    const bool grid_units = (o.flags & JAMSTAT_ARROW_GRID_UNITS) != 0;
    columns_.resize(fields);
    for (std::size_t f = 0; f < fields; ++f) {
      if (child_of[f] < 0) continue;
      const auto i = static_cast<std::size_t>(child_of[f]);
      // A fault of the child is located at the field it feeds (and the row, when it has one).
      try {
        columns_[f] = std::make_unique<column>(*schema.children[i], *array.children[i], i, shape_);
        const column& c = *columns_[f];
        if (f < s_.dimensions().size()) codes_.emplace_back(c, s_.dimensions()[f], f == 0);
        else if (f < s_.outcome_field(s_.outcomes().size())) outcomes_.emplace_back(c, s_.outcomes()[f - s_.dimensions().size()].name);
        else if (f < s_.person_id_field()) {
          const std::size_t m = f - s_.outcome_field(s_.outcomes().size());
          measures_.emplace_back(c, s_.numeric_measures()[m], s_.domain(m), grid_units);
        } else persons_reader_.emplace(c);
      } catch (const located_error& e) {
        throw located_error(e.status(), e.what(), e.row(), static_cast<std::int64_t>(f));
      } catch (const api_error& e) {
        throw located_error(e.status(), e.what(), -1, static_cast<std::int64_t>(f));
      }
    }
  }

  std::int64_t rows() const noexcept { return shape_.rows; }

  /// Rows per engine batch: the whole batch when every column is read in place.
  std::int64_t block_size() const noexcept {
    bool in_place = !persons_reader_ || persons_reader_->in_place();
    for (const auto& r : codes_) in_place = in_place && r.in_place();
    for (const auto& r : outcomes_) in_place = in_place && r.in_place();
    for (const auto& r : measures_) in_place = in_place && r.in_place();
    if (in_place) return std::max<std::int64_t>(shape_.rows, 1);
    return persons_ ? person_block_rows : block_rows;
  }

  /// Rows [r0, r0 + n) as an engine batch (spans into the Arrow buffers or this reader's buffers,
  /// valid until the next call).
  jamstat::column_batch block(std::int64_t r0, std::size_t n) {
    jamstat::column_batch b;
    b.rows = n;
    for (auto& r : codes_) b.codes.push_back(r.block(r0, n));
    for (auto& r : outcomes_) b.outcomes.push_back(r.block(r0, n));
    for (auto& r : measures_) b.numerics.push_back(r.block(r0, n));
    if (persons_reader_) b.persons = persons_reader_->block(r0, n);
    return b;
  }

  /// A bad row's message, worded from the Arrow value: "row 70000: dimension 'region' (Arrow
  /// child 1 'region'): code is missing (null); expected one of 1, 2".
  std::string message(std::uint64_t row, std::size_t field, jamstat::rejection_reason reason) const {
    const auto r = static_cast<std::int64_t>(row);
    const std::string at = "row " + std::to_string(row) + ": ";
    if (field == s_.person_id_field()) return at + persons_reader_->describe(r) + " (" + columns_[field]->where() + ")";
    std::string what;
    if (field < s_.dimensions().size()) what = codes_[field].describe(r);
    else if (field < s_.outcome_field(s_.outcomes().size())) what = outcomes_[field - s_.dimensions().size()].describe(r);
    else what = measures_[field - s_.outcome_field(s_.outcomes().size())].describe(r, reason);
    return at + field_kind(s_, field) + " " + quoted(s_.field_name(field)) + " (" + columns_[field]->where() + "): " + what;
  }

 private:
  void check_top_level(const ArrowSchema& schema, const ArrowArray& array) {
    if (!schema.release) invalid("the ArrowSchema has been released (release is NULL)");
    if (!array.release) invalid("the ArrowArray has been released (release is NULL)");
    if (!schema.format || std::strcmp(schema.format, "+s") != 0)
      invalid("the ArrowSchema has type " + format_name(schema.format) +
              "; a record batch is given as a struct array (format '+s') whose children are its columns");
    if (schema.dictionary || array.dictionary) invalid("the record batch (struct array) must not be dictionary-encoded");
    if (schema.n_children != array.n_children)
      invalid("the ArrowSchema has " + std::to_string(schema.n_children) + " children but the ArrowArray " +
              std::to_string(array.n_children));
    if (schema.n_children < 0) invalid("the ArrowSchema has " + std::to_string(schema.n_children) + " children");
    if (schema.n_children > 0 && (!schema.children || !array.children))
      invalid(std::string("the ") + (schema.children ? "ArrowArray" : "ArrowSchema") + " has " +
              std::to_string(schema.n_children) + " children but its children pointer is NULL");
    for (std::int64_t i = 0; i < schema.n_children; ++i)
      if (!schema.children[i] || !array.children[i])
        invalid("Arrow child " + std::to_string(i) + ": its " + (schema.children[i] ? "ArrowArray" : "ArrowSchema") + " is NULL");
    if (array.length < 0 || array.offset < 0)
      invalid("the record batch's length " + std::to_string(array.length) + " and offset " + std::to_string(array.offset) +
              " must not be negative");
    if (array.offset > std::numeric_limits<std::int64_t>::max() - array.length)
      invalid("the record batch's offset plus length overflows");
    if (array.n_buffers != 0 && array.n_buffers != 1)
      invalid("the record batch (struct array) has " + std::to_string(array.n_buffers) + " buffers; a struct array has 1 (validity)");
    if (array.null_count < -1 || array.null_count > array.length)
      invalid("the record batch's null_count " + std::to_string(array.null_count) + " is not within [-1, length]");
    shape_.rows = array.length;
    shape_.offset = array.offset;
    if (array.n_buffers == 1 && array.null_count != 0) {
      if (!array.buffers) invalid("the record batch's buffers pointer is NULL");
      const auto* validity = static_cast<const std::uint8_t*>(array.buffers[0]);
      if (!validity && array.null_count > 0)
        invalid("the record batch's null_count is " + std::to_string(array.null_count) + " but its validity bitmap is NULL");
      // A null row of the struct makes every one of its fields missing (as Arrow's flattening does).
      if (validity && count_zeros(validity, array.offset, array.length) > 0) shape_.validity = validity;
    }
  }

  // Which child feeds each schema field (-1: none; person_id only when persons are counted).
  std::vector<std::int64_t> bind(const ArrowSchema& schema, const jamstat_arrow_options& o) const {
    const std::size_t fields = s_.field_count(), person = s_.person_id_field();
    const std::size_t wanted = persons_ ? fields : fields - 1;
    const auto children = static_cast<std::size_t>(schema.n_children);
    std::vector<std::int64_t> child_of(fields, -1);
    if (o.flags & JAMSTAT_ARROW_BY_POSITION) {
      if (children != wanted)
        invalid("the record batch has " + std::to_string(children) + " children; by position it needs " + std::to_string(wanted) +
                " (" + field_list(s_, persons_) + ")" + (persons_ ? "" : "; no person_id: persons are not counted"));
      for (std::size_t f = 0; f < wanted; ++f) child_of[f] = static_cast<std::int64_t>(f);
      return child_of;
    }
    for (std::size_t i = 0; i < children; ++i) {
      const char* name = o.field_names ? o.field_names[i] : schema.children[i]->name;
      const std::string source =
          o.field_names ? "options.field_names[" + std::to_string(i) + "]" : "Arrow child " + std::to_string(i) + "'s name";
      if (o.field_names && !name) continue;  // skipped by the caller
      const std::string_view n = name ? name : "";
      std::optional<std::size_t> field;
      for (std::size_t f = 0; f < fields && !field; ++f)
        if (s_.field_name(f) == n) field = f;
      if (!field) {
        if (!o.field_names && (o.flags & JAMSTAT_ARROW_SKIP_UNKNOWN)) continue;
        std::string hint;
        for (std::size_t f = 0; f < fields; ++f) {
          const std::string& fname = s_.field_name(f);
          if (fname.size() == n.size() && std::equal(fname.begin(), fname.end(), n.begin(), [](char a, char b) {
                return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
              }))
            hint = " (names are case-sensitive: the schema has " + quoted(fname) + ")";
        }
        invalid(source + " " + (name ? quoted(n) : std::string("(NULL)")) + " is not a field of the schema" + hint +
                "; the fields are " + field_list(s_, persons_) +
                (o.field_names ? "" : " (set JAMSTAT_ARROW_SKIP_UNKNOWN to skip other children, or give options.field_names)"));
      }
      if (*field == person && !persons_)
        invalid(source + " is 'person_id', but this aggregator does not count persons (create it with a person key to count "
                         "distinct persons, or leave the child out: options.field_names with NULL for it)");
      if (child_of[*field] >= 0)
        invalid("Arrow children " + std::to_string(child_of[*field]) + " and " + std::to_string(i) + " both feed " +
                field_kind(s_, *field) + " " + quoted(s_.field_name(*field)));
      child_of[*field] = static_cast<std::int64_t>(i);
    }
    for (std::size_t f = 0; f < wanted; ++f)
      if (child_of[f] < 0)
        invalid(std::string("no Arrow child feeds ") + field_kind(s_, f) + " " + quoted(s_.field_name(f)) +
                " (the batch must have one child per field: " + field_list(s_, persons_) + ")");
    return child_of;
  }

  const jamstat::schema& s_;
  bool persons_;
  batch_shape shape_;
  std::vector<std::unique_ptr<column>> columns_;  // per schema field
  std::deque<code_reader> codes_;                 // deques: readers refer to the columns and stay put
  std::deque<outcome_reader> outcomes_;
  std::deque<measure_reader> measures_;
  std::optional<person_reader> persons_reader_;
};

// Copies a message into the result's fixed buffer, cut at a UTF-8 character boundary.
void copy_message(const std::string& message, char* out, std::size_t capacity) {
  const std::string safe = jamstat::detail::safe_message(message, capacity - 1);
  std::memcpy(out, safe.data(), safe.size());
  out[safe.size()] = 0;
}

struct bad_row {
  std::uint64_t row;
  std::size_t field;
  jamstat::rejection_reason reason;
};

// Adds the batch block by block and reports into the caller's result as add_arrays does: counts,
// the first bad row with its message, and (when the caller gave a buffer) every bad row.
void run(jamstat::aggregator& a, batch_reader& reader, jamstat_batch_result* result) {
  if (result)
    require_struct_size(result->struct_size, JAMSTAT_FIELD_END(jamstat_batch_result, first_rejected_reason), "result",
                        "JAMSTAT_BATCH_RESULT_INIT");
  const bool v2 = result && has_field(result->struct_size, JAMSTAT_FIELD_END(jamstat_batch_result, error_count));
  const bool wants_errors = v2 && result->errors && result->error_capacity > 0;
  const bool reject = a.options().on_bad_record == jamstat::bad_record_policy::reject;
  const std::int64_t rows = reader.rows(), size = reader.block_size();
  std::uint64_t accepted = 0, rejected = 0, error_count = 0, stored = 0;
  std::optional<bad_row> first;

  // Every bad row of a block (rows numbered within the whole batch) into the caller's buffer.
  auto find_bad_rows = [&](const jamstat::column_batch& b, std::int64_t r0) {
    error_count += a.find_bad_rows(b, [&](std::uint64_t row, std::size_t field, jamstat::rejection_reason reason) {
      const std::uint64_t r = row + static_cast<std::uint64_t>(r0);
      if (!first) first = bad_row{r, field, reason};
      if (wants_errors && stored < result->error_capacity)
        result->errors[stored++] = {r, static_cast<std::int64_t>(field), static_cast<std::int32_t>(reason), 0};
    });
  };
  auto report = [&]() {
    if (!result) return;
    result->accepted = accepted;
    result->rejected = rejected;
    result->first_rejected_row = first ? static_cast<std::int64_t>(first->row) : -1;
    result->first_rejected_field = first ? static_cast<std::int64_t>(first->field) : -1;
    result->first_rejected_reason = first ? static_cast<std::int32_t>(first->reason) : -1;
    if (v2) {
      result->first_rejected_message[0] = 0;
      if (first) copy_message(reader.message(first->row, first->field, first->reason), result->first_rejected_message, 256);
      result->error_count = error_count;
    }
  };
  auto reject_batch = [&]() {
    accepted = rejected = 0;
    report();
    throw jamstat::input_error(reader.message(first->row, first->field, first->reason), first->row, first->field, first->reason);
  };
  auto for_each_block = [&](auto&& body) {
    std::int64_t r0 = 0;
    do {
      const auto n = static_cast<std::size_t>(std::min(size, rows - r0));
      body(reader.block(r0, n), r0);
      r0 += static_cast<std::int64_t>(n);
    } while (r0 < rows);
  };

  if (reject && rows > size) {
    // All-or-nothing across blocks: every block is checked before the first is added.
    for_each_block([&](const jamstat::column_batch& b, std::int64_t r0) { find_bad_rows(b, r0); });
    if (error_count > 0) reject_batch();
    for_each_block([&](const jamstat::column_batch& b, std::int64_t) {
      try {
        accepted += a.add_batch(b).accepted;
      } catch (const jamstat::input_error& e) {
        throw api_error(JAMSTAT_ERROR_INTERNAL, "internal error: a block checked clean was refused (" + std::string(e.what()) +
                                                    "); " + std::to_string(accepted) + " rows were added");
      }
    });
    report();
    return;
  }
  for_each_block([&](const jamstat::column_batch& b, std::int64_t r0) {
    jamstat::batch_result r;
    try {
      r = a.add_batch(b);
    } catch (const jamstat::input_error& e) {
      // Reject policy, one block: nothing was added. Every bad row into the caller's buffer.
      first = bad_row{e.row() + static_cast<std::uint64_t>(r0), e.field(), e.reason()};
      if (v2) find_bad_rows(b, r0);
      reject_batch();
    }
    accepted += r.accepted;
    rejected += r.rejected;
    if (r.first_rejected && !first)
      first = bad_row{r.first_rejected->row + static_cast<std::uint64_t>(r0), r.first_rejected->field, r.first_rejected->reason};
    if (v2 && r.rejected > 0) find_bad_rows(b, r0);
  });
  report();
}

// Releases the caller's structures (JAMSTAT_ARROW_RELEASE): only the base structures, as the
// specification says a consumer must; their release callbacks release the children.
void release(ArrowSchema* schema, ArrowArray* array) noexcept {
  try {
    if (array && array->release) array->release(array);
  } catch (...) {
  }
  try {
    if (schema && schema->release) schema->release(schema);
  } catch (...) {
  }
}

// The call's body (inside the exception firewall).
void add_arrow(jamstat_aggregator* aggregator, ArrowSchema* schema, ArrowArray* array, const jamstat_arrow_options* options,
               jamstat_batch_result* result) {
  jamstat::aggregator& a = check(aggregator)->aggregator;
  require(schema, "schema");
  require(array, "array");
  jamstat_arrow_options o = JAMSTAT_ARROW_OPTIONS_INIT;
  if (options) {
    require_input_struct(options, options->struct_size, JAMSTAT_FIELD_END(jamstat_arrow_options, field_name_count),
                         sizeof(jamstat_arrow_options), "options", "JAMSTAT_ARROW_OPTIONS_INIT");
    o.flags = options->flags;
    o.field_names = options->field_names;
    o.field_name_count = options->field_name_count;
  }
  if (o.flags & ~known_flags)
    invalid("options.flags has unknown bits (" + std::to_string(o.flags & ~known_flags) +
            "); known: JAMSTAT_ARROW_BY_POSITION, _RELEASE, _SKIP_UNKNOWN, _GRID_UNITS");
  if (o.field_names && (o.flags & JAMSTAT_ARROW_BY_POSITION))
    invalid("options.field_names and JAMSTAT_ARROW_BY_POSITION exclude each other");
  if (o.field_names && o.field_name_count != static_cast<std::uint64_t>(std::max<std::int64_t>(schema->n_children, 0)))
    invalid("options.field_name_count is " + std::to_string(o.field_name_count) + "; the record batch has " +
            std::to_string(schema->n_children) + " children (one name, or NULL, per child)");
  if (!o.field_names && o.field_name_count != 0)
    invalid("options.field_name_count is " + std::to_string(o.field_name_count) + " but options.field_names is NULL");
  batch_reader reader(a, *schema, *array, o);
  run(a, reader, result);
}

}  // namespace

extern "C" {

jamstat_status jamstat_aggregator_add_arrow(jamstat_aggregator* aggregator, ArrowSchema* schema, ArrowArray* array,
                                            const jamstat_arrow_options* options, jamstat_batch_result* result) {
  const bool moves = options && options->struct_size >= JAMSTAT_FIELD_END(jamstat_arrow_options, flags) &&
                     (options->flags & JAMSTAT_ARROW_RELEASE) != 0;
  std::optional<std::pair<std::int64_t, std::int64_t>> place;  // row and field of a malformed child
  const jamstat_status status = guarded([&] {
    try {
      add_arrow(aggregator, schema, array, options, result);
    } catch (const located_error& e) {
      place = {e.row(), e.field()};
      throw;
    }
  });
  if (place) {
    const std::string message = jamstat_last_error_message();
    set_error(status, message.c_str(), place->first, place->second);
  }
  if (!moves) return status;
  // The error state is kept across the release callbacks (which may call into jamstat).
  const std::string message = status == JAMSTAT_OK ? std::string() : std::string(jamstat_last_error_message());
  const std::int64_t row = jamstat_last_error_row(), field = jamstat_last_error_field();
  const std::int32_t reason = jamstat_last_error_reason();
  release(schema, array);
  if (status == JAMSTAT_OK) clear_error();
  else set_error(status, message.c_str(), row, field, reason);
  return status;
}

}  // extern "C"
