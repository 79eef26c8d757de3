#pragma once
// Helpers shared by the safetensors tests: scratch folders, raw file bytes, and checking the error that
// SafetensorsFile::open throws.

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <sstream>
#include <string>

#include "io/safetensors.h"
#include "util/error.h"

namespace cllm::test {

namespace fs = std::filesystem;

// A fresh folder under the system temp dir, removed on destruction.
class TempDir {
 public:
  explicit TempDir(const std::string& name)
      : path_(fs::temp_directory_path() / ("cllm-io-" + name + "-" + std::to_string(::getpid()))) {
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~TempDir() { fs::remove_all(path_); }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const fs::path& path() const { return path_; }
  fs::path operator/(const std::string& name) const { return path_ / name; }

 private:
  fs::path path_;
};

inline std::string read_bytes(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline void write_bytes(const fs::path& p, const std::string& bytes) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  ASSERT_TRUE(out.good()) << p;
}

inline std::string le64(uint64_t v) {
  std::string out(8, '\0');
  for (int i = 0; i < 8; ++i) out[i] = static_cast<char>((v >> (8 * i)) & 0xFF);
  return out;
}

inline uint64_t read_le64(const std::string& bytes) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(bytes.at(i));
  return v;
}

// A safetensors file from its header text and data block, with a correct length prefix.
inline std::string make_file(const std::string& header, const std::string& data = "") {
  return le64(header.size()) + header + data;
}

// Passes when opening `p` throws a one-line cllm::Error that starts with the quoted path and contains
// every one of `parts`.
inline ::testing::AssertionResult open_fails_with(const fs::path& p,
                                                  std::initializer_list<std::string> parts) {
  try {
    SafetensorsFile::open(p);
  } catch (const Error& e) {
    const std::string message = e.what();
    const std::string prefix = "'" + p.string() + "'";
    if (message.rfind(prefix, 0) != 0)
      return ::testing::AssertionFailure() << "message does not start with " << prefix << ": " << message;
    if (message.find('\n') != std::string::npos)
      return ::testing::AssertionFailure() << "message has several lines: " << message;
    for (const std::string& part : parts)
      if (message.find(part) == std::string::npos)
        return ::testing::AssertionFailure() << "message lacks \"" << part << "\": " << message;
    return ::testing::AssertionSuccess() << message;
  } catch (const std::exception& e) {
    return ::testing::AssertionFailure() << "threw something other than cllm::Error: " << e.what();
  }
  return ::testing::AssertionFailure() << "opened without an error";
}

}  // namespace cllm::test
