// An allocator for the large arrays of aggregate state (cells, scratch, roll-up tables): their
// pages are populated by one system call when they are allocated, instead of faulting in one at
// a time when first touched.
#pragma once

#include <cstddef>
#include <new>

namespace jamstat {

namespace detail {

/// Asks the kernel to back the whole pages inside [p, p + bytes) with memory now (Linux's
/// madvise(MADV_POPULATE_WRITE)). Does nothing where the call is unavailable or fails (the pages
/// then fault in as usual), so it never changes behaviour, only when the cost is paid.
void populate_pages(void* p, std::size_t bytes) noexcept;

}  // namespace detail

/// Allocates cache-line-aligned blocks (so that a 64-byte record never straddles two lines) and
/// calls detail::populate_pages on every block of at least 16 KiB: one call costs less than
/// one fault, and smaller blocks mostly come from pages the heap has touched already. On the benchmark VM a page
/// fault cost 11-15 µs against ~3.5 µs a page populated in one call, and fresh memory was the
/// largest cost of a batch into a new aggregator; on bare metal both are far cheaper and the
/// call is harmless.
template <class T>
struct prefaulting_allocator {
  using value_type = T;

  prefaulting_allocator() noexcept = default;
  template <class U>
  prefaulting_allocator(const prefaulting_allocator<U>&) noexcept {}

  static constexpr std::align_val_t alignment{64};

  T* allocate(std::size_t n) {
    if (n > std::size_t(-1) / sizeof(T)) throw std::bad_array_new_length();
    T* p = static_cast<T*>(::operator new(n * sizeof(T), alignment));
    if (n * sizeof(T) >= 16 * 1024) detail::populate_pages(p, n * sizeof(T));
    return p;
  }
  void deallocate(T* p, std::size_t) noexcept { ::operator delete(p, alignment); }

  friend bool operator==(const prefaulting_allocator&, const prefaulting_allocator&) noexcept { return true; }
};

}  // namespace jamstat
