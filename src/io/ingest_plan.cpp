#include "ingest_plan.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "jamstat/io/number_text.hpp"
#include "jamstat/io/personnummer.hpp"
#include "text_utilities.hpp"

namespace jamstat::io::detail {

namespace {

struct folded_text {
  char stack[fold_stack];
  std::string heap;
  std::string_view view;
};

std::string_view fold(std::string_view t, folded_text& f) {
  std::size_t n = 0;
  if (fold_case_into(t, f.stack, fold_stack, n)) {
    f.view = std::string_view(f.stack, n);
  } else {
    f.heap = fold_case(t);
    f.view = f.heap;
  }
  return f.view;
}

std::string quoted(std::string_view t) { return "\"" + value_for_message(t) + "\""; }

std::string list_of(const std::vector<std::string>& items, std::size_t shown = 12) {
  std::string s;
  for (std::size_t i = 0; i < items.size() && i < shown; ++i) s += (i ? ", " : "") + items[i];
  if (items.size() > shown) s += ", ... (" + std::to_string(items.size() - shown) + " more)";
  return s;
}

spelling_set folded_set(const std::vector<std::string>& spellings) {
  spelling_set out;
  for (const std::string& s : spellings) out.add(fold_case(trim(s)));
  return out;
}

std::string number_text(double x, char mark) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.15g", x);
  std::string s(buf);
  if (mark == ',')
    for (char& c : s)
      if (c == '.') c = ',';
  return s;
}

std::size_t find_column(const column_ref& ref, const csv_preamble& pre, const std::string& file, const std::string& role,
                        std::vector<std::string>& missing) {
  if (ref.position > 0) {
    if (pre.columns > 0 && ref.position > pre.columns) {
      missing.push_back("no " + ref.describe() + " (" + role + "): its rows have " + std::to_string(pre.columns) + " columns");
      return no_column;
    }
    return ref.position - 1;
  }
  const std::string want = fold_case(trim(ref.name));
  std::size_t found = no_column;
  for (std::size_t i = 0; i < pre.header.size(); ++i) {
    if (fold_case(pre.header[i]) != want) continue;
    if (found != no_column)
      throw csv_layout_error(file + ": the header has the column " + ref.describe() + " (" + role + ") twice (columns " +
                             std::to_string(found + 1) + " and " + std::to_string(i + 1) + "); rename one or refer by position");
    found = i;
  }
  if (found == no_column) missing.push_back("no column " + ref.describe() + " (" + role + ")");
  return found;
}

}  // namespace

std::string ingest_plan::column_name(std::size_t c) const {
  if (c < header.size() && !header[c].empty()) return mask_personnummer_shapes(header[c]);
  return "column " + std::to_string(c + 1);
}

std::string ingest_plan::column_label(std::size_t c) const {
  std::string s = "column " + std::to_string(c + 1);
  if (c < header.size() && !header[c].empty()) s += " '" + value_for_message(header[c], 60) + "'";
  return s;
}

