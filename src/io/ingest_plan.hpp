// The schema file compiled against one CSV file's header (internal): which column feeds which
// dimension, outcome, measure or person id, how each text becomes a code or a value, and the
// batch of columns rows are gathered into for aggregator::add_batch.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "csv_preamble.hpp"
#include "jamstat/engine/record.hpp"
#include "jamstat/engine/schema.hpp"
#include "jamstat/io/input_errors.hpp"
#include "jamstat/io/schema_file.hpp"

namespace jamstat::io::detail {

inline constexpr std::size_t no_column = static_cast<std::size_t>(-1);

// Case-folded spellings, looked up by string_view without allocating.
struct text_hash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
};
using spelling_map = std::unordered_map<std::string, std::int32_t, text_hash, std::equal_to<>>;
/// A few case-folded spellings (missing-value spellings: "", "NA", "-"), compared one by one.
class spelling_set {
 public:
  void add(std::string s) {
    if (!contains(s)) items_.push_back(std::move(s));
  }
  bool contains(std::string_view s) const noexcept {
    for (const std::string& i : items_)
      if (i == s) return true;
    return false;
  }
  auto begin() const noexcept { return items_.begin(); }
  auto end() const noexcept { return items_.end(); }

 private:
  std::vector<std::string> items_;
};

/// Longest text folded on the stack for a lookup (longer texts are folded on the heap).
inline constexpr std::size_t fold_stack = 128;

struct dim_plan {
  enum class how : std::uint8_t { codes, spellings, bands };
  std::string name;
  const dimension* dim = nullptr;
  std::uint8_t width = 1;  // bytes of the code column: 1 (u8), 2 (u16) or 4 (i32)
  value_source source = value_source::column;
  std::size_t column = no_column;
  how kind = how::codes;
  spelling_map spellings;
  std::string expected;  // "one of K, M, kvinna, man" for messages
  std::vector<value_band> bands;               // sorted by min
  std::vector<std::int32_t> small_band_codes;  // value 0..255 -> code, or -1 (no band)
  std::vector<std::uint8_t> code_ok;           // codes: code_ok[code] for codes 0..size-1
  spelling_set missing;
  std::optional<std::int32_t> missing_code;
};

struct outcome_plan {
  std::string name;
  std::size_t column = no_column;
  spelling_map values;
  bool digits = false;  // exactly "0" -> 0 and "1" -> 1
  std::string expected;
  spelling_set missing;
};

struct measure_plan {
  std::string name;
  std::size_t column = no_column;
  measure_domain domain;
  bool decimal = false;
  spelling_set missing;
  bool has_missing_value = false;
  std::int64_t missing_units = 0;
  double missing_double = 0;
  std::string expected;  // "a number with at most 2 decimals from 0 to 99999.99"
};

struct person_plan {
  person_id_form form = person_id_form::integer;
  std::size_t column = no_column;
  spelling_set missing;
};

struct personnummer_plan {
  std::size_t column = no_column;
  spelling_set missing;
  bool sex = false;                       // sex (dimension 0) comes from it
  std::size_t age_dimension = no_column;  // the dimension whose bands the age falls in
  bool person = false;                    // the person id is its canonical form
  std::chrono::year_month_day reference{};
};

enum class job_kind : std::uint8_t { dimension, outcome, measure, person, personnummer };
struct column_job {
  job_kind kind;
  std::uint32_t index;
};

/// The fast path's handling of one column (see fast_rows.hpp).
enum class fast_kind : std::uint8_t {
  skip,           // not used: step over it
  bail,           // hand every row to the general path
  dim_codes,
  dim_spellings,
  dim_bands,
  outcome_digit,
  outcome_spellings,
  measure_decimal,
  measure_floating,
  person_integer,
  person_text,
  personnummer,
};
struct fast_column {
  fast_kind kind = fast_kind::skip;
  std::uint32_t index = 0;
};

struct ingest_plan {
  std::string file;
  std::vector<std::string> header;
  std::size_t columns = 0;
  char separator = ',';
  number_format numbers;
  std::vector<dim_plan> dims;  // one per schema dimension, sex first
  std::vector<outcome_plan> outcomes;
  std::vector<measure_plan> measures;
  std::optional<person_plan> person;
  std::optional<personnummer_plan> personnummer;
  std::vector<std::vector<column_job>> jobs;  // per CSV column
  std::vector<fast_column> fast;              // per CSV column
  std::vector<std::uint8_t> column_used;      // per CSV column
  /// "column 3 'Kön'" (or "column 3" without a header).
  std::string column_label(std::size_t c) const;
  /// The header name of column c (or "column N").
  std::string column_name(std::size_t c) const;
};

/// Compiles `file` against one CSV file's preamble. Throws csv_layout_error when a named column
/// is not in the header (or is there twice), or a position is beyond the row's fields.
ingest_plan make_plan(const schema_file& file, const jamstat::schema& schema, const csv_preamble& preamble,
                      const number_format& numbers, const std::string& file_name, bool fast_path);

