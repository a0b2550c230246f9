// The jamstat command end to end: every command run as a process on small files in a temporary
// folder. Checked: exit statuses (docs/cli.md), messages naming the file, line, column and field,
// and that the states it writes are byte for byte those of the library given the same data.
#include <gtest/gtest.h>
#include <spawn.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <string>
#include <vector>

#include "jamstat/io/schema_file.hpp"
#include "jamstat/io/state_format.hpp"
#include "jamstat/synth/participations.hpp"
#include "test_files.hpp"

extern char** environ;

namespace jamstat::cli {
namespace {

namespace fs = std::filesystem;
using io::testing::example;
using io::testing::read_file;
using io::testing::temp_folder;

struct run_result {
  int status = -1;
  std::string out, err;
};

// Runs the command with `args`; standard input from `input` (or /dev/null); the environment is
// this process's with JAMSTAT_PERSON_KEY set to the test key unless `with_key` is false.
run_result run(const temp_folder& dir, std::vector<std::string> args, const fs::path& input = "/dev/null",
               bool with_key = true) {
  const fs::path out = dir.path() / ".stdout", err = dir.path() / ".stderr";
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, input.c_str(), O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&actions, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  std::vector<std::string> env;
  for (char** e = environ; *e; ++e)
    if (std::string_view(*e).substr(0, 19) != "JAMSTAT_PERSON_KEY=") env.emplace_back(*e);
  if (with_key) env.push_back(std::string("JAMSTAT_PERSON_KEY=") + io::testing::test_key_hex);
  args.insert(args.begin(), JAMSTAT_COMMAND);
  std::vector<char*> argv, envp;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  for (std::string& e : env) envp.push_back(e.data());
  envp.push_back(nullptr);
  pid_t pid = 0;
  const int spawned = posix_spawn(&pid, JAMSTAT_COMMAND, &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  run_result r;
  if (spawned != 0) {
    ADD_FAILURE() << "cannot start " << JAMSTAT_COMMAND;
    return r;
  }
  int wstatus = 0;
  waitpid(pid, &wstatus, 0);
  r.status = WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : 128 + WTERMSIG(wstatus);
  r.out = read_file(out);
  r.err = read_file(err);
  return r;
}

std::string p(const fs::path& path) { return path.string(); }

// The state of `data` added through the library (columns, the example schema file's key).
std::string library_state(const synth::participations& data) {
  io::testing::set_test_key();
  const io::schema_file sf = io::read_schema_file(example("participations.schema.json"));
  aggregator agg(synth::participation_schema(measure_kind::decimal), io::aggregator_options_for(sf));
  agg.add_batch(synth::as_batch(data));
  const std::vector<std::uint8_t> bytes = write_state(agg);
  return std::string(bytes.begin(), bytes.end());
}

// CSV text split after `rows` data rows into two files' texts, each with the header.
std::pair<std::string, std::string> split_csv(const std::string& csv, std::size_t rows) {
  const std::size_t header_end = csv.find('\n') + 1;
  std::size_t at = header_end;
  for (std::size_t i = 0; i < rows; ++i) at = csv.find('\n', at) + 1;
  const std::string header = csv.substr(0, header_end);
  return {csv.substr(0, at), header + csv.substr(at)};
}

// Replaces the first occurrence of `from` by `to` in the file's text.
void edit(const fs::path& file, const std::string& from, const std::string& to) {
  std::string text = read_file(file);
  const std::size_t at = text.find(from);
  ASSERT_NE(at, std::string::npos) << from;
  text.replace(at, from.size(), to);
  std::ofstream(file, std::ios::binary) << text;
}

const std::string schema = p(example("participations.schema.json"));

TEST(Cli, HelpOnEveryCommandWithExamples) {
  temp_folder dir;
  const run_result top = run(dir, {"--help"});
  EXPECT_EQ(top.status, 0);
  for (const char* c : {"aggregate", "merge", "person-free", "report", "demo", "generate"})
    EXPECT_NE(top.out.find(c), std::string::npos) << c;
  EXPECT_NE(top.out.find("Exit status"), std::string::npos);
  for (const char* c : {"aggregate", "merge", "person-free", "report", "demo", "generate"}) {
    const run_result r = run(dir, {c, "--help"});
    EXPECT_EQ(r.status, 0) << c;
    EXPECT_NE(r.out.find("Examples:"), std::string::npos) << c << "\n" << r.out;
    EXPECT_NE(r.out.find("Exit status"), std::string::npos) << c;
  }
  EXPECT_EQ(run(dir, {"help"}).status, 0);
  EXPECT_EQ(run(dir, {"--version"}).status, 0);
}

TEST(Cli, UsageErrorsExitTwo) {
  temp_folder dir;
  EXPECT_EQ(run(dir, {}).status, 2);
  const run_result unknown = run(dir, {"frobnicate"});
  EXPECT_EQ(unknown.status, 2);
  EXPECT_NE(unknown.err.find("frobnicate"), std::string::npos) << unknown.err;
  const run_result no_schema = run(dir, {"aggregate", "x.csv"});
  EXPECT_EQ(no_schema.status, 2);
  EXPECT_NE(no_schema.err.find("--schema"), std::string::npos) << no_schema.err;
  EXPECT_EQ(run(dir, {"aggregate", "--schema", schema}).status, 2);  // no input
  EXPECT_EQ(run(dir, {"aggregate", "--schema", schema, "--threads", "0", "a.csv"}).status, 2);
  EXPECT_EQ(run(dir, {"merge", "a.jst"}).status, 2);  // no -o
  EXPECT_EQ(run(dir, {"demo", "--n", "twelve"}).status, 2);
  EXPECT_EQ(run(dir, {"demo", "--lang", "de"}).status, 2);
  EXPECT_EQ(run(dir, {"generate", "ten", "x"}).status, 2);
  EXPECT_EQ(run(dir, {"report", "a.jst"}).status, 2);  // no -o
  EXPECT_EQ(run(dir, {"report", "a.jst", "-o", "r", "--lang", "de"}).status, 2);
}

TEST(Cli, AggregateEqualsTheLibraryByteForByte) {
  temp_folder dir;
  const synth::participations data = synth::generate(6000, 11);
  const fs::path csv = dir.write("participations.csv", synth::to_csv(data));
  const run_result r = run(dir, {"aggregate", "--schema", schema, "-o", p(dir.path() / "s.jst"), p(csv)});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(read_file(dir.path() / "s.jst"), library_state(data));
  EXPECT_NE(r.err.find("6,000 rows accepted"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir.path() / "s.jst.rejected.csv"));  // nothing rejected, no reject file
  const std::string summary = read_file(dir.path() / "s.jst.ingest.json");
  EXPECT_NE(summary.find("\"rows_accepted\": 6000"), std::string::npos) << summary;
}

TEST(Cli, SeveralInputsAndStandardInputGiveTheSameState) {
  temp_folder dir;
  const synth::participations data = synth::generate(5000, 12);
  const std::string csv = synth::to_csv(data);
  const auto [first, second] = split_csv(csv, 1800);
  const fs::path a = dir.write("a.csv", first), b = dir.write("b.csv", second), all = dir.write("all.csv", csv);
  const std::string expected = library_state(data);

  const run_result two = run(dir, {"aggregate", "-s", schema, "-o", p(dir.path() / "two.jst"), p(a), p(b)});
  EXPECT_EQ(two.status, 0) << two.err;
  EXPECT_EQ(read_file(dir.path() / "two.jst"), expected);

  const run_result piped = run(dir, {"aggregate", "-s", schema, "-o", p(dir.path() / "stdin.jst"), "-"}, all);
  EXPECT_EQ(piped.status, 0) << piped.err;
  EXPECT_EQ(read_file(dir.path() / "stdin.jst"), expected);

  // A file and standard input in one run; the state to standard output.
  const run_result mixed = run(dir, {"aggregate", "-s", schema, "-o", "-", p(a), "-"}, b);
  EXPECT_EQ(mixed.status, 0) << mixed.err;
  EXPECT_EQ(mixed.out, expected);

  EXPECT_EQ(run(dir, {"aggregate", "-s", schema, "-o", p(dir.path() / "x.jst"), p(a), p(a)}).status, 2);  // twice
  EXPECT_EQ(run(dir, {"aggregate", "-s", schema, "-o", p(dir.path() / "x.jst"), "-", "-"}, a).status, 2);
}

TEST(Cli, BadRowsAreReportedQuarantinedAndCounted) {
  temp_folder dir;
  const synth::participations data = synth::generate(300, 13);
  const fs::path csv = dir.write("export.csv", synth::to_csv(data));
  // Line 4 (the third data row): sex 7 is not an ISO/IEC 5218 code; line 6: hours with 3 decimals.
  std::string text = read_file(csv);
  std::vector<std::string> lines;
  for (std::size_t at = 0; at < text.size();) {
    const std::size_t end = text.find('\n', at);
    lines.push_back(text.substr(at, end - at));
    at = end + 1;
  }
  auto field = [](std::string& line, std::size_t f, const std::string& value) {
    std::size_t start = 0;
    for (std::size_t i = 0; i < f; ++i) start = line.find(',', start) + 1;
    const std::size_t end = std::min(line.find(',', start), line.size());
    line.replace(start, end - start, value);
  };
  field(lines[3], 1, "7");
  field(lines[5], 7, "12.345");
  text.clear();
  for (const std::string& l : lines) text += l + "\n";
  std::ofstream(csv, std::ios::binary) << text;

  const fs::path state = dir.path() / "s.jst";
  const run_result r = run(dir, {"aggregate", "-s", schema, "-o", p(state), p(csv)});
  EXPECT_EQ(r.status, 1) << r.err;
  EXPECT_NE(r.err.find("export.csv:4:2"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("'sex'"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("[unknown_value]"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("export.csv:6:8"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("[off_grid]"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("298 accepted, 2 rejected"), std::string::npos) << r.err;
  // The state holds the accepted rows; the reject file every rejected one with its reason.
  const aggregator s = read_state(std::span<const std::uint8_t>(
      reinterpret_cast<const std::uint8_t*>(read_file(state).data()), read_file(state).size()));
  EXPECT_EQ(s.participations(), 298u);
  const std::string rejects = read_file(dir.path() / "s.jst.rejected.csv");
  EXPECT_NE(rejects.find("file,line,column,column_name,reason,message,record"), std::string::npos) << rejects;
  EXPECT_NE(rejects.find(",4,2,sex,unknown_value,"), std::string::npos) << rejects;
  EXPECT_NE(rejects.find(",6,8,hours,off_grid,"), std::string::npos) << rejects;
  EXPECT_NE(read_file(dir.path() / "s.jst.ingest.json").find("\"rows_rejected\": 2"), std::string::npos);

  // --reject-file elsewhere; --quiet prints nothing but still exits 1.
  const fs::path elsewhere = dir.path() / "bad-rows.csv";
  const run_result q = run(dir, {"aggregate", "-q", "-s", schema, "-o", p(state), "--reject-file", p(elsewhere), p(csv)});
  EXPECT_EQ(q.status, 1);
  EXPECT_EQ(q.err, "");
  EXPECT_EQ(read_file(elsewhere), rejects);

  // --strict: the first bad row stops the run with file:line:column; nothing is written.
  const fs::path strict_state = dir.path() / "strict.jst";
  const run_result strict = run(dir, {"aggregate", "--strict", "-s", schema, "-o", p(strict_state), p(csv)});
  EXPECT_EQ(strict.status, 1);
  EXPECT_NE(strict.err.find("export.csv:4:2"), std::string::npos) << strict.err;
  EXPECT_EQ(strict.err.find("export.csv:6"), std::string::npos) << strict.err;
  EXPECT_FALSE(fs::exists(strict_state));
  EXPECT_FALSE(fs::exists(dir.path() / "strict.jst.rejected.csv"));
}

TEST(Cli, BadSchemaFileAndKeyExitThree) {
  temp_folder dir;
  const fs::path csv = dir.write("p.csv", synth::to_csv(synth::generate(50, 1)));
  const fs::path broken = dir.write("broken.json", "{ \"sex\": { \"column\": \"sex\" }, ");
  const run_result r = run(dir, {"aggregate", "-s", p(broken), "-o", p(dir.path() / "s.jst"), p(csv)});
  EXPECT_EQ(r.status, 3);
  EXPECT_NE(r.err.find("broken.json"), std::string::npos) << r.err;

  const fs::path misspelt = dir.path() / "misspelt.json";
  fs::copy_file(schema, misspelt);
  edit(misspelt, "\"label_sv\": \"Utbildningsnivå\"", "\"lables_sv\": \"Utbildningsnivå\"");
  const run_result m = run(dir, {"aggregate", "-s", p(misspelt), "-o", p(dir.path() / "s.jst"), p(csv)});
  EXPECT_EQ(m.status, 3);
  EXPECT_NE(m.err.find("dimensions[2]"), std::string::npos) << m.err;
  EXPECT_NE(m.err.find("lables_sv"), std::string::npos) << m.err;

  const run_result no_key = run(dir, {"aggregate", "-s", schema, "-o", p(dir.path() / "k.jst"), p(csv)}, "/dev/null", false);
  EXPECT_EQ(no_key.status, 3);
  EXPECT_NE(no_key.err.find("JAMSTAT_PERSON_KEY"), std::string::npos) << no_key.err;
  EXPECT_FALSE(fs::exists(dir.path() / "k.jst"));
  EXPECT_FALSE(fs::exists(dir.path() / "s.jst"));
}

TEST(Cli, CsvThatDoesNotFitExitsFourAndUnreadableFilesFive) {
  temp_folder dir;
  const fs::path csv = dir.write("p.csv", synth::to_csv(synth::generate(50, 1)));
  edit(csv, "hours", "timmar");
  const run_result r = run(dir, {"aggregate", "-s", schema, "-o", p(dir.path() / "s.jst"), p(csv)});
  EXPECT_EQ(r.status, 4);
  EXPECT_NE(r.err.find("p.csv"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("hours"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir.path() / "s.jst"));

  const run_result missing = run(dir, {"aggregate", "-s", schema, "-o", p(dir.path() / "s.jst"), p(dir.path() / "nope.csv")});
  EXPECT_EQ(missing.status, 5);
  EXPECT_NE(missing.err.find("nope.csv"), std::string::npos) << missing.err;
  const run_result no_schema = run(dir, {"aggregate", "-s", p(dir.path() / "nope.json"), p(csv)});
  EXPECT_EQ(no_schema.status, 5);
  EXPECT_NE(no_schema.err.find("nope.json"), std::string::npos) << no_schema.err;
  const run_result no_folder = run(dir, {"aggregate", "-s", schema, "-o", p(dir.path() / "no" / "s.jst"), p(csv)});
  EXPECT_EQ(no_folder.status, 5);
  EXPECT_NE(no_folder.err.find("s.jst"), std::string::npos) << no_folder.err;
}

TEST(Cli, MergeIsIndependentOfOrderAndEqualsOneRun) {
  temp_folder dir;
  const synth::participations data = synth::generate(6000, 14);
  const std::string csv = synth::to_csv(data);
  const auto [ab, c] = split_csv(csv, 4000);
  const auto [a, b] = split_csv(ab, 1500);
  std::vector<std::string> states;
  for (const auto& [name, text] : {std::pair{"a", a}, std::pair{"b", b}, std::pair{"c", c}}) {
    const fs::path file = dir.write(std::string(name) + ".csv", text);
    const std::string state = p(dir.path() / (std::string(name) + ".jst"));
    ASSERT_EQ(run(dir, {"aggregate", "-s", schema, "-o", state, p(file)}).status, 0);
    states.push_back(state);
  }
  const std::string expected = library_state(data);
  std::vector<std::string> order = states;
  std::sort(order.begin(), order.end());
  int k = 0;
  do {
    const std::string out = p(dir.path() / ("m" + std::to_string(k++) + ".jst"));
    std::vector<std::string> args{"merge", "-o", out};
    args.insert(args.end(), order.begin(), order.end());
    const run_result r = run(dir, args);
    EXPECT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(read_file(out), expected) << "order " << order[0] << " " << order[1] << " " << order[2];
  } while (std::next_permutation(order.begin(), order.end()));
  // The summaries are added up.
  EXPECT_NE(read_file(dir.path() / "m0.jst.ingest.json").find("\"rows_accepted\": 6000"), std::string::npos);
}

TEST(Cli, MergeOfDifferentSchemasNamesTheDifference) {
  temp_folder dir;
  const fs::path csv = dir.write("p.csv", synth::to_csv(synth::generate(200, 2)));
  const std::string a = p(dir.path() / "a.jst"), b = p(dir.path() / "b.jst");
  ASSERT_EQ(run(dir, {"aggregate", "-s", schema, "-o", a, p(csv)}).status, 0);
  const fs::path other = dir.path() / "other.schema.json";
  fs::copy_file(schema, other);
  edit(other, "\"decimals\": 2, \"min\": 0, \"max\": 99999.99", "\"decimals\": 1, \"min\": 0, \"max\": 99999.9");
  // Hours with two decimals are off a one-decimal grid: round them so that the rows are kept.
  edit(other, "\"max\": 99999.9", "\"max\": 99999.9, \"off_grid\": \"round\"");
  ASSERT_EQ(run(dir, {"aggregate", "-s", p(other), "-o", b, p(csv)}).status, 0);
  const std::string out = p(dir.path() / "m.jst");
  const run_result r = run(dir, {"merge", "-o", out, a, b});
  EXPECT_EQ(r.status, 3);
  EXPECT_NE(r.err.find("measure 'hours' has 2 decimals in " + a + " but 1 in " + b), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(out));

  // A level the other schema lacks.
  const fs::path fewer = dir.path() / "fewer.schema.json";
  fs::copy_file(schema, fewer);
  edit(fewer, ",\n        { \"code\": 11, \"label_sv\": \"Vägledning / studie- och yrkesvägledning\", \"label_en\": \"Guidance / career counselling\" }", "");
  const fs::path small = dir.write("small.csv", "person_id,sex,age_band,birth_region,education,intervention,outcome,hours\n1,2,0,0,0,0,1,1.5\n");
  const std::string f = p(dir.path() / "f.jst");
  ASSERT_EQ(run(dir, {"aggregate", "-s", p(fewer), "-o", f, p(small)}).status, 0);
  const run_result level = run(dir, {"merge", "-o", out, a, f});
  EXPECT_EQ(level.status, 3);
  EXPECT_NE(level.err.find("level 11 'Vägledning / studie- och yrkesvägledning' of dimension 'intervention' is in " + a +
                           " but not in " + f),
            std::string::npos)
      << level.err;

  // Another person key.
  const std::string k = p(dir.path() / "k.jst");
  const fs::path key_schema = dir.path() / "key.schema.json";
  fs::copy_file(schema, key_schema);
  dir.write("other.key", "# test\nffeeddccbbaa99887766554433221100\n");
  edit(key_schema, "{ \"environment\": \"JAMSTAT_PERSON_KEY\" }", "{ \"file\": \"other.key\" }");
  ASSERT_EQ(run(dir, {"aggregate", "-s", p(key_schema), "-o", k, p(csv)}).status, 0);
  const run_result key = run(dir, {"merge", "-o", out, a, k});
  EXPECT_EQ(key.status, 3);
  EXPECT_NE(key.err.find("different keys"), std::string::npos) << key.err;
}

TEST(Cli, MergeRefusesFilesThatAreNotStates) {
  temp_folder dir;
  const fs::path csv = dir.write("p.csv", synth::to_csv(synth::generate(100, 3)));
  const std::string a = p(dir.path() / "a.jst");
  ASSERT_EQ(run(dir, {"aggregate", "-s", schema, "-o", a, p(csv)}).status, 0);
  std::string bytes = read_file(a);
  bytes[bytes.size() / 2] = static_cast<char>(bytes[bytes.size() / 2] ^ 0x40);
  const fs::path bad = dir.write("bad.jst", bytes);
  const run_result r = run(dir, {"merge", "-o", p(dir.path() / "m.jst"), a, p(bad)});
  EXPECT_EQ(r.status, 4);
  EXPECT_NE(r.err.find("bad.jst"), std::string::npos) << r.err;
  const run_result csv_as_state = run(dir, {"merge", "-o", p(dir.path() / "m.jst"), p(csv)});
  EXPECT_EQ(csv_as_state.status, 4);
  const run_result missing = run(dir, {"merge", "-o", p(dir.path() / "m.jst"), a, p(dir.path() / "nope.jst")});
  EXPECT_EQ(missing.status, 5);
  EXPECT_NE(missing.err.find("nope.jst"), std::string::npos) << missing.err;
}

TEST(Cli, GenerateWritesTheDataSet) {
  temp_folder dir;
  const run_result r = run(dir, {"generate", "1000", p(dir.path() / "g"), "7"});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(read_file(dir.path() / "g" / "participations.csv"), synth::to_csv(synth::generate(1000, 7)));
}

// The fields of one CSV line (RFC 4180: quoted fields may hold ',' and '""'); the UTF-8 byte
// order mark of the first line is dropped.
std::vector<std::string> csv_fields(std::string_view line) {
  if (line.substr(0, 3) == "\xEF\xBB\xBF") line.remove_prefix(3);
  std::vector<std::string> out(1);
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') out.back() += '"', ++i;
      else if (c == '"') quoted = false;
      else out.back() += c;
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      out.emplace_back();
    } else if (c != '\r') {
      out.back() += c;
    }
  }
  return out;
}

// report.csv as rows of named fields.
struct csv_table {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  std::size_t column(const std::string& name) const {
    const auto it = std::find(header.begin(), header.end(), name);
    EXPECT_NE(it, header.end()) << name;
    return static_cast<std::size_t>(it - header.begin());
  }
};

csv_table read_csv_table(const fs::path& file) {
  const std::string text = read_file(file);
  csv_table t;
  std::size_t at = 0;
  while (at < text.size()) {
    std::size_t end = text.find('\n', at);
    if (end == std::string::npos) end = text.size();
    std::vector<std::string> fields = csv_fields(std::string_view(text).substr(at, end - at));
    if (t.header.empty()) t.header = std::move(fields);
    else t.rows.push_back(std::move(fields));
    at = end + 1;
  }
  return t;
}

const char* const report_files[] = {"report.csv", "findings.csv", "report.json", "report.md", "report.html"};

// A small state of two periods aggregated by the command (so that each has its ingest summary).
struct small_states {
  temp_folder dir;
  fs::path current, previous;
  small_states() {
    current = dir.path() / "2025.jst";
    previous = dir.path() / "2024.jst";
    for (const auto& [state, seed] : {std::pair{previous, 12u}, std::pair{current, 11u}}) {
      const fs::path csv = dir.write(state.stem().string() + ".csv", synth::to_csv(synth::generate(3000, seed)));
      const run_result r = run(dir, {"aggregate", "--schema", schema, "-q", "-o", p(state), p(csv)});
      EXPECT_EQ(r.status, 0) << r.err;
    }
  }
};

TEST(CliReport, WritesTheFiveFilesProtected) {
  small_states s;
  const fs::path folder = s.dir.path() / "rapport";
  const run_result r = run(s.dir, {"report", p(s.current), "--previous", p(s.previous), "-s", schema, "-o", p(folder)});
  ASSERT_EQ(r.status, 0) << r.err;
  for (const char* f : report_files) {
    EXPECT_TRUE(fs::exists(folder / f)) << f;
    EXPECT_NE(r.out.find(p(folder / f)), std::string::npos) << f << "\n" << r.out;  // the paths are printed
  }
  const std::string html = read_file(folder / "report.html");
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("<SCRIPT"), std::string::npos);
  EXPECT_NE(html.find("<svg"), std::string::npos);
  EXPECT_NE(html.find("Kvinnor"), std::string::npos);  // Swedish by default
  EXPECT_EQ(html.find("För internt bruk"), std::string::npos);
  // The ingestion summary aggregate wrote beside the state is in the report.
  const std::string json = read_file(folder / "report.json");
  EXPECT_NE(json.find("\"rows_read\""), std::string::npos);
  EXPECT_NE(read_file(folder / "report.csv").find("rows_read"), std::string::npos);
  // The schema file's legitimate factors are used, and the report says so.
  EXPECT_NE(read_file(folder / "report.md").find("age_band, education"), std::string::npos);
  EXPECT_NE(read_file(folder / "findings.csv").find("current"), std::string::npos);
}

// A person-free copy (no person hashes) gives the same protected report as the state it came from,
// says which form each command read, and is never merged.
TEST(CliReport, APersonFreeStateGivesTheSameReportAndIsNeverMerged) {
  small_states s;
  const fs::path free = s.dir.path() / "2025.person-free.jst";
  const run_result made = run(s.dir, {"person-free", p(s.current), "-o", p(free)});
  ASSERT_EQ(made.status, 0) << made.err;
  EXPECT_NE(made.err.find("read " + p(s.current) + ": pseudonymised"), std::string::npos) << made.err;
  EXPECT_NE(made.err.find("wrote " + p(free) + ": person-free"), std::string::npos) << made.err;
  EXPECT_TRUE(fs::exists(p(free) + ".ingest.json"));  // the ingest summary goes with it
  const fs::path from_hashes = s.dir.path() / "a", from_counts = s.dir.path() / "b";
  const run_result a = run(s.dir, {"report", p(s.current), "-s", schema, "--period", "2025", "-o", p(from_hashes)});
  const run_result b = run(s.dir, {"report", p(free), "-s", schema, "--period", "2025", "-o", p(from_counts)});
  ASSERT_EQ(a.status, 0) << a.err;
  ASSERT_EQ(b.status, 0) << b.err;
  EXPECT_NE(a.err.find("read " + p(s.current) + ": pseudonymised"), std::string::npos) << a.err;
  EXPECT_NE(b.err.find("read " + p(free) + ": person-free"), std::string::npos) << b.err;
  for (const char* f : {"report.csv", "findings.csv", "report.md"})
    EXPECT_EQ(read_file(from_hashes / f), read_file(from_counts / f)) << f;
  EXPECT_EQ(run(s.dir, {"report", "-q", p(free), "-s", schema, "-o", p(s.dir.path() / "c")}).err, "");
  // Never merged, with anything; never made person-free twice or in place.
  const std::string out = p(s.dir.path() / "m.jst");
  for (const auto& inputs : {std::vector<std::string>{p(s.previous), p(free)}, std::vector<std::string>{p(free), p(s.previous)}}) {
    std::vector<std::string> args{"merge", "-o", out};
    args.insert(args.end(), inputs.begin(), inputs.end());
    const run_result r = run(s.dir, args);
    EXPECT_EQ(r.status, 3) << r.err;
    EXPECT_NE(r.err.find(p(free) + " is a person-free state"), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(out));
  }
  EXPECT_EQ(run(s.dir, {"person-free", p(free), "-o", p(s.dir.path() / "again.jst")}).status, 2);
  EXPECT_EQ(run(s.dir, {"person-free", p(s.current), "-o", p(s.current)}).status, 2);
}

TEST(CliReport, CellsBelowTheThresholdAreNotShownAndInternalIsLabelled) {
  small_states s;
  const fs::path open = s.dir.path() / "open", internal = s.dir.path() / "internal";
  ASSERT_EQ(run(s.dir, {"report", p(s.current), "--lang", "en", "-o", p(open)}).status, 0);
  const run_result r = run(s.dir, {"report", p(s.current), "--lang", "en", "--internal", "-o", p(internal)});
  ASSERT_EQ(r.status, 0) << r.err;
  for (const char* f : {"report.md", "report.html"})
    EXPECT_NE(read_file(internal / f).find("For internal use only"), std::string::npos) << f;
  EXPECT_NE(read_file(internal / "report.json").find("\"internal_use_only\": true"), std::string::npos);
  EXPECT_EQ(read_file(open / "report.json").find("\"internal_use_only\": true"), std::string::npos);

  // The internal report holds the true counts: every cell with 1 to 4 persons there must be
  // suppressed (empty value, status primary) in the protected report of the same state.
  const csv_table truth = read_csv_table(internal / "report.csv"), shown = read_csv_table(open / "report.csv");
  ASSERT_EQ(truth.header, shown.header);
  const std::size_t value = truth.column("value"), status = truth.column("status"),
                    statistic = truth.column("statistic"), flag = truth.column("internal_use_only");
  for (const auto& row : truth.rows) {
    if (row.size() == truth.header.size()) {
      EXPECT_EQ(row[status], "internal");
    }
  }
  EXPECT_EQ(truth.rows.front()[flag], "true");
  std::size_t small_cells = 0;
  for (const auto& row : truth.rows) {
    if (row.size() != truth.header.size() || row[statistic] != "persons" || row[value].empty()) continue;
    const double persons = std::stod(row[value]);
    if (persons < 1 || persons >= 5) continue;
    // The same cell in the protected report: the columns before `statistic` name the cell.
    const auto same = std::find_if(shown.rows.begin(), shown.rows.end(), [&](const auto& other) {
      return other.size() == row.size() && std::equal(row.begin(), row.begin() + static_cast<std::ptrdiff_t>(statistic) + 1, other.begin());
    });
    ASSERT_NE(same, shown.rows.end()) << "cell missing from the protected report";
    EXPECT_EQ((*same)[value], "") << "a cell of " << persons << " persons is shown";
    EXPECT_EQ((*same)[status], "primary");
    ++small_cells;
  }
  EXPECT_GT(small_cells, 0u) << "the test state should have cells below the threshold";
}

TEST(CliReport, BadInputsAndFolders) {
  small_states s;
  // Not a state: 4, naming the file.
  const fs::path bad = s.dir.write("bad.jst", "this is not a state");
  const run_result not_state = run(s.dir, {"report", p(bad), "-o", p(s.dir.path() / "r")});
  EXPECT_EQ(not_state.status, 4);
  EXPECT_NE(not_state.err.find("bad.jst"), std::string::npos) << not_state.err;
  EXPECT_EQ(run(s.dir, {"report", p(s.dir.path() / "nope.jst"), "-o", p(s.dir.path() / "r")}).status, 5);
  // An unknown dimension among the legitimate factors: a usage error.
  const run_result unknown = run(s.dir, {"report", p(s.current), "--legitimate", "shoe_size", "-o", p(s.dir.path() / "r")});
  EXPECT_EQ(unknown.status, 2);
  EXPECT_NE(unknown.err.find("shoe_size"), std::string::npos) << unknown.err;
  // A target-group file: accepted when it fits the schema; a bad code names file, line and column.
  const fs::path target = s.dir.write("target.csv", "sex,age_band,population\n2,0,400\n1,0,450\n2,1,900\n1,1,880\n");
  const run_result with_target = run(s.dir, {"report", p(s.current), "-t", p(target), "-o", p(s.dir.path() / "t")});
  EXPECT_EQ(with_target.status, 0) << with_target.err;
  const fs::path bad_target = s.dir.write("bad-target.csv", "sex,age_band,population\n3,0,400\n");
  const run_result target_error = run(s.dir, {"report", p(s.current), "-t", p(bad_target), "-o", p(s.dir.path() / "t")});
  EXPECT_EQ(target_error.status, 4);
  EXPECT_NE(target_error.err.find("bad-target.csv:2:1"), std::string::npos) << target_error.err;
  // A missing parent folder is created.
  const fs::path deep = s.dir.path() / "a" / "b" / "report";
  EXPECT_EQ(run(s.dir, {"report", p(s.current), "-o", p(deep)}).status, 0);
  EXPECT_TRUE(fs::exists(deep / "report.html"));
  // A folder that cannot be created (its parent is a file): 5.
  const fs::path file = s.dir.write("plain-file", "x");
  const run_result blocked = run(s.dir, {"report", p(s.current), "-o", p(file / "report")});
  EXPECT_EQ(blocked.status, 5) << blocked.err;
}

TEST(Cli, DemoGoesThroughCsvAndTheSchemaFile) {
  temp_folder dir;
  const fs::path folder = dir.path() / "demo";
  const run_result r = run(dir, {"demo", p(folder), "--n", "20000"}, "/dev/null", false);
  EXPECT_EQ(r.status, 0) << r.err;
  // No std::regex: GCC 12 warns (maybe-uninitialized, an error here) inside <regex> under ASan.
  const std::size_t women = r.out.find("Kvinnor"), men = r.out.find("Män", women), total = r.out.find("Totalt", men);
  EXPECT_TRUE(women != std::string::npos && men != std::string::npos && total != std::string::npos) << r.out;
  EXPECT_NE(r.out.find(fs::absolute(folder).string()), std::string::npos) << r.out;
  // Its schema file describes the same schema as the documented example.
  const io::schema_file written = io::read_schema_file(folder / "participations.schema.json");
  io::testing::set_test_key();
  const io::schema_file documented = io::read_schema_file(example("participations.schema.json"));
  EXPECT_TRUE(*written.schema == *documented.schema);
  EXPECT_EQ(written.report.compare, documented.report.compare);
  for (const char* f : {"2024.jst", "2025.jst", "data/participations-2025.csv", "person.key"})
    EXPECT_TRUE(fs::exists(folder / f)) << f;
  EXPECT_EQ(read_file(folder / "data/participations-2025.csv"), synth::to_csv(synth::generate(20000, synth::default_seed)));
  // The protected report of 2025 with 2024 as the previous period, and where it is.
  for (const char* f : report_files) EXPECT_TRUE(fs::exists(folder / "report" / f)) << f;
  EXPECT_NE(r.out.find(fs::absolute(folder / "report" / "report.html").string()), std::string::npos) << r.out;
  const std::string html = read_file(folder / "report" / "report.html");
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_NE(html.find("2024"), std::string::npos);
  EXPECT_EQ(html.find("För internt bruk"), std::string::npos);
}

}  // namespace
}  // namespace jamstat::cli
