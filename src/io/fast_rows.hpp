// The fast path (internal): a plain line parsed straight into the batch, one pass over its bytes,
// no allocation. It only ever accepts a line the general path (convert_row) would accept with the
// same values; anything else (a quote with a line break or doubled quotes, blanks around a value,
// a missing value, thousands separators, a bad value, the wrong number of fields) returns nullptr
// and the line goes through the general path, which decides and explains. Every loop stops at
// '\n', and the caller only passes lines that end with one, so nothing is read past a line
// except by the 8-byte word scans, which stay inside the buffer's padding.
#pragma once

#include <charconv>
#include <cmath>
#include <cstring>

#include "ingest_plan.hpp"
#include "jamstat/io/personnummer.hpp"
#include "text_utilities.hpp"

namespace jamstat::io::detail {

/// Bytes readable after the last byte of a line (decoded_buffer keeps at least this padding).
inline constexpr std::size_t fast_path_overread = 8;

class fast_rows {
 public:
  /// The fast path of `plan` writing into `out`'s arrays.
  fast_rows(const ingest_plan& plan, batch_builder& out) : plan_(plan), out_(out), sep_(plan.separator) {
    mark_ = plan.numbers.decimal_mark;
    // A decimal mark that is also the separator only appears inside quotes: here it separates.
    has_mark_ = mark_ != sep_;
    for (std::size_t k = 0; k <= 18; ++k) pow10_[k] = k == 0 ? 1 : pow10_[k - 1] * 10;
    const std::uint64_t ones = 0x0101010101010101ULL;
    sep_word_ = ones * static_cast<unsigned char>(sep_);
    usable_ = true;
    for (const fast_column& f : plan.fast) {
      slot s;
      s.kind = f.kind;
      s.index = f.index;
      usable_ &= f.kind != fast_kind::bail;
      switch (f.kind) {
        case fast_kind::dim_codes:
        case fast_kind::dim_bands:
        case fast_kind::dim_spellings: {
          const dim_plan& d = plan.dims[f.index];
          s.width = out.code_width(f.index);
          s.dest = s.width == 1 ? static_cast<void*>(out.codes8(f.index))
                   : s.width == 2 ? static_cast<void*>(out.codes16(f.index))
                                  : static_cast<void*>(out.codes32(f.index));
          s.table = d.code_ok.data();
          s.table_size = d.code_ok.size();
          s.bands = d.small_band_codes.data();
          break;
        }
        case fast_kind::outcome_digit:
        case fast_kind::outcome_spellings: s.dest = out.outcomes(f.index); break;
        case fast_kind::measure_decimal: {
          const measure_plan& m = plan.measures[f.index];
          s.dest = out.units(f.index);
          s.rounded = out.rounded(f.index);
          s.decimals = static_cast<int>(m.domain.decimals);
          s.lowest = m.domain.lowest_units;
          s.highest = m.domain.highest_units;
          break;
        }
        case fast_kind::measure_floating: {
          const measure_plan& m = plan.measures[f.index];
          s.dest = out.values(f.index);
          s.low = m.domain.lowest;
          s.high = m.domain.highest;
          break;
        }
        case fast_kind::person_integer: s.dest = out.person_ints(); break;
        default: break;
      }
      slots_.push_back(s);
    }
  }

  bool usable() const noexcept { return usable_; }

  /// Parses the line at `p` into the builder's current row; returns the start of the next line,
  /// or nullptr (nothing committed; the builder's row is to be abandoned).
  const char* row(const char* p) {
    const std::size_t r = out_.rows();
    const std::size_t n = slots_.size();
    for (std::size_t c = 0; c < n; ++c) {
      p = field(slots_[c], p, c + 1 == n, r);
      if (!p) return nullptr;
    }
    return p;
  }

  /// One field at `p` (the last of its row when `last`) into row `r`: the position after its
  /// terminator, or nullptr.
  const char* field(std::size_t column, const char* p, bool last) { return field(slots_[column], p, last, out_.rows()); }

 private:
  struct slot {
    fast_kind kind = fast_kind::skip;
    std::uint32_t index = 0;
    std::uint8_t width = 1;
    void* dest = nullptr;
    std::uint8_t* rounded = nullptr;
    const std::uint8_t* table = nullptr;
    std::size_t table_size = 0;
    const std::int32_t* bands = nullptr;
    int decimals = 0;
    std::int64_t lowest = 0, highest = 0;
    double low = 0, high = 0;
  };

  static bool is_blank(char c) noexcept { return c == ' ' || c == '\t'; }
  static bool is_digit(char c) noexcept { return static_cast<unsigned>(c - '0') < 10; }

  static void put_code(const slot& s, std::size_t r, std::int64_t code) noexcept {
    if (s.width == 1) static_cast<std::uint8_t*>(s.dest)[r] = static_cast<std::uint8_t>(code);
    else if (s.width == 2) static_cast<std::uint16_t*>(s.dest)[r] = static_cast<std::uint16_t>(code);
    else static_cast<std::int32_t*>(s.dest)[r] = static_cast<std::int32_t>(code);
  }

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

