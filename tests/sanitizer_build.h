#pragma once
// What the build is instrumented with, for the few tests that must know: time limits, and the check that
// ThreadSanitizer sees our threads. GCC defines __SANITIZE_*__; clang 14 tells TSan only by __has_feature.

#if defined(__SANITIZE_THREAD__)
#define CLLM_TSAN_BUILD 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define CLLM_TSAN_BUILD 1
#endif
#endif

#if defined(CLLM_TSAN_BUILD) || defined(__SANITIZE_ADDRESS__)
#define CLLM_SANITIZED_BUILD 1  // runs several times slower
#endif
