#include "util/huge_page_allocator.h"

#include <cstdlib>

#ifdef __linux__
#include <sys/mman.h>
#endif

namespace cllm {

void* allocate_huge_pages(size_t bytes) {
  const size_t rounded = (bytes + kHugePageBytes - 1) / kHugePageBytes * kHugePageBytes;
  void* p = std::aligned_alloc(kHugePageBytes, rounded);
  if (!p) throw std::bad_alloc();
#ifdef MADV_HUGEPAGE
  madvise(p, rounded, MADV_HUGEPAGE);  // advice only: without it the pages are ordinary ones
#endif
  return p;
}

void free_huge_pages(void* p) {
  std::free(p);
}

}  // namespace cllm