ingest_plan make_plan(const schema_file& file, const jamstat::schema& schema, const csv_preamble& pre,
                      const number_format& numbers, const std::string& file_name, bool fast_path) {
  ingest_plan plan;
  plan.file = file_name;
  plan.header = pre.header;
  plan.columns = pre.columns;
  plan.separator = pre.separator;
  plan.numbers = numbers;
  if (plan.columns == 0) throw csv_layout_error(file_name + ": the file is empty (not even a header line)");
  std::vector<std::string> missing_columns;
  const auto locate = [&](const column_ref& ref, const std::string& role) {
    return find_column(ref, pre, file_name, role, missing_columns);
  };

  // The personnummer column, when something is derived from it.
  const bool age_from_pnr = std::any_of(file.dimensions.begin(), file.dimensions.end(), [](const dimension_mapping& d) {
    return d.source == value_source::personnummer_age;
  });
  const bool sex_from_pnr = !file.dimensions.empty() && file.dimensions[0].source == value_source::personnummer_sex;
  const bool person_from_pnr = file.person_id && file.person_id->form == person_id_form::personnummer;
  if (file.personnummer && (age_from_pnr || sex_from_pnr || person_from_pnr)) {
    personnummer_plan p;
    p.column = locate(*file.personnummer, "personnummer");
    p.missing = folded_set(file.personnummer_missing);
    p.sex = sex_from_pnr;
    p.person = person_from_pnr;
    p.reference = *file.reference_date;
    plan.personnummer = std::move(p);
  }

  for (std::size_t d = 0; d < file.dimensions.size(); ++d) {
    const dimension_mapping& m = file.dimensions[d];
    dim_plan p;
    p.name = m.name;
    p.dim = &schema.dimensions()[d];
    std::int32_t max_code = 0;
    for (const level& l : p.dim->levels()) max_code = std::max(max_code, l.code);
    p.width = max_code <= 0xFF ? 1 : max_code <= 0xFFFF ? 2 : 4;
    p.source = m.source;
    const std::string role = d == 0 ? "sex" : "dimension " + m.name;
    if (m.source == value_source::column) p.column = locate(m.column, role);
    if (m.source == value_source::personnummer_age && plan.personnummer) plan.personnummer->age_dimension = d;
    if (!m.bands.empty()) {
      p.kind = dim_plan::how::bands;
      p.bands = m.bands;
      std::sort(p.bands.begin(), p.bands.end(), [](const value_band& a, const value_band& b) { return a.min < b.min; });
      p.small_band_codes.assign(256, -1);
      for (int v = 0; v < 256; ++v)
        for (const value_band& b : p.bands)
          if (v >= b.min && v <= b.max) p.small_band_codes[static_cast<std::size_t>(v)] = b.code;
      std::vector<std::string> items;
      for (const value_band& b : p.bands) {
        constexpr std::int64_t open = std::int64_t{1} << 53;
        if (b.min == -open) items.push_back("up to " + std::to_string(b.max));
        else if (b.max == open) items.push_back(std::to_string(b.min) + " or more");
        else items.push_back(std::to_string(b.min) + "\xE2\x80\x93" + std::to_string(b.max));
      }
      p.expected = "a whole number in one of the bands " + list_of(items);
    } else if (!m.values.empty()) {
      p.kind = dim_plan::how::spellings;
      std::vector<std::string> items;
      for (const value_spelling& v : m.values) {
        p.spellings.emplace(fold_case(trim(v.text)), v.code);
        items.push_back(v.text);
      }
      p.expected = "one of " + list_of(items);
    } else {
      p.kind = dim_plan::how::codes;
      if (max_code < (1 << 20)) {
        p.code_ok.assign(static_cast<std::size_t>(max_code) + 1, 0);
        for (const level& l : p.dim->levels()) p.code_ok[static_cast<std::size_t>(l.code)] = 1;
      }
      p.expected = "a level code: one of " + p.dim->codes_list();
    }
    p.missing = folded_set(m.missing);
    p.missing_code = m.missing_code;
    plan.dims.push_back(std::move(p));
  }

  for (const outcome_mapping& m : file.outcomes) {
    outcome_plan p;
    p.name = m.name;
    p.column = locate(m.column, "outcome " + m.name);
    std::vector<std::string> items;
    for (const value_spelling& v : m.values) {
      p.values.emplace(fold_case(trim(v.text)), v.code);
      items.push_back(v.text);
    }
    p.digits = p.values.size() == 2 && p.values.count("0") && p.values.at("0") == 0 && p.values.count("1") &&
               p.values.at("1") == 1;
    p.expected = "one of " + list_of(items);
    p.missing = folded_set(m.missing);
    plan.outcomes.push_back(std::move(p));
  }

  for (std::size_t k = 0; k < file.measures.size(); ++k) {
    const measure_mapping& m = file.measures[k];
    measure_plan p;
    p.name = m.name;
    p.column = locate(m.column, "measure " + m.name);
    p.domain = schema.domain(k);
    p.decimal = p.domain.kind == measure_kind::decimal;
    p.missing = folded_set(m.missing);
    if (m.missing_value) {
      p.has_missing_value = true;
      p.missing_double = *m.missing_value;
      p.missing_units = std::llround(*m.missing_value * p.domain.scale);
    }
    const std::string range = " from " + number_text(p.domain.lowest, numbers.decimal_mark) + " to " +
                              number_text(p.domain.highest, numbers.decimal_mark);
    p.expected = p.decimal ? "a number with at most " + std::to_string(p.domain.decimals) + " decimals (decimal mark '" +
                                 std::string(1, numbers.decimal_mark) + "')" + range
                           : "a number (decimal mark '" + std::string(1, numbers.decimal_mark) + "')" + range;
    plan.measures.push_back(std::move(p));
  }

  if (file.person_id && file.person_id->form != person_id_form::personnummer) {
    person_plan p;
    p.form = file.person_id->form;
    p.column = locate(file.person_id->column, "person id");
    p.missing = folded_set(file.person_id->missing);
    plan.person = std::move(p);
  }

  if (!missing_columns.empty()) {
    std::string have;
    for (std::size_t i = 0; i < pre.header.size() && i < 40; ++i)
      have += (i ? ", " : "") + std::string("'") + value_for_message(pre.header[i], 40) + "'";
    std::string message = file_name + ": the header does not match the schema file (" + file.source + "): ";
    for (std::size_t i = 0; i < missing_columns.size(); ++i) message += (i ? "; " : "") + missing_columns[i];
    if (!pre.header.empty()) message += ". The header's columns are: " + have;
    throw csv_layout_error(message);
  }

  // Jobs per column, and the fast path's handling of each column.
  plan.jobs.assign(plan.columns, {});
  const auto add = [&](std::size_t c, job_kind kind, std::size_t index) {
    plan.jobs[c].push_back({kind, static_cast<std::uint32_t>(index)});
  };
  if (plan.personnummer) add(plan.personnummer->column, job_kind::personnummer, 0);
  for (std::size_t d = 0; d < plan.dims.size(); ++d)
    if (plan.dims[d].source == value_source::column) add(plan.dims[d].column, job_kind::dimension, d);
  for (std::size_t o = 0; o < plan.outcomes.size(); ++o) add(plan.outcomes[o].column, job_kind::outcome, o);
  for (std::size_t m = 0; m < plan.measures.size(); ++m) add(plan.measures[m].column, job_kind::measure, m);
  if (plan.person) add(plan.person->column, job_kind::person, 0);
  plan.fast.assign(plan.columns, {});
  plan.column_used.assign(plan.columns, 0);
  for (std::size_t c = 0; c < plan.columns; ++c) {
    const auto& jobs = plan.jobs[c];
    plan.column_used[c] = !jobs.empty();
    fast_column& f = plan.fast[c];
    if (jobs.empty()) continue;
    f.index = jobs[0].index;
    if (jobs.size() > 1 || !fast_path) {
      f.kind = fast_kind::bail;
      continue;
    }
    switch (jobs[0].kind) {
      case job_kind::dimension: {
        const dim_plan& d = plan.dims[f.index];
        f.kind = d.kind == dim_plan::how::bands       ? fast_kind::dim_bands
                 : d.kind == dim_plan::how::spellings ? fast_kind::dim_spellings
                 : d.code_ok.empty()                  ? fast_kind::bail
                                                      : fast_kind::dim_codes;
        break;
      }
      case job_kind::outcome:
        f.kind = plan.outcomes[f.index].digits ? fast_kind::outcome_digit : fast_kind::outcome_spellings;
        break;
      case job_kind::measure:
        f.kind = plan.measures[f.index].decimal ? fast_kind::measure_decimal : fast_kind::measure_floating;
        break;
      case job_kind::person:
        f.kind = plan.person->form == person_id_form::integer ? fast_kind::person_integer : fast_kind::person_text;
        break;
      case job_kind::personnummer: f.kind = fast_kind::personnummer; break;
    }
  }
  return plan;
}

