#include "io/safetensors.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>

#include <algorithm>
#include <bit>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <limits>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string_view>

#include "io/quote.h"
#include "io/strict_json.h"
#include "text/utf8.h"
#include "util/atomic_file.h"
#include "util/error.h"

namespace cllm {

// Offsets and sizes in the file are 64-bit, and tensor bytes are copied as they are, which is right only on
// a little-endian host (x86-64).
static_assert(sizeof(size_t) == 8, "safetensors offsets are 64-bit");
static_assert(std::endian::native == std::endian::little, "safetensors stores little-endian values");

namespace {

using json = nlohmann::json;

constexpr const char* kMetadataKey = "__metadata__";
constexpr uint64_t kMaxHeaderBytes = 100ull * 1024 * 1024;  // the reference implementation's limit
constexpr size_t kMaxRank = 8;
// Top-level object > tensor entry or __metadata__ > shape or data_offsets array. Refusing deeper nesting
// while parsing rejects a pathological header ({"a":[[[[...) before it costs memory and time.
constexpr size_t kMaxDepth = 3;
// Entries in one object of the header: far more tensors than any model has (a 70B-parameter model has a
// few thousand), far fewer than a 100 MB header can name.
constexpr size_t kMaxEntries = 100000;
// The data block starts at a multiple of this in the file, so a reader that maps the file gets it aligned.
constexpr size_t kDataAlignment = 64;

const DType kAllDTypes[] = {DType::F32, DType::F64, DType::I32, DType::I64, DType::U8};

std::optional<DType> dtype_from_name(std::string_view name) {
  for (DType d : kAllDTypes)
    if (dtype_name(d) == name) return d;
  return std::nullopt;
}

// A JSON value as it appeared, for "found ..." in messages.
std::string describe(const json& value) {
  std::string text = value.dump();
  if (text.size() > 60) text = text.substr(0, utf8::complete_prefix_length(text.substr(0, 60))) + "...";
  return std::string(value.type_name()) + " " + text;
}

std::string shape_string(const std::vector<int64_t>& shape) {
  std::string out = "[";
  for (size_t i = 0; i < shape.size(); ++i) out += (i ? ", " : "") + std::to_string(shape[i]);
  return out + "]";
}

std::string hex16(uint64_t value) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(value));
  return buf;
}

// What precedes the whole-file checksum's 16 digits in a header cllm wrote.
constexpr std::string_view kChecksumLead = R"({"__metadata__":{"cllm.file_xxh3":")";

// XXH3-64 over pieces of bytes.
class Xxh3Stream {
 public:
  Xxh3Stream() : state_(XXH3_createState(), &XXH3_freeState) {
    if (!state_) throw std::bad_alloc();
    XXH3_64bits_reset(state_.get());
  }
  void update(const void* bytes, size_t size) {
    if (size > 0) XXH3_64bits_update(state_.get(), bytes, size);
  }
  uint64_t digest() const { return XXH3_64bits_digest(state_.get()); }

 private:
  std::unique_ptr<XXH3_state_t, decltype(&XXH3_freeState)> state_;
};

// A checksum entry's value, once it is known to be 16 lowercase hex digits.
const std::string& require_hex16(const std::pair<const std::string, std::string>& entry,
                                 const std::string& where) {
  const std::string& value = entry.second;
  if (value.size() != 16 || value.find_first_not_of("0123456789abcdef") != std::string::npos)
    throw Error(where + "metadata '" + entry.first + "' is " + quote(value) +
                ", expected 16 lowercase hex digits");
  return value;
}

// product(shape) * dtype_size, or nothing when it overflows. Dimensions must be non-negative.
std::optional<size_t> byte_size(const std::vector<int64_t>& shape, DType dtype) {
  size_t n = dtype_size(dtype);
  for (int64_t d : shape)
    if (__builtin_mul_overflow(n, static_cast<uint64_t>(d), &n)) return std::nullopt;
  return n;
}

// ---------------------------------------------------------------------------------------------------
// Reading

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

// Reads exactly `size` bytes at `offset`; the caller has checked the file is long enough, so a short read
// means the file changed underneath us.
void read_exact(int fd, uint64_t offset, void* out, size_t size, const std::string& where) {
  auto* p = static_cast<char*>(out);
  while (size > 0) {
    const ssize_t n = ::pread(fd, p, size, static_cast<off_t>(offset));
    if (n < 0) {
      if (errno == EINTR) continue;
      throw Error(where + "read failed at offset " + std::to_string(offset) + ": " + std::strerror(errno));
    }
    if (n == 0)
      throw Error(where + "file ended at offset " + std::to_string(offset) +
                  " while reading (was it changed while being read?)");
    p += n;
    offset += static_cast<uint64_t>(n);
    size -= static_cast<size_t>(n);
  }
}

