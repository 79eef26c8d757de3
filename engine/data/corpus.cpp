#include "data/corpus.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <system_error>

#include "text/utf8.h"
#include "util/error.h"

namespace cllm {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kBom = "\xEF\xBB\xBF";

// The path in single quotes, with control characters escaped so the message stays on one line even for
// a file name containing a newline.
std::string quoted(const fs::path& path) {
  std::string out = "'";
  for (const char c : path.string()) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7F) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02X", byte);
      out += buf;
    } else {
      out += c;
    }
  }
  return out + "'";
}

bool has_txt_extension(const fs::path& path) {
  std::string ext = path.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c); });
  return ext == ".txt";
}

bool is_whitespace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

// Reads a whole regular file. O_NONBLOCK keeps open() from hanging on a FIFO; fstat on the open
// descriptor then rejects anything that is not a regular file. A NUL byte marks a binary file: each
// chunk is checked as it arrives, and memory for the whole file is reserved only after the first one
// passed, so a large binary file is refused after 64 KiB instead of being read whole (issue 13, defect 12).
std::string read_regular_file(const fs::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) throw Error("cannot read corpus file " + quoted(path) + ": " + std::strerror(errno));
  struct stat info {};
  if (::fstat(fd, &info) != 0 || !S_ISREG(info.st_mode)) {
    ::close(fd);
    throw Error("corpus file " + quoted(path) + " is not a regular file");
  }
  std::string data;
  char buf[1 << 16];
  for (;;) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n == 0) break;
    if (n < 0) {
      if (errno == EINTR) continue;
      const std::string reason = std::strerror(errno);
      ::close(fd);
      throw Error("cannot read corpus file " + quoted(path) + ": " + reason);
    }
    if (const void* nul = std::memchr(buf, 0, static_cast<size_t>(n))) {
      ::close(fd);
      throw Error("corpus file " + quoted(path) + " looks like a binary file: NUL byte at offset " +
                  std::to_string(data.size() + static_cast<size_t>(static_cast<const char*>(nul) - buf)));
    }
    if (data.empty()) data.reserve(static_cast<size_t>(info.st_size));
    data.append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  return data;
}

// Reads and checks one file; returns its text without a BOM and records it in `files`.
std::string load_file(const fs::path& path, std::vector<CorpusFile>& files) {
  std::string raw = read_regular_file(path);
  files.push_back({path, raw.size()});
  const size_t skip = raw.starts_with(kBom) ? kBom.size() : 0;
  require(raw.size() > skip, "corpus file " + quoted(path) + " is empty");
  std::string_view text(raw);
  text.remove_prefix(skip);
  if (const auto bad = utf8::find_invalid(text)) {
    char byte[8];
    std::snprintf(byte, sizeof byte, "0x%02X", static_cast<unsigned char>(text[bad->byte_offset]));
    throw Error("corpus file " + quoted(path) + " is not valid UTF-8: byte " + byte + " at offset " +
                std::to_string(bad->byte_offset + skip) + " (line " + std::to_string(bad->line) +
                ", column " + std::to_string(bad->column) + ")");
  }
  if (skip > 0) raw.erase(0, skip);
  return raw;
}

// Every *.txt entry under `root` that is not itself a real folder, sorted.
std::vector<fs::path> find_txt_files(const fs::path& root) {
  std::vector<fs::path> found;
  std::error_code ec;
  fs::recursive_directory_iterator it(root, ec);
  const auto fail = [&] { throw Error("cannot read corpus folder " + quoted(root) + ": " + ec.message()); };
  if (ec) fail();
  for (const fs::recursive_directory_iterator end; it != end;) {
    const fs::directory_entry& entry = *it;
    if (has_txt_extension(entry.path())) {
      std::error_code status_ec;
      const bool real_folder = entry.is_directory(status_ec) && !entry.is_symlink(status_ec);
      if (!real_folder) found.push_back(entry.path());
    }
    it.increment(ec);
    if (ec) fail();
  }
  std::sort(found.begin(), found.end());
  return found;
}

}  // namespace

Corpus load_corpus(const fs::path& path) {
  Corpus corpus;
  corpus.name = path.string();
  std::error_code ec;
  const fs::file_status status = fs::status(path, ec);
  if (status.type() == fs::file_type::not_found || ec == std::errc::not_a_directory)
    throw Error("corpus path " + quoted(path) + " does not exist");
  if (ec) throw Error("cannot read corpus path " + quoted(path) + ": " + ec.message());

  if (status.type() == fs::file_type::regular) {
    corpus.text = load_file(path, corpus.files);
    require(std::any_of(corpus.text.begin(), corpus.text.end(), [](char c) { return !is_whitespace(c); }),
            "corpus file " + quoted(path) + " contains only whitespace");
    return corpus;
  }
  require(status.type() == fs::file_type::directory,
          "corpus path " + quoted(path) + " is not a regular file or folder");

  const std::vector<fs::path> paths = find_txt_files(path);
  require(!paths.empty(), "corpus folder " + quoted(path) + " contains no .txt file");
  for (const fs::path& file : paths) {
    if (!corpus.text.empty() && corpus.text.back() != '\n') corpus.text += '\n';
    corpus.text += load_file(file, corpus.files);
  }
  require(std::any_of(corpus.text.begin(), corpus.text.end(), [](char c) { return !is_whitespace(c); }),
          "corpus folder " + quoted(path) + " contains only whitespace in its " +
              std::to_string(paths.size()) + " .txt file(s)");
  return corpus;
}

}  // namespace cllm