// ---------------------------------------------------------------------------------------------
// The batch builder.

batch_builder::batch_builder(const ingest_plan& plan, std::size_t capacity) : plan_(plan), capacity_(capacity) {
  const std::size_t dims = plan.dims.size();
  code_width_.resize(dims);
  codes8_.resize(dims);
  codes16_.resize(dims);
  codes32_.resize(dims);
  for (std::size_t d = 0; d < dims; ++d) {
    code_width_[d] = plan.dims[d].width;
    if (code_width_[d] == 1) codes8_[d].resize(capacity);
    else if (code_width_[d] == 2) codes16_[d].resize(capacity);
    else codes32_[d].resize(capacity);
  }
  outcomes_.assign(plan.outcomes.size(), std::vector<std::uint8_t>(capacity));
  const std::size_t measures = plan.measures.size();
  units_.resize(measures);
  rounded_.resize(measures);
  values_.resize(measures);
  rounded_values_.resize(measures);
  any_rounded_.assign(measures, 0);
  for (std::size_t m = 0; m < measures; ++m) {
    const measure_plan& p = plan.measures[m];
    if (p.decimal) {
      units_[m].resize(capacity);
      if (p.domain.off_grid == off_grid_policy::round) rounded_[m].resize(capacity);
    } else {
      values_[m].resize(capacity);
    }
  }
  const bool persons = plan.person || (plan.personnummer && plan.personnummer->person);
  if (persons) {
    if (plan.person && plan.person->form == person_id_form::integer) {
      person_ints_.resize(capacity);
    } else {
      person_start_.resize(capacity);
      person_length_.resize(capacity);
    }
  }
  lines_.resize(capacity);
}

