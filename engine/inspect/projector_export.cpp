#include "inspect/projector_export.h"

#include <cctype>
#include <charconv>
#include <system_error>

#include "util/atomic_file.h"
#include "util/error.h"

namespace cllm {
namespace {

// Buffered rows: one write per ~64 KB keeps large tables (50k tokens x 768) fast.
class TsvWriter {
 public:
  explicit TsvWriter(const std::filesystem::path& path) : file_(path) {}
  void text(std::string_view s) {
    buffer_ += s;
    if (buffer_.size() >= (1u << 16)) flush();
  }
  void number(float v) {
    char buf[32];
    const auto result = std::to_chars(buf, buf + sizeof buf, v);  // shortest round-trip form
    text(std::string_view(buf, static_cast<size_t>(result.ptr - buf)));
  }
  void commit() {
    flush();
    file_.commit();
  }

 private:
  void flush() {
    file_.write(buffer_);
    buffer_.clear();
  }
  AtomicFileWriter file_;
  std::string buffer_;
};

void write_rows(TsvWriter& out, const float* values, int n, int columns) {
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j < columns; ++j) {
      if (j) out.text("\t");
      out.number(values[static_cast<size_t>(i) * columns + j]);
    }
    out.text("\n");
  }
}

void check_projection_name(const std::string& name) {
  bool ok = !name.empty();
  for (const char c : name) ok = ok && (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_');
  require(ok,
          "projection name \"" + name + "\" must be letters, digits, '-' or '_' (it becomes a file name)");
}

}  // namespace

std::string tsv_field(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    if (c == '\t')
      out += "\\t";
    else if (c == '\n')
      out += "\\n";
    else if (c == '\r')
      out += "\\r";
    else
      out += c;
  }
  return out;
}

void write_vectors_tsv(const std::filesystem::path& path, const float* rows, int n, int d) {
  require(rows != nullptr && n >= 1 && d >= 1, "cannot save '" + path.string() + "': no vectors to write");
  TsvWriter out(path);
  write_rows(out, rows, n, d);
  out.commit();
}

void write_metadata_tsv(const std::filesystem::path& path, std::span<const TokenInfo> tokens) {
  TsvWriter out(path);
  out.text("token\tid\tprime\tclock_class\tfrequency\n");
  for (const TokenInfo& t : tokens) {
    out.text(tsv_field(t.label) + "\t" + std::to_string(t.id) + "\t" + std::to_string(t.prime) + "\t" +
             std::to_string(t.clock_class) + "\t" + (t.frequency >= 0 ? std::to_string(t.frequency) : "") +
             "\n");
  }
  out.commit();
}

void write_projection_tsv(const std::filesystem::path& path, const Projection& projection, int n) {
  require(projection.dims == 2 || projection.dims == 3, "projection \"" + projection.name + "\" has " +
                                                            std::to_string(projection.dims) +
                                                            " dimensions (2 or 3)");
  require(projection.coordinates.size() == static_cast<size_t>(n) * static_cast<size_t>(projection.dims),
          "projection \"" + projection.name + "\" has " + std::to_string(projection.coordinates.size()) +
              " coordinates for " + std::to_string(n) + " points in " + std::to_string(projection.dims) +
              "-D");
  TsvWriter out(path);
  out.text(projection.dims == 3 ? "x\ty\tz\n" : "x\ty\n");
  write_rows(out, projection.coordinates.data(), n, projection.dims);
  out.commit();
}

ProjectorFiles export_projector(const std::filesystem::path& dir, const float* rows, int n, int d,
                                std::span<const TokenInfo> tokens, const Projection* projection) {
  require(tokens.size() == static_cast<size_t>(n), "projector export: " + std::to_string(tokens.size()) +
                                                       " metadata rows for " + std::to_string(n) +
                                                       " vectors");
  if (projection) check_projection_name(projection->name);
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  require(!ec, "cannot create the folder '" + dir.string() + "': " + ec.message());
  ProjectorFiles files{dir / "vectors.tsv", dir / "metadata.tsv", {}};
  write_vectors_tsv(files.vectors, rows, n, d);
  write_metadata_tsv(files.metadata, tokens);
  if (projection) {
    files.projection = dir / ("projection-" + projection->name + ".tsv");
    write_projection_tsv(files.projection, *projection, n);
  }
  return files;
}

}  // namespace cllm
