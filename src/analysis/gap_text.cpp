// The gap report's verdicts in Swedish and English, written from a finding's numbers.
#include "gap_text.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

namespace jamstat::analysis::detail {

namespace {

enum class lang { sv, en };

// A number with `decimals` decimals; Swedish uses a decimal comma.
std::string number(double x, int decimals, lang l) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*f", decimals, x);
  std::string s = buffer;
  if (s == "-0" || s.rfind("-0.", 0) == 0) {
    bool zero = true;
    for (char ch : s) if (ch >= '1' && ch <= '9') zero = false;
    if (zero) s.erase(0, 1);
  }
  if (l == lang::sv) for (char& ch : s) if (ch == '.') ch = ',';
  return s;
}

// Decimals that show a value to about three significant digits, between 0 and 2.
int decimals_for(double x) {
  const double a = std::fabs(x);
  if (a >= 100) return 0;
  if (a >= 10) return 1;
  return 2;
}

// Percentages with one decimal, two below 1% (rates of a large target group are often small).
std::string percent(double p, lang l) {
  return number(100 * p, std::fabs(p) < 0.01 ? 2 : 1, l) + (l == lang::sv ? " %" : "%");
}

// Decimals of percentage points: one, two when the whole interval lies within +-1 point.
int point_decimals(const finding& f) {
  const double widest = std::max({std::fabs(f.difference), std::fabs(f.difference_lower), std::fabs(f.difference_upper)});
  return widest < 0.01 ? 2 : 1;
}

std::string points(double d, int decimals, lang l) {
  return number(100 * d, decimals, l) + (l == lang::sv ? " procentenheter" : " percentage points");
}

std::string amount(double x, const std::string& unit, lang l) {
  return number(x, decimals_for(x), l) + (unit.empty() ? "" : " " + unit);
}

std::string p_text(double p, lang l) {
  if (p < 0.001) return l == lang::sv ? "p < 0,001" : "p < 0.001";
  return "p = " + number(p, p < 0.01 ? 3 : 2, l);
}

std::string ci_label(double level, lang l) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%g", 100 * level);
  return std::string(buffer) + (l == lang::sv ? " % KI" : "% CI");
}

const std::string& pick(const finding& f, lang l, const std::string finding::*sv, const std::string finding::*en) {
  return l == lang::sv ? f.*sv : f.*en;
}

bool clear(const finding& f, const verdict_context& c) { return !std::isnan(f.q_value) && f.q_value <= c.significance_level; }

// "(95 % KI 3,1 till 11,2 procentenheter)" for a difference in the finding's effect.
std::string difference_interval(const finding& f, const std::string& unit, const verdict_context& c, lang l) {
  const auto show = [&](double x) {
    if (f.effect == effect_measure::proportion_difference || f.effect == effect_measure::share_difference) {
      return number(100 * x, point_decimals(f), l);
    }
    return number(x, decimals_for(x), l);
  };
  std::string u = f.effect == effect_measure::mean_difference ? (unit.empty() ? "" : " " + unit)
                                                              : (l == lang::sv ? " procentenheter" : " percentage points");
  // Appended piece by piece: GCC 12 at -O3 misreads `"(" + std::string&&` as an overlapping copy (-Wrestrict).
  std::string text = "(";
  text += ci_label(c.confidence_level, l);
  text += ' ';
  text += show(f.difference_lower);
  text += l == lang::sv ? " till " : " to ";
  text += show(f.difference_upper);
  text += u;
  text += ')';
  return text;
}

std::string size_of_difference(const finding& f, const std::string& unit, lang l) {
  if (f.effect == effect_measure::mean_difference) return amount(std::fabs(f.difference), unit, l);
  return points(std::fabs(f.difference), point_decimals(f), l);
}

std::string too_few(const verdict_context& c, lang l) {
  const std::string n = std::to_string(c.minimum_persons);
  return l == lang::sv ? "För få personer för att jämföra (färre än " + n + " kvinnor eller män)."
                       : "Too few persons to compare (fewer than " + n + " women or men).";
}