void batch_builder::clear() noexcept {
  rows_ = 0;
  arena_.clear();
  arena_mark_ = 0;
  std::fill(any_rounded_.begin(), any_rounded_.end(), 0);
}

column_batch batch_builder::batch(std::size_t first, std::size_t count) {
  column_batch b;
  b.rows = count;
  for (std::size_t d = 0; d < code_width_.size(); ++d) {
    if (code_width_[d] == 1) b.codes.emplace_back(std::span<const std::uint8_t>(codes8_[d].data() + first, count));
    else if (code_width_[d] == 2) b.codes.emplace_back(std::span<const std::uint16_t>(codes16_[d].data() + first, count));
    else b.codes.emplace_back(std::span<const std::int32_t>(codes32_[d].data() + first, count));
  }
  for (auto& o : outcomes_) b.outcomes.emplace_back(std::span<const std::uint8_t>(o.data() + first, count));
  for (std::size_t m = 0; m < units_.size(); ++m) {
    const measure_plan& p = plan_.measures[m];
    if (!p.decimal) {
      b.numerics.emplace_back(std::span<const double>(values_[m].data() + first, count));
    } else if (!any_rounded_[m]) {
      b.numerics.emplace_back(std::span<const std::int64_t>(units_[m].data() + first, count));
    } else {
      // The aggregator counts the values it rounds (part of the state), and only those: a batch
      // with values this reader rounded exactly (decimal text, ties to even) goes as doubles,
      // each rounded value a quarter unit above its grid point, which the aggregator rounds back
      // to exactly that point and counts. Values on the grid convert back exactly.
      std::vector<double>& v = rounded_values_[m];
      v.resize(count);
      for (std::size_t i = 0; i < count; ++i) {
        const double u = static_cast<double>(units_[m][first + i]) + (rounded_[m][first + i] ? 0.25 : 0.0);
        v[i] = u / p.domain.scale;
      }
      b.numerics.emplace_back(std::span<const double>(v.data(), count));
    }
  }
  if (!person_ints_.empty()) {
    b.persons = std::span<const std::uint64_t>(person_ints_.data() + first, count);
  } else if (!person_start_.empty()) {
    person_views_.resize(count);
    for (std::size_t i = 0; i < count; ++i)
      person_views_[i] = std::string_view(arena_).substr(person_start_[first + i], person_length_[first + i]);
    b.persons = std::span<const std::string_view>(person_views_.data(), count);
  }
  return b;
}

// ---------------------------------------------------------------------------------------------
// The general path: one row's texts into the builder.

