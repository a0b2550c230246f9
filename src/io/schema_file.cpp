#include "jamstat/io/schema_file.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "jamstat/engine/errors.hpp"
#include "jamstat/engine/iso5218.hpp"
#include "jamstat/io/number_text.hpp"
#include "text_utilities.hpp"

namespace jamstat::io {

using json = nlohmann::json;

std::string column_ref::describe() const {
  if (position > 0) return "column " + std::to_string(position);
  return "'" + name + "'";
}

std::string_view to_string(person_id_form form) noexcept {
  switch (form) {
    case person_id_form::integer: return "integer";
    case person_id_form::text: return "text";
    case person_id_form::personnummer: return "personnummer";
  }
  return "unknown";
}

namespace {

constexpr const char* format_tag = "jamstat-schema-file-1";

// A JSON value with the path that leads to it, for messages that name where the fault is.
class node {
 public:
  node(const json& value, std::string path, const std::string& file) : value_(value), path_(std::move(path)), file_(file) {}

  const json& value() const { return value_; }
  const std::string& path() const { return path_; }

  [[noreturn]] void fail(const std::string& what) const {
    throw schema_file_error(file_ + ": " + (path_.empty() ? std::string("the document") : path_) + ": " + what, path_);
  }
  [[noreturn]] void expected(const std::string& what) const { fail("expected " + what + ", found " + found()); }

  std::string found() const {
    switch (value_.type()) {
      case json::value_t::null: return "null";
      case json::value_t::boolean: return value_.get<bool>() ? "true" : "false";
      case json::value_t::array: return "a list";
      case json::value_t::object: return "an object";
      case json::value_t::string: return "\"" + detail::value_for_message(value_.get<std::string>(), 40) + "\"";
      default: return value_.dump();
    }
  }

  bool is_object() const { return value_.is_object(); }
  bool has(const char* key) const { return value_.is_object() && value_.contains(key); }
  node operator[](const char* key) const {
    if (!value_.is_object()) expected("an object");
    const auto it = value_.find(key);
    if (it == value_.end()) fail("the key \"" + std::string(key) + "\" is required");
    return node(*it, join(key), file_);
  }
  std::optional<node> optional(const char* key) const {
    if (!value_.is_object()) expected("an object");
    const auto it = value_.find(key);
    if (it == value_.end() || it->is_null()) return std::nullopt;
    return node(*it, join(key), file_);
  }
  std::vector<node> elements() const {
    if (!value_.is_array()) expected("a list");
    std::vector<node> out;
    for (std::size_t i = 0; i < value_.size(); ++i)
      out.emplace_back(value_[i], path_ + "[" + std::to_string(i) + "]", file_);
    return out;
  }
  // Members of an object in document order is not kept by nlohmann::json (sorted); that is fine
  // for value maps, whose order does not matter.
  std::vector<std::pair<std::string, node>> members() const {
    if (!value_.is_object()) expected("an object");
    std::vector<std::pair<std::string, node>> out;
    for (auto it = value_.begin(); it != value_.end(); ++it)
      out.emplace_back(it.key(), node(it.value(), join(it.key()), file_));
    return out;
  }

