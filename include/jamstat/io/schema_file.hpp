// The schema file (JSON): how the columns of a CSV export become a jamstat schema's dimensions,
// outcomes, numeric measures and person ids, plus the report's defaults. Reference with every key
// and complete examples: docs/schema-file.md.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "jamstat/engine/aggregator.hpp"
#include "jamstat/engine/person_key.hpp"
#include "jamstat/engine/schema.hpp"
#include "jamstat/io/csv_dialect.hpp"
#include "jamstat/io/input_errors.hpp"

namespace jamstat::io {

/// A CSV column, by header name (matched ignoring case and surrounding blanks) or by position.
struct column_ref {
  std::string name;          ///< as written in the schema file; empty when by position
  std::size_t position = 0;  ///< 1-based; 0 when by name
  /// "'Kön'" or "column 3".
  std::string describe() const;
  friend bool operator==(const column_ref&, const column_ref&) = default;
};

/// Where a dimension's value comes from.
enum class value_source : std::uint8_t {
  column = 0,            ///< a CSV column's text
  personnummer_sex = 1,  ///< the legal sex the personnummer column encodes (sex only)
  personnummer_age = 2,  ///< the age at the reference date the personnummer column gives (binned)
};

/// A spelling found in the data and the code it stands for ("K" -> 2). Spellings match ignoring
/// case (ASCII and the Latin-1 letters Å Ä Ö É ...) and surrounding blanks.
struct value_spelling {
  std::string text;
  std::int32_t code = 0;
  friend bool operator==(const value_spelling&, const value_spelling&) = default;
};

/// Whole numbers from `min` to `max` (inclusive) become the level `code` (age bands).
struct value_band {
  std::int32_t code = 0;
  std::int64_t min = 0;
  std::int64_t max = 0;
  friend bool operator==(const value_band&, const value_band&) = default;
};

/// How a row gives one dimension's code (sex included). With `values`, the text must be one of
/// the spellings; with `bands`, a whole number (or the age) falling in one of the bands; with
/// neither, the text is the level code itself ("0", "12").
struct dimension_mapping {
  std::string name;
  std::string label_sv;  ///< the dimension's label (reports); defaults to its name
  std::string label_en;
  value_source source = value_source::column;
  column_ref column;  ///< when source is column
  std::vector<value_spelling> values;
  std::vector<value_band> bands;
  /// Spellings of a missing value (compared like values; "" is the empty field).
  std::vector<std::string> missing;
  /// A missing value becomes this level ("Uppgift saknas"); without it the row is rejected.
  std::optional<std::int32_t> missing_code;
};

/// How a row gives an outcome's 0/1: `values` maps spellings to 0 or 1 (default "0" and "1").
struct outcome_mapping {
  std::string name;
  column_ref column;
  std::vector<value_spelling> values;
  std::vector<std::string> missing;
};

/// How a row gives a numeric measure's value. A missing value is rejected unless
/// `missing_value` is set (e.g. 0 hours for an empty field).
struct measure_mapping {
  std::string name;
  column_ref column;
  std::vector<std::string> missing;
  std::optional<double> missing_value;
};

/// The form of the person-id column.
enum class person_id_form : std::uint8_t {
  integer = 0,       ///< digits, hashed as the 8 little-endian bytes of the number (as the engine hashes integer ids)
  text = 1,          ///< any text, hashed as its UTF-8 bytes (blanks around it removed)
  personnummer = 2,  ///< the personnummer column, hashed as its canonical 12-digit form
};

/// Where the secret person key comes from: never the command line and never the schema file.
struct person_key_source {
  enum class kind : std::uint8_t {
    environment = 0,  ///< an environment variable holding 32 hexadecimal digits
    file = 1,         ///< a key file (docs/schema-file.md, "Key file")
  };
  kind from = kind::environment;
  /// The variable's name, or the file's path (a relative path in a schema file read from disk is
  /// resolved against the schema file's folder).
  std::string name;
  friend bool operator==(const person_key_source&, const person_key_source&) = default;
};

struct person_id_mapping {
  person_id_form form = person_id_form::integer;
  column_ref column;  ///< unused for the personnummer form (the personnummer column is used)
  person_key_source key;
  std::vector<std::string> missing;
};

/// What the report command analyses when its options do not say otherwise.
struct report_defaults {
  std::string outcome;                          ///< an outcome's name, or empty
  std::string measure;                          ///< a numeric measure's name (resources), or empty
  std::vector<std::string> legitimate_factors;  ///< dimensions a gap may be adjusted for
  std::vector<std::string> compare;             ///< dimensions to compare women and men across
};

/// A schema file, read and checked.
struct schema_file {
  std::string source;  ///< the file's name (messages)
  /// The engine schema: sex, then `dimensions` in order; outcomes; measures.
  std::shared_ptr<const jamstat::schema> schema;
  csv_dialect csv;
  /// Missing-value spellings of every column that does not list its own (default: "").
  std::vector<std::string> missing{""};
  /// The date ages are computed at and 10-digit personnummer resolved against. Required when a
  /// personnummer column is declared.
  std::optional<std::chrono::year_month_day> reference_date;
  /// The personnummer column, when there is one.
  std::optional<column_ref> personnummer;
  std::vector<std::string> personnummer_missing;
  /// One per schema dimension, sex first.
  std::vector<dimension_mapping> dimensions;
  std::vector<outcome_mapping> outcomes;
  std::vector<measure_mapping> measures;
  /// Set when distinct persons are counted.
  std::optional<person_id_mapping> person_id;
  report_defaults report;
};

/// Reads and checks a schema file. Throws input_file_error when it cannot be read and
/// schema_file_error (file name, JSON path, what was expected) when it is invalid.
schema_file read_schema_file(const std::filesystem::path& path);

/// Parses schema-file JSON text; `source_name` appears in messages; relative key-file paths stay
/// as written.
schema_file parse_schema_file(std::string_view json_text, const std::string& source_name = "schema file");

/// Loads the person key from its source. The key is 32 hexadecimal digits (16 bytes): the
/// environment variable's whole value, or the first line of the key file that is neither empty
/// nor a comment ('#'); blanks around it are ignored. Throws input_file_error when the key file
/// cannot be read and usage_error when the key is absent, malformed or all zeros; messages never
/// contain the key.
person_key load_person_key(const person_key_source& source);

/// The aggregator options a schema file calls for: persons counted (the key loaded with
/// load_person_key) when it names a person-id column.
aggregator_options aggregator_options_for(const schema_file& file,
                                          bad_record_policy policy = bad_record_policy::reject);

/// Stable names ("integer", "text", "personnummer").
std::string_view to_string(person_id_form form) noexcept;

}  // namespace jamstat::io