namespace {

bool is_missing(const spelling_set& missing, std::string_view folded) { return missing.contains(folded); }

row_fault fault(row_problem p, std::size_t column, std::string message) { return {p, column, std::move(message)}; }

std::optional<std::int32_t> band_of(const dim_plan& d, std::int64_t v) {
  if (v >= 0 && v < 256) {
    const std::int32_t c = d.small_band_codes[static_cast<std::size_t>(v)];
    if (c >= 0) return c;
    return std::nullopt;
  }
  for (const value_band& b : d.bands)
    if (v >= b.min && v <= b.max) return b.code;
  return std::nullopt;
}

std::string role_of(const ingest_plan& plan, std::size_t c, const std::string& what) {
  return plan.column_label(c) + " (" + what + "): ";
}

std::string number_message(number_problem p, std::string_view t) {
  switch (p) {
    case number_problem::bad_grouping:
      return quoted(t) + " has a thousands separator not followed by a group of three digits";
    default: return quoted(t) + " is not a number";
  }
}

std::optional<row_fault> convert_dimension(const ingest_plan& plan, std::size_t d, std::string_view t,
                                           std::string_view folded, batch_builder& out) {
  const dim_plan& p = plan.dims[d];
  const std::size_t c = p.column;
  const auto role = [&] { return role_of(plan, c, d == 0 ? std::string("sex") : "dimension " + p.name); };
  if (is_missing(p.missing, folded)) {
    if (p.missing_code) {
      out.set_code(d, *p.missing_code);
      return std::nullopt;
    }
    return fault(row_problem::missing_value, c, role() + "the value is missing (" + quoted(t) + "); expected " + p.expected);
  }
  switch (p.kind) {
    case dim_plan::how::spellings: {
      const auto it = p.spellings.find(folded);
      if (it != p.spellings.end()) {
        out.set_code(d, it->second);
        return std::nullopt;
      }
      if (!is_valid_utf8(t))
        return fault(row_problem::invalid_text, c,
                     role() + quoted(t) + " is not valid UTF-8 text (declare the file's \"encoding\" in the schema file)");
      return fault(row_problem::unknown_value, c, role() + quoted(t) + " is not a known value; expected " + p.expected);
    }
    case dim_plan::how::bands: {
      const auto v = parse_integer(t);
      if (!v) return fault(row_problem::not_a_number, c, role() + quoted(t) + " is not a whole number; expected " + p.expected);
      const auto code = band_of(p, *v);
      if (!code) return fault(row_problem::no_band, c, role() + quoted(t) + " is in no band; expected " + p.expected);
      out.set_code(d, *code);
      return std::nullopt;
    }
    case dim_plan::how::codes: {
      const auto v = parse_integer(t);
      if (v && *v >= 0 && *v <= INT32_MAX && p.dim->index_of(*v)) {
        out.set_code(d, static_cast<std::int32_t>(*v));
        return std::nullopt;
      }
      if (!is_valid_utf8(t))
        return fault(row_problem::invalid_text, c,
                     role() + quoted(t) + " is not valid UTF-8 text (declare the file's \"encoding\" in the schema file)");
      return fault(row_problem::unknown_value, c, role() + quoted(t) + " is not a level; expected " + p.expected);
    }
  }
  return std::nullopt;
}

std::optional<row_fault> convert_measure(const ingest_plan& plan, std::size_t m, std::string_view t,
                                         std::string_view folded, batch_builder& out) {
  const measure_plan& p = plan.measures[m];
  const std::size_t c = p.column;
  const auto role = [&] { return role_of(plan, c, "measure " + p.name); };
  if (is_missing(p.missing, folded)) {
    if (!p.has_missing_value)
      return fault(row_problem::missing_value, c, role() + "the value is missing (" + quoted(t) + "); expected " + p.expected);
    if (p.decimal) out.set_units(m, p.missing_units);
    else out.set_value(m, p.missing_double);
    return std::nullopt;
  }
  if (p.decimal) {
    const grid_number g = parse_grid_units(t, p.domain.decimals, plan.numbers);
    if (g.problem == number_problem::too_large)
      return fault(row_problem::out_of_range, c, role() + quoted(t) + " is outside the valid range; expected " + p.expected);
    if (g.problem != number_problem::none)
      return fault(row_problem::not_a_number, c, role() + number_message(g.problem, t) + "; expected " + p.expected);
    if (g.units < p.domain.lowest_units || g.units > p.domain.highest_units)
      return fault(row_problem::out_of_range, c, role() + quoted(t) + " is outside the valid range; expected " + p.expected);
    if (g.off_grid) {
      if (p.domain.off_grid != off_grid_policy::round)
        return fault(row_problem::off_grid, c,
                     role() + quoted(t) + " has more decimals than the measure's resolution; expected " + p.expected);
      out.set_rounded_units(m, g.units);
    } else {
      out.set_units(m, g.units);
    }
    return std::nullopt;
  }
  const floating_number f = parse_floating(t, plan.numbers);
  if (f.problem == number_problem::too_large)
    return fault(row_problem::out_of_range, c, role() + quoted(t) + " is outside the valid range; expected " + p.expected);
  if (f.problem != number_problem::none)
    return fault(row_problem::not_a_number, c, role() + number_message(f.problem, t) + "; expected " + p.expected);
  if (!(f.value >= p.domain.lowest && f.value <= p.domain.highest))
    return fault(row_problem::out_of_range, c, role() + quoted(t) + " is outside the valid range; expected " + p.expected);
  out.set_value(m, f.value);
  return std::nullopt;
}

std::optional<row_fault> convert_personnummer(const ingest_plan& plan, std::string_view t, std::string_view folded,
                                              batch_builder& out) {
  const personnummer_plan& p = *plan.personnummer;
  const std::size_t c = p.column;
  const auto role = [&] { return role_of(plan, c, "personnummer"); };
  if (is_missing(p.missing, folded))
    return fault(row_problem::missing_value, c,
                 role() + "the personnummer is missing; expected YYYYMMDD-NNNC or YYMMDD-NNNC (sex, age or the person "
                        "id come from it)");
  personnummer_problem why = personnummer_problem::none;
  const auto pnr = personnummer::parse(t, p.reference, &why);
  if (!pnr)
    return fault(row_problem::invalid_personnummer, c,
                 role() + mask_personnummer(t) + " is not a valid personnummer or samordningsnummer: " + std::string(describe(why)));
  if (p.sex) out.set_code(0, pnr->sex());
  if (p.age_dimension != no_column) {
    const dim_plan& d = plan.dims[p.age_dimension];
    const int age = pnr->age_at(p.reference);
    const auto code = band_of(d, age);
    if (!code)
      return fault(row_problem::no_band, c,
                   role() + "the age at the reference date, " + std::to_string(age) + ", is in no band of dimension " +
                       d.name + "; expected " + d.expected);
    out.set_code(p.age_dimension, *code);
  }
  if (p.person) out.set_person(pnr->canonical());
  return std::nullopt;
}

}  // namespace