// A non-negative integer that fits in int64 (so also in size_t), or nothing.
std::optional<uint64_t> as_count(const json& value) {
  if (!value.is_number_unsigned()) return std::nullopt;  // nlohmann parses every n >= 0 as unsigned
  const uint64_t n = value.get<uint64_t>();
  if (n > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) return std::nullopt;
  return n;
}

TensorInfo parse_tensor_entry(const std::string& name, const json& entry, const std::string& where) {
  const std::string tensor = where + "tensor " + quote(name);
  if (!entry.is_object())
    throw Error(tensor + ": entry is " + describe(entry) +
                ", expected an object with dtype, shape and data_offsets");
  for (const auto& [field, value] : entry.items())
    if (field != "dtype" && field != "shape" && field != "data_offsets")
      throw Error(tensor + " has unexpected field " + quote(field) +
                  " (expected exactly dtype, shape and data_offsets)");
  for (const char* field : {"dtype", "shape", "data_offsets"})
    if (!entry.contains(field)) throw Error(tensor + " lacks field '" + field + "'");

  TensorInfo info;
  info.name = name;

  const json& dtype = entry["dtype"];
  if (!dtype.is_string()) throw Error(tensor + ": dtype is " + describe(dtype) + ", expected a string");
  const std::optional<DType> parsed_dtype = dtype_from_name(dtype.get_ref<const std::string&>());
  if (!parsed_dtype)
    throw Error(tensor + " has unsupported dtype " + quote(dtype.get_ref<const std::string&>()) +
                " (supported: F32, F64, I32, I64, U8)");
  info.dtype = *parsed_dtype;

  const json& shape = entry["shape"];
  if (!shape.is_array())
    throw Error(tensor + ": shape is " + describe(shape) + ", expected an array of non-negative integers");
  if (shape.size() > kMaxRank)
    throw Error(tensor + ": shape has " + std::to_string(shape.size()) +
                " dimensions, more than the limit of " + std::to_string(kMaxRank));
  for (size_t i = 0; i < shape.size(); ++i) {
    const std::optional<uint64_t> dim = as_count(shape[i]);
    if (!dim)
      throw Error(tensor + ": shape[" + std::to_string(i) + "] is " + describe(shape[i]) +
                  ", expected a non-negative integer below 2^63");
    info.shape.push_back(static_cast<int64_t>(*dim));
  }

  const json& offsets = entry["data_offsets"];
  if (!offsets.is_array() || offsets.size() != 2)
    throw Error(tensor + ": data_offsets is " + describe(offsets) + ", expected [begin, end]");
  uint64_t range[2];
  for (size_t i = 0; i < 2; ++i) {
    const std::optional<uint64_t> v = as_count(offsets[i]);
    if (!v)
      throw Error(tensor + ": data_offsets[" + std::to_string(i) + "] is " + describe(offsets[i]) +
                  ", expected a non-negative integer below 2^63");
    range[i] = *v;
  }
  if (range[0] > range[1])
    throw Error(tensor + ": data_offsets [" + std::to_string(range[0]) + ", " + std::to_string(range[1]) +
                "] has begin after end");

  const std::optional<size_t> nbytes = byte_size(info.shape, info.dtype);
  if (!nbytes)
    throw Error(tensor + ": shape " + shape_string(info.shape) + " of " + dtype_name(info.dtype) +
                " is too large (its byte size overflows 64 bits)");
  if (range[1] - range[0] != *nbytes)
    throw Error(tensor + ": data_offsets [" + std::to_string(range[0]) + ", " + std::to_string(range[1]) +
                "] span " + std::to_string(range[1] - range[0]) + " bytes but shape " +
                shape_string(info.shape) + " of " + dtype_name(info.dtype) + " needs " +
                std::to_string(*nbytes));
  info.offset = range[0];
  info.nbytes = *nbytes;
  return info;
}

Metadata parse_metadata(const json& object, const std::string& where) {
  if (!object.is_object())
    throw Error(where + "__metadata__ is " + describe(object) + ", expected an object of strings");
  Metadata metadata;
  for (const auto& [key, value] : object.items()) {
    if (!value.is_string())
      throw Error(where + "__metadata__ entry " + quote(key) + " is " + describe(value) +
                  ", expected a string");
    metadata.emplace(key, value.get<std::string>());
  }
  return metadata;
}

