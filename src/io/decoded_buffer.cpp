#include "decoded_buffer.hpp"

#include <algorithm>
#include <cstring>
#include <vector>

#include "jamstat/io/input_errors.hpp"
#include "text_utilities.hpp"

namespace jamstat::io::detail {

namespace {
constexpr std::size_t padding = 64;
}

decoded_buffer::decoded_buffer(byte_source& source, std::string name, text_encoding encoding, std::size_t block_bytes,
                               std::size_t max_record_bytes, std::uint64_t raw_start)
    : source_(source),
      name_(std::move(name)),
      encoding_(encoding),
      block_(std::max<std::size_t>(block_bytes, 64)),
      max_record_(std::max(max_record_bytes, block_)),
      at_file_start_(raw_start == 0),
      raw_begin_(raw_start),
      raw_end_(raw_start) {
  capacity_ = 4 * block_ + padding;
  data_ = std::make_unique<char[]>(capacity_);
  scratch_ = std::make_unique<char[]>(block_ + 8);
}

void decoded_buffer::reserve_for_block() {
  // Windows-1252 grows up to three times in UTF-8: held-back bytes and the next block both.
  const std::size_t needed = len_ + 3 * (pending_ + block_) + 16 + padding;
  if (needed <= capacity_) return;
  const std::size_t grown = std::max(needed, capacity_ * 2);
  auto bigger = std::make_unique<char[]>(grown);
  std::memcpy(bigger.get(), data_.get(), len_ + pending_);
  data_ = std::move(bigger);
  capacity_ = grown;
}

void decoded_buffer::decode_chunk(std::size_t from, std::size_t to, bool at_end) {
  char* d = data_.get();
  pending_ = 0;
  if (encoding_ == text_encoding::utf8) {
    len_ = to;
    raw_end_ += to - from;
    return;
  }
  // Undecided: everything so far was ASCII.
  const std::size_t first = first_high_byte(d + from, to - from);
  if (first == to - from) {
    len_ = to;
    raw_end_ += to - from;
    return;
  }
  // The decision looks at the encoding_window bytes from the first non-ASCII byte on (fewer at
  // the end of the input), whatever the blocks: it depends on the file's content only, so one
  // thread and several threads decide alike. Until then the ASCII before it is given out and
  // the rest is held back.
  const std::size_t start = from + first, have = to - start;
  if (have < encoding_window && !at_end) {
    len_ = start;
    pending_ = have;
    raw_end_ += start - from;
    return;
  }
  // Well-formed UTF-8 sequences against bytes that are not UTF-8: a Windows-1252 text (Swedish
  // letters are single bytes followed by ASCII) has no well-formed sequences; a UTF-8 text with a
  // stray byte has more of them. A sequence cut by the end of the input counts as not UTF-8; one
  // cut by the end of the window does not count.
  const std::size_t window = std::min(have, encoding_window);
  const utf8_evidence e = weigh_utf8(d + start, window);
  const std::size_t cut_at_end = window == have && at_end && e.tail ? 1 : 0;
  raw_end_ += to - from;
  if (e.sequences > 0 && e.sequences >= e.invalid_bytes + cut_at_end) {
    encoding_ = text_encoding::utf8;
    len_ = to;
    return;
  }
  // Not UTF-8: Windows-1252 from the first non-ASCII byte on (converted in place, via a copy).
  encoding_ = text_encoding::windows_1252;
  std::vector<char> raw(d + start, d + to);
  len_ = start + windows_1252_to_utf8(raw.data(), raw.size(), d + start);
}

void decoded_buffer::start_of_file() {
  at_file_start_ = false;
  // Read at least four bytes (or all there is) to look for a byte-order mark.
  std::size_t got = 0;
  while (got < 4) {
    const std::size_t n = source_.read(scratch_.get() + got, block_ - got);
    bytes_read_ += n;
    if (n == 0) break;
    got += n;
  }
  const auto* b = reinterpret_cast<const unsigned char*>(scratch_.get());
  if (got >= 2 && ((b[0] == 0xFF && b[1] == 0xFE) || (b[0] == 0xFE && b[1] == 0xFF)))
    throw csv_layout_error(name_ +
                           ": the file is UTF-16 (it starts with a UTF-16 byte-order mark); save it as "
                           "\"CSV UTF-8\" or as Windows-1252 CSV");
  std::size_t skip = 0;
  if (got >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF) {
    if (encoding_ == text_encoding::windows_1252)
      throw csv_layout_error(name_ +
                             ": the file starts with a UTF-8 byte-order mark, but the schema file declares the "
                             "encoding windows-1252; remove the declaration (or the mark)");
    encoding_ = text_encoding::utf8;
    had_bom_ = true;
    skip = 3;
    raw_begin_ += 3;
    raw_end_ += 3;
  }
  const std::size_t n = got - skip;
  if (n == 0) return;
  if (encoding_ == text_encoding::windows_1252) {
    len_ += windows_1252_to_utf8(scratch_.get() + skip, n, data_.get() + len_);
    raw_end_ += n;
  } else {
    std::memcpy(data_.get() + len_, scratch_.get() + skip, n);
    decode_chunk(len_, len_ + n, false);
  }
  last_char_ = len_ > 0 ? data_[len_ - 1] : last_char_;
}

bool decoded_buffer::fill() {
  if (eof_ || full()) return false;
  if (pos_ > 0) {
    std::memmove(data_.get(), data_.get() + pos_, len_ - pos_ + pending_);
    len_ -= pos_;
    pos_ = 0;
  }
  reserve_for_block();
  const std::size_t before = len_;
  if (at_file_start_) {
    start_of_file();
    if (len_ > before || pending_ > 0) return len_ > before ? true : fill();
  }
  for (;;) {
    reserve_for_block();  // held-back bytes may have grown
    std::size_t n;
    if (encoding_ == text_encoding::windows_1252) {
      n = source_.read(scratch_.get(), block_);
      bytes_read_ += n;
      if (n > 0) {
        len_ += windows_1252_to_utf8(scratch_.get(), n, data_.get() + len_);
        raw_end_ += n;
      }
    } else {
      n = source_.read(data_.get() + len_ + pending_, block_);
      bytes_read_ += n;
      if (n > 0 || pending_ > 0) decode_chunk(len_, len_ + pending_ + n, n == 0);
    }
    if (len_ > before) {
      last_char_ = data_[len_ - 1];
      return true;
    }
    if (n == 0) break;  // end of input (a held-back sequence was decoded above)
  }
  eof_ = true;
  if (last_char_ != '\n') {
    data_[len_++] = '\n';  // every record ends with '\n'
    synthetic_newline_ = true;
    last_char_ = '\n';
    return true;
  }
  return false;
}

void decoded_buffer::consume(const char* p) noexcept {
  const auto k = static_cast<std::size_t>(p - begin());
  raw_begin_ = raw_offset(p);
  pos_ += k;
}

std::uint64_t decoded_buffer::raw_offset(const char* p) const noexcept {
  const auto k = static_cast<std::size_t>(p - begin());
  const std::uint64_t raw =
      raw_begin_ + (encoding_ == text_encoding::windows_1252 ? count_code_points(begin(), k) : k);
  return std::min(raw, raw_end_);
}

const char* decoded_buffer::position_of_raw(std::uint64_t raw) const noexcept {
  if (raw < raw_begin_ || raw > raw_end_) return nullptr;
  std::uint64_t want = raw - raw_begin_;
  if (encoding_ != text_encoding::windows_1252) return begin() + std::min<std::uint64_t>(want, size());
  const char* p = begin();
  while (p < end()) {
    if ((static_cast<unsigned char>(*p) & 0xC0) != 0x80) {
      if (want == 0) return p;
      --want;
    }
    ++p;
  }
  return end();
}

}  // namespace jamstat::io::detail