std::optional<row_fault> convert_row(const ingest_plan& plan, const std::vector<std::string_view>& texts,
                                     batch_builder& out) {
  folded_text f;
  for (std::size_t c = 0; c < plan.columns; ++c) {
    if (plan.jobs[c].empty()) continue;
    const std::string_view t = trim(texts[c]);
    const std::string_view folded = fold(t, f);
    for (const column_job& job : plan.jobs[c]) {
      std::optional<row_fault> bad;
      switch (job.kind) {
        case job_kind::dimension: bad = convert_dimension(plan, job.index, t, folded, out); break;
        case job_kind::measure: bad = convert_measure(plan, job.index, t, folded, out); break;
        case job_kind::personnummer: bad = convert_personnummer(plan, t, folded, out); break;
        case job_kind::outcome: {
          const outcome_plan& p = plan.outcomes[job.index];
          const auto role = [&] { return role_of(plan, c, "outcome " + p.name); };
          if (is_missing(p.missing, folded)) {
            bad = fault(row_problem::missing_value, c, role() + "the value is missing (" + quoted(t) + "); expected " + p.expected);
            break;
          }
          const auto it = p.values.find(folded);
          if (it == p.values.end()) {
            bad = is_valid_utf8(t) ? fault(row_problem::unknown_value, c, role() + quoted(t) + " is not a known value; expected " + p.expected)
                                   : fault(row_problem::invalid_text, c, role() + quoted(t) + " is not valid UTF-8 text");
            break;
          }
          out.set_outcome(job.index, static_cast<std::uint8_t>(it->second));
          break;
        }
        case job_kind::person: {
          const person_plan& p = *plan.person;
          const auto role = [&] { return role_of(plan, c, "person id"); };
          if (is_missing(p.missing, folded)) {
            bad = fault(row_problem::missing_value, c, role() + "the person id is missing (" + quoted(t) + ")");
            break;
          }
          if (p.form == person_id_form::integer) {
            const auto id = parse_unsigned(t);
            if (!id) {
              bad = fault(row_problem::not_a_number, c,
                          role() + quoted(t) + " is not a whole number from 0 to 18446744073709551615 (the id's form is integer)");
              break;
            }
            out.set_person(*id);
          } else {
            if (t.empty()) {
              bad = fault(row_problem::missing_value, c, role() + "the person id is empty");
              break;
            }
            if (!is_valid_utf8(t)) {
              bad = fault(row_problem::invalid_text, c, role() + quoted(t) + " is not valid UTF-8 text");
              break;
            }
            out.set_person(t);
          }
          break;
        }
      }
      if (bad) return bad;
    }
  }
  return std::nullopt;
}

}  // namespace jamstat::io::detail