  // The first of separator, '\n', '\r' or '"' at or after p, eight bytes at a time (the bytes
  // equal to c are the zero bytes of w ^ c; the lowest flagged byte is exact).
  const char* stop_char(const char* p) const noexcept {
    constexpr std::uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
    constexpr std::uint64_t nl = ones * '\n', cr = ones * '\r', quote = ones * '"';
    for (;;) {
      std::uint64_t w;
      std::memcpy(&w, p, 8);
      const auto zero = [](std::uint64_t x) { return (x - ones) & ~x & highs; };
      const std::uint64_t m = zero(w ^ sep_word_) | zero(w ^ nl) | zero(w ^ cr) | zero(w ^ quote);
      if (m) return p + (__builtin_ctzll(m) >> 3);
      p += 8;
    }
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
    const char* q = stop_char(p);
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
    const char* q = stop_char(p);
    if (*q == '"') return nullptr;
    return end_of(q, last);
  }

  // The common kinds inline in the row loop; text kinds (a lookup, a stack buffer) out of line.
  [[gnu::always_inline]] inline const char* field(const slot& s, const char* p, bool last, std::size_t r) {
    switch (s.kind) {
      case fast_kind::skip: return skip(p, last);
      case fast_kind::dim_codes: {
        std::uint64_t v;
        const char* q = digits(p, 7, v);
        if (!q || v >= s.table_size || !s.table[v]) return nullptr;
        put_code(s, r, static_cast<std::int64_t>(v));
        return end_of(q, last);
      }
      case fast_kind::outcome_digit: {
        const char c = *p;
        if (c != '0' && c != '1') return nullptr;
        static_cast<std::uint8_t*>(s.dest)[r] = static_cast<std::uint8_t>(c - '0');
        return end_of(p + 1, last);
      }
      case fast_kind::measure_decimal: return decimal(s, p, last, r);
      case fast_kind::person_integer: {
        std::uint64_t v;
        const char* q = digits(p, 19, v);
        if (!q) return nullptr;
        static_cast<std::uint64_t*>(s.dest)[r] = v;
        return end_of(q, last);
      }
      default: return rare_field(s, p, last, r);
    }
  }

  [[gnu::noinline]] const char* rare_field(const slot& s, const char* p, bool last, std::size_t r) {
    switch (s.kind) {
      case fast_kind::dim_bands: {
        std::uint64_t v;
        const char* q = digits(p, 9, v);
        if (!q) return nullptr;
        std::int32_t code = -1;
        if (v < 256) {
          code = s.bands[v];
        } else {
          for (const value_band& b : plan_.dims[s.index].bands)
            if (static_cast<std::int64_t>(v) >= b.min && static_cast<std::int64_t>(v) <= b.max) code = b.code;
        }
        if (code < 0) return nullptr;
        put_code(s, r, code);
        return end_of(q, last);
      }
      case fast_kind::measure_floating: return floating(s, p, last, r);
      case fast_kind::dim_spellings:
      case fast_kind::outcome_spellings:
      case fast_kind::person_text:
      case fast_kind::personnummer: {
        const char *b, *e;
        const char* next = extent(p, last, b, e);
        if (!next || b == e || is_blank(*b) || is_blank(e[-1])) return nullptr;
        const std::string_view text(b, static_cast<std::size_t>(e - b));
        if (s.kind == fast_kind::person_text) {
          if (has_high_byte(b, text.size())) return nullptr;  // UTF-8 is checked by the general path
          out_.set_person(text);
          return next;
        }
        if (s.kind == fast_kind::personnummer) return personnummer_field(text) ? next : nullptr;
        char folded[fold_stack];
        std::size_t len = 0;
        if (!fold_case_into(text, folded, fold_stack, len)) return nullptr;
        const std::string_view key(folded, len);
        if (s.kind == fast_kind::dim_spellings) {
          const auto& map = plan_.dims[s.index].spellings;
          const auto it = map.find(key);
          if (it == map.end()) return nullptr;
          put_code(s, r, it->second);
        } else {
          const auto& map = plan_.outcomes[s.index].values;
          const auto it = map.find(key);
          if (it == map.end()) return nullptr;
          static_cast<std::uint8_t*>(s.dest)[r] = static_cast<std::uint8_t>(it->second);
        }
        return next;
      }
      default: return nullptr;  // bail
    }
  }

  // [-]digits[mark digits] with at most the measure's decimals, exactly in grid units.
  [[gnu::always_inline]] inline const char* decimal(const slot& s, const char* p, bool last, std::size_t r) const noexcept {
    const bool negative = *p == '-';
    if (negative) ++p;
    const int k = s.decimals;
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
    if (u < s.lowest || u > s.highest) return nullptr;
    static_cast<std::int64_t*>(s.dest)[r] = u;
    if (s.rounded) s.rounded[r] = 0;
    return end_of(q, last);
  }

  const char* floating(const slot& s, const char* p, bool last, std::size_t r) const noexcept {
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
    if (!(x >= s.low && x <= s.high)) return nullptr;  // NaN fails too
    static_cast<double*>(s.dest)[r] = x;
    return end_of(q, last);
  }

  bool personnummer_field(std::string_view text) {
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
      out_.set_code(p.age_dimension, code);
    }
    if (p.sex) out_.set_code(0, pnr->sex());
    if (p.person) out_.set_person(pnr->canonical());
    return true;
  }

  const ingest_plan& plan_;
  batch_builder& out_;
  std::vector<slot> slots_;
  char sep_;
  char mark_ = '.';
  bool has_mark_ = true;
  bool usable_ = true;
  std::uint64_t sep_word_ = 0;
  std::int64_t pow10_[19];
};

}  // namespace jamstat::io::detail
