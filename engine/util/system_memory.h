#pragma once
// How much memory this process can still take before the system, or the cgroup it runs in, runs out.
// A training run compares its needs with this before it allocates, because running out half-way gives
// only "std::bad_alloc" or a kill by the kernel's OOM killer, neither of which says what to change.
//
// Linux only (elsewhere the answer is "unknown"): the smaller of /proc/meminfo's MemAvailable (the
// kernel's estimate of what can be allocated without swapping, page cache it can drop included) and, for
// this process's memory cgroup and each of its ancestors that sets a limit, limit - (usage - inactive
// page cache). cgroup v2 (memory.max, memory.current, memory.stat "inactive_file") and v1
// (memory.limit_in_bytes, memory.usage_in_bytes, memory.stat "total_inactive_file") are both read.
// Every read is a few small files; nothing is cached, so each call sees the current state.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace cllm {

// Bytes available to this process now; nullopt when nothing could be read (not Linux, no /proc).
std::optional<uint64_t> available_memory_bytes();

// The parsing steps, separate so tests can feed them file contents.
// MemAvailable of a /proc/meminfo text, in bytes; nullopt when the line is missing or malformed.
std::optional<uint64_t> meminfo_available_bytes(std::string_view meminfo);
// Headroom under one cgroup's limit: limit - (usage - inactive_file), clamped to [0, limit]; nullopt when
// the limit is "max", absurdly large (cgroup v1 writes 2^63 - 4096 for "none") or unparseable.
// `inactive_file` is the value of that memory.stat key (0 when unknown).
std::optional<uint64_t> cgroup_headroom_bytes(std::string_view limit, std::string_view usage,
                                              uint64_t inactive_file);

// "27.67 GiB": bytes / 2^30 with two decimals, for messages about memory.
std::string format_gib(uint64_t bytes);

}  // namespace cllm
