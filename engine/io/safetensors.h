#pragma once
// The safetensors container (https://github.com/huggingface/safetensors): checkpoints in a format that
// other tools (Python `safetensors`, ...) read. Generic layer only: it knows nothing of models.
//
// Layout: 8-byte little-endian header length N; N bytes of UTF-8 JSON (an object, padded with trailing
// spaces); then the data block. Each non-"__metadata__" key maps to {"dtype", "shape", "data_offsets":
// [begin, end]} with byte offsets relative to the data-block start; "__metadata__" maps strings to strings.
//
// Byte order: tensor bytes are stored little-endian, and this module reads and writes them as the host's
// own bytes, so it assumes a little-endian host (x86-64).
//
// Our files add metadata "cllm.file_xxh3" as the header's first entry: 16 lowercase hex digits of
// XXH3_64bits of the whole file with those 16 digits read as '0' (length prefix, header, data), so any
// change to the header or the data is found. Files cllm wrote before carry "cllm.data_xxh3", which covers
// only the data block. The reader verifies whichever is present and reports what it covered
// (integrity()); files without either (written by other tools) load too, and callers decide whether to
// trust them.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <span>
#include <string>
#include <vector>

namespace cllm {

enum class DType { F32, F64, I32, I64, U8 };
size_t dtype_size(DType dtype);
std::string dtype_name(DType dtype);  // "F32", ... as spelled in the file

// A tensor to write: the caller keeps `data` alive during the call.
struct TensorToWrite {
  std::string name;
  DType dtype;
  std::vector<int64_t> shape;  // [] is a scalar (one element); a 0 anywhere means no elements
  const void* data;            // exactly product(shape) * dtype_size bytes; may be null when that is 0
};
using Metadata = std::map<std::string, std::string>;

// The metadata keys of the checksums; written by write_safetensors, never by the caller.
inline constexpr const char* kFileChecksumKey = "cllm.file_xxh3";
inline constexpr const char* kDataChecksumKey = "cllm.data_xxh3";  // only in files of older versions

// What a file's checksum covered.
enum class Integrity { kNone, kDataOnly, kWholeFile };

// Writes atomically through AtomicFileWriter (util/atomic_file.h): temp file, fsync, rename; on any
// failure the previous file at `path`, if any, is unchanged.
// Tensors are laid out contiguously in the given order. The JSON header is padded with spaces so the data
// block starts at a multiple of 64 bytes from the start of the file; a tensor's own offset is aligned only
// as far as the sizes of the tensors before it allow (strict readers reject gaps between tensors).
// Adds metadata kFileChecksumKey. Throws cllm::Error on duplicate or empty names, a name "__metadata__", a
// caller-supplied checksum key, names or metadata that are not valid UTF-8, a negative dimension, a
// rank above 8, a null `data` for a non-empty tensor, or I/O failure.
void write_safetensors(const std::filesystem::path& path, const std::vector<TensorToWrite>& tensors,
                       const Metadata& metadata);

struct TensorInfo {
  std::string name;
  DType dtype;
  std::vector<int64_t> shape;
  size_t offset;  // bytes from the data-block start
  size_t nbytes;
};

// A whole file, read into memory and validated (checkpoints are at most a few hundred MB). Every failure
// throws cllm::Error whose message starts with the quoted path and says exactly what is wrong (offset,
// field, tensor name, expected vs found). Immutable once opened; movable.
class SafetensorsFile {
 public:
  static SafetensorsFile open(const std::filesystem::path& path);

  const std::filesystem::path& path() const { return path_; }
  // Everything in "__metadata__", including the checksum keys the file has (so strip them before passing
  // the map back to write_safetensors).
  const Metadata& metadata() const { return metadata_; }
  // What open() verified with the file's checksum.
  Integrity integrity() const { return integrity_; }
  // In data-offset order; ties (only empty tensors can tie) by name.
  const std::vector<TensorInfo>& tensors() const { return tensors_; }
  bool has(const std::string& name) const;
  const TensorInfo& info(const std::string& name) const;  // throws "'<path>' has no tensor 'x'"

  // Raw bytes of a tensor after checking its dtype and shape against what the caller expects; throws
  // "'<path>': tensor 'x' has shape [3, 4], expected [4, 4]" (or "has dtype F64, expected F32").
  // The span lives as long as this object. It is only as aligned as the tensor's offset in the file:
  // the block starts 16-byte aligned in memory, so reinterpret it as T only when offset % sizeof(T) == 0
  // (always true for files holding only 4-byte types); otherwise copy (read_f32 does).
  std::span<const std::byte> data(const std::string& name, DType dtype,
                                  const std::vector<int64_t>& shape) const;
  std::vector<float> read_f32(const std::string& name, const std::vector<int64_t>& shape) const;

 private:
  SafetensorsFile() = default;

  std::filesystem::path path_;
  Metadata metadata_;
  Integrity integrity_ = Integrity::kNone;
  std::vector<TensorInfo> tensors_;
  std::map<std::string, size_t> index_;  // name -> position in tensors_
  std::vector<std::byte> data_;          // the data block
};

}  // namespace cllm
