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

/// Blocks of at least this size are allocated in whole 2 MiB pages, 2 MiB-aligned, and backed by
/// transparent huge pages where the kernel allows (madvise(MADV_HUGEPAGE), then populated).
inline constexpr std::size_t huge_block = std::size_t{1} << 20;
inline constexpr std::align_val_t huge_alignment{std::size_t{2} << 20};
constexpr std::size_t huge_size(std::size_t bytes) noexcept {
  constexpr std::size_t page = std::size_t{2} << 20;
  return (bytes + page - 1) / page * page;
}
void populate_huge_pages(void* p, std::size_t bytes) noexcept;

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
    const std::size_t bytes = n * sizeof(T);
    if (bytes >= detail::huge_block) {
      // Whole 2 MiB pages where the kernel gives them (transparent huge pages on request): one
      // page instead of 512 to populate.
      T* p = static_cast<T*>(::operator new(detail::huge_size(bytes), detail::huge_alignment));
      detail::populate_huge_pages(p, detail::huge_size(bytes));
      return p;
    }
    T* p = static_cast<T*>(::operator new(bytes, alignment));
    if (bytes >= 16 * 1024) detail::populate_pages(p, bytes);
    return p;
  }
  void deallocate(T* p, std::size_t n) noexcept {
    if (n * sizeof(T) >= detail::huge_block)
      ::operator delete(p, detail::huge_alignment);
    else
      ::operator delete(p, alignment);
  }

  friend bool operator==(const prefaulting_allocator&, const prefaulting_allocator&) noexcept { return true; }
};

}  // namespace jamstat
