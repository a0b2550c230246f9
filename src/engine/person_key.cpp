#include "jamstat/engine/person_key.hpp"

#include <sodium.h>

#include <cstring>

#include "jamstat/engine/errors.hpp"
#include "siphash24.hpp"

namespace jamstat {

static_assert(crypto_shorthash_BYTES == 8 && crypto_shorthash_KEYBYTES == person_key::size,
              "crypto_shorthash is SipHash-2-4 with a 16-byte key and an 8-byte output");

namespace {
std::uint64_t load_le64(const unsigned char* p) noexcept {
  std::uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}
}  // namespace

person_key person_key::from_bytes(std::span<const std::uint8_t> bytes) {
  if (bytes.size() != size)
    throw usage_error("person key must be exactly 16 bytes, got " + std::to_string(bytes.size()));
  std::array<std::uint8_t, size> a{};
  std::memcpy(a.data(), bytes.data(), size);
  return person_key(a);
}

std::uint64_t person_key::hash(std::span<const std::uint8_t> id) const noexcept {
  unsigned char out[crypto_shorthash_BYTES];
  crypto_shorthash(out, id.data(), id.size(), bytes_.data());
  return load_le64(out);
}

std::uint64_t person_key::hash(std::string_view id) const noexcept {
  return hash(std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(id.data()), id.size()));
}

std::uint64_t person_key::hash(std::uint64_t id) const noexcept {
  // SipHash-2-4 of the id's 8 little-endian bytes, inline (equal to crypto_shorthash of them).
  return detail::siphash24_u64(detail::siphash_key::from_bytes(bytes_.data()), id);
}

void person_key::hash_many(std::span<const std::uint32_t> ids, std::uint64_t* out) const noexcept {
  detail::siphash24_many(detail::siphash_key::from_bytes(bytes_.data()), ids.data(), ids.size(), out);
}

void person_key::hash_many(std::span<const std::uint64_t> ids, std::uint64_t* out) const noexcept {
  detail::siphash24_many(detail::siphash_key::from_bytes(bytes_.data()), ids.data(), ids.size(), out);
}

std::uint64_t person_key::key_check() const noexcept { return hash(std::string_view("jamstat person key check v1")); }

}  // namespace jamstat
