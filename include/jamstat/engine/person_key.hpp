// Keyed hashing of person identifiers: ids are never stored, only their SipHash-2-4 values.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string_view>

namespace jamstat {

/// A caller-supplied 16-byte secret key for SipHash-2-4 (libsodium's crypto_shorthash).
/// Partners whose states are merged must use the same key (agreed between them, never stored
/// in a state): the state keeps only key_check(), a hash of a fixed text under the key, so
/// a merge of states hashed under different keys is refused rather than silently wrong.
class person_key {
 public:
  static constexpr std::size_t size = 16;
  explicit person_key(const std::array<std::uint8_t, size>& bytes) noexcept : bytes_(bytes) {}
  /// Throws usage_error unless `bytes` is exactly 16 bytes.
  static person_key from_bytes(std::span<const std::uint8_t> bytes);

  /// Keyed hash of a byte-string id (e.g. a pseudonym or a case number as text).
  std::uint64_t hash(std::span<const std::uint8_t> id) const noexcept;
  std::uint64_t hash(std::string_view id) const noexcept;
  /// Keyed hash of an integer id: SipHash of its 8 little-endian bytes. A u32 id is widened,
  /// so the same number gives the same hash whatever integer width the caller used; it does NOT
  /// equal the hash of the number written as text, so partners must agree on one form.
  std::uint64_t hash(std::uint64_t id) const noexcept;
  /// out[i] = hash(ids[i]) for a run of integer ids, several at a time in vector lanes (the
  /// columnar path's way; about 8x faster than one at a time with AVX-512).
  void hash_many(std::span<const std::uint32_t> ids, std::uint64_t* out) const noexcept;
  void hash_many(std::span<const std::uint64_t> ids, std::uint64_t* out) const noexcept;

  /// Hash of a fixed text under this key: identifies the key without revealing it.
  std::uint64_t key_check() const noexcept;
  /// True for the all-zero key (an uninitialised key, never a secret): aggregators refuse it.
  bool is_all_zero() const noexcept {
    for (std::uint8_t b : bytes_)
      if (b) return false;
    return true;
  }

 private:
  std::array<std::uint8_t, size> bytes_;
};

}  // namespace jamstat
