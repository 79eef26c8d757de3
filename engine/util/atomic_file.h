#pragma once
// The engine's one way to save a file: write a temporary file in the destination's folder, fsync it,
// rename it over the destination, fsync the folder. A crash, a full disk or an exception at any point
// leaves the previous file untouched; readers never see a half-written file. The temporary file of a
// writer that was killed is removed by the next save to the same destination.

#include <filesystem>
#include <string>
#include <string_view>

namespace cllm {

class AtomicFileWriter {
 public:
  // Creates the temporary file next to `destination`. Throws cllm::Error when the folder is missing or
  // not writable.
  explicit AtomicFileWriter(std::filesystem::path destination);
  // Removes the temporary file unless commit() succeeded.
  ~AtomicFileWriter();
  AtomicFileWriter(const AtomicFileWriter&) = delete;
  AtomicFileWriter& operator=(const AtomicFileWriter&) = delete;

  // Appends bytes. Throws cllm::Error naming the file and the cause (e.g. "No space left on device").
  void write(const void* data, size_t size);
  void write(std::string_view text) { write(text.data(), text.size()); }
  // Flushes, fsyncs and renames into place. After it returns, the destination holds exactly what was
  // written.
  void commit();

  size_t bytes_written() const { return written_; }

 private:
  [[noreturn]] void fail(const std::string& what);

  std::filesystem::path destination_;
  std::string temp_path_;
  int fd_ = -1;
  size_t written_ = 0;
  bool committed_ = false;
};

// Throws cllm::Error now, before any work, when a save to `destination` would fail for where it points: a
// folder (or a name ending in '/'), a folder that does not exist, or one where this process cannot create
// the temporary file a save writes first (created and removed again to find out).
void require_can_save(const std::filesystem::path& destination);

// Convenience for small files: the whole content at once.
void write_file_atomically(const std::filesystem::path& destination, std::string_view content);

}  // namespace cllm
