// CSV exports into an aggregator through a schema file: the nasty cases of Swedish case systems,
// bad rows quarantined or stopping the run, several files, threads, progress. Expected states
// are built independently: the same participations added one at a time (aggregator::add) with
// codes and values written out by hand, compared byte for byte (write_state).
#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>

#include "jamstat/engine/errors.hpp"
#include "jamstat/engine/rollup.hpp"
#include "jamstat/io/csv_ingest.hpp"
#include "jamstat/io/csv_reader.hpp"
#include "jamstat/io/schema_file.hpp"
#include "jamstat/io/state_format.hpp"
#include "jamstat/synth/participations.hpp"
#include "test_files.hpp"

namespace jamstat::io {
namespace {

using testing::example;
using testing::read_file;
using testing::temp_folder;

// The Swedish example schema file, its key taken from JAMSTAT_PERSON_KEY.
schema_file swedish_schema() {
  testing::set_test_key();
  schema_file sf = read_schema_file(example("swedish-export.schema.json"));
  sf.person_id->key = {person_key_source::kind::environment, "JAMSTAT_PERSON_KEY"};
  return sf;
}

const std::string swedish_header = "Personnummer;Kön;Ålder;Födelseland;Utbildning;Insats;Resultat;Timmar;Kostnad;Kommentar";

// One participation as the aggregator sees it: sex, age band, birth region, education,
// intervention; the outcome; hours and cost; the person's canonical personnummer.
struct participation {
  std::int32_t codes[5];
  std::int32_t outcome;
  double hours, cost;
  const char* person;
};

// The good rows of the Swedish test file and what each must become (reference date 2025-12-31).
struct good_row {
  std::string line;
  participation expected;
};
const std::vector<good_row>& good_rows() {
  static const std::vector<good_row> rows = {
      {"811218-9876;M;44;Sverige;Gymnasium;Arbetspraktik;Arbete;12,5;1 250,00;\"ok\"",
       {{1, 4, 0, 1, 2}, 1, 12.5, 1250.0, "198112189876"}},
      {"198112189876;M;44;Sverige;Högskola;Coachning;Studier;3;0;\"samma person; annan insats\"",
       {{1, 4, 0, 2, 0}, 1, 3.0, 0.0, "198112189876"}},
      {"200306062381;Kvinna;22;Utanför Europa;;Praktik;Arbetssökande;40,25;12\xC2\xA0" "500,50;\"två\nrader\"",
       {{2, 1, 2, 3, 2}, 0, 40.25, 12500.5, "200306062381"}},
      {"701063-2391;k;55;Europa;Grundskola;Studiemotiverande kurs;Sjukskriven;-;99,99;",
       {{2, 5, 1, 0, 3}, 0, 0.0, 99.99, "197010632391"}},
      {"190006129803;;125;Sverige;Uppgift saknas;Coachning;Annat;1 000;0,5;x",
       {{0, 6, 0, 3, 0}, 0, 1000.0, 0.5, "190006129803"}},
      {"  200802122390 ; M ;17; Sverige ;Gymnasial;Arbetsmarknadsutbildning;ARBETE;0,75;100,5551;",
       {{1, 0, 0, 1, 1}, 1, 0.75, 100.5551, "200802122390"}},  // cost rounded to 100,56 and counted
  };
  return rows;
}

struct bad_row {
  std::string line;
  row_problem problem;
  std::uint32_t column;  // 0: the whole row
};
const std::vector<bad_row>& bad_rows() {
  static const std::vector<bad_row> rows = {
      {"811218-9875;M;44;Sverige;Gymnasial;Coachning;Arbete;1;1;", row_problem::invalid_personnummer, 1},
      {"811218-9876;X;44;Sverige;Gymnasial;Coachning;Arbete;1;1;", row_problem::unknown_value, 2},
      {"811218-9876;M;12;Sverige;Gymnasial;Coachning;Arbete;1;1;", row_problem::no_band, 3},
      {"811218-9876;M;44;Sverige;Gymnasial;Coachning;Arbete;12,5x;1;", row_problem::not_a_number, 8},
      {"811218-9876;M;44;Sverige;Gymnasial;Coachning;Arbete;1,234;1;", row_problem::off_grid, 8},
      {"811218-9876;M;44;Sverige;Gymnasial;Coachning;Arbete;20000;1;", row_problem::out_of_range, 8},
      {"811218-9876;M;44;Sverige;Gymnasial;Coachning;;1;1;", row_problem::missing_value, 7},
      {"811218-9876;M;44;Sverige;Gymnasial;Coachning;Arbete;1;1", row_problem::column_count, 0},
      {"811218-9876;M;44;\"Sverige\"x;Gymnasial;Coachning;Arbete;1;1;", row_problem::text_after_quote, 4},
      {"811218-9876;M;44;Sverige;Gymnasial;Coachning;Arbete;1 2,5;1;", row_problem::not_a_number, 8},
  };
  return rows;
}

// The state of the good rows added one at a time.
std::vector<std::uint8_t> expected_state(const schema_file& sf, const std::vector<participation>& rows) {
  aggregator agg(sf.schema, aggregator_options_for(sf));
  for (const participation& p : rows) {
    const std::int32_t outcomes[] = {p.outcome};
    const double numerics[] = {p.hours, p.cost};
    agg.add({p.codes, outcomes, numerics, std::string_view(p.person)});
  }
  return write_state(agg);
}

std::vector<participation> all_good() {
  std::vector<participation> out;
  for (const good_row& g : good_rows()) out.push_back(g.expected);
  return out;
}

// UTF-8 text with only U+0000..U+00FF as Windows-1252 bytes.
std::string to_windows_1252(const std::string& utf8) {
  std::string out;
  for (std::size_t i = 0; i < utf8.size(); ++i) {
    const auto c = static_cast<unsigned char>(utf8[i]);
    if ((c == 0xC2 || c == 0xC3) && i + 1 < utf8.size()) {
      out += static_cast<char>((c == 0xC3 ? 0x40 : 0x00) + static_cast<unsigned char>(utf8[++i]));
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

std::string swedish_file(const std::string& line_end, bool bom) {
  std::string text = bom ? "\xEF\xBB\xBF" : "";
  text += swedish_header + line_end;
  for (const good_row& g : good_rows()) text += g.line + line_end;  // line breaks inside quotes stay "\n"
  return text;
}

ingest_result ingest(aggregator& agg, const schema_file& sf, const std::vector<csv_input>& inputs, ingest_options options = {}) {
  return ingest_csv(agg, sf, inputs, options);
}

TEST(CsvIngest, SwedishExportUtf8BomCrlf) {
  const schema_file sf = swedish_schema();
  temp_folder dir;
  const auto path = dir.write("export.csv", swedish_file("\r\n", true));
  aggregator agg(sf.schema, aggregator_options_for(sf));
  const ingest_result r = ingest(agg, sf, {csv_input::file(path)});
  EXPECT_EQ(r.rows_accepted, good_rows().size());
  EXPECT_EQ(r.rows_rejected, 0u);
  EXPECT_EQ(write_state(agg), expected_state(sf, all_good()));
  ASSERT_EQ(r.inputs.size(), 1u);
  EXPECT_EQ(r.inputs[0].separator, ';');
  EXPECT_EQ(r.inputs[0].decimal_mark, ',');
  EXPECT_EQ(r.inputs[0].encoding, text_encoding::utf8);
  EXPECT_TRUE(r.inputs[0].byte_order_mark);
  EXPECT_EQ(r.inputs[0].lines, 1 + good_rows().size() + 1);  // header, rows, one quoted line break
  // Distinct persons: 811218-9876 and 198112189876 are one person.
  const rollup_table t = total(agg);
  ASSERT_TRUE(t.cells()[0].persons.has_value());
  EXPECT_EQ(*t.cells()[0].persons, 5u);
  EXPECT_EQ(agg.rounded_values(1), 1u);  // 100,5551 SEK rounded to 100,56
}

TEST(CsvIngest, Windows1252ExportGivesTheSameState) {
  const schema_file sf = swedish_schema();
  temp_folder dir;
  const std::string utf8 = swedish_file("\r\n", false);
  const std::string cp1252 = to_windows_1252(utf8);
  ASSERT_NE(utf8, cp1252);
  aggregator a(sf.schema, aggregator_options_for(sf)), b(sf.schema, aggregator_options_for(sf));
  ingest(a, sf, {csv_input::file(dir.write("u.csv", utf8))});
  const ingest_result r = ingest(b, sf, {csv_input::file(dir.write("w.csv", cp1252))});
  EXPECT_EQ(r.inputs[0].encoding, text_encoding::windows_1252);
  EXPECT_EQ(r.rows_accepted, good_rows().size());
  EXPECT_EQ(write_state(a), write_state(b));
}

TEST(CsvIngest, HeaderMatchedIgnoringCaseBlanksAndOrder) {
  const schema_file sf = swedish_schema();
  temp_folder dir;
  // Columns reordered, names in other case with blanks, an extra column, LF line ends.
  const std::string text =
      "extra; kön ;PERSONNUMMER;ålder;FÖDELSELAND;utbildning;insats;resultat;timmar;kostnad\n"
      "a;K;200306062381;22;Utanför Europa;;Praktik;Arbetssökande;40,25;12 500,50\n";
  aggregator agg(sf.schema, aggregator_options_for(sf));
  const ingest_result r = ingest(agg, sf, {csv_input::file(dir.write("r.csv", text))});
  EXPECT_EQ(r.rows_accepted, 1u);
  EXPECT_EQ(write_state(agg), expected_state(sf, {good_rows()[2].expected}));
}

TEST(CsvIngest, HeaderThatDoesNotMatchTheSchemaFile) {
  const schema_file sf = swedish_schema();
  temp_folder dir;
  aggregator agg(sf.schema, aggregator_options_for(sf));
  try {
    ingest(agg, sf, {csv_input::file(dir.write("h.csv", "Personnummer;Kon;Alder;Insats\n1;2;3;4\n"))});
    FAIL();
  } catch (const csv_layout_error& e) {
    const std::string what = e.what();
    for (const char* needle : {"h.csv", "no column 'Kön' (sex)", "no column 'Ålder' (dimension age_band)",
                               "no column 'Timmar' (measure hours)", "'Kon', 'Alder'"})
      EXPECT_NE(what.find(needle), std::string::npos) << needle << " in " << what;
  }
  EXPECT_EQ(agg.participations(), 0u);
  EXPECT_THROW(ingest(agg, sf, {csv_input::file(dir.write("d.csv", "Kön;kön\n"))}), csv_layout_error);  // twice
  EXPECT_THROW(ingest(agg, sf, {csv_input::file(dir.write("e.csv", ""))}), csv_layout_error);           // empty
  EXPECT_THROW(ingest(agg, sf, {csv_input::file(dir.path() / "missing.csv")}), input_file_error);
}

// The Swedish test file with every kind of bad row between the good ones.
struct messy_file {
  std::string text;
  std::vector<std::uint64_t> bad_lines;  // line of each bad row, in bad_rows() order (then the unterminated one)
};
messy_file messy() {
  messy_file f;  // bad_lines: bad_rows() in order, then the never-closed quote at the end
  f.text = swedish_header + "\n";
  std::uint64_t line = 2;
  const auto add = [&](const std::string& l) {
    f.text += l + "\n";
    line += 1 + static_cast<std::uint64_t>(std::count(l.begin(), l.end(), '\n'));
  };
  const auto& good = good_rows();
  const auto& bad = bad_rows();
  for (std::size_t i = 0; i < bad.size(); ++i) {
    add(good[i % good.size()].line);
    f.bad_lines.push_back(line);
    add(bad[i].line);
    if (i == 3) {
      add(";;;;;;;;;");  // blank rows
      add("");
    }
  }
  f.bad_lines.push_back(line);
  f.text += "811218-9876;M;44;Sverige;\"Gymnasial;Coachning;Arbete;1;1;\n";  // never closed
  return f;
}

std::vector<participation> messy_good() {
  std::vector<participation> out;
  for (std::size_t i = 0; i < bad_rows().size(); ++i) out.push_back(good_rows()[i % good_rows().size()].expected);
  return out;
}

TEST(CsvIngest, BadRowsAreQuarantinedWithReasons) {
  const schema_file sf = swedish_schema();
  temp_folder dir;
  const messy_file f = messy();
  const auto path = dir.write("messy.csv", f.text);
  for (const bool fast : {true, false}) {
    aggregator agg(sf.schema, aggregator_options_for(sf));
    std::ostringstream rejects;
    ingest_options options;
    options.rejects = &rejects;
    options.fast_path = fast;
    const ingest_result r = ingest(agg, sf, {csv_input::file(path)}, options);
    const std::size_t n_bad = bad_rows().size() + 1;  // and the never-closed quote
    EXPECT_EQ(r.rows_accepted, messy_good().size());
    EXPECT_EQ(r.rows_rejected, n_bad);
    EXPECT_EQ(r.blank_lines, 2u);
    EXPECT_EQ(write_state(agg), expected_state(sf, messy_good()));
    // Counts by reason and column, in reason order.
    const std::vector<rejection_count> want = {
        {row_problem::column_count, "", 1},          {row_problem::unterminated_quote, "", 1},
        {row_problem::text_after_quote, "Födelseland", 1}, {row_problem::missing_value, "Resultat", 1},
        {row_problem::unknown_value, "Kön", 1},       {row_problem::not_a_number, "Timmar", 2},
        {row_problem::off_grid, "Timmar", 1},          {row_problem::out_of_range, "Timmar", 1},
        {row_problem::no_band, "Ålder", 1},            {row_problem::invalid_personnummer, "Personnummer", 1},
    };
    EXPECT_EQ(r.rejections, want);
    // The reject file: valid CSV (read back with the reader), one row per bad row, in file order,
    // with line, column and reason; no personnummer anywhere.
    const std::string text = rejects.str();
    for (const char* pnr : {"811218", "9876", "9875", "198112189876"}) EXPECT_EQ(text.find(pnr), std::string::npos) << pnr;
    std::istringstream in(text);
    csv_reader reader = csv_reader::from_stream(in, "rejects");
    EXPECT_EQ(reader.header(),
              (std::vector<std::string>{"file", "line", "column", "column_name", "reason", "message", "record"}));
    csv_record rec;
    std::size_t k = 0;
    while (reader.next(rec)) {
      ASSERT_LT(k, n_bad);
      EXPECT_EQ(rec[0].text, path.string());
      EXPECT_EQ(rec[1].text, std::to_string(f.bad_lines[k])) << k;
      if (k + 1 < n_bad) {
        const bad_row& b = bad_rows()[k];
        EXPECT_EQ(rec[2].text, b.column ? std::to_string(b.column) : "") << k;
        EXPECT_EQ(rec[4].text, to_string(b.problem)) << k;
        EXPECT_NE(rec[6].text.find("XXXXXX-XXXX;"), std::string::npos) << rec[6].text;
      } else {
        EXPECT_EQ(rec[4].text, "unterminated_quote");
      }
      ++k;
    }
    EXPECT_EQ(k, n_bad);
  }
}

TEST(CsvIngest, StrictModeStopsAtTheFirstBadRow) {
  const schema_file sf = swedish_schema();
  temp_folder dir;
  const messy_file f = messy();
  const auto path = dir.write("messy.csv", f.text);
  for (const unsigned threads : {1u, 3u}) {
    aggregator agg(sf.schema, aggregator_options_for(sf));
    ingest_options options;
    options.on_bad_row = bad_row_handling::strict;
    options.threads = threads;
    options.min_bytes_per_thread = 64;
    try {
      ingest(agg, sf, {csv_input::file(path)}, options);
      FAIL();
    } catch (const csv_row_error& e) {
      EXPECT_EQ(e.file(), path.string());
      EXPECT_EQ(e.line(), f.bad_lines[0]);
      EXPECT_EQ(e.column(), 1u);
      EXPECT_EQ(e.column_name(), "Personnummer");
      EXPECT_EQ(e.problem(), row_problem::invalid_personnummer);
      const std::string what = e.what();
      EXPECT_EQ(what.rfind(path.string() + ":" + std::to_string(f.bad_lines[0]) + ":1: ", 0), 0u) << what;
      EXPECT_NE(what.find("check digit"), std::string::npos) << what;
      EXPECT_EQ(what.find("9875"), std::string::npos) << what;
    }
  }
  // The first bad row's message for each kind says what was expected.
  const std::pair<std::size_t, const char*> messages[] = {
      {1, "\"X\" is not a known value; expected one of"},
      {2, "\"12\" is in no band; expected a whole number in one of the bands 16–19, 20–24"},
      {3, "\"12,5x\" is not a number; expected a number with at most 2 decimals (decimal mark ',') from 0 to 10000"},
      {4, "\"1,234\" has more decimals than the measure's resolution"},
      {5, "\"20000\" is outside the valid range"},
      {6, "the value is missing"},
      {7, "the row has 9 fields; expected 10 (as the header)"},
      {8, "text after the closing quote"},
      {9, "thousands separator not followed by a group of three digits"},
  };
  for (const auto& [k, needle] : messages) {
    const std::string text = swedish_header + "\n" + bad_rows()[k].line + "\n";
    aggregator agg(sf.schema, aggregator_options_for(sf));
    ingest_options options;
    options.on_bad_row = bad_row_handling::strict;
    try {
      ingest(agg, sf, {csv_input::file(dir.write("one.csv", text))}, options);
      ADD_FAILURE() << k;
    } catch (const csv_row_error& e) {
      EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
      EXPECT_EQ(e.problem(), bad_rows()[k].problem);
    }
  }
}

TEST(CsvIngest, OffGridRoundingIsExactOnTheDecimalText) {
  const schema_file sf = swedish_schema();
  temp_folder dir;
  // 100,555 is a tie on a 0,01 grid: half to even gives 100,56 (the double 100.555 lies below it).
  const std::string text = swedish_header + "\n811218-9876;M;44;Sverige;Gymnasial;Coachning;Arbete;1;100,555;\n"
                                            "811218-9876;M;44;Sverige;Gymnasial;Coachning;Arbete;1;100,545;\n";
  aggregator agg(sf.schema, aggregator_options_for(sf));
  const ingest_result r = ingest(agg, sf, {csv_input::file(dir.write("t.csv", text))});
  EXPECT_EQ(r.rows_accepted, 2u);
  EXPECT_EQ(agg.rounded_values(1), 2u);
  const rollup_table t = total(agg);
  EXPECT_EQ(t.cells()[0].numerics[1].total(), 201.1);  // 100,56 + 100,54 exactly (rounded once)
}

TEST(CsvIngest, SeveralInputsInOneRun) {
  const schema_file sf = swedish_schema();
  temp_folder dir;
  const auto a = dir.write("a.csv", swedish_file("\n", false));
  const auto b = dir.write("b.csv", to_windows_1252(swedish_file("\r\n", false)));
  std::istringstream c_text("sep=;\n" + swedish_header + "\n" + good_rows()[0].line + "\n" + bad_rows()[1].line + "\n");
  aggregator agg(sf.schema, aggregator_options_for(sf));
  std::ostringstream rejects;
  ingest_options options;
  options.rejects = &rejects;
  std::vector<ingest_progress> calls;
  options.progress = [&](const ingest_progress& p) { calls.push_back(p); };
  const ingest_result r =
      ingest(agg, sf, {csv_input::file(a), csv_input::file(b), csv_input::from_stream(c_text, "third")}, options);
  ASSERT_EQ(r.inputs.size(), 3u);
  EXPECT_EQ(r.rows_accepted, 2 * good_rows().size() + 1);
  EXPECT_EQ(r.rows_rejected, 1u);
  EXPECT_EQ(r.inputs[1].encoding, text_encoding::windows_1252);
  EXPECT_EQ(r.inputs[2].name, "third");
  EXPECT_EQ(r.inputs[2].rows_rejected, 1u);
  std::vector<participation> all = all_good();
  const auto twice = all_good();
  all.insert(all.end(), twice.begin(), twice.end());
  all.push_back(good_rows()[0].expected);
  EXPECT_EQ(write_state(agg), expected_state(sf, all));
  EXPECT_NE(rejects.str().find("third;4;2;Kön;unknown_value"), std::string::npos) << rejects.str();
  // Progress: bytes never go back, the last call has every row, and the total counts the files.
  ASSERT_FALSE(calls.empty());
  for (std::size_t i = 1; i < calls.size(); ++i) EXPECT_GE(calls[i].bytes_done, calls[i - 1].bytes_done);
  EXPECT_EQ(calls.back().rows, r.rows_read());
  EXPECT_EQ(calls.back().file_index, 2u);
  EXPECT_EQ(calls.back().bytes_total, std::filesystem::file_size(a) + std::filesystem::file_size(b));
}

// A good row without its comment (the first nine fields, up to the ninth ';').
std::string without_comment(const std::string& line) {
  std::size_t pos = 0;
  for (int k = 0; k < 9; ++k) pos = line.find(';', pos) + 1;
  return line.substr(0, pos);
}

// A file whose quoted comments hold lines that look like records: a thread starting inside one
// must be noticed and its part read again from the right place.
std::string tricky_file(int rows) {
  std::string text = swedish_header + "\n";
  for (int i = 0; i < rows; ++i) {
    const good_row& g = good_rows()[static_cast<std::size_t>(i) % good_rows().size()];
    std::string line;
    if (i % 7 == 3) {
      line = bad_rows()[static_cast<std::size_t>(i) % bad_rows().size()].line;
    } else {
      line = without_comment(g.line) + "\"kommentar\n" + without_comment(good_rows()[0].line) + "\n;;;\nslut\"";
    }
    text += line + "\n";
  }
  return text;
}

TEST(CsvIngest, ThreadsGiveTheResultOfOneThread) {
  const schema_file sf = swedish_schema();
  temp_folder dir;
  const auto path = dir.write("tricky.csv", to_windows_1252(tricky_file(400)));
  std::vector<std::uint8_t> one_state;
  std::string one_rejects;
  ingest_result one;
  for (const unsigned threads : {1u, 2u, 3u, 7u}) {
    for (const bool fast : {true, false}) {
      aggregator agg(sf.schema, aggregator_options_for(sf));
      std::ostringstream rejects;
      ingest_options options;
      options.threads = threads;
      options.min_bytes_per_thread = 256;
      options.block_bytes = 512;
      options.batch_rows = 50;
      options.rejects = &rejects;
      options.fast_path = fast;
      const ingest_result r = ingest(agg, sf, {csv_input::file(path)}, options);
      if (threads == 1 && fast) {
        one_state = write_state(agg);
        one_rejects = rejects.str();
        one = r;
        EXPECT_GT(r.rows_rejected, 0u);
        EXPECT_EQ(r.inputs[0].encoding, text_encoding::windows_1252);
        continue;
      }
      EXPECT_EQ(r.inputs[0].threads, threads) << threads;
      EXPECT_EQ(write_state(agg), one_state) << threads << " threads, fast " << fast;
      EXPECT_EQ(rejects.str(), one_rejects) << threads << " threads, fast " << fast;
      EXPECT_EQ(r.rows_accepted, one.rows_accepted);
      EXPECT_EQ(r.rejections, one.rejections);
      EXPECT_EQ(r.inputs[0].lines, one.inputs[0].lines);
      EXPECT_EQ(r.inputs[0].encoding, text_encoding::windows_1252);
    }
  }
}

TEST(CsvIngest, CanonicalCsvWithThreadsAndMissingSpellings) {
  testing::set_test_key();
  schema_file sf = read_schema_file(example("participations.schema.json"));
  const synth::participations p = synth::generate(3000, 11);
  temp_folder dir;
  std::string csv = synth::to_csv(p);
  csv += "NA,1,0,0,0,0,1,1.00\n";   // a missing person id
  csv += "12,1,0,0,0,0,1,\n";       // a missing value of hours
  const auto path = dir.write("p.csv", csv);
  aggregator expected(synth::participation_schema(measure_kind::decimal), aggregator_options_for(sf));
  expected.add_batch(synth::as_batch(p));
  for (const bool fast : {true, false}) {
    for (const unsigned threads : {1u, 4u}) {
      sf.person_id->missing = {"", "NA"};
      aggregator agg(sf.schema, aggregator_options_for(sf));
      ingest_options options;
      options.threads = threads;
      options.min_bytes_per_thread = 1024;
      options.fast_path = fast;
      const ingest_result r = ingest_csv(agg, sf, std::vector<csv_input>{csv_input::file(path)}, options);
      EXPECT_EQ(r.rows_accepted, p.size());
      const std::vector<rejection_count> want = {{row_problem::missing_value, "hours", 1},
                                                 {row_problem::missing_value, "person_id", 1}};
      auto got = r.rejections;
      std::sort(got.begin(), got.end(), [](const rejection_count& x, const rejection_count& y) { return x.column < y.column; });
      EXPECT_EQ(got, want);
      EXPECT_EQ(write_state(agg), write_state(expected)) << fast << " " << threads;
    }
  }
}

TEST(CsvIngest, UsageErrors) {
  const schema_file sf = swedish_schema();
  aggregator no_persons(sf.schema);
  EXPECT_THROW(ingest(no_persons, sf, {}), usage_error);
  aggregator other(synth::participation_schema(measure_kind::decimal));
  EXPECT_THROW(ingest(other, sf, {}), usage_error);
}

TEST(CsvIngest, InvalidUtf8InAUtf8File) {
  const schema_file sf = swedish_schema();
  temp_folder dir;
  // Decided as UTF-8 by its first non-ASCII text; a later stray byte in the sex column.
  const std::string text = swedish_header + "\n" + good_rows()[0].line + "\n" +
                           "811218-9876;M\xE4n;44;Sverige;Gymnasial;Coachning;Arbete;1;1;\n";
  aggregator agg(sf.schema, aggregator_options_for(sf));
  ingest_options options;
  const ingest_result r = ingest(agg, sf, {csv_input::file(dir.write("u.csv", text))}, options);
  EXPECT_EQ(r.inputs[0].encoding, text_encoding::utf8);
  ASSERT_EQ(r.rejections.size(), 1u);
  EXPECT_EQ(r.rejections[0].problem, row_problem::invalid_text);
}

}  // namespace
}  // namespace jamstat::io

namespace jamstat::io {
namespace {

// The aggregator as a safety net: a schema_file changed by hand so that a spelling maps to a code
// that is not a level. The row the aggregator refuses is rejected (engine_rejected); the others
// of its batch are added.
TEST(CsvIngest, RowsTheAggregatorRefusesAreRejectedNotLost) {
  schema_file sf = swedish_schema();
  sf.dimensions[2].values.push_back({"Mars", 7});  // birth_region has the codes 0, 1, 2
  temp_folder dir;
  std::string text = swedish_header + "\n";
  for (const good_row& g : good_rows()) text += g.line + "\n";
  text += "811218-9876;M;44;Mars;Gymnasial;Coachning;Arbete;1;1;\n";
  for (const good_row& g : good_rows()) text += g.line + "\n";
  const auto path = dir.write("mars.csv", text);
  const auto twice = [] {
    std::vector<participation> all = all_good();
    const auto more = all_good();
    all.insert(all.end(), more.begin(), more.end());
    return all;
  }();
  for (const bad_record_policy policy : {bad_record_policy::reject, bad_record_policy::tally}) {
    aggregator agg(sf.schema, aggregator_options_for(sf, policy));
    std::ostringstream rejects;
    ingest_options options;
    options.rejects = &rejects;
    const ingest_result r = ingest(agg, sf, {csv_input::file(path)}, options);
    EXPECT_EQ(r.rows_accepted, twice.size());
    EXPECT_EQ(r.rows_rejected, 1u);
    ASSERT_EQ(r.rejections.size(), 1u);
    EXPECT_EQ(r.rejections[0].problem, row_problem::engine_rejected);
    EXPECT_NE(rejects.str().find("engine_rejected"), std::string::npos);
    if (policy == bad_record_policy::reject) {
      EXPECT_EQ(write_state(agg), expected_state(sf, twice));
      EXPECT_NE(rejects.str().find(";" + std::to_string(2 + good_rows().size() + 1) + ";"), std::string::npos)
          << rejects.str();
    }
  }
  aggregator agg(sf.schema, aggregator_options_for(sf));
  ingest_options strict;
  strict.on_bad_row = bad_row_handling::strict;
  EXPECT_THROW(ingest(agg, sf, {csv_input::file(path)}, strict), csv_row_error);
}

}  // namespace
}  // namespace jamstat::io

namespace jamstat::io {
namespace {

// A file whose first third is Windows-1252, whose middle third is ASCII and whose last third holds
// UTF-8 text. The 64 KiB from the first non-ASCII byte decide Windows-1252, so one thread reads
// the last third's "Utanför" as "UtanfÃ¶r", an unknown value; a thread starting in the last third
// must not decide UTF-8 on its own (its part is read again with the encoding one thread has).
TEST(CsvIngest, ThreadsKeepTheEncodingOneThreadWouldUse) {
  // ASCII column names, so that the header decides nothing.
  schema_file sf = swedish_schema();
  sf.dimensions[0].column.name = "Kon";
  sf.dimensions[1].column.name = "Alder";
  sf.dimensions[2].column.name = "Fodelseland";
  temp_folder dir;
  std::string text = "Personnummer;Kon;Alder;Fodelseland;Utbildning;Insats;Resultat;Timmar;Kostnad;Kommentar\n";
  const int rows = 1200;  // 80 KB a third: the 64 KiB that decide lie in the first third
  for (int i = 0; i < rows; ++i) text += "811218-9876;M;44;Sverige;Gymnasial;Coachning;Arbete;1;1;v\xE4lkommen\n";
  for (int i = 0; i < rows; ++i) text += "811218-9876;M;44;Sverige;Gymnasial;Coachning;Arbete;1;1;ascii only\n";
  for (int i = 0; i < rows; ++i) text += "811218-9876;M;44;Utanf\xC3\xB6r Europa;Gymnasial;Coachning;Arbete;1;1;x\n";
  const auto path = dir.write("mixed.csv", text);
  std::vector<std::uint8_t> one;
  for (const unsigned threads : {1u, 3u}) {
    aggregator agg(sf.schema, aggregator_options_for(sf));
    ingest_options options;
    options.threads = threads;
    options.min_bytes_per_thread = 4096;
    options.block_bytes = 4096;
    const ingest_result r = ingest(agg, sf, {csv_input::file(path)}, options);
    EXPECT_EQ(r.inputs[0].threads, threads);
    EXPECT_EQ(r.inputs[0].encoding, text_encoding::windows_1252);
    EXPECT_EQ(r.rows_accepted, 2u * rows) << threads;
    EXPECT_EQ(r.rows_rejected, 1u * rows) << threads;
    if (threads == 1) one = write_state(agg);
    else EXPECT_EQ(write_state(agg), one);
  }
}

}  // namespace
}  // namespace jamstat::io

namespace jamstat::io {
namespace {

// Text person ids, ISO/IEC 5218 codes for sex, codes above 255 (16-bit columns) with leading
// zeros, bands from a number column, a floating measure with a decimal comma, thousands and an
// exponent; with a header and without (columns by position).
TEST(CsvIngest, OtherColumnKinds) {
  testing::set_test_key();
  const std::string json = R"({
    "csv": { "separator": ";", "decimal_mark": ",", "thousands_separators": [" "], "missing": ["", "NA"] },
    "person_id": { "column": "klient", "form": "text", "key": { "environment": "JAMSTAT_PERSON_KEY" } },
    "sex": { "column": "kon" },
    "dimensions": [
      { "name": "kommun", "column": "kommun",
        "levels": [ { "code": 180, "label_sv": "Stockholm" }, { "code": 1480, "label_sv": "Göteborg" },
                    { "code": 1280, "label_sv": "Malmö" } ] },
      { "name": "alder", "column": "alder",
        "bands": [ { "code": 0, "max": 29, "label_sv": "-29" }, { "code": 1, "min": 30, "label_sv": "30-" } ] }
    ],
    "measures": [ { "name": "kostnad", "unit": "SEK", "column": "kostnad", "kind": "floating", "min": -1e6, "max": 1e9 } ]
  })";
  const schema_file sf = parse_schema_file(json, "kinds.json");
  const std::string rows =
      "A-1;2;0180;25;1,5\n"
      " B-2 ;1;1480;30;2,5e1\n"
      "\xC3\x85sa-3;1;1280;64;-0,25\n"
      "A-1;2;180;12;1 000,5\n"
      "NA;1;180;12;1\n"
      "C-4;1;9999;12;1\n"
      "D-5;9;180;-3;\"7\"\n";
  struct expected_row {
    std::int32_t codes[3];
    double cost;
    const char* person;
  };
  const expected_row good[] = {{{2, 180, 0}, 1.5, "A-1"},         {{1, 1480, 1}, 25.0, "B-2"},
                               {{1, 1280, 1}, -0.25, "\xC3\x85sa-3"}, {{2, 180, 0}, 1000.5, "A-1"},
                               {{9, 180, 0}, 7.0, "D-5"}};
  aggregator expected(sf.schema, aggregator_options_for(sf));
  for (const expected_row& g : good) {
    const double numerics[] = {g.cost};
    expected.add({g.codes, {}, numerics, std::string_view(g.person)});
  }
  temp_folder dir;
  const auto with_header = dir.write("h.csv", "klient;kon;kommun;alder;kostnad\n" + rows);
  const auto without = dir.write("n.csv", rows);
  schema_file by_position = sf;
  by_position.csv.header = false;
  by_position.person_id->column = {"", 1};
  by_position.dimensions[0].column = {"", 2};
  by_position.dimensions[1].column = {"", 3};
  by_position.dimensions[2].column = {"", 4};
  by_position.measures[0].column = {"", 5};
  for (const bool fast : {true, false}) {
    for (const bool header : {true, false}) {
      const schema_file& s = header ? sf : by_position;
      aggregator agg(s.schema, aggregator_options_for(s));
      ingest_options options;
      options.fast_path = fast;
      const ingest_result r = ingest(agg, s, {csv_input::file(header ? with_header : without)}, options);
      EXPECT_EQ(r.rows_accepted, 5u);
      EXPECT_EQ(r.rows_rejected, 2u);
      EXPECT_EQ(write_state(agg), write_state(expected)) << "fast " << fast << " header " << header;
      ASSERT_EQ(r.rejections.size(), 2u);
      EXPECT_EQ(r.rejections[0].problem, row_problem::missing_value);
      EXPECT_EQ(r.rejections[1].problem, row_problem::unknown_value);
      EXPECT_EQ(r.rejections[1].column, header ? "kommun" : "column 3");
    }
  }
  EXPECT_EQ(csv_input::standard_input().name(), "<stdin>");
  EXPECT_EQ(csv_input::file("-").name(), "<stdin>");
}

}  // namespace
}  // namespace jamstat::io
