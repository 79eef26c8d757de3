// Writing and reading valid files: round trips, the exact byte layout, the accessors, and the writer's
// refusals (which must leave an existing file untouched).

#include "io/safetensors.h"

#include <gtest/gtest.h>
#include <xxhash.h>

#include <cstring>
#include <nlohmann/json.hpp>

#include "safetensors_test_util.h"
#include "util/error.h"

namespace cllm {
namespace {

using test::TempDir;
namespace fs = std::filesystem;

template <typename T>
std::string bytes_of(const std::vector<T>& values) {
  return std::string(reinterpret_cast<const char*>(values.data()), values.size() * sizeof(T));
}

std::string bytes_of(std::span<const std::byte> span) {
  return std::string(reinterpret_cast<const char*>(span.data()), span.size());
}

std::string hex16(uint64_t value) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(value));
  return buf;
}

size_t count_files(const fs::path& dir) {
  return static_cast<size_t>(std::distance(fs::directory_iterator(dir), fs::directory_iterator()));
}

TEST(SafetensorsDType, SizesAndNames) {
  EXPECT_EQ(dtype_size(DType::F32), 4u);
  EXPECT_EQ(dtype_size(DType::F64), 8u);
  EXPECT_EQ(dtype_size(DType::I32), 4u);
  EXPECT_EQ(dtype_size(DType::I64), 8u);
  EXPECT_EQ(dtype_size(DType::U8), 1u);
  EXPECT_EQ(dtype_name(DType::F32), "F32");
  EXPECT_EQ(dtype_name(DType::F64), "F64");
  EXPECT_EQ(dtype_name(DType::I32), "I32");
  EXPECT_EQ(dtype_name(DType::I64), "I64");
  EXPECT_EQ(dtype_name(DType::U8), "U8");
}

// Several dtypes, a scalar, empty tensors and an odd-sized tensor that leaves the next one unaligned.
struct Sample {
  std::vector<float> embedding = {-1.0f, -0.5f, 0.0f, 0.5f, 1.0f, 1.5f, 2.0f, 2.5f, 3.0f, 3.5f, 4.0f, 1e-30f};
  std::vector<int32_t> counts = {0, -1, 2147483647, -2147483647 - 1, 42};
  std::vector<double> table = {3.141592653589793, -0.0, 1e300, 2.5};
  std::vector<uint8_t> bytes = {0, 1, 127, 128, 200, 255, 7};
  std::vector<int64_t> step = {-9000000000000000000};

  std::vector<TensorToWrite> tensors() const {
    return {{"embedding", DType::F32, {3, 4}, embedding.data()},
            {"counts", DType::I32, {5}, counts.data()},
            {"table", DType::F64, {2, 2}, table.data()},
            {"bytes", DType::U8, {7}, bytes.data()},
            {"step", DType::I64, {}, step.data()},
            {"empty", DType::F32, {0}, nullptr},
            {"empty2d", DType::I32, {3, 0}, nullptr}};
  }
};

TEST(Safetensors, RoundTripKeepsEveryByte) {
  TempDir dir("roundtrip");
  const fs::path file = dir / "model.safetensors";
  const Sample s;
  const Metadata metadata = {
      {"model", "tiny"}, {"note", "h\xC3\xA9llo \xE2\x9C\x93"}, {"config", "{\"a\": [1, 2]}"}};
  write_safetensors(file, s.tensors(), metadata);

  const SafetensorsFile f = SafetensorsFile::open(file);
  EXPECT_EQ(f.path(), file);
  Metadata expected_metadata = metadata;
  expected_metadata[kFileChecksumKey] = f.metadata().at(kFileChecksumKey);
  EXPECT_EQ(f.metadata(), expected_metadata);
  EXPECT_EQ(f.integrity(), Integrity::kWholeFile);

  // Offsets by hand: 48 + 20 + 32 + 7 + 8 bytes, laid out in the given order; empties at the end.
  struct Expected {
    const char* name;
    DType dtype;
    std::vector<int64_t> shape;
    size_t offset, nbytes;
  };
  const std::vector<Expected> expected = {
      {"embedding", DType::F32, {3, 4}, 0, 48}, {"counts", DType::I32, {5}, 48, 20},
      {"table", DType::F64, {2, 2}, 68, 32},    {"bytes", DType::U8, {7}, 100, 7},
      {"step", DType::I64, {}, 107, 8},         {"empty", DType::F32, {0}, 115, 0},
      {"empty2d", DType::I32, {3, 0}, 115, 0}};
  ASSERT_EQ(f.tensors().size(), expected.size());
  for (size_t i = 0; i < expected.size(); ++i) {
    SCOPED_TRACE(expected[i].name);
    const TensorInfo& t = f.tensors()[i];
    EXPECT_EQ(t.name, expected[i].name);
    EXPECT_EQ(t.dtype, expected[i].dtype);
    EXPECT_EQ(t.shape, expected[i].shape);
    EXPECT_EQ(t.offset, expected[i].offset);
    EXPECT_EQ(t.nbytes, expected[i].nbytes);
    EXPECT_TRUE(f.has(t.name));
    EXPECT_EQ(&f.info(t.name), &t);
  }

  EXPECT_EQ(bytes_of(f.data("embedding", DType::F32, {3, 4})), bytes_of(s.embedding));
  EXPECT_EQ(bytes_of(f.data("counts", DType::I32, {5})), bytes_of(s.counts));
  EXPECT_EQ(bytes_of(f.data("table", DType::F64, {2, 2})), bytes_of(s.table));
  EXPECT_EQ(bytes_of(f.data("bytes", DType::U8, {7})), bytes_of(s.bytes));
  EXPECT_EQ(bytes_of(f.data("step", DType::I64, {})), bytes_of(s.step));
  EXPECT_TRUE(f.data("empty", DType::F32, {0}).empty());
  EXPECT_TRUE(f.data("empty2d", DType::I32, {3, 0}).empty());
  EXPECT_EQ(f.read_f32("embedding", {3, 4}), s.embedding);
  EXPECT_TRUE(f.read_f32("empty", {0}).empty());
}

