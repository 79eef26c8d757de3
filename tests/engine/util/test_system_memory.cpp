// Reading the available memory: the /proc/meminfo and cgroup parsers on stored texts, and the live
// reading on this machine.
#include "util/system_memory.h"

#include <gtest/gtest.h>

namespace cllm {
namespace {

TEST(SystemMemory, ReadsMemAvailableInBytes) {
  const char* meminfo =
      "MemTotal:       24684092 kB\n"
      "MemFree:         1000000 kB\n"
      "MemAvailable:   23230000 kB\n"
      "Buffers:          123456 kB\n";
  EXPECT_EQ(meminfo_available_bytes(meminfo), uint64_t{23230000} * 1024);
  EXPECT_EQ(meminfo_available_bytes("MemTotal: 100 kB\nMemFree: 50 kB\n"),
            std::nullopt);  // kernels before 3.14
  EXPECT_EQ(meminfo_available_bytes("MemAvailable: lots kB\n"), std::nullopt);
  EXPECT_EQ(meminfo_available_bytes("XMemAvailable: 5 kB\n"), std::nullopt);
}

TEST(SystemMemory, CgroupHeadroomIsLimitMinusNonReclaimableUsage) {
  // v2: a 4 GiB limit with 3 GiB charged, of which 1 GiB is inactive page cache: 2 GiB can still be taken.
  constexpr uint64_t GiB = uint64_t{1} << 30;
  EXPECT_EQ(cgroup_headroom_bytes("4294967296\n", "3221225472\n", GiB), 2 * GiB);
  EXPECT_EQ(cgroup_headroom_bytes("4294967296\n", "3221225472\n", 0), GiB);
  // Over the limit (usage may exceed it briefly): no headroom, not an underflow.
  EXPECT_EQ(cgroup_headroom_bytes("1000", "2000", 0), 0u);
  // "No limit" in either version's spelling, and garbage.
  EXPECT_EQ(cgroup_headroom_bytes("max\n", "3221225472\n", 0), std::nullopt);
  EXPECT_EQ(cgroup_headroom_bytes("9223372036854771712\n", "1475964928\n", 0), std::nullopt);
  EXPECT_EQ(cgroup_headroom_bytes("", "5", 0), std::nullopt);
  EXPECT_EQ(cgroup_headroom_bytes("12x", "5", 0), std::nullopt);
}

TEST(SystemMemory, LiveReadingIsPlausibleOnLinux) {
#ifdef __linux__
  const auto available = available_memory_bytes();
  ASSERT_TRUE(available.has_value());
  EXPECT_GT(*available, uint64_t{16} << 20);  // a test machine has more than 16 MiB free
  EXPECT_LT(*available, uint64_t{1} << 50);   // and less than a pebibyte
#else
  GTEST_SKIP() << "the reading is Linux only";
#endif
}

TEST(SystemMemory, FormatsGibibytes) {
  EXPECT_EQ(format_gib(uint64_t{27670} * (uint64_t{1} << 30) / 1000), "27.67 GiB");
  EXPECT_EQ(format_gib(0), "0.00 GiB");
}

}  // namespace
}  // namespace cllm