std::string status_text(const finding& f, const verdict_context& c, lang l) {
  switch (f.status) {
    case finding_status::too_few_persons:
      if (f.kind == finding_kind::participation_share) {
        const std::string n = std::to_string(c.minimum_persons);
        return l == lang::sv ? "För få deltagare för att jämföra (färre än " + n + ")."
                             : "Too few participants to compare (fewer than " + n + ").";
      }
      if (f.kind == finding_kind::participation_rate) {
        const std::string n = std::to_string(c.minimum_persons);
        return l == lang::sv ? "För få personer i målgruppen för att jämföra (färre än " + n + " kvinnor eller män)."
                             : "Too few persons in the target group to compare (fewer than " + n + " women or men).";
      }
      return too_few(c, l);
    case finding_status::no_comparison:
      if (f.kind == finding_kind::measure_per_person && f.women.persons == persons_unknown) {
        return l == lang::sv ? "Antalet personer är okänt, så inget medelvärde per person kan beräknas."
                             : "The number of persons is not known, so no mean per person can be given.";
      }
      return l == lang::sv ? "Går inte att jämföra: underlag saknas för kvinnor eller för män."
                           : "Cannot compare: there is nothing to compare for women or for men.";
    case finding_status::not_a_rate:
      return l == lang::sv ? "Går inte att jämföra: fler deltagare än personer i målgruppen."
                           : "Cannot compare: more participants than persons in the target group.";
    case finding_status::ok: break;
  }
  return {};
}

const std::string& unit_of(const finding& f, const verdict_context& c) {
  static const std::string none;
  if ((f.kind == finding_kind::measure_mean || f.kind == finding_kind::measure_per_person) && f.subject >= 0) {
    return c.schema->measures[static_cast<std::size_t>(f.subject)].unit;
  }
  return none;
}

std::string women_vs_men(const finding& f, const std::string& unit, lang l) {
  const auto show = [&](double x) {
    if (f.kind == finding_kind::measure_mean || f.kind == finding_kind::measure_per_person) return amount(x, unit, l);
    return percent(x, l);
  };
  return show(f.women.estimate) + (l == lang::sv ? " mot " : " vs ") + show(f.men.estimate);
}

