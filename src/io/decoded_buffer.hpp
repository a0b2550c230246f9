// A byte source decoded to UTF-8, a block at a time (internal). Memory is bounded by the block
// size and the longest record allowed, never by the file.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "byte_source.hpp"
#include "jamstat/io/csv_dialect.hpp"

namespace jamstat::io::detail {

/// The unconsumed decoded text of a source: [begin(), end()). fill() appends the next block;
/// consume() drops what has been parsed. At the end of the input a '\n' is appended when the
/// last line lacks one, so every record ends with '\n'.
///
/// Encoding (text_encoding::automatic): a UTF-8 byte-order mark decides UTF-8 (and is dropped);
/// UTF-16 marks are refused (csv_layout_error). Otherwise the encoding_window bytes from the
/// first non-ASCII byte on decide: at least as many well-formed UTF-8 sequences as bytes that are
/// not UTF-8 (and at least one) means UTF-8 (passed through unchanged), else Windows-1252
/// (converted from there on). ASCII is the same in both, so nothing read before the decision
/// changes meaning; the decision depends on the content only, never on where blocks fall.
class decoded_buffer {
 public:
  /// Bytes from the first non-ASCII byte on that decide an undeclared encoding.
  static constexpr std::size_t encoding_window = 64 * 1024;

  /// `raw_start`: the source's offset in the file (0 for a whole file; the part's start when the
  /// file is split among threads, which also skips byte-order-mark handling).
  decoded_buffer(byte_source& source, std::string name, text_encoding encoding, std::size_t block_bytes,
                 std::size_t max_record_bytes, std::uint64_t raw_start = 0);

  const char* begin() const noexcept { return data_.get() + pos_; }
  const char* end() const noexcept { return data_.get() + len_; }
  std::size_t size() const noexcept { return len_ - pos_; }
  /// True once the source is exhausted: end() is then the end of the input.
  bool eof() const noexcept { return eof_; }
  /// Reads and decodes another block behind the unconsumed text. Returns false when nothing
  /// could be added: at the end of the input, or when the unconsumed text already holds
  /// max_record_bytes (full()).
  bool fill();
  /// The unconsumed text has reached the longest record allowed.
  bool full() const noexcept { return len_ - pos_ >= max_record_; }
  /// Drops the text before `p` (a position in [begin(), end()]).
  void consume(const char* p) noexcept;

  /// The decision so far: automatic while the text has been ASCII only.
  text_encoding encoding() const noexcept { return encoding_; }
  /// Offset in the file of the byte that decoded position `p` came from.
  std::uint64_t raw_offset(const char* p) const noexcept;
  /// Offset in the file of the end of what has been read and decoded.
  std::uint64_t raw_end() const noexcept { return raw_end_; }
  /// The decoded position of file offset `raw`, when raw_begin <= raw <= raw_end (else nullptr).
  const char* position_of_raw(std::uint64_t raw) const noexcept;
  /// Raw bytes read from the source so far (progress).
  std::uint64_t bytes_read() const noexcept { return bytes_read_; }
  /// The input had a UTF-8 byte-order mark (dropped).
  bool had_bom() const noexcept { return had_bom_; }

 private:
  void reserve_for_block();
  void decode_chunk(std::size_t from, std::size_t to, bool at_end);
  void start_of_file();

  byte_source& source_;
  std::string name_;
  text_encoding encoding_;
  std::size_t block_;
  std::size_t max_record_;
  std::unique_ptr<char[]> data_;
  std::size_t capacity_ = 0;
  std::size_t pos_ = 0, len_ = 0;
  std::size_t pending_ = 0;  // bytes after len_ held back: an incomplete UTF-8 sequence (undecided)
  std::unique_ptr<char[]> scratch_;
  bool eof_ = false;
  bool at_file_start_;
  bool had_bom_ = false;
  bool synthetic_newline_ = false;
  char last_char_ = '\n';
  std::uint64_t raw_begin_;  // file offset of data_[pos_]
  std::uint64_t raw_end_;    // file offset of data_[len_]
  std::uint64_t bytes_read_ = 0;
};

}  // namespace jamstat::io::detail