TEST(Safetensors, ByteLayoutFollowsTheSpec) {
  TempDir dir("layout");
  const fs::path file = dir / "a.safetensors";
  const std::vector<float> a = {1.0f, 2.0f, 3.0f, 4.0f, 5.0f, 6.0f};
  const std::vector<uint8_t> b = {9, 8, 7};
  const std::vector<int64_t> c = {-2};
  // Deliberately not alphabetical: the file keeps the caller's order.
  write_safetensors(file,
                    {{"zeta", DType::F32, {2, 3}, a.data()},
                     {"beta", DType::U8, {3}, b.data()},
                     {"alpha", DType::I64, {}, c.data()}},
                    {{"k", "v"}});

  const std::string raw = test::read_bytes(file);
  ASSERT_GE(raw.size(), 8u);
  const uint64_t n = test::read_le64(raw);
  EXPECT_EQ((8 + n) % 64, 0u) << "the data block must start 64-byte aligned";
  ASSERT_EQ(raw.size(), 8 + n + 24 + 3 + 8);
  const std::string header = raw.substr(8, n);
  const std::string data = raw.substr(8 + n);

  ASSERT_EQ(header.front(), '{');
  const size_t close = header.find_last_of('}');
  EXPECT_EQ(header.find_first_not_of(' ', close + 1), std::string::npos) << "only spaces may pad the header";
  EXPECT_LT(header.size() - (close + 1), 64u) << "no more padding than alignment needs";
  EXPECT_LT(header.find("\"__metadata__\""), header.find("\"zeta\""));
  EXPECT_LT(header.find("\"zeta\""), header.find("\"beta\""));
  EXPECT_LT(header.find("\"beta\""), header.find("\"alpha\""));

  const nlohmann::json j = nlohmann::json::parse(header);
  ASSERT_TRUE(j.is_object());
  EXPECT_EQ(j.size(), 4u);
  EXPECT_EQ(j.at("zeta"), nlohmann::json::parse(R"({"dtype":"F32","shape":[2,3],"data_offsets":[0,24]})"));
  EXPECT_EQ(j.at("beta"), nlohmann::json::parse(R"({"dtype":"U8","shape":[3],"data_offsets":[24,27]})"));
  EXPECT_EQ(j.at("alpha"), nlohmann::json::parse(R"({"dtype":"I64","shape":[],"data_offsets":[27,35]})"));

  EXPECT_EQ(data, bytes_of(a) + bytes_of(b) + bytes_of(c));
  // The checksum is the header's first entry; it is XXH3 of the whole file with its own digits as '0'.
  const std::string lead = R"({"__metadata__":{"cllm.file_xxh3":")";
  ASSERT_EQ(header.substr(0, lead.size()), lead);
  const std::string digits = header.substr(lead.size(), 16);
  std::string zeroed = raw;
  zeroed.replace(8 + lead.size(), 16, 16, '0');
  EXPECT_EQ(digits, hex16(XXH3_64bits(zeroed.data(), zeroed.size())));
  EXPECT_EQ(j.at("__metadata__"), nlohmann::json({{"k", "v"}, {"cllm.file_xxh3", digits}}));
}