// The verdict of a raw comparison of women and men.
std::string raw_verdict(const finding& f, const verdict_context& c, lang l) {
  const bool sv = l == lang::sv;
  const std::string& unit = unit_of(f, c);
  const bool higher = f.difference > 0;
  const std::string what = pick(f, l, &finding::what_sv, &finding::what_en);
  switch (f.kind) {
    case finding_kind::participation_rate:
      if (clear(f, c)) {
        return sv ? std::string("Kvinnor deltar i ") + (higher ? "högre" : "lägre") +
                        " grad än män i förhållande till målgruppen (" + women_vs_men(f, unit, l) +
                        " av målgruppen); skillnaden är " + size_of_difference(f, unit, l) + " " +
                        difference_interval(f, unit, c, l) + "."
                  : std::string("Women take part ") + (higher ? "more" : "less") +
                        " often than men relative to the target group (" + women_vs_men(f, unit, l) +
                        " of the target group); the difference is " + size_of_difference(f, unit, l) + " " +
                        difference_interval(f, unit, c, l) + ".";
      }
      return sv ? "Kvinnor och män deltar i ungefär samma grad i förhållande till målgruppen (" +
                      women_vs_men(f, unit, l) + "); skillnaden är inte säkerställd."
                : "Women and men take part to about the same degree relative to the target group (" +
                      women_vs_men(f, unit, l) + "); the difference is not clear.";
    case finding_kind::participation_share: {
      const double target = f.women.estimate - f.difference;
      if (clear(f, c)) {
        return sv ? std::string("Kvinnor är ") + (higher ? "över" : "under") + "representerade bland deltagarna: " +
                        percent(f.women.estimate, l) + " av deltagarna mot " + percent(target, l) + " av målgruppen."
                  : std::string("Women are ") + (higher ? "over" : "under") + "-represented among the participants: " +
                        percent(f.women.estimate, l) + " of the participants against " + percent(target, l) +
                        " of the target group.";
      }
      return sv ? "Kvinnors andel av deltagarna (" + percent(f.women.estimate, l) +
                      ") motsvarar deras andel av målgruppen (" + percent(target, l) + ")."
                : "Women's share of the participants (" + percent(f.women.estimate, l) +
                      ") matches their share of the target group (" + percent(target, l) + ").";
    }
    case finding_kind::outcome: {
      const bool offered = f.subject >= 0 &&
                           c.schema->outcomes[static_cast<std::size_t>(f.subject)].role == outcome_role::offered;
      if (offered) {
        if (clear(f, c)) {
          return sv ? what + " erbjuds " + (higher ? "oftare" : "mer sällan") + " kvinnor än män (" +
                          women_vs_men(f, unit, l) + "); skillnaden är " + size_of_difference(f, unit, l) + " " +
                          difference_interval(f, unit, c, l) + "."
                    : what + " is offered to women " + (higher ? "more" : "less") + " often than to men (" +
                          women_vs_men(f, unit, l) + "); the difference is " + size_of_difference(f, unit, l) + " " +
                          difference_interval(f, unit, c, l) + ".";
        }
        return sv ? what + " erbjuds kvinnor och män ungefär lika ofta (" + women_vs_men(f, unit, l) +
                        "); skillnaden är inte säkerställd."
                  : what + " is offered to women and men about equally often (" + women_vs_men(f, unit, l) +
                        "); the difference is not clear.";
      }
      if (clear(f, c)) {
        return sv ? what + ": " + (higher ? "högre" : "lägre") + " andel bland kvinnor än bland män (" +
                        women_vs_men(f, unit, l) + "); skillnaden är " + size_of_difference(f, unit, l) + " " +
                        difference_interval(f, unit, c, l) + "."
                  : what + ": a " + (higher ? "higher" : "lower") + " share among women than among men (" +
                        women_vs_men(f, unit, l) + "); the difference is " + size_of_difference(f, unit, l) + " " +
                        difference_interval(f, unit, c, l) + ".";
      }
      return sv ? what + ": ingen säkerställd skillnad mellan kvinnor och män (" + women_vs_men(f, unit, l) + ")."
                : what + ": no clear difference between women and men (" + women_vs_men(f, unit, l) + ").";
    }
    case finding_kind::measure_mean:
      if (clear(f, c)) {
        return sv ? what + ": kvinnor har i genomsnitt " + (higher ? "mer" : "mindre") + " än män (" +
                        women_vs_men(f, unit, l) + "); skillnaden är " + size_of_difference(f, unit, l) + " " +
                        difference_interval(f, unit, c, l) + "."
                  : what + ": women have " + (higher ? "more" : "less") + " on average than men (" +
                        women_vs_men(f, unit, l) + "); the difference is " + size_of_difference(f, unit, l) + " " +
                        difference_interval(f, unit, c, l) + ".";
      }
      return sv ? what + ": ingen säkerställd skillnad mellan kvinnor och män (" + women_vs_men(f, unit, l) + ")."
                : what + ": no clear difference between women and men (" + women_vs_men(f, unit, l) + ").";
    case finding_kind::measure_per_person:
      return sv ? what + ": kvinnor " + amount(f.women.estimate, unit, l) + ", män " + amount(f.men.estimate, unit, l) +
                      " (inget test: spridningen per person finns inte i underlaget)."
                : what + ": women " + amount(f.women.estimate, unit, l) + ", men " + amount(f.men.estimate, unit, l) +
                      " (no test: the spread per person is not in the data).";
    case finding_kind::resource_share: {
      const bilingual& label = c.schema->measures[static_cast<std::size_t>(f.subject)].label;
      const std::string measure = lower_first(sv ? label.sv : label.en);
      const std::string ratio = number(f.ratio, 2, l);
      const std::string ci = ci_label(c.confidence_level, l) + " " + number(f.ratio_lower, 2, l) +
                             (sv ? " till " : " to ") + number(f.ratio_upper, 2, l);
      if (clear(f, c)) {
        const bool more = f.ratio > 1;
        return sv ? std::string("Kvinnor får en ") + (more ? "större" : "mindre") + " andel av " + measure +
                        " än av deltagandena: " + percent(f.women.amount, l) + " mot " + percent(f.women.base, l) +
                        " (kvot " + ratio + "; " + ci + ")."
                  : std::string("Women receive a ") + (more ? "larger" : "smaller") + " share of the " + measure +
                        " than of the participations: " + percent(f.women.amount, l) + " vs " +
                        percent(f.women.base, l) + " (ratio " + ratio + "; " + ci + ").";
      }
      return sv ? "Kvinnors andel av " + measure + " (" + percent(f.women.amount, l) +
                      ") motsvarar deras andel av deltagandena (" + percent(f.women.base, l) + ")."
                : "Women's share of the " + measure + " (" + percent(f.women.amount, l) +
                      ") matches their share of the participations (" + percent(f.women.base, l) + ").";
    }
    case finding_kind::distribution: {
      const std::string dim = lower_first(sv ? c.schema->dimensions[static_cast<std::size_t>(f.subject)].label.sv
                                             : c.schema->dimensions[static_cast<std::size_t>(f.subject)].label.en);
      std::string test;
      switch (f.method) {
        case test_method::exact: test = sv ? "exakt test" : "exact test"; break;
        case test_method::monte_carlo: test = sv ? "exakt test, Monte Carlo-skattat" : "exact test, Monte-Carlo estimate"; break;
        default: test = sv ? "chi två-test" : "chi-square test"; break;
      }
      if (std::isnan(f.p_value)) {
        return sv ? "Bara en nivå av " + dim + " förekommer; inget att jämföra."
                  : "Only one level of " + dim + " occurs; nothing to compare.";
      }
      if (clear(f, c)) {
        return sv ? "Kvinnors och mäns deltaganden fördelar sig olika efter " + dim + " (" + test + ", " + p_text(f.p_value, l) + ")."
                  : "Women's and men's participations are distributed differently by " + dim + " (" + test + ", " +
                        p_text(f.p_value, l) + ").";
      }
      return sv ? "Ingen säkerställd skillnad mellan hur kvinnors och mäns deltaganden fördelar sig efter " + dim + " (" +
                      test + ", " + p_text(f.p_value, l) + ")."
                : "No clear difference between how women's and men's participations are distributed by " + dim + " (" +
                      test + ", " + p_text(f.p_value, l) + ").";
    }
    case finding_kind::distribution_level:
      if (clear(f, c)) {
        return sv ? what + ": " + percent(f.women.estimate, l) + " av kvinnornas deltaganden mot " +
                        percent(f.men.estimate, l) + " av männens; skillnaden är " + size_of_difference(f, unit, l) +
                        " " + difference_interval(f, unit, c, l) + "."
                  : what + ": " + percent(f.women.estimate, l) + " of women's participations against " +
                        percent(f.men.estimate, l) + " of men's; the difference is " + size_of_difference(f, unit, l) +
                        " " + difference_interval(f, unit, c, l) + ".";
      }
      return sv ? what + ": ungefär samma andel av kvinnornas och männens deltaganden (" + women_vs_men(f, unit, l) + ")."
                : what + ": about the same share of women's and men's participations (" + women_vs_men(f, unit, l) + ").";
  }
  return {};
}