// Tensors must tile the data block exactly, in offset order: [0, a), [a, b), ... Empty tensors sit
// anywhere on the boundaries.
void check_contiguous(const std::vector<TensorInfo>& sorted, const std::string& where) {
  size_t cursor = 0;
  for (size_t i = 0; i < sorted.size(); ++i) {
    const TensorInfo& t = sorted[i];
    const std::string range =
        "[" + std::to_string(t.offset) + ", " + std::to_string(t.offset + t.nbytes) + ")";
    if (t.offset > cursor) {
      if (i == 0)
        throw Error(where + "the data block does not start with a tensor: the first, " + quote(t.name) +
                    ", starts at byte " + std::to_string(t.offset) + ", expected 0");
      throw Error(where + "hole of " + std::to_string(t.offset - cursor) +
                  " bytes in the data block between tensor " + quote(sorted[i - 1].name) + " (ends at " +
                  std::to_string(cursor) + ") and tensor " + quote(t.name) + " (starts at " +
                  std::to_string(t.offset) + ")");
    }
    if (t.offset < cursor) {
      const TensorInfo& prev = sorted[i - 1];
      throw Error(where + "tensors " + quote(prev.name) + " [" + std::to_string(prev.offset) + ", " +
                  std::to_string(cursor) + ") and " + quote(t.name) + " " + range +
                  " overlap in the data block");
    }
    cursor = t.offset + t.nbytes;
  }
}

}  // namespace

size_t dtype_size(DType dtype) {
  switch (dtype) {
    case DType::F32:
      return 4;
    case DType::F64:
      return 8;
    case DType::I32:
      return 4;
    case DType::I64:
      return 8;
    case DType::U8:
      return 1;
  }
  throw Error("internal: invalid DType " + std::to_string(static_cast<int>(dtype)));
}

std::string dtype_name(DType dtype) {
  switch (dtype) {
    case DType::F32:
      return "F32";
    case DType::F64:
      return "F64";
    case DType::I32:
      return "I32";
    case DType::I64:
      return "I64";
    case DType::U8:
      return "U8";
  }
  throw Error("internal: invalid DType " + std::to_string(static_cast<int>(dtype)));
}

