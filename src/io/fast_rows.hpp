// The fast path (internal): a plain line parsed straight into the batch, one pass over its bytes,
// no allocation. It only ever accepts a line the general path (convert_row) would accept with the
// same values; anything else (a quote with a line break or doubled quotes, blanks around a value,
// a missing value, thousands separators, a bad value, the wrong number of fields) returns nullptr
// and the line goes through the general path, which decides and explains. Every loop stops at
// '\n', and the caller only passes lines that end with one, so nothing is read past a line.
#pragma once

#include <charconv>
#include <cmath>
#include <cstring>

#include "ingest_plan.hpp"
#include "jamstat/io/personnummer.hpp"
#include "text_utilities.hpp"

namespace jamstat::io::detail {

class fast_rows {
 public:
  explicit fast_rows(const ingest_plan& plan) : plan_(plan), sep_(plan.separator), mark_(plan.numbers.decimal_mark) {
    // A decimal mark that is also the separator only appears inside quotes: here it separates.
    has_mark_ = mark_ != sep_;
    usable_ = true;
    for (const fast_column& f : plan.fast) usable_ &= f.kind != fast_kind::bail;
    for (std::size_t k = 0; k <= 18; ++k) pow10_[k] = k == 0 ? 1 : pow10_[k - 1] * 10;
  }

  bool usable() const noexcept { return usable_; }

  /// Parses the line at `p` into the builder's current row; returns the start of the next line,
  /// or nullptr (nothing committed; the builder's row is to be abandoned).
  const char* row(const char* p, batch_builder& out) const {
    const std::size_t n = plan_.columns;
    for (std::size_t c = 0; c < n; ++c) {
      p = field(plan_.fast[c], p, c + 1 == n, out);
      if (!p) return nullptr;
    }
    return p;
  }

  /// One field at `p` (the last of its row when `last`): the position after its terminator.
  const char* field(const fast_column& f, const char* p, bool last, batch_builder& out) const {
    switch (f.kind) {
      case fast_kind::skip: return skip(p, last);
      case fast_kind::bail: return nullptr;
      case fast_kind::dim_codes: {
        std::uint64_t v;
        const char* q = digits(p, 7, v);
        const dim_plan& d = plan_.dims[f.index];
        if (!q || v >= d.code_ok.size() || !d.code_ok[v]) return nullptr;
        out.set_code(f.index, static_cast<std::int32_t>(v));
        return end_of(q, last);
      }
      case fast_kind::dim_bands: {
        std::uint64_t v;
        const char* q = digits(p, 9, v);
        if (!q) return nullptr;
        const dim_plan& d = plan_.dims[f.index];
        std::int32_t code = -1;
        if (v < 256) {
          code = d.small_band_codes[v];
        } else {
          for (const value_band& b : d.bands)
            if (static_cast<std::int64_t>(v) >= b.min && static_cast<std::int64_t>(v) <= b.max) code = b.code;
        }
        if (code < 0) return nullptr;
        out.set_code(f.index, code);
        return end_of(q, last);
      }
      case fast_kind::outcome_digit: {
        const char c = *p;
        if (c != '0' && c != '1') return nullptr;
        out.set_outcome(f.index, static_cast<std::uint8_t>(c - '0'));
        return end_of(p + 1, last);
      }
      case fast_kind::measure_decimal: return decimal(plan_.measures[f.index], f.index, p, last, out);
      case fast_kind::measure_floating: return floating(plan_.measures[f.index], f.index, p, last, out);
      case fast_kind::person_integer: {
        std::uint64_t v;
        const char* q = digits(p, 19, v);
        if (!q) return nullptr;
        out.set_person(v);
        return end_of(q, last);
      }
      case fast_kind::dim_spellings:
      case fast_kind::outcome_spellings:
      case fast_kind::person_text:
      case fast_kind::personnummer: {
        const char *b, *e;
        const char* next = extent(p, last, b, e);
        if (!next || b == e || is_blank(*b) || is_blank(e[-1])) return nullptr;
        const std::string_view text(b, static_cast<std::size_t>(e - b));
        if (f.kind == fast_kind::person_text) {
          if (has_high_byte(b, text.size())) return nullptr;  // UTF-8 is checked by the general path
          out.set_person(text);
          return next;
        }
        if (f.kind == fast_kind::personnummer) return personnummer_field(text, out) ? next : nullptr;
        char folded[fold_stack];
        std::size_t len = 0;
        if (!fold_case_into(text, folded, fold_stack, len)) return nullptr;
        const std::string_view key(folded, len);
        if (f.kind == fast_kind::dim_spellings) {
          const auto& map = plan_.dims[f.index].spellings;
          const auto it = map.find(key);
          if (it == map.end()) return nullptr;
          out.set_code(f.index, it->second);
        } else {
          const auto& map = plan_.outcomes[f.index].values;
          const auto it = map.find(key);
          if (it == map.end()) return nullptr;
          out.set_outcome(f.index, static_cast<std::uint8_t>(it->second));
        }
        return next;
      }
    }
    return nullptr;
  }

 private:
  static bool is_blank(char c) noexcept { return c == ' ' || c == '\t'; }
  static bool is_digit(char c) noexcept { return static_cast<unsigned>(c - '0') < 10; }

