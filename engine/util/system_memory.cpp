#include "util/system_memory.h"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

namespace cllm {
namespace {

namespace fs = std::filesystem;

// Above this a cgroup limit means "no limit" (v1 reports none as 2^63 - 4096; no machine has 2^60 bytes).
constexpr uint64_t kNoLimit = uint64_t{1} << 60;

std::optional<std::string> read_small_file(const fs::path& path) {
  std::ifstream in(path);
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string_view trim(std::string_view s) {
  const auto first = s.find_first_not_of(" \t\n");
  if (first == std::string_view::npos) return {};
  return s.substr(first, s.find_last_not_of(" \t\n") - first + 1);
}

std::optional<uint64_t> parse_u64(std::string_view s) {
  s = trim(s);
  uint64_t value = 0;
  const auto [end, error] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (error != std::errc() || end != s.data() + s.size() || s.empty()) return std::nullopt;
  return value;
}

// The value of `key` in a memory.stat text ("key value" lines); 0 when absent.
uint64_t stat_value(std::string_view stat, std::string_view key) {
  std::istringstream in{std::string(stat)};
  std::string name;
  uint64_t value = 0;
  while (in >> name >> value)
    if (name == key) return value;
  return 0;
}

struct CgroupFiles {
  fs::path mount;
  const char* limit;
  const char* usage;
  const char* inactive_key;
};

// The smallest headroom over `relative` (this process's cgroup, as /proc/self/cgroup names it) and its
// ancestors up to the mount point: a parent's limit caps its children too.
std::optional<uint64_t> cgroup_headroom(const CgroupFiles& files, const fs::path& relative) {
  std::optional<uint64_t> smallest;
  fs::path dir = relative.relative_path();
  while (true) {
    const fs::path here = files.mount / dir;
    const auto limit = read_small_file(here / files.limit);
    const auto usage = read_small_file(here / files.usage);
    if (limit && usage) {
      const auto stat = read_small_file(here / "memory.stat");
      const auto headroom =
          cgroup_headroom_bytes(*limit, *usage, stat ? stat_value(*stat, files.inactive_key) : 0);
      if (headroom) smallest = smallest ? std::min(*smallest, *headroom) : *headroom;
    }
    if (dir.empty()) break;
    dir = dir.parent_path();
  }
  return smallest;
}

}  // namespace

std::optional<uint64_t> meminfo_available_bytes(std::string_view meminfo) {
  constexpr std::string_view key = "MemAvailable:";
  const size_t at = meminfo.find(key);
  if (at == std::string_view::npos || (at > 0 && meminfo[at - 1] != '\n')) return std::nullopt;
  std::string_view line = meminfo.substr(at + key.size());
  line = line.substr(0, line.find('\n'));
  line = trim(line);
  if (!line.ends_with("kB")) return std::nullopt;
  const auto kib = parse_u64(line.substr(0, line.size() - 2));
  if (!kib) return std::nullopt;
  return *kib * 1024;
}

std::optional<uint64_t> cgroup_headroom_bytes(std::string_view limit, std::string_view usage,
                                              uint64_t inactive_file) {
  const auto max = parse_u64(limit);  // "max" (v2's "no limit") fails to parse, as intended
  const auto used = parse_u64(usage);
  if (!max || !used || *max >= kNoLimit) return std::nullopt;
  // Inactive page cache is counted in the usage but is the first thing the kernel reclaims.
  const uint64_t pinned = *used - std::min(*used, inactive_file);
  return *max - std::min(*max, pinned);
}

std::optional<uint64_t> available_memory_bytes() {
  std::optional<uint64_t> available;
  if (const auto meminfo = read_small_file("/proc/meminfo")) available = meminfo_available_bytes(*meminfo);
  const auto groups = read_small_file("/proc/self/cgroup");
  if (!groups) return available;
  // Lines are "id:controllers:path"; v2's single hierarchy is "0::path", v1's memory one lists "memory".
  std::istringstream lines(*groups);
  for (std::string line; std::getline(lines, line);) {
    const size_t first = line.find(':'), second = line.find(':', first + 1);
    if (first == std::string::npos || second == std::string::npos) continue;
    const std::string id = line.substr(0, first), controllers = line.substr(first + 1, second - first - 1);
    const fs::path path = line.substr(second + 1);
    std::optional<uint64_t> headroom;
    if (id == "0" && controllers.empty()) {
      headroom = cgroup_headroom({"/sys/fs/cgroup", "memory.max", "memory.current", "inactive_file"}, path);
    } else {
      std::istringstream names(controllers);
      for (std::string name; std::getline(names, name, ',');)
        if (name == "memory")
          headroom = cgroup_headroom({"/sys/fs/cgroup/memory", "memory.limit_in_bytes",
                                      "memory.usage_in_bytes", "total_inactive_file"},
                                     path);
    }
    if (headroom) available = available ? std::min(*available, *headroom) : *headroom;
  }
  return available;
}

std::string format_gib(uint64_t bytes) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f GiB", static_cast<double>(bytes) / (1024.0 * 1024.0 * 1024.0));
  return buf;
}

}  // namespace cllm
