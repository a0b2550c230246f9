#include "demo_data.hpp"

#include <nlohmann/json.hpp>

#include "jamstat/synth/participations.hpp"

namespace jamstat::cli {

std::string participation_schema_json(const std::string& key_file) {
  const auto s = synth::participation_schema(measure_kind::decimal);
  using json = nlohmann::ordered_json;
  json j;
  j["format"] = "jamstat-schema-file-1";
  j["description"] =
      "The canonical synthetic participation data set (jamstat demo / jamstat generate): columns "
      "person_id,sex,age_band,birth_region,education,intervention,outcome,hours.";
  j["csv"] = {{"separator", ","}, {"encoding", "utf-8"}, {"decimal_mark", "."}};
  j["person_id"] = {{"column", "person_id"}, {"form", "integer"}, {"key", {{"file", key_file}}}};
  j["sex"] = {{"column", "sex"}};
  j["dimensions"] = json::array();
  for (std::size_t d = 1; d < s->dimensions().size(); ++d) {
    const dimension& dim = s->dimensions()[d];
    json levels = json::array();
    for (const level& l : dim.levels())
      levels.push_back({{"code", l.code}, {"label_sv", l.label_sv}, {"label_en", l.label_en}});
    j["dimensions"].push_back({{"name", dim.name()},
                               {"label_sv", dim.label_sv()},
                               {"label_en", dim.label_en()},
                               {"column", dim.name()},
                               {"levels", levels}});
  }
  j["outcomes"] = json::array();
  for (const outcome& o : s->outcomes())
    j["outcomes"].push_back({{"name", o.name}, {"label_sv", o.label_sv}, {"label_en", o.label_en}, {"column", "outcome"}});
  j["measures"] = json::array();
  for (std::size_t m = 0; m < s->numeric_measures().size(); ++m) {
    const numeric_measure& nm = s->numeric_measures()[m];
    j["measures"].push_back({{"name", nm.name},
                             {"unit", nm.unit},
                             {"label_sv", nm.label_sv},
                             {"label_en", nm.label_en},
                             {"column", nm.name},
                             {"kind", to_string(nm.kind)},
                             {"decimals", nm.decimals},
                             {"min", nm.lowest},
                             {"max", nm.highest}});
  }
  j["report"] = {{"outcome", "in_work_or_studies"},
                 {"measure", "hours"},
                 {"legitimate_factors", {"age_band", "education"}},
                 {"compare", {"intervention", "birth_region", "age_band", "education"}}};
  return j.dump(2) + "\n";
}

}  // namespace jamstat::cli
