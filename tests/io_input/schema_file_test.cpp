// Schema files: the two documented examples, every kind of mistake with its JSON path, and the
// person key from the environment or a key file.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "jamstat/engine/errors.hpp"
#include "jamstat/io/schema_file.hpp"
#include "test_files.hpp"

namespace jamstat::io {
namespace {

using json = nlohmann::json;
using testing::example;
using testing::temp_folder;

json minimal() {
  return json::parse(R"({
    "sex": { "column": "kon", "values": { "K": 2, "M": 1 } },
    "dimensions": [
      { "name": "region", "column": "region",
        "levels": [ { "code": 1, "label_sv": "Norr", "label_en": "North" }, { "code": 2, "label_sv": "Söder" } ] }
    ],
    "outcomes": [ { "name": "in_work", "column": "arbete" } ],
    "measures": [ { "name": "hours", "unit": "h", "column": "timmar", "kind": "decimal", "decimals": 2, "min": 0, "max": 1000 } ]
  })");
}

// The schema_file_error a document raises, or "" when it is valid.
std::string error_of(const json& doc) {
  try {
    parse_schema_file(doc.dump(), "s.json");
  } catch (const schema_file_error& e) {
    return e.what();
  }
  return "";
}

std::string path_of(const json& doc) {
  try {
    parse_schema_file(doc.dump(), "s.json");
  } catch (const schema_file_error& e) {
    return e.json_path();
  }
  return "<valid>";
}

TEST(SchemaFile, MinimalDocument) {
  const schema_file sf = parse_schema_file(minimal().dump(), "s.json");
  const schema& s = *sf.schema;
  ASSERT_EQ(s.dimensions().size(), 2u);
  EXPECT_EQ(s.dimensions()[0].name(), "sex");
  EXPECT_EQ(s.dimensions()[1].levels()[1].label_en, "Söder");  // defaults to the Swedish label
  EXPECT_EQ(s.numeric_measures()[0].kind, measure_kind::decimal);
  EXPECT_EQ(s.numeric_measures()[0].decimals, 2);
  EXPECT_EQ(sf.dimensions[0].values.size(), 2u);
  EXPECT_EQ(sf.outcomes[0].values.size(), 2u);  // "0" and "1" by default
  EXPECT_EQ(sf.missing, std::vector<std::string>{""});
  EXPECT_FALSE(sf.person_id.has_value());
  EXPECT_EQ(sf.csv, csv_dialect{});
}

TEST(SchemaFile, SwedishExample) {
  const schema_file sf = read_schema_file(example("swedish-export.schema.json"));
  EXPECT_EQ(sf.csv.separator, ';');
  EXPECT_EQ(sf.csv.decimal_mark, ',');
  EXPECT_EQ(sf.csv.thousands_separators, (std::vector<std::string>{" ", "\xC2\xA0"}));
  ASSERT_TRUE(sf.reference_date.has_value());
  EXPECT_EQ(*sf.reference_date, std::chrono::year_month_day(std::chrono::year(2025), std::chrono::month(12), std::chrono::day(31)));
  ASSERT_TRUE(sf.personnummer.has_value());
  EXPECT_EQ(sf.personnummer->name, "Personnummer");
  ASSERT_TRUE(sf.person_id.has_value());
  EXPECT_EQ(sf.person_id->form, person_id_form::personnummer);
  EXPECT_EQ(sf.person_id->key.from, person_key_source::kind::file);
  EXPECT_EQ(sf.dimensions[0].missing_code, 0);
  EXPECT_EQ(sf.dimensions[1].bands.size(), 7u);
  EXPECT_EQ(sf.dimensions[1].bands.back().min, 65);
  EXPECT_EQ(sf.schema->numeric_measures()[1].off_grid, off_grid_policy::round);
  EXPECT_EQ(sf.measures[0].missing_value, 0.0);
  EXPECT_EQ(sf.report.compare, (std::vector<std::string>{"intervention", "birth_region", "age_band"}));
  EXPECT_EQ(sf.dimensions[1].label_sv, "Åldersgrupp");
}

TEST(SchemaFile, ErrorsNameTheJsonPathAndWhatWasExpected) {
  struct mutation {
    std::function<void(json&)> apply;
    const char* path;
    const char* says;
  };
  const mutation cases[] = {
      {[](json& d) { d.erase("sex"); }, "", "\"sex\" is required"},
      {[](json& d) { d["dimensions"][0]["lables"] = 1; }, "dimensions[0].lables", "unknown key"},
      {[](json& d) { d["dimensions"][0]["levels"][0]["code"] = "a"; }, "dimensions[0].levels[0].code", "found \"a\""},
      {[](json& d) { d["dimensions"][0]["levels"][1]["code"] = 1; }, "dimensions[0].levels[1].code", "used twice"},
      {[](json& d) { d["dimensions"][0]["levels"][0]["code"] = -1; }, "dimensions[0].levels[0].code", "non-negative"},
      {[](json& d) { d["dimensions"][0]["values"] = {{"N", 7}}; }, "dimensions[0].values.N", "level codes 1, 2"},
      {[](json& d) { d["dimensions"][0]["values"] = {{"N", 1}, {"n", 2}}; }, "dimensions[0].values.n", "same spelling"},
      {[](json& d) { d["dimensions"][0]["values"] = {{" ", 1}}; }, "dimensions[0].values. ", "empty spelling"},
      {[](json& d) { d["dimensions"][0]["missing_code"] = 5; }, "dimensions[0].missing_code", "level codes"},
      {[](json& d) { d["dimensions"][0]["values"] = {{"NA", 1}}, d["dimensions"][0]["missing"] = {"na"}; },
       "dimensions[0]", "both a missing-value spelling and a value"},
      {[](json& d) { d["dimensions"][0].erase("column"); }, "dimensions[0]", "exactly one of \"column\""},
      {[](json& d) { d["dimensions"][0]["column"] = 0; }, "dimensions[0].column", "column position"},
      {[](json& d) { d["dimensions"][0]["column"] = true; }, "dimensions[0].column", "header name"},
      {[](json& d) { d["sex"]["values"]["X"] = 3; }, "sex.values.X", "0 (not known)"},
      {[](json& d) { d["sex"]["from"] = "personnummer"; }, "sex", "exactly one of"},
      {[](json& d) { d["measures"][0].erase("kind"); d["measures"][0].erase("decimals"); }, "measures[0]", "\"kind\" is required"},
      {[](json& d) { d["measures"][0]["decimals"] = 12; }, "measures[0].decimals", "from 0 to 9"},
      {[](json& d) { d["measures"][0]["kind"] = "money"; }, "measures[0].kind", "\"decimal\" or \"floating\""},
      {[](json& d) { d["measures"][0]["off_grid"] = "truncate"; }, "measures[0].off_grid", "\"reject\" or \"round\""},
      {[](json& d) { d["measures"][0]["min"] = 0.001; }, "", "grid"},  // the engine's own check
      {[](json& d) { d["measures"][0]["missing_value"] = 0.005; }, "measures[0].missing_value", "grid"},
      {[](json& d) { d["measures"][0]["missing_value"] = 2000; }, "measures[0].missing_value", "range"},
      {[](json& d) { d["measures"][0]["name"] = "region"; }, "", "region"},  // names unique across the schema
      {[](json& d) { d["outcomes"][0]["values"] = {{"ja", 2}}; }, "outcomes[0].values.ja", "0 and 1"},
      {[](json& d) { d["csv"] = {{"separator", ":"}}; }, "csv.separator", "\";\""},
      {[](json& d) { d["csv"] = {{"encoding", "ebcdic"}}; }, "csv.encoding", "windows-1252"},
      {[](json& d) { d["csv"] = {{"thousands_separators", {"_"}}}; }, "csv.thousands_separators", "no-break space"},
      {[](json& d) { d["csv"] = {{"decimal_mark", ","}, {"thousands_separators", {","}}}; }, "csv", "both the decimal mark"},
      {[](json& d) { d["csv"] = {{"thousands_separators", {"."}}}; }, "csv", "declared \"decimal_mark\""},
      {[](json& d) { d["csv"] = {{"header", false}}; }, "sex.column", "by position"},
      {[](json& d) { d["reference_date"] = "2025-02-30"; }, "reference_date", "not a calendar date"},
      {[](json& d) { d["reference_date"] = "31/12/2025"; }, "reference_date", "YYYY-MM-DD"},
      {[](json& d) { d["personnummer"] = {{"column", "pnr"}}; }, "", "needs \"reference_date\""},
      {[](json& d) { d["sex"] = {{"from", "personnummer"}}; }, "sex", "top-level \"personnummer\""},
      {[](json& d) { d["person_id"] = {{"column", "id"}, {"key", {{"environment", "K"}, {"file", "f"}}}}; },
       "person_id.key", "exactly one of"},
      {[](json& d) { d["person_id"] = {{"column", "id"}}; }, "person_id", "\"key\" is required"},
      {[](json& d) { d["person_id"] = {{"column", "id"}, {"form", "uuid"}, {"key", {{"environment", "K"}}}}; },
       "person_id.form", "\"integer\" or \"text\""},
      {[](json& d) { d["report"] = {{"outcome", "employed"}}; }, "report.outcome", "not one of the outcomes"},
      {[](json& d) { d["report"] = {{"compare", {"sex"}}}; }, "report.compare[0]", "always compared"},
      {[](json& d) { d["report"] = {{"legitimate_factors", {"age"}}}; }, "report.legitimate_factors[0]", "not one of the dimensions"},
      {[](json& d) { d["format"] = "jamstat-schema-file-2"; }, "format", "jamstat-schema-file-1"},
      {[](json& d) { d["dimensions"][0]["bands"] = {{{"code", 1}, {"min", 0}, {"max", 10}, {"label_sv", "a"}}}; },
       "dimensions[0]", "not both"},
  };
  for (const mutation& m : cases) {
    json doc = minimal();
    m.apply(doc);
    const std::string what = error_of(doc);
    EXPECT_NE(what.find(m.says), std::string::npos) << "expected \"" << m.says << "\" in: " << what;
    EXPECT_EQ(path_of(doc), m.path) << what;
    EXPECT_EQ(what.rfind("s.json: ", 0), 0u) << what;
  }
}

TEST(SchemaFile, BandsAndAgesFromThePersonnummer) {
  json doc = minimal();
  doc["reference_date"] = "2025-12-31";
  doc["personnummer"] = {{"column", "pnr"}};
  doc["sex"] = {{"from", "personnummer"}};
  doc["dimensions"].push_back(json::parse(R"({ "name": "age", "from": "personnummer_age",
      "bands": [ { "code": 0, "max": 29, "label_sv": "-29" }, { "code": 1, "min": 30, "label_sv": "30-" } ] })"));
  const schema_file sf = parse_schema_file(doc.dump(), "s.json");
  EXPECT_EQ(sf.dimensions[0].source, value_source::personnummer_sex);
  EXPECT_EQ(sf.dimensions[2].source, value_source::personnummer_age);
  // Overlapping bands, a band without bounds, min above max.
  doc["dimensions"][1]["bands"][1]["min"] = 29;
  EXPECT_NE(error_of(doc).find("overlaps"), std::string::npos);
  doc["dimensions"][1]["bands"][1] = {{"code", 1}, {"label_sv", "x"}};
  EXPECT_NE(error_of(doc).find("needs \"min\""), std::string::npos);
  doc["dimensions"][1]["bands"][1] = {{"code", 1}, {"min", 40}, {"max", 30}, {"label_sv", "x"}};
  EXPECT_NE(error_of(doc).find("above"), std::string::npos);
  doc["dimensions"][1]["bands"] = json::array();
  EXPECT_EQ(path_of(doc), "dimensions[1].bands");
}

TEST(SchemaFile, InvalidJsonSaysWhere) {
  try {
    parse_schema_file("{\n  \"sex\": {\n    \"column\": \"kon\",,\n", "bad.json");
    FAIL();
  } catch (const schema_file_error& e) {
    const std::string what = e.what();
    EXPECT_EQ(what.rfind("bad.json:3:", 0), 0u) << what;
    EXPECT_NE(what.find("not valid JSON"), std::string::npos) << what;
  }
  EXPECT_THROW(read_schema_file("/no/such/schema.json"), input_file_error);
}

TEST(SchemaFile, CommentsAreAllowed) {
  json doc = minimal();
  doc["$comment"] = "written by the coordinator";
  doc["sex"]["_note"] = "K and M as in the export";
  EXPECT_EQ(error_of(doc), "");
}

TEST(PersonKey, FromTheEnvironment) {
  person_key_source src{person_key_source::kind::environment, "JAMSTAT_TEST_KEY_VARIABLE"};
  ::unsetenv("JAMSTAT_TEST_KEY_VARIABLE");
  EXPECT_THROW(load_person_key(src), usage_error);
  ::setenv("JAMSTAT_TEST_KEY_VARIABLE", "00112233445566778899AABBCCDDEEFF", 1);
  const person_key k = load_person_key(src);
  const std::array<std::uint8_t, 16> bytes{0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77,
                                           0x88, 0x99, 0xAA, 0xBB, 0xCC, 0xDD, 0xEE, 0xFF};
  EXPECT_EQ(k.key_check(), person_key(bytes).key_check());
  for (const char* bad : {"00112233", "00112233445566778899AABBCCDDEEFG", "00000000000000000000000000000000"}) {
    ::setenv("JAMSTAT_TEST_KEY_VARIABLE", bad, 1);
    try {
      load_person_key(src);
      FAIL() << bad;
    } catch (const usage_error& e) {
      EXPECT_EQ(std::string(e.what()).find(bad), std::string::npos) << "the key must not be echoed";
    }
  }
  ::unsetenv("JAMSTAT_TEST_KEY_VARIABLE");
}

TEST(PersonKey, FromAKeyFileNextToTheSchemaFile) {
  temp_folder dir;
  dir.write("person.key", "# the partners' shared key, 2025\n\n  00112233445566778899aabbccddeeff  \n");
  json doc = minimal();
  doc["person_id"] = {{"column", "id"}, {"form", "integer"}, {"key", {{"file", "person.key"}}}};
  const auto path = dir.write("s.json", doc.dump());
  const schema_file sf = read_schema_file(path);
  ASSERT_TRUE(sf.person_id.has_value());
  EXPECT_EQ(std::filesystem::path(sf.person_id->key.name), dir.path() / "person.key");
  const aggregator_options options = aggregator_options_for(sf);
  ASSERT_TRUE(options.persons.has_value());
  const std::array<std::uint8_t, 16> bytes{0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77,
                                           0x88, 0x99, 0xAA, 0xBB, 0xCC, 0xDD, 0xEE, 0xFF};
  EXPECT_EQ(options.persons->key_check(), person_key(bytes).key_check());
  dir.write("person.key", "# nothing here\n");
  EXPECT_THROW(aggregator_options_for(sf), usage_error);
  std::filesystem::remove(dir.path() / "person.key");
  EXPECT_THROW(aggregator_options_for(sf), input_file_error);
  // No person id: persons are not counted and no key is needed.
  EXPECT_FALSE(aggregator_options_for(parse_schema_file(minimal().dump())).persons.has_value());
}

}  // namespace
}  // namespace jamstat::io
