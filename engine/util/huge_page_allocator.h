#pragma once
// An allocator for big, long-lived buffers that are streamed again and again (parameters and their
// gradients): blocks of 2 MB and more are 2 MB-aligned and marked for transparent huge pages (madvise,
// which Debian's kernel honours by default), so reading them takes one TLB entry per 2 MB instead of 512.
// Measured on an AMD EPYC VM: decoding's products alone read a 7.4 MB set of weights 1.4x faster on one
// thread (78 against 110 microseconds); in whole decoding steps the gain was 1.03x, in training steps
// none. Smaller blocks, or a kernel that refuses, get ordinary pages.

#include <cstddef>
#include <new>
#include <vector>

namespace cllm {

void* allocate_huge_pages(size_t bytes);  // throws std::bad_alloc
void free_huge_pages(void* p);
constexpr size_t kHugePageBytes = size_t(1) << 21;

template <typename T>
struct HugePageAllocator {
  using value_type = T;
  HugePageAllocator() = default;
  template <typename U>
  HugePageAllocator(const HugePageAllocator<U>&) {}
  T* allocate(size_t n) {
    if (n * sizeof(T) < kHugePageBytes) return std::allocator<T>().allocate(n);
    return static_cast<T*>(allocate_huge_pages(n * sizeof(T)));
  }
  void deallocate(T* p, size_t n) {
    if (n * sizeof(T) < kHugePageBytes) return std::allocator<T>().deallocate(p, n);
    free_huge_pages(p);
  }
  template <typename U>
  bool operator==(const HugePageAllocator<U>&) const {
    return true;
  }
};

template <typename T>
using HugePageVector = std::vector<T, HugePageAllocator<T>>;

}  // namespace cllm