TEST(Safetensors, EmptyFileIsExactlyTheExpectedBytes) {
  // The 54-byte header is padded to 56 so that 8 + 56 = 64; the checksum is that of these 64 bytes with
  // its digits as '0'.
  TempDir dir("empty");
  const fs::path file = dir / "e.safetensors";
  write_safetensors(file, {}, {});
  const auto header = [](const std::string& digits) {
    return test::le64(56) + R"({"__metadata__":{"cllm.file_xxh3":")" + digits + "\"}}  ";
  };
  const std::string zeroed = header(std::string(16, '0'));
  const std::string digits = hex16(XXH3_64bits(zeroed.data(), zeroed.size()));
  EXPECT_EQ(test::read_bytes(file), header(digits));
  const SafetensorsFile f = SafetensorsFile::open(file);
  EXPECT_TRUE(f.tensors().empty());
  EXPECT_EQ(f.metadata(), (Metadata{{kFileChecksumKey, digits}}));
}

TEST(Safetensors, ForeignFileWithoutChecksumLoads) {
  // What Python's safetensors.torch.save_file writes: header padded to 8 bytes, no checksum, keys in
  // its own order.
  TempDir dir("foreign");
  const fs::path file = dir / "f.safetensors";
  const std::vector<float> w = {0.25f, -8.0f};
  const std::vector<int32_t> ids = {7, 11, 13};
  std::string header =
      R"({"__metadata__":{"format":"pt"},"ids":{"dtype":"I32","shape":[3],"data_offsets":[8,20]},)"
      R"("w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}})";
  header.resize((header.size() + 7) / 8 * 8, ' ');
  test::write_bytes(file, test::make_file(header, bytes_of(w) + bytes_of(ids)));

  const SafetensorsFile f = SafetensorsFile::open(file);
  EXPECT_EQ(f.integrity(), Integrity::kNone);
  EXPECT_EQ(f.metadata(), (Metadata{{"format", "pt"}}));
  ASSERT_EQ(f.tensors().size(), 2u);
  EXPECT_EQ(f.tensors()[0].name, "w");  // data-offset order, not header order
  EXPECT_EQ(f.tensors()[1].name, "ids");
  EXPECT_EQ(f.read_f32("w", {2}), w);
  EXPECT_EQ(bytes_of(f.data("ids", DType::I32, {3})), bytes_of(ids));
}

TEST(Safetensors, EmptyTensorsMayShareBoundaries) {
  TempDir dir("empties");
  const fs::path file = dir / "e.safetensors";
  const std::vector<float> w = {1.0f, 2.0f};
  test::write_bytes(file, test::make_file(R"({"b":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},)"
                                          R"("a":{"dtype":"F32","shape":[0],"data_offsets":[0,0]},)"
                                          R"("c":{"dtype":"U8","shape":[0,5],"data_offsets":[8,8]}})",
                                          bytes_of(w)));
  const SafetensorsFile f = SafetensorsFile::open(file);
  ASSERT_EQ(f.tensors().size(), 3u);
  EXPECT_EQ(f.tensors()[0].name, "a");
  EXPECT_EQ(f.tensors()[1].name, "b");
  EXPECT_EQ(f.tensors()[2].name, "c");
  EXPECT_EQ(f.read_f32("b", {2}), w);
}

TEST(Safetensors, AccessorsCheckNameDtypeAndShape) {
  TempDir dir("access");
  const fs::path file = dir / "a.safetensors";
  const std::vector<float> w(12, 1.0f);
  const std::vector<double> d = {1.0};
  write_safetensors(file, {{"w", DType::F32, {3, 4}, w.data()}, {"d", DType::F64, {1}, d.data()}}, {});
  SafetensorsFile opened = SafetensorsFile::open(file);
  const SafetensorsFile f = std::move(opened);  // movable, data stays valid
  const std::string p = "'" + file.string() + "'";

  EXPECT_TRUE(f.has("w"));
  EXPECT_FALSE(f.has("W"));
  const auto message = [](auto&& call) -> std::string {
    try {
      call();
    } catch (const Error& e) {
      return e.what();
    }
    return "no error";
  };
  EXPECT_EQ(message([&] { f.info("nope"); }), p + " has no tensor 'nope'");
  EXPECT_EQ(message([&] { f.data("nope", DType::F32, {1}); }), p + " has no tensor 'nope'");
  EXPECT_EQ(message([&] {
              f.data("w", DType::F32, {4, 4});
            }),
            p + ": tensor 'w' has shape [3, 4], expected [4, 4]");
  EXPECT_EQ(message([&] { f.data("w", DType::F32, {12}); }),
            p + ": tensor 'w' has shape [3, 4], expected [12]");
  EXPECT_EQ(message([&] { f.data("d", DType::F32, {1}); }), p + ": tensor 'd' has dtype F64, expected F32");
  EXPECT_EQ(message([&] { f.read_f32("d", {1}); }), p + ": tensor 'd' has dtype F64, expected F32");
  EXPECT_EQ(message([&] { f.read_f32("w", {}); }), p + ": tensor 'w' has shape [3, 4], expected []");
  EXPECT_EQ(f.read_f32("w", {3, 4}), w);
}