// The verdict of an adjusted comparison, read beside the raw one.
std::string adjusted_verdict(const finding& f, const finding* raw, const verdict_context& c, lang l) {
  const bool sv = l == lang::sv;
  const std::string& unit = unit_of(f, c);
  const std::string factors = sv ? f.adjusted_for_sv : f.adjusted_for_en;
  if (f.kind == finding_kind::resource_share) {
    // O / E: women's resources against what their participations would get at each stratum's mean.
    const bilingual& label = c.schema->measures[static_cast<std::size_t>(f.subject)].label;
    const std::string measure = lower_first(sv ? label.sv : label.en);
    const std::string ci = ci_label(c.confidence_level, l) + " " + number(f.ratio_lower, 2, l) +
                           (sv ? " till " : " to ") + number(f.ratio_upper, 2, l);
    const std::string ratio = number(f.ratio, 2, l);
    if (clear(f, c)) {
      return sv ? "Justerat för " + factors + " får kvinnor " + ratio + " gånger den " + measure +
                      " som deras deltaganden skulle få med gruppernas genomsnitt (" + ci + ")."
                : "Adjusted for " + factors + ", women receive " + ratio + " times the " + measure +
                      " their participations would get at each group's average (" + ci + ").";
    }
    return sv ? "Justerat för " + factors + " motsvarar kvinnors andel av " + measure +
                    " deras deltaganden (kvot " + ratio + "; " + ci + ")."
              : "Adjusted for " + factors + ", women's share of the " + measure + " matches their participations (ratio " +
                    ratio + "; " + ci + ").";
  }
  const bool now = clear(f, c);
  const bool before = raw != nullptr && raw->status == finding_status::ok && clear(*raw, c);
  const bool reversed = raw != nullptr && raw->status == finding_status::ok && raw->difference * f.difference < 0;
  const std::string size = size_of_difference(f, unit, l);
  const std::string ci = difference_interval(f, unit, c, l);
  const bool mean = f.effect == effect_measure::mean_difference;
  const std::string direction = sv ? (f.difference > 0 ? (mean ? "mer" : "högre") : (mean ? "mindre" : "lägre"))
                                   : (f.difference > 0 ? (mean ? "more" : "higher") : (mean ? "less" : "lower"));
  // "kvinnor ligger 2 procentenheter högre än män" / "kvinnor har 3 h mer än män"
  const std::string women_are = sv ? (mean ? "kvinnor har " : "kvinnor ligger ") : (mean ? "women have " : "women are ");
  std::string text;
  if (now && before && !reversed) {
    text = sv ? "Skillnaden kvarstår efter justering för " + factors + ": " + women_are + size + " " + direction +
                    " än män " + ci + "."
              : "The difference remains after adjusting for " + factors + ": " + women_are + size + " " + direction +
                    " than men " + ci + ".";
  } else if (now && before && reversed) {
    text = sv ? "Skillnaden byter riktning efter justering för " + factors + ": " + women_are + size + " " +
                    direction + " än män " + ci + "."
              : "The difference reverses after adjusting for " + factors + ": " + women_are + size + " " + direction +
                    " than men " + ci + ".";
  } else if (!now && before) {
    text = sv ? "Skillnaden förklaras av " + factors + ": efter justering finns ingen säkerställd skillnad (" + size +
                    " " + direction + " för kvinnor, " + ci.substr(1)
              : "The difference is explained by " + factors + ": after adjusting, there is no clear difference (" +
                    size + " " + direction + " for women, " + ci.substr(1);
    text += ".";
    if (reversed) text += sv ? " Justerat pekar skattningen till och med åt andra hållet." : " Adjusted, the estimate even points the other way.";
  } else if (now && !before) {
    text = sv ? "Efter justering för " + factors + " framträder en skillnad: " + women_are + size + " " + direction +
                    " än män " + ci + "."
              : "After adjusting for " + factors + ", a difference appears: " + women_are + size + " " + direction +
                    " than men " + ci + ".";
  } else {
    text = sv ? "Ingen säkerställd skillnad, varken före eller efter justering för " + factors + "."
              : "No clear difference, neither before nor after adjusting for " + factors + ".";
  }
  if (!std::isnan(f.homogeneity_p_value) && f.homogeneity_p_value <= c.significance_level) {
    text += sv ? " Skillnaden varierar mellan grupperna av " + factors + " (Breslow-Days test, " +
                     p_text(f.homogeneity_p_value, l) + ")."
               : " The difference varies across the groups of " + factors + " (Breslow-Day test, " +
                     p_text(f.homogeneity_p_value, l) + ").";
  }
  return text;
}