  // After a field's last character: the separator (or the line end for the last field).
  const char* end_of(const char* q, bool last) const noexcept {
    if (!last) return *q == sep_ ? q + 1 : nullptr;
    if (*q == '\n') return q + 1;
    if (*q == '\r' && q[1] == '\n') return q + 2;  // q[1] exists: the line ends with '\n'
    return nullptr;
  }

  // 1 to `max` digits at p (value in v); nullptr when there are none or more.
  static const char* digits(const char* p, int max, std::uint64_t& v) noexcept {
    v = 0;
    int k = 0;
    while (is_digit(*p)) {
      if (++k > max) return nullptr;
      v = v * 10 + static_cast<std::uint64_t>(*p - '0');
      ++p;
    }
    return k ? p : nullptr;
  }

  // A field's content [b, e) and the position after its terminator. Quoted fields are handled
  // when they hold neither a line break nor doubled quotes.
  const char* extent(const char* p, bool last, const char*& b, const char*& e) const noexcept {
    if (*p == '"') {
      const char* q = p + 1;
      while (*q != '"' && *q != '\n') ++q;
      if (*q == '\n' || q[1] == '"') return nullptr;
      b = p + 1;
      e = q;
      return end_of(q + 1, last);
    }
    const char* q = p;
    while (*q != sep_ && *q != '\n' && *q != '\r' && *q != '"') ++q;
    if (*q == '"') return nullptr;
    b = p;
    e = q;
    return end_of(q, last);
  }

  const char* skip(const char* p, bool last) const noexcept {
    if (*p == '"') {
      const char* q = p + 1;
      for (;;) {
        while (*q != '"' && *q != '\n') ++q;
        if (*q == '\n') return nullptr;
        if (q[1] != '"') break;
        q += 2;  // a doubled quote inside
      }
      return end_of(q + 1, last);
    }
    const char* q = p;
    while (*q != sep_ && *q != '\n' && *q != '\r' && *q != '"') ++q;
    if (*q == '"') return nullptr;
    return end_of(q, last);
  }

  // [-]digits[mark digits] with at most the measure's decimals, exactly in grid units.
  const char* decimal(const measure_plan& m, std::size_t index, const char* p, bool last, batch_builder& out) const {
    const bool negative = *p == '-';
    if (negative) ++p;
    const int k = static_cast<int>(m.domain.decimals);
    std::uint64_t whole;
    const char* q = digits(p, 18 - k, whole);
    if (!q) return nullptr;
    std::uint64_t units = whole * static_cast<std::uint64_t>(pow10_[k]);
    if (has_mark_ && *q == mark_) {
      ++q;
      std::uint64_t fraction = 0;
      int n = 0;
      while (is_digit(*q)) {
        if (++n > k) return nullptr;  // more decimals: the general path decides (zeros, off grid)
        fraction = fraction * 10 + static_cast<std::uint64_t>(*q - '0');
        ++q;
      }
      if (n == 0) return nullptr;
      units += fraction * static_cast<std::uint64_t>(pow10_[k - n]);
    }
    const std::int64_t u = negative ? -static_cast<std::int64_t>(units) : static_cast<std::int64_t>(units);
    if (u < m.domain.lowest_units || u > m.domain.highest_units) return nullptr;
    out.set_units(index, u);
    return end_of(q, last);
  }

  const char* floating(const measure_plan& m, std::size_t index, const char* p, bool last, batch_builder& out) const {
    const char* b = p;
    if (*b == '-') ++b;
    if (!is_digit(*b)) return nullptr;
    const char* q = b;
    while (is_digit(*q) || (has_mark_ && *q == mark_) || *q == 'e' || *q == 'E' || *q == '+' || *q == '-') ++q;
    const std::size_t len = static_cast<std::size_t>(q - p);
    double x;
    if (mark_ == '.') {
      const auto [end, ec] = std::from_chars(p, q, x);
      if (ec != std::errc() || end != q) return nullptr;
    } else {
      char buf[64];
      if (len >= sizeof buf) return nullptr;
      for (std::size_t i = 0; i < len; ++i) {
        if (p[i] == '.') return nullptr;
        buf[i] = p[i] == mark_ ? '.' : p[i];
      }
      const auto [end, ec] = std::from_chars(buf, buf + len, x);
      if (ec != std::errc() || end != buf + len) return nullptr;
    }
    if (!(x >= m.domain.lowest && x <= m.domain.highest)) return nullptr;  // NaN fails too
    out.set_value(index, x);
    return end_of(q, last);
  }

  bool personnummer_field(std::string_view text, batch_builder& out) const {
    const personnummer_plan& p = *plan_.personnummer;
    const auto pnr = personnummer::parse(text, p.reference);
    if (!pnr) return false;
    if (p.age_dimension != no_column) {
      const dim_plan& d = plan_.dims[p.age_dimension];
      const int age = pnr->age_at(p.reference);
      std::int32_t code = -1;
      if (age >= 0 && age < 256) code = d.small_band_codes[static_cast<std::size_t>(age)];
      else
        for (const value_band& b : d.bands)
          if (age >= b.min && age <= b.max) code = b.code;
      if (code < 0) return false;
      out.set_code(p.age_dimension, code);
    }
    if (p.sex) out.set_code(0, pnr->sex());
    if (p.person) out.set_person(pnr->canonical());
    return true;
  }

  const ingest_plan& plan_;
  char sep_;
  char mark_;
  bool has_mark_ = true;
  bool usable_ = true;
  std::int64_t pow10_[19];
};

}  // namespace jamstat::io::detail