// Each refused write names the file and the problem, writes nothing, and keeps the previous file.
TEST(Safetensors, RefusedWritesLeaveTheExistingFileUntouched) {
  TempDir dir("refuse");
  const fs::path file = dir / "keep.safetensors";
  const std::vector<float> w = {1.0f, 2.0f};
  write_safetensors(file, {{"w", DType::F32, {2}, w.data()}}, {{"run", "1"}});
  const std::string original = test::read_bytes(file);

  const std::string bad_utf8 = "w\xC0\xAF";
  struct Case {
    const char* what;
    std::vector<TensorToWrite> tensors;
    Metadata metadata;
    const char* expected;
  };
  const std::vector<Case> cases = {
      {"duplicate names",
       {{"w", DType::F32, {2}, w.data()}, {"w", DType::F32, {2}, w.data()}},
       {},
       "duplicate tensor name 'w'"},
      {"empty name", {{"", DType::F32, {2}, w.data()}}, {}, "empty name"},
      {"reserved name", {{"__metadata__", DType::F32, {2}, w.data()}}, {}, "may not be named '__metadata__'"},
      {"checksum key", {{"w", DType::F32, {2}, w.data()}}, {{"cllm.file_xxh3", "0"}}, "reserved"},
      {"old checksum key", {{"w", DType::F32, {2}, w.data()}}, {{"cllm.data_xxh3", "0"}}, "reserved"},
      {"negative dim", {{"w", DType::F32, {-2}, w.data()}}, {}, "tensor 'w' has a negative dimension"},
      {"rank 9", {{"w", DType::U8, {1, 1, 1, 1, 1, 1, 1, 1, 2}, w.data()}}, {}, "9 dimensions"},
      {"overflow", {{"w", DType::F32, {int64_t{1} << 40, int64_t{1} << 40}, w.data()}}, {}, "too large"},
      {"null data", {{"w", DType::F32, {2}, nullptr}}, {}, "tensor 'w' has no data"},
      {"bad name", {{bad_utf8, DType::F32, {2}, w.data()}}, {}, "tensor name 'w\xC0\xAF' is not valid UTF-8"},
      {"bad metadata", {}, {{"k", "\xFF"}}, "not valid UTF-8"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.what);
    try {
      write_safetensors(file, c.tensors, c.metadata);
      ADD_FAILURE() << "expected an error";
    } catch (const Error& e) {
      const std::string message = e.what();
      EXPECT_EQ(message.rfind("cannot save '" + file.string() + "': ", 0), 0u) << message;
      EXPECT_NE(message.find(c.expected), std::string::npos) << message;
    }
    EXPECT_EQ(test::read_bytes(file), original);
    EXPECT_EQ(count_files(dir.path()), 1u) << "a temporary file was left behind";
  }
  EXPECT_EQ(SafetensorsFile::open(file).read_f32("w", {2}), w);
}

TEST(Safetensors, WriteToMissingFolderIsAClearError) {
  const std::vector<float> w = {1.0f};
  try {
    write_safetensors("/nonexistent-cllm-dir/x.safetensors", {{"w", DType::F32, {1}, w.data()}}, {});
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("does not exist"), std::string::npos) << e.what();
  }
}

TEST(Safetensors, OverwriteReplacesTheWholeFile) {
  TempDir dir("overwrite");
  const fs::path file = dir / "m.safetensors";
  const std::vector<float> big(1000, 3.0f), small = {1.0f};
  write_safetensors(file, {{"w", DType::F32, {1000}, big.data()}}, {});
  write_safetensors(file, {{"v", DType::F32, {1}, small.data()}}, {});
  const SafetensorsFile f = SafetensorsFile::open(file);
  EXPECT_FALSE(f.has("w"));
  EXPECT_EQ(f.read_f32("v", {1}), small);
  EXPECT_EQ(count_files(dir.path()), 1u);
}

}  // namespace
}  // namespace cllm