/// The columns of one batch, filled row by row.
class batch_builder {
 public:
  batch_builder(const ingest_plan& plan, std::size_t capacity);

  std::size_t rows() const noexcept { return rows_; }
  bool full() const noexcept { return rows_ == capacity_; }

  /// Starts a row (remembers where the person-id text arena ends, to undo an abandoned row).
  void begin_row() noexcept { arena_mark_ = arena_.size(); }
  void abandon_row() noexcept { arena_.resize(arena_mark_); }
  void commit(std::uint64_t line) noexcept {
    lines_[rows_] = line;
    ++rows_;
  }

  void set_code(std::size_t d, std::int32_t code) noexcept {
    switch (code_width_[d]) {
      case 1: codes8_[d][rows_] = static_cast<std::uint8_t>(code); break;
      case 2: codes16_[d][rows_] = static_cast<std::uint16_t>(code); break;
      default: codes32_[d][rows_] = code; break;
    }
  }
  void set_outcome(std::size_t o, std::uint8_t v) noexcept { outcomes_[o][rows_] = v; }
  void set_units(std::size_t m, std::int64_t u) noexcept {
    units_[m][rows_] = u;
    if (!rounded_[m].empty()) rounded_[m][rows_] = 0;
  }
  /// A decimal value rounded to the grid (off-grid policy round): the aggregator counts it.
  void set_rounded_units(std::size_t m, std::int64_t u) noexcept {
    units_[m][rows_] = u;
    rounded_[m][rows_] = 1;
    any_rounded_[m] = 1;
  }
  void set_value(std::size_t m, double x) noexcept { values_[m][rows_] = x; }
  void set_person(std::uint64_t id) noexcept { person_ints_[rows_] = id; }
  void set_person(std::string_view text) {
    person_start_[rows_] = static_cast<std::uint32_t>(arena_.size());
    person_length_[rows_] = static_cast<std::uint32_t>(text.size());
    arena_.append(text);
  }

  std::uint64_t line(std::size_t row) const noexcept { return lines_[row]; }

  // The columns' storage, for the fast path (stable: sized once, never reallocated).
  std::uint8_t code_width(std::size_t d) const noexcept { return code_width_[d]; }
  std::uint8_t* codes8(std::size_t d) noexcept { return codes8_[d].data(); }
  std::uint16_t* codes16(std::size_t d) noexcept { return codes16_[d].data(); }
  std::int32_t* codes32(std::size_t d) noexcept { return codes32_[d].data(); }
  std::uint8_t* outcomes(std::size_t o) noexcept { return outcomes_[o].data(); }
  std::int64_t* units(std::size_t m) noexcept { return units_[m].data(); }
  std::uint8_t* rounded(std::size_t m) noexcept { return rounded_[m].empty() ? nullptr : rounded_[m].data(); }
  double* values(std::size_t m) noexcept { return values_[m].data(); }
  std::uint64_t* person_ints() noexcept { return person_ints_.data(); }

  /// The batch over rows [first, first + count) (views of this builder's arrays).
  column_batch batch(std::size_t first, std::size_t count);
  void clear() noexcept;

 private:
  const ingest_plan& plan_;
  std::size_t capacity_;
  std::size_t rows_ = 0;
  std::vector<std::uint8_t> code_width_;
  std::vector<std::vector<std::uint8_t>> codes8_;
  std::vector<std::vector<std::uint16_t>> codes16_;
  std::vector<std::vector<std::int32_t>> codes32_;
  std::vector<std::vector<std::uint8_t>> outcomes_;
  std::vector<std::vector<std::int64_t>> units_;
  std::vector<std::vector<std::uint8_t>> rounded_;
  std::vector<std::uint8_t> any_rounded_;
  std::vector<std::vector<double>> values_;
  std::vector<std::vector<double>> rounded_values_;  // doubles for a decimal measure with rounded values
  std::vector<std::uint64_t> person_ints_;
  std::vector<std::uint32_t> person_start_, person_length_;
  std::vector<std::string_view> person_views_;
  std::string arena_;
  std::size_t arena_mark_ = 0;
  std::vector<std::uint64_t> lines_;
};

/// Why a row was rejected: the problem, the CSV column (no_column for the whole row) and a
/// message without location (personnummer masked).
struct row_fault {
  row_problem problem = row_problem::column_count;
  std::size_t column = no_column;
  std::string message;
};

/// Converts the fields of one row (exactly plan.columns of them) into the builder's current
/// row: the general path, which defines every rule. `texts[c]` is column c's text (quotes
/// removed, not trimmed). Returns the fault, or nullopt when the row is ready to commit.
std::optional<row_fault> convert_row(const ingest_plan& plan, const std::vector<std::string_view>& texts,
                                     batch_builder& out);

}  // namespace jamstat::io::detail