std::string change_verdict(const finding& f, const verdict_context& c, lang l) {
  const bool sv = l == lang::sv;
  const std::string since = c.previous_period.empty() ? (sv ? "föregående period" : "the previous period") : c.previous_period;
  const std::string& unit = unit_of(f, c);
  const std::string what = pick(f, l, &finding::what_sv, &finding::what_en);
  const std::string prefix = what + (f.adjusted ? (sv ? " (justerat)" : " (adjusted)") : "") + ": ";
  if (f.kind == finding_kind::resource_share) {
    const std::string ratio = number(f.ratio, 2, l);
    if (clear(f, c)) {
      return prefix + (sv ? "kvinnornas kvot mellan andel av resurserna och andel av deltagandena har ändrats sedan " +
                                since + " (nu " + number(f.women.estimate, 2, l) + ", " + ratio + " gånger tidigare)."
                          : "women's ratio of resource share to participation share has changed since " + since +
                                " (now " + number(f.women.estimate, 2, l) + ", " + ratio + " times before).");
    }
    return prefix + (sv ? "ingen säkerställd förändring sedan " + since + "." : "no clear change since " + since + ".");
  }
  const std::string size = f.effect == effect_measure::mean_difference ? amount(f.difference, unit, l)
                                                                       : points(f.difference, point_decimals(f), l);
  if (clear(f, c)) {
    return prefix + (sv ? "skillnaden mellan kvinnor och män har förändrats sedan " + since + " med " + size + " " +
                              difference_interval(f, unit, c, l) + "."
                        : "the difference between women and men has changed since " + since + " by " + size + " " +
                              difference_interval(f, unit, c, l) + ".");
  }
  return prefix + (sv ? "ingen säkerställd förändring av skillnaden sedan " + since + " (förändring " + size + ")."
                      : "no clear change in the difference since " + since + " (change " + size + ").");
}

}  // namespace

