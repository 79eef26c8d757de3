#include "util/atomic_file.h"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <limits>
#include <vector>

#include "util/error.h"

namespace cllm {

namespace {

// Temporary files are named ".<destination name>.tmp-<pid>-XXXXXX". A writer killed with SIGKILL (or a
// machine that lost power) leaves its file behind; the next save to the same destination removes those
// whose process is gone (issue 13, defect 8). A live process's file may be a save in progress: kept.
std::string temp_prefix(const std::filesystem::path& destination) {
  return "." + destination.filename().string() + ".tmp-";
}

void remove_stale_temp_files(const std::filesystem::path& folder, const std::filesystem::path& destination) {
  const std::string prefix = temp_prefix(destination);
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(folder, ec)) {
    const std::string name = entry.path().filename().string();
    if (!name.starts_with(prefix)) continue;
    const std::string rest = name.substr(prefix.size());  // "<pid>-XXXXXX"
    const size_t dash = rest.find('-');
    if (dash == std::string::npos || dash == 0 || dash > 10 || rest.find_first_not_of("0123456789") != dash)
      continue;
    const long pid = std::stol(rest.substr(0, dash));
    if (pid <= 0 || pid > std::numeric_limits<pid_t>::max()) continue;
    if (::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH) std::filesystem::remove(entry.path(), ec);
  }
}

}  // namespace

AtomicFileWriter::AtomicFileWriter(std::filesystem::path destination) : destination_(std::move(destination)) {
  require(!destination_.filename().empty() && !std::filesystem::is_directory(destination_),
          "cannot save '" + destination_.string() +
              "': it names a folder, not a file (give a file name, e.g. '" +
              (destination_ / "cllm-model.safetensors").lexically_normal().string() + "')");
  std::filesystem::path folder = destination_.parent_path();
  if (folder.empty()) folder = ".";
  require(std::filesystem::is_directory(folder),
          "cannot save '" + destination_.string() + "': folder '" + folder.string() + "' does not exist");
  remove_stale_temp_files(folder, destination_);
  const std::string pattern =
      (folder / (temp_prefix(destination_) + std::to_string(::getpid()) + "-XXXXXX")).string();
  std::vector<char> name(pattern.begin(), pattern.end());
  name.push_back('\0');
  fd_ = ::mkstemp(name.data());
  if (fd_ < 0)
    throw Error("cannot save '" + destination_.string() + "': cannot create a temporary file in '" +
                folder.string() + "': " + std::strerror(errno));
  temp_path_ = name.data();
}

void require_can_save(const std::filesystem::path& destination) {
  const AtomicFileWriter probe(destination);  // never committed: its destructor removes the temporary file
}

AtomicFileWriter::~AtomicFileWriter() {
  if (fd_ >= 0) ::close(fd_);
  if (!committed_ && !temp_path_.empty()) ::unlink(temp_path_.c_str());
}

void AtomicFileWriter::fail(const std::string& what) {
  const std::string reason = std::strerror(errno);
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  ::unlink(temp_path_.c_str());
  temp_path_.clear();
  throw Error("cannot save '" + destination_.string() + "': " + what + ": " + reason +
              " (the previous file, if any, is unchanged)");
}

void AtomicFileWriter::write(const void* data, size_t size) {
  require(fd_ >= 0 && !committed_, "internal: write to a closed AtomicFileWriter");
  const char* p = static_cast<const char*>(data);
  while (size > 0) {
    ssize_t n = ::write(fd_, p, size);
    if (n < 0) {
      if (errno == EINTR) continue;
      fail("write failed after " + std::to_string(written_) + " bytes");
    }
    p += n;
    size -= static_cast<size_t>(n);
    written_ += static_cast<size_t>(n);
  }
}

void AtomicFileWriter::commit() {
  require(fd_ >= 0 && !committed_, "internal: commit of a closed AtomicFileWriter");
  if (::fsync(fd_) != 0) fail("fsync failed");
  if (::close(fd_) != 0) {
    fd_ = -1;
    fail("close failed");
  }
  fd_ = -1;
  if (::rename(temp_path_.c_str(), destination_.c_str()) != 0) fail("rename failed");
  committed_ = true;
  // Make the rename itself durable.
  std::filesystem::path folder = destination_.parent_path();
  if (folder.empty()) folder = ".";
  int dir = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY);
  if (dir >= 0) {
    ::fsync(dir);
    ::close(dir);
  }
}

void write_file_atomically(const std::filesystem::path& destination, std::string_view content) {
  AtomicFileWriter writer(destination);
  writer.write(content);
  writer.commit();
}

}  // namespace cllm