SafetensorsFile SafetensorsFile::open(const std::filesystem::path& path) {
  const std::string where = "'" + path.string() + "': ";
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) throw Error(where + "cannot open: " + std::strerror(errno));
  struct stat st;
  if (::fstat(fd.get(), &st) != 0) throw Error(where + "cannot stat: " + std::strerror(errno));
  if (!S_ISREG(st.st_mode)) throw Error(where + "not a regular file");
  const uint64_t file_size = static_cast<uint64_t>(st.st_size);

  if (file_size < 8)
    throw Error(where + "file is " + std::to_string(file_size) +
                " bytes, too short for the 8-byte header length of a safetensors file");
  unsigned char prefix[8];
  read_exact(fd.get(), 0, prefix, 8, where);
  uint64_t header_size = 0;
  for (int i = 7; i >= 0; --i) header_size = (header_size << 8) | prefix[i];
  if (header_size == 0) throw Error(where + "header length (at offset 0) is 0, expected a JSON object");
  if (header_size > kMaxHeaderBytes)
    throw Error(where + "header length " + std::to_string(header_size) +
                " (at offset 0) exceeds the limit of " + std::to_string(kMaxHeaderBytes) + " bytes");
  if (header_size > file_size - 8)
    throw Error(where + "header length " + std::to_string(header_size) +
                " (at offset 0) runs past the end of the " + std::to_string(file_size) +
                "-byte file: truncated, or not a safetensors file");

  std::string header(header_size, '\0');
  read_exact(fd.get(), 8, header.data(), header.size(), where);
  if (const auto bad = utf8::find_invalid(header))
    throw Error(where + "header is not valid UTF-8: byte " +
                hex_byte(static_cast<unsigned char>(header[bad->byte_offset])) + " at file offset " +
                std::to_string(8 + bad->byte_offset));
  // nlohmann stops at a NUL byte as if the input ended there, so whatever followed would go unchecked.
  if (const size_t nul = header.find('\0'); nul != std::string::npos)
    throw Error(where + "header has a NUL byte at file offset " + std::to_string(8 + nul) +
                " (JSON allows none; padding must be spaces)");
  if (header[0] != '{') {
    const auto c = static_cast<unsigned char>(header[0]);
    const std::string found =
        c >= 0x21 && c < 0x7F ? "'" + std::string(1, header[0]) + "'" : "byte " + hex_byte(c);
    throw Error(where + "header is not a JSON object: it starts with " + found +
                " at file offset 8, expected '{'");
  }
  const json root = parse_strict_json(header, where, "header", {kMaxDepth, kMaxEntries}, /*file_offset=*/8);
  require(root.is_object(), where + "header is not a JSON object");

  SafetensorsFile file;
  file.path_ = path;
  for (const auto& [key, value] : root.items()) {
    if (key == kMetadataKey)
      file.metadata_ = parse_metadata(value, where);
    else
      file.tensors_.push_back(parse_tensor_entry(key, value, where));
  }
  std::stable_sort(file.tensors_.begin(), file.tensors_.end(), [](const TensorInfo& a, const TensorInfo& b) {
    return a.offset != b.offset ? a.offset < b.offset : a.nbytes < b.nbytes;
  });
  check_contiguous(file.tensors_, where);
  for (size_t i = 0; i < file.tensors_.size(); ++i) file.index_.emplace(file.tensors_[i].name, i);

  // Compare sizes before reading the data so a truncated file is reported as such.
  const uint64_t data_size =
      file.tensors_.empty() ? 0 : file.tensors_.back().offset + file.tensors_.back().nbytes;
  const uint64_t available = file_size - 8 - header_size;
  if (data_size != available) {
    // No overflow: offsets are below 2^63 and the header below 100 MB.
    std::string message = where + "file is " + std::to_string(file_size) +
                          " bytes but its header describes " + std::to_string(8 + header_size + data_size) +
                          " (8 + " + std::to_string(header_size) + " header + " + std::to_string(data_size) +
                          " data)";
    if (data_size > available)
      message += ": truncated";
    else
      message +=
          ": " + std::to_string(available - data_size) + " unexpected trailing bytes after the data block";
    throw Error(message);
  }

  file.data_.resize(data_size);
  read_exact(fd.get(), 8 + header_size, file.data_.data(), file.data_.size(), where);

  if (const auto it = file.metadata_.find(kDataChecksumKey); it != file.metadata_.end()) {
    const std::string& stored = require_hex16(*it, where);
    const std::string actual = hex16(XXH3_64bits(file.data_.data(), file.data_.size()));
    if (actual != stored)
      throw Error(where + "checksum mismatch: the weights are corrupt (XXH3 of the " +
                  std::to_string(data_size) + "-byte data block is " + actual + ", the header records " +
                  stored + ")");
    file.integrity_ = Integrity::kDataOnly;
  }
  if (const auto it = file.metadata_.find(kFileChecksumKey); it != file.metadata_.end()) {
    const std::string& stored = require_hex16(*it, where);
    if (header.compare(0, kChecksumLead.size(), kChecksumLead) != 0 ||
        header.compare(kChecksumLead.size(), stored.size(), stored) != 0)
      throw Error(where + "metadata '" + kFileChecksumKey +
                  "' is not the first entry of the header, where cllm writes it (was the file rewritten by "
                  "another tool?)");
    header.replace(kChecksumLead.size(), stored.size(), stored.size(), '0');
    Xxh3Stream hash;
    hash.update(prefix, sizeof prefix);
    hash.update(header.data(), header.size());
    hash.update(file.data_.data(), file.data_.size());
    const std::string actual = hex16(hash.digest());
    if (actual != stored)
      throw Error(where +
                  "checksum mismatch: the file is corrupt or was changed after it was saved (XXH3 of its " +
                  std::to_string(file_size) + " bytes is " + actual + ", the header records " + stored + ")");
    file.integrity_ = Integrity::kWholeFile;
  }
  return file;
}

bool SafetensorsFile::has(const std::string& name) const {
  return index_.count(name) != 0;
}

const TensorInfo& SafetensorsFile::info(const std::string& name) const {
  const auto it = index_.find(name);
  if (it == index_.end()) throw Error("'" + path_.string() + "' has no tensor " + quote(name));
  return tensors_[it->second];
}

std::span<const std::byte> SafetensorsFile::data(const std::string& name, DType dtype,
                                                 const std::vector<int64_t>& shape) const {
  const TensorInfo& t = info(name);
  const std::string tensor = "'" + path_.string() + "': tensor " + quote(name);
  if (t.dtype != dtype)
    throw Error(tensor + " has dtype " + dtype_name(t.dtype) + ", expected " + dtype_name(dtype));
  if (t.shape != shape)
    throw Error(tensor + " has shape " + shape_string(t.shape) + ", expected " + shape_string(shape));
  return std::span<const std::byte>(data_.data() + t.offset, t.nbytes);
}

std::vector<float> SafetensorsFile::read_f32(const std::string& name,
                                             const std::vector<int64_t>& shape) const {
  const std::span<const std::byte> bytes = data(name, DType::F32, shape);
  std::vector<float> out(bytes.size() / sizeof(float));
  if (!bytes.empty()) std::memcpy(out.data(), bytes.data(), bytes.size());  // little-endian host
  return out;
}