  // Keys other than `allowed` are errors (a misspelt key must not be ignored silently), except
  // comments: keys starting with '$' or '_'.
  void only(std::initializer_list<const char*> allowed) const {
    if (!value_.is_object()) expected("an object");
    for (auto it = value_.begin(); it != value_.end(); ++it) {
      const std::string& k = it.key();
      if (!k.empty() && (k[0] == '$' || k[0] == '_')) continue;
      if (std::none_of(allowed.begin(), allowed.end(), [&](const char* a) { return k == a; })) {
        std::string list;
        for (const char* a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
        node(it.value(), join(k), file_).fail("unknown key \"" + detail::value_for_message(k, 40) + "\"; expected one of: " + list);
      }
    }
  }

  std::string string() const {
    if (!value_.is_string()) expected("a string");
    const std::string s = value_.get<std::string>();
    if (!is_valid_utf8(s)) fail("the text is not valid UTF-8");
    return s;
  }
  std::string nonempty_string() const {
    std::string s = string();
    if (detail::trim(s).empty()) expected("a non-empty string");
    return s;
  }
  bool boolean() const {
    if (!value_.is_boolean()) expected("true or false");
    return value_.get<bool>();
  }
  std::int64_t integer(std::int64_t lo, std::int64_t hi, const char* what = "a whole number") const {
    std::int64_t v;
    if (value_.is_number_integer()) {
      if (value_.is_number_unsigned() && value_.get<std::uint64_t>() > static_cast<std::uint64_t>(INT64_MAX))
        expected(std::string(what) + " from " + std::to_string(lo) + " to " + std::to_string(hi));
      v = value_.get<std::int64_t>();
    } else if (value_.is_number_float() && std::floor(value_.get<double>()) == value_.get<double>() &&
               std::fabs(value_.get<double>()) < 9e15) {
      v = static_cast<std::int64_t>(value_.get<double>());
    } else {
      expected(std::string(what));
    }
    if (v < lo || v > hi) expected(std::string(what) + " from " + std::to_string(lo) + " to " + std::to_string(hi));
    return v;
  }
  double number() const {
    if (!value_.is_number()) expected("a number");
    return value_.get<double>();
  }
  // A spelling: a string, or a number written as it appears in the data (1 -> "1").
  std::string spelling() const {
    if (value_.is_string()) return string();
    if (value_.is_number_integer()) return value_.dump();
    expected("a string (or a whole number) as it is written in the data");
  }

 private:
  std::string join(const std::string& key) const { return path_.empty() ? key : path_ + "." + key; }
  const json& value_;
  std::string path_;
  const std::string& file_;
};

column_ref read_column(const node& n) {
  column_ref ref;
  if (n.value().is_string()) {
    ref.name = n.nonempty_string();
  } else if (n.value().is_number()) {
    ref.position = static_cast<std::size_t>(n.integer(1, 100000, "a column position (1 is the first column)"));
  } else {
    n.expected("a column's header name (a string) or its position (1 is the first column)");
  }
  return ref;
}

std::vector<std::string> read_spellings(const node& n) {
  std::vector<std::string> out;
  if (n.value().is_string()) {
    out.push_back(n.string());
    return out;
  }
  for (const node& e : n.elements()) out.push_back(e.spelling());
  return out;
}

std::string label_or(const std::optional<node>& n, const std::string& fallback) {
  return n ? n->nonempty_string() : fallback;
}

// Checks a value map against the levels and the missing spellings; returns it.
std::vector<value_spelling> read_values(const node& n, const std::set<std::int32_t>& codes, const std::string& codes_text) {
  std::vector<value_spelling> out;
  std::map<std::string, std::pair<std::string, std::int32_t>> seen;  // folded -> (as written, code)
  for (const auto& [text, value] : n.members()) {
    if (!is_valid_utf8(text)) value.fail("the spelling is not valid UTF-8");
    if (detail::trim(text).empty())
      value.fail("an empty spelling cannot be a value: empty fields are missing values (see \"missing\" and "
                 "\"missing_code\")");
    const auto code = static_cast<std::int32_t>(value.integer(0, INT32_MAX, "a level code"));
    if (!codes.count(code)) value.expected("one of the level codes " + codes_text);
    const std::string folded = detail::fold_case(detail::trim(text));
    const auto it = seen.find(folded);
    if (it != seen.end() && it->second.second != code)
      value.fail("\"" + detail::value_for_message(text, 40) + "\" and \"" + detail::value_for_message(it->second.first, 40) +
                 "\" are the same spelling (case and blanks are ignored) but map to different codes");
    seen.emplace(folded, std::make_pair(text, code));
    out.push_back({text, code});
  }
  if (out.empty()) n.expected("at least one spelling");
  return out;
}

std::string codes_text(const std::set<std::int32_t>& codes) {
  std::string s;
  for (const std::int32_t c : codes) s += (s.empty() ? "" : ", ") + std::to_string(c);
  return s;
}

void check_missing_against_values(const node& where, const std::vector<std::string>& missing,
                                  const std::vector<value_spelling>& values) {
  for (const std::string& m : missing)
    for (const value_spelling& v : values)
      if (detail::fold_case(detail::trim(m)) == detail::fold_case(detail::trim(v.text)))
        where.fail("\"" + detail::value_for_message(m, 40) + "\" is both a missing-value spelling and a value");
}

std::chrono::year_month_day read_date(const node& n) {
  const std::string s = n.string();
  const auto bad = [&] { n.expected("a date written YYYY-MM-DD"); };
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') bad();
  for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) bad();
  const int y = std::stoi(s.substr(0, 4));
  const unsigned m = static_cast<unsigned>(std::stoi(s.substr(5, 2))), d = static_cast<unsigned>(std::stoi(s.substr(8, 2)));
  const std::chrono::year_month_day date{std::chrono::year(y), std::chrono::month(m), std::chrono::day(d)};
  if (!date.ok()) n.fail("\"" + s + "\" is not a calendar date");
  return date;
}

struct level_def {
  std::int32_t code;
  std::string sv, en;
};

std::vector<level_def> read_levels(const node& n) {
  std::vector<level_def> out;
  std::set<std::int32_t> seen;
  for (const node& e : n.elements()) {
    e.only({"code", "label_sv", "label_en"});
    level_def l;
    l.code = static_cast<std::int32_t>(e["code"].integer(0, (1 << 30), "a non-negative level code"));
    if (!seen.insert(l.code).second) e["code"].fail("the code " + std::to_string(l.code) + " is used twice");
    l.sv = e["label_sv"].nonempty_string();
    l.en = label_or(e.optional("label_en"), l.sv);
    out.push_back(std::move(l));
  }
  if (out.empty()) n.expected("at least one level");
  return out;
}

std::vector<value_band> read_bands(const node& n, std::vector<level_def>& levels) {
  std::vector<value_band> out;
  std::set<std::int32_t> seen;
  for (const node& e : n.elements()) {
    e.only({"code", "min", "max", "label_sv", "label_en"});
    value_band b;
    b.code = static_cast<std::int32_t>(e["code"].integer(0, (1 << 30), "a non-negative level code"));
    if (!seen.insert(b.code).second) e["code"].fail("the code " + std::to_string(b.code) + " is used twice");
    constexpr std::int64_t limit = std::int64_t{1} << 53;
    b.min = e.has("min") ? e["min"].integer(-limit, limit) : -limit;
    b.max = e.has("max") ? e["max"].integer(-limit, limit) : limit;
    if (!e.has("min") && !e.has("max")) e.fail("a band needs \"min\", \"max\" or both");
    if (b.min > b.max) e.fail("\"min\" " + std::to_string(b.min) + " is above \"max\" " + std::to_string(b.max));
    for (const value_band& o : out)
      if (b.min <= o.max && o.min <= b.max)
        e.fail("the band overlaps the band of code " + std::to_string(o.code) + " (every value must fall in one band)");
    level_def l;
    l.code = b.code;
    l.sv = e["label_sv"].nonempty_string();
    l.en = label_or(e.optional("label_en"), l.sv);
    levels.push_back(std::move(l));
    out.push_back(b);
  }
  if (out.empty()) n.expected("at least one band");
  return out;
}

void read_csv_section(const node& n, schema_file& out) {
  n.only({"separator", "encoding", "decimal_mark", "thousands_separators", "header", "missing"});
  if (const auto s = n.optional("separator")) {
    const std::string v = s->string();
    if (v == "auto") out.csv.separator = 0;
    else if (v == ";" || v == "," || v == "\t" || v == "|") out.csv.separator = v[0];
    else if (v == "tab" || v == "TAB") out.csv.separator = '\t';
    else s->expected("\";\", \",\", \"\\t\" (or \"tab\"), \"|\" or \"auto\"");
  }
  if (const auto e = n.optional("encoding")) {
    std::string v = detail::fold_case(e->string());
    if (v == "auto") out.csv.encoding = text_encoding::automatic;
    else if (v == "utf-8" || v == "utf8") out.csv.encoding = text_encoding::utf8;
    else if (v == "windows-1252" || v == "cp1252" || v == "latin-1" || v == "latin1" || v == "iso-8859-1")
      out.csv.encoding = text_encoding::windows_1252;
    else e->expected("\"auto\", \"utf-8\" or \"windows-1252\" (Latin-1 files are read as windows-1252)");
  }
  if (const auto d = n.optional("decimal_mark")) {
    const std::string v = d->string();
    if (v == "auto") out.csv.decimal_mark = 0;
    else if (v == "." || v == ",") out.csv.decimal_mark = v[0];
    else d->expected("\".\", \",\" or \"auto\"");
  }
  if (const auto t = n.optional("thousands_separators")) {
    const std::vector<std::string> allowed{" ", "\xC2\xA0", "\xE2\x80\xAF", ".", ",", "'"};
    for (const std::string& s : read_spellings(*t)) {
      if (std::find(allowed.begin(), allowed.end(), s) == allowed.end())
        t->expected("thousands separators among \" \", \"\\u00a0\" (no-break space), \"\\u202f\" (narrow no-break space), "
                    "\".\", \",\" and \"'\"");
      out.csv.thousands_separators.push_back(s);
    }
  }
  if (const auto h = n.optional("header")) out.csv.header = h->boolean();
  if (const auto m = n.optional("missing")) out.missing = read_spellings(*m);
  const char mark = out.csv.decimal_mark;
  for (const std::string& s : out.csv.thousands_separators) {
    if (s.size() == 1 && out.csv.separator != 0 && s[0] == out.csv.separator)
      n.fail("\"" + s + "\" cannot be both the separator and a thousands separator");
    if (s.size() == 1 && mark != 0 && s[0] == mark)
      n.fail("\"" + s + "\" cannot be both the decimal mark and a thousands separator");
    if (mark == 0 && (s == "." || s == ","))
      n.fail("a thousands separator \"" + s + "\" needs a declared \"decimal_mark\" (the implied one could be the same)");
  }
}

void read_key(const node& n, person_key_source& key) {
  n.only({"environment", "file"});
  if (n.has("environment") == n.has("file")) n.fail("give exactly one of \"environment\" (a variable's name) or \"file\" (a key file's path)");
  if (n.has("environment")) {
    key.from = person_key_source::kind::environment;
    key.name = n["environment"].nonempty_string();
  } else {
    key.from = person_key_source::kind::file;
    key.name = n["file"].nonempty_string();
  }
}

schema_file parse(const json& doc, const std::string& file) {
  const node root(doc, "", file);
  if (!doc.is_object()) root.expected("a JSON object (see docs/schema-file.md)");
  root.only({"format", "description", "csv", "reference_date", "personnummer", "person_id", "sex", "dimensions",
             "outcomes", "measures", "report"});
  schema_file out;
  out.source = file;
  if (const auto f = root.optional("format"))
    if (f->string() != format_tag) f->expected("\"" + std::string(format_tag) + "\"");
  if (const auto d = root.optional("description")) (void)d->string();
  if (const auto c = root.optional("csv")) read_csv_section(*c, out);
  if (const auto r = root.optional("reference_date")) out.reference_date = read_date(*r);

  const auto column_of = [&](const node& n) {
    column_ref ref = read_column(n);
    if (!out.csv.header && ref.position == 0)
      n.fail("the CSV has no header (csv.header is false): refer to columns by position (1 is the first)");
    return ref;
  };
  const auto missing_of = [&](const node& n) {
    const auto m = n.optional("missing");
    return m ? read_spellings(*m) : out.missing;
  };

  if (const auto p = root.optional("personnummer")) {
    p->only({"column", "missing"});
    out.personnummer = column_of((*p)["column"]);
    out.personnummer_missing = missing_of(*p);
    if (!out.reference_date)
      root.fail("a personnummer column needs \"reference_date\" (YYYY-MM-DD): ages are computed at it and the "
                "century of 10-digit numbers is resolved against it");
  }
  const auto need_personnummer = [&](const node& n) {
    if (!out.personnummer) n.fail("\"from\": \"personnummer...\" needs the top-level \"personnummer\" section naming its column");
  };

  // Sex: the built-in ISO/IEC 5218 dimension.
  {
    const node s = root["sex"];
    s.only({"column", "from", "values", "missing", "missing_code", "label_sv", "label_en"});
    dimension_mapping m;
    m.name = iso5218::dimension_name;
    m.label_sv = label_or(s.optional("label_sv"), "Kön");
    m.label_en = label_or(s.optional("label_en"), "Sex");
    const std::set<std::int32_t> codes{iso5218::not_known, iso5218::male, iso5218::female, iso5218::not_applicable};
    const std::string codes_list = "0 (not known), 1 (male), 2 (female), 9 (not applicable)";
    if (s.has("from") == s.has("column")) s.fail("give exactly one of \"column\" or \"from\": \"personnummer\"");
    if (s.has("from")) {
      if (s["from"].string() != "personnummer") s["from"].expected("\"personnummer\"");
      need_personnummer(s);
      if (s.has("values") || s.has("missing") || s.has("missing_code"))
        s.fail("sex from the personnummer takes no \"values\", \"missing\" or \"missing_code\"");
      m.source = value_source::personnummer_sex;
    } else {
      m.column = column_of(s["column"]);
      if (const auto v = s.optional("values")) m.values = read_values(*v, codes, codes_list);
      m.missing = missing_of(s);
      if (const auto mc = s.optional("missing_code")) {
        m.missing_code = static_cast<std::int32_t>(mc->integer(0, 9, "an ISO/IEC 5218 code"));
        if (!codes.count(*m.missing_code)) mc->expected(codes_list);
      }
      if (!m.values.empty()) check_missing_against_values(s, m.missing, m.values);
    }
    out.dimensions.push_back(std::move(m));
  }

  std::vector<dimension> dims;
  if (const auto ds = root.optional("dimensions")) {
    for (const node& d : ds->elements()) {
      d.only({"name", "label_sv", "label_en", "column", "from", "levels", "values", "bands", "missing", "missing_code"});
      dimension_mapping m;
      m.name = d["name"].nonempty_string();
      m.label_sv = label_or(d.optional("label_sv"), m.name);
      m.label_en = label_or(d.optional("label_en"), m.label_sv);
      if (d.has("from") == d.has("column")) d.fail("give exactly one of \"column\" or \"from\": \"personnummer_age\"");
      std::vector<level_def> levels;
      if (d.has("bands")) {
        if (d.has("levels")) d.fail("give \"levels\" or \"bands\", not both (bands are the levels)");
        if (d.has("values")) d.fail("give \"values\" or \"bands\", not both");
        m.bands = read_bands(d["bands"], levels);
      } else {
        levels = read_levels(d["levels"]);
      }
      std::set<std::int32_t> codes;
      for (const level_def& l : levels) codes.insert(l.code);
      if (d.has("from")) {
        if (d["from"].string() != "personnummer_age") d["from"].expected("\"personnummer_age\"");
        need_personnummer(d);
        if (m.bands.empty()) d.fail("an age from the personnummer needs \"bands\"");
        if (d.has("missing") || d.has("missing_code")) d.fail("an age from the personnummer takes no \"missing\" or \"missing_code\"");
        m.source = value_source::personnummer_age;
      } else {
        m.column = column_of(d["column"]);
        m.missing = missing_of(d);
        if (const auto mc = d.optional("missing_code")) {
          m.missing_code = static_cast<std::int32_t>(mc->integer(0, INT32_MAX, "a level code"));
          if (!codes.count(*m.missing_code)) mc->expected("one of the level codes " + codes_text(codes));
        }
      }
      if (const auto v = d.optional("values")) {
        m.values = read_values(*v, codes, codes_text(codes));
        check_missing_against_values(d, m.missing, m.values);
      }
      std::vector<level> engine_levels;
      for (level_def& l : levels) engine_levels.push_back({l.code, std::move(l.sv), std::move(l.en)});
      try {
        // The dimension's labels are part of the schema (and of its fingerprint) as written: an
        // absent label_sv stays empty (the engine then shows the name), label_en defaults to it.
        const std::string sv = label_or(d.optional("label_sv"), "");
        dims.emplace_back(m.name, std::move(engine_levels), sv, label_or(d.optional("label_en"), sv));
      } catch (const schema_error& e) {
        d.fail(e.what());
      }
      out.dimensions.push_back(std::move(m));
    }
  }

  std::vector<outcome> outs;
  if (const auto os = root.optional("outcomes")) {
    for (const node& o : os->elements()) {
      o.only({"name", "label_sv", "label_en", "column", "values", "missing"});
      outcome_mapping m;
      m.name = o["name"].nonempty_string();
      const std::string sv = label_or(o.optional("label_sv"), m.name);
      const std::string en = label_or(o.optional("label_en"), sv);
      m.column = column_of(o["column"]);
      m.missing = missing_of(o);
      if (const auto v = o.optional("values")) {
        m.values = read_values(*v, {0, 1}, "0 and 1");
      } else {
        m.values = {{"0", 0}, {"1", 1}};
      }
      check_missing_against_values(o, m.missing, m.values);
      outs.push_back({m.name, sv, en});
      out.outcomes.push_back(std::move(m));
    }
  }

  std::vector<numeric_measure> measures;
  if (const auto ms = root.optional("measures")) {
    for (const node& e : ms->elements()) {
      e.only({"name", "unit", "label_sv", "label_en", "column", "kind", "decimals", "min", "max", "off_grid", "missing",
              "missing_value"});
      measure_mapping m;
      m.name = e["name"].nonempty_string();
      const std::string unit = e.has("unit") ? e["unit"].string() : "";
      const std::string sv = label_or(e.optional("label_sv"), m.name);
      const std::string en = label_or(e.optional("label_en"), sv);
      m.column = column_of(e["column"]);
      m.missing = missing_of(e);
      const std::string kind = e.has("kind") ? e["kind"].string() : (e.has("decimals") ? "decimal" : "");
      const double nan = std::numeric_limits<double>::quiet_NaN();
      const double lo = e.has("min") ? e["min"].number() : nan, hi = e.has("max") ? e["max"].number() : nan;
      numeric_measure nm;
      if (kind == "decimal") {
        const auto decimals = static_cast<unsigned>(e["decimals"].integer(0, numeric_measure::max_decimals, "a number of decimals"));
        off_grid_policy policy = off_grid_policy::reject;
        if (const auto og = e.optional("off_grid")) {
          const std::string p = og->string();
          if (p == "round") policy = off_grid_policy::round;
          else if (p != "reject") og->expected("\"reject\" or \"round\"");
        }
        nm = numeric_measure::decimal(m.name, unit, sv, en, decimals, lo, hi, policy);
      } else if (kind == "floating") {
        if (e.has("decimals") || e.has("off_grid")) e.fail("a floating measure takes no \"decimals\" or \"off_grid\"");
        nm = numeric_measure::floating(m.name, unit, sv, en, lo, hi);
      } else if (e.has("kind")) {
        e["kind"].expected("\"decimal\" or \"floating\"");
      } else {
        e.fail("the key \"kind\" is required (\"decimal\" with \"decimals\", or \"floating\")");
      }
      if (const auto mv = e.optional("missing_value")) m.missing_value = mv->number();
      measures.push_back(std::move(nm));
      out.measures.push_back(std::move(m));
    }
  }

  if (const auto p = root.optional("person_id")) {
    p->only({"column", "form", "from", "key", "missing"});
    person_id_mapping m;
    if (p->has("from")) {
      if ((*p)["from"].string() != "personnummer") (*p)["from"].expected("\"personnummer\"");
      if (p->has("column") || p->has("form") || p->has("missing"))
        p->fail("a person id from the personnummer takes no \"column\", \"form\" or \"missing\"");
      need_personnummer(*p);
      m.form = person_id_form::personnummer;
    } else {
      m.column = column_of((*p)["column"]);
      const std::string form = p->has("form") ? (*p)["form"].string() : "text";
      if (form == "integer") m.form = person_id_form::integer;
      else if (form == "text") m.form = person_id_form::text;
      else (*p)["form"].expected("\"integer\" or \"text\" (or \"from\": \"personnummer\")");
      m.missing = missing_of(*p);
    }
    read_key((*p)["key"], m.key);
    out.person_id = std::move(m);
  }

  try {
    out.schema = std::make_shared<const jamstat::schema>(std::move(dims), std::move(outs), std::move(measures));
  } catch (const schema_error& e) {
    root.fail(e.what());
  }
  // Measures' missing values must be valid values of the measure.
  for (std::size_t k = 0; k < out.measures.size(); ++k) {
    if (!out.measures[k].missing_value) continue;
    const double v = *out.measures[k].missing_value;
    const measure_domain& dom = out.schema->domain(k);
    const std::string where = "measures[" + std::to_string(k) + "].missing_value";
    if (!(v >= dom.lowest && v <= dom.highest))
      throw schema_file_error(file + ": " + where + ": " + std::to_string(v) + " is outside the measure's range", where);
    if (dom.kind == measure_kind::decimal) {
      const double units = v * dom.scale;
      if (std::fabs(units - std::nearbyint(units)) > 1e-9 * std::max(1.0, std::fabs(units)))
        throw schema_file_error(file + ": " + where + ": the value is not on the measure's grid", where);
    }
  }

  if (const auto r = root.optional("report")) {
    r->only({"outcome", "measure", "legitimate_factors", "compare"});
    const jamstat::schema& sch = *out.schema;
    if (const auto o = r->optional("outcome")) {
      out.report.outcome = o->string();
      if (std::none_of(sch.outcomes().begin(), sch.outcomes().end(), [&](const outcome& x) { return x.name == out.report.outcome; }))
        o->fail("\"" + detail::value_for_message(out.report.outcome, 40) + "\" is not one of the outcomes");
    }
    if (const auto m = r->optional("measure")) {
      out.report.measure = m->string();
      if (std::none_of(sch.numeric_measures().begin(), sch.numeric_measures().end(),
                       [&](const numeric_measure& x) { return x.name == out.report.measure; }))
        m->fail("\"" + detail::value_for_message(out.report.measure, 40) + "\" is not one of the measures");
    }
    for (const char* key : {"legitimate_factors", "compare"}) {
      const auto list = r->optional(key);
      if (!list) continue;
      auto& target = std::string(key) == "compare" ? out.report.compare : out.report.legitimate_factors;
      for (const node& e : list->elements()) {
        const std::string name = e.string();
        const auto index = sch.dimension_index(name);
        if (!index) e.fail("\"" + detail::value_for_message(name, 40) + "\" is not one of the dimensions");
        if (*index == 0) e.fail("sex is always compared; list the other dimensions here");
        if (std::find(target.begin(), target.end(), name) != target.end()) e.fail("\"" + name + "\" is listed twice");
        target.push_back(name);
      }
    }
  }
  return out;
}

}  // namespace

schema_file parse_schema_file(std::string_view json_text, const std::string& source_name) {
  json doc;
  try {
    doc = json::parse(json_text.begin(), json_text.end(), nullptr, true, false);
  } catch (const json::parse_error& e) {
    // Turn the byte offset into line:column.
    std::size_t line = 1, column = 1;
    const std::size_t upto = std::min<std::size_t>(e.byte > 0 ? e.byte - 1 : 0, json_text.size());
    for (std::size_t i = 0; i < upto; ++i) {
      if (json_text[i] == '\n') {
        ++line;
        column = 1;
      } else {
        ++column;
      }
    }
    std::string what = e.what();
    const auto colon = what.find("syntax error");
    if (colon != std::string::npos) what = what.substr(colon);
    throw schema_file_error(source_name + ":" + std::to_string(line) + ":" + std::to_string(column) +
                                ": not valid JSON: " + detail::value_for_message(what, 200),
                            "");
  }
  return parse(doc, source_name);
}

schema_file read_schema_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw input_file_error("cannot open the schema file '" + path.string() + "'");
  std::ostringstream text;
  text << in.rdbuf();
  if (!in.good() && !in.eof()) throw input_file_error("cannot read the schema file '" + path.string() + "'");
  schema_file out = parse_schema_file(text.str(), path.string());
  if (out.person_id && out.person_id->key.from == person_key_source::kind::file) {
    const std::filesystem::path key(out.person_id->key.name);
    if (key.is_relative()) out.person_id->key.name = (path.parent_path() / key).string();
  }
  return out;
}

namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

person_key key_from_hex(std::string_view text, const std::string& where) {
  text = detail::trim(text);
  while (!text.empty() && (text.back() == '\r' || text.back() == '\n')) text.remove_suffix(1);
  text = detail::trim(text);
  const std::string expected = " must hold the 16-byte person key as 32 hexadecimal digits (e.g. made by "
                               "`head -c 16 /dev/urandom | xxd -p`)";
  if (text.size() != 32) throw usage_error(where + expected + "; it holds " + std::to_string(text.size()) + " characters");
  std::array<std::uint8_t, person_key::size> bytes{};
  for (std::size_t i = 0; i < 16; ++i) {
    const int hi = hex_value(text[2 * i]), lo = hex_value(text[2 * i + 1]);
    if (hi < 0 || lo < 0) throw usage_error(where + expected + "; it holds other characters");
    bytes[i] = static_cast<std::uint8_t>(hi * 16 + lo);
  }
  person_key key(bytes);
  if (key.is_all_zero()) throw usage_error(where + " holds the all-zero key, which is never a secret; make a random one");
  return key;
}

}  // namespace

person_key load_person_key(const person_key_source& source) {
  if (source.from == person_key_source::kind::environment) {
    const char* value = std::getenv(source.name.c_str());
    const std::string where = "the environment variable " + source.name;
    if (!value) throw usage_error(where + " is not set; it" + " must hold the 16-byte person key as 32 hexadecimal digits");
    return key_from_hex(value, where);
  }
  std::ifstream in(source.name);
  if (!in) throw input_file_error("cannot open the person key file '" + source.name + "'");
  std::string line;
  while (std::getline(in, line)) {
    const std::string_view t = detail::trim(line);
    if (t.empty() || t == "\r" || t.front() == '#') continue;
    return key_from_hex(t, "the person key file '" + source.name + "'");
  }
  throw usage_error("the person key file '" + source.name + "' holds no key; it must hold 32 hexadecimal digits");
}

aggregator_options aggregator_options_for(const schema_file& file, bad_record_policy policy) {
  aggregator_options options;
  options.on_bad_record = policy;
  if (file.person_id) options.persons = load_person_key(file.person_id->key);
  return options;
}

}  // namespace jamstat::io