std::string lower_first(const std::string& label) {
  if (label.empty()) return label;
  std::string s = label;
  const auto upper_ascii = [](unsigned char ch) { return ch >= 'A' && ch <= 'Z'; };
  const unsigned char c0 = static_cast<unsigned char>(s[0]);
  if (upper_ascii(c0)) {
    if (s.size() > 1 && upper_ascii(static_cast<unsigned char>(s[1]))) return s;  // an acronym
    s[0] = static_cast<char>(c0 - 'A' + 'a');
    return s;
  }
  // Å, Ä, Ö, É (UTF-8 C3 85, C3 84, C3 96, C3 89): lower case is 0x20 above.
  if (c0 == 0xC3 && s.size() > 1) {
    const unsigned char c1 = static_cast<unsigned char>(s[1]);
    if (c1 == 0x85 || c1 == 0x84 || c1 == 0x96 || c1 == 0x89) s[1] = static_cast<char>(c1 + 0x20);
  }
  return s;
}

bilingual join_labels(const std::vector<const bilingual*>& labels) {
  bilingual out;
  for (std::size_t i = 0; i < labels.size(); ++i) {
    const char* sep_sv = i == 0 ? "" : (i + 1 == labels.size() ? " och " : ", ");
    const char* sep_en = i == 0 ? "" : (i + 1 == labels.size() ? " and " : ", ");
    out.sv += sep_sv + lower_first(labels[i]->sv);
    out.en += sep_en + lower_first(labels[i]->en);
  }
  return out;
}

void write_verdict(finding& f, const finding* raw, const verdict_context& context) {
  for (lang l : {lang::sv, lang::en}) {
    std::string text;
    if (f.status != finding_status::ok) text = status_text(f, context, l);
    else if (f.period == finding_period::change) text = change_verdict(f, context, l);
    else if (f.adjusted) text = adjusted_verdict(f, raw, context, l);
    else text = raw_verdict(f, context, l);
    (l == lang::sv ? f.verdict_sv : f.verdict_en) = std::move(text);
  }
}

}  // namespace jamstat::analysis::detail