// ---------------------------------------------------------------------------------------------------
// Writing

void write_safetensors(const std::filesystem::path& path, const std::vector<TensorToWrite>& tensors,
                       const Metadata& metadata) {
  const std::string where = "cannot save '" + path.string() + "': ";
  const auto require_utf8 = [&](const std::string& text, const std::string& what) {
    if (const auto bad = utf8::find_invalid(text))
      throw Error(where + what + " " + quote(text) + " is not valid UTF-8 (at byte " +
                  std::to_string(bad->byte_offset) + ")");
  };

  for (const auto& [key, value] : metadata) {
    if (key == kFileChecksumKey || key == kDataChecksumKey)
      throw Error(where + "metadata key '" + key + "' is reserved for the checksum");
    require_utf8(key, "metadata key");
    require_utf8(value, "metadata value of " + quote(key) + ",");
  }

  std::set<std::string_view> names;
  std::vector<size_t> sizes;
  size_t total = 0;
  for (const TensorToWrite& t : tensors) {
    const std::string tensor = where + "tensor " + quote(t.name);
    if (t.name.empty()) throw Error(where + "a tensor has an empty name");
    if (t.name == kMetadataKey) throw Error(where + "a tensor may not be named '__metadata__'");
    require_utf8(t.name, "tensor name");
    if (!names.insert(t.name).second) throw Error(where + "duplicate tensor name " + quote(t.name));
    if (t.shape.size() > kMaxRank)
      throw Error(tensor + " has " + std::to_string(t.shape.size()) + " dimensions, more than the limit of " +
                  std::to_string(kMaxRank));
    for (int64_t d : t.shape)
      if (d < 0) throw Error(tensor + " has a negative dimension in shape " + shape_string(t.shape));
    const std::optional<size_t> nbytes = byte_size(t.shape, t.dtype);
    if (!nbytes || __builtin_add_overflow(total, *nbytes, &total))
      throw Error(tensor + ": shape " + shape_string(t.shape) + " is too large");
    if (*nbytes > 0 && t.data == nullptr) throw Error(tensor + " has no data");
    sizes.push_back(*nbytes);
  }

  // ordered_json keeps __metadata__ first and the tensors in file order, for people reading the header.
  nlohmann::ordered_json header = nlohmann::ordered_json::object();
  nlohmann::ordered_json meta = nlohmann::ordered_json::object();
  meta[kFileChecksumKey] = std::string(16, '0');  // first, so readers find it at kChecksumLead's end
  for (const auto& [key, value] : metadata) meta[key] = value;
  header[kMetadataKey] = std::move(meta);
  size_t offset = 0;
  for (size_t i = 0; i < tensors.size(); ++i) {
    nlohmann::ordered_json entry = nlohmann::ordered_json::object();
    entry["dtype"] = dtype_name(tensors[i].dtype);
    entry["shape"] = tensors[i].shape;
    entry["data_offsets"] = nlohmann::ordered_json::array({offset, offset + sizes[i]});
    header[tensors[i].name] = std::move(entry);
    offset += sizes[i];
  }
  std::string text = header.dump();
  // Pad with spaces (JSON whitespace) so the data block starts on a kDataAlignment boundary in the file.
  const size_t padded = (8 + text.size() + kDataAlignment - 1) / kDataAlignment * kDataAlignment - 8;
  text.resize(padded, ' ');
  if (text.size() > kMaxHeaderBytes)
    throw Error(where + "the header would be " + std::to_string(text.size()) + " bytes, over the limit of " +
                std::to_string(kMaxHeaderBytes));

  unsigned char prefix[8];
  for (int i = 0; i < 8; ++i)
    prefix[i] = static_cast<unsigned char>(static_cast<uint64_t>(text.size()) >> (8 * i));
  require(text.compare(0, kChecksumLead.size(), kChecksumLead) == 0, "internal: the checksum is not first");
  Xxh3Stream hash;
  hash.update(prefix, sizeof prefix);
  hash.update(text.data(), text.size());
  for (size_t i = 0; i < tensors.size(); ++i) hash.update(tensors[i].data, sizes[i]);
  text.replace(kChecksumLead.size(), 16, hex16(hash.digest()));

  AtomicFileWriter writer(path);
  writer.write(prefix, sizeof prefix);
  writer.write(text);
  for (size_t i = 0; i < tensors.size(); ++i)
    if (sizes[i] > 0) writer.write(tensors[i].data, sizes[i]);
  writer.commit();
}

}  // namespace cllm
