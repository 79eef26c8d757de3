// Damaged and malformed files: one handcrafted file per failure class, then sweeps that truncate a valid
// file at many points and flip every bit of it. open() must throw a one-line cllm::Error naming the file
// and the problem, never crash, and never accept a changed file as verified.

#include <gtest/gtest.h>

#include <xxhash.h>

#include <cstring>

#include "io/safetensors.h"
#include "safetensors_test_util.h"
#include "util/error.h"

namespace cllm {
namespace {

using test::make_file;
namespace fs = std::filesystem;

// A valid entry and its 8 data bytes, to build otherwise-broken headers around.
const std::string kW = R"("w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]})";
const std::string kData8 = std::string("\x00\x00\x80\x3f\x00\x00\x00\x40", 8);  // 1.0f, 2.0f

class SafetensorsCorrupt : public ::testing::Test {
 protected:
  test::TempDir dir_{"corrupt"};
  const fs::path file_ = dir_ / "bad.safetensors";

  ::testing::AssertionResult fails(const std::string& bytes, std::initializer_list<std::string> parts) {
    test::write_bytes(file_, bytes);
    return test::open_fails_with(file_, parts);
  }
  // A header {<entries>} with `data` after it.
  ::testing::AssertionResult header_fails(const std::string& entries, const std::string& data,
                                          std::initializer_list<std::string> parts) {
    return fails(make_file("{" + entries + "}", data), parts);
  }
};

TEST_F(SafetensorsCorrupt, ControlFileIsValid) {
  // The building blocks themselves load, so each failure below is due to its one defect.
  test::write_bytes(file_, make_file("{" + kW + "}", kData8));
  EXPECT_EQ(SafetensorsFile::open(file_).read_f32("w", {2}), (std::vector<float>{1.0f, 2.0f}));
}

TEST_F(SafetensorsCorrupt, MissingOrNotAFile) {
  EXPECT_TRUE(test::open_fails_with(dir_ / "absent.safetensors", {"cannot open", "No such file"}));
  EXPECT_TRUE(test::open_fails_with(dir_.path(), {"not a regular file"}));
}

TEST_F(SafetensorsCorrupt, LengthPrefix) {
  EXPECT_TRUE(fails("", {"file is 0 bytes", "too short"}));
  EXPECT_TRUE(fails(std::string("\x05\x00\x00\x00\x00", 5), {"file is 5 bytes", "too short"}));
  EXPECT_TRUE(fails(test::le64(0) + "{}", {"header length (at offset 0) is 0"}));
  EXPECT_TRUE(
      fails(test::le64(100 * 1024 * 1024 + 1) + "{}", {"header length 104857601", "exceeds the limit"}));
  EXPECT_TRUE(fails(test::le64(~uint64_t{0}) + "{}", {"header length 18446744073709551615", "exceeds"}));
  EXPECT_TRUE(fails(test::le64(100) + "{}", {"header length 100", "runs past the end of the 10-byte file"}));
  EXPECT_TRUE(fails(test::le64(3) + "{}", {"runs past the end"}));
}

TEST_F(SafetensorsCorrupt, HeaderTextEncoding) {
  // '{' '"' 'a' then 0xFF at header byte 3 = file offset 11.
  EXPECT_TRUE(fails(make_file("{\"a\xFF\":1}"), {"not valid UTF-8", "byte 0xFF", "file offset 11"}));
  EXPECT_TRUE(
      fails(make_file("{\"\xC0\xAF\":1}"), {"not valid UTF-8", "0xC0", "file offset 10"}));      // overlong
  EXPECT_TRUE(fails(make_file("{\"\xED\xA0\x80\":1}"), {"not valid UTF-8", "file offset 10"}));  // surrogate
}

TEST_F(SafetensorsCorrupt, HeaderIsNotJson) {
  // The '}' that breaks `{"a":}` is header byte 5, file offset 13.
  EXPECT_TRUE(fails(make_file(R"({"a":})"), {"not valid JSON", "file offset 13", "line 1, column 6"}));
  EXPECT_TRUE(fails(make_file(R"({"w":{"dtype")"), {"not valid JSON"}));
  EXPECT_TRUE(fails(make_file(R"({} x)"), {"not valid JSON", "file offset 11"}));
  // nlohmann treats NUL as the end of input; it must not hide what follows.
  EXPECT_TRUE(fails(make_file(std::string("{}\0\0", 4)), {"NUL byte at file offset 10"}));
  EXPECT_TRUE(fails(make_file(std::string("{}\0{\"a\":1}", 10)), {"NUL byte at file offset 10"}));
  EXPECT_TRUE(fails(make_file("{\"a\":\"" + std::string(100000, 'x')), {"not valid JSON", "..."}));
  EXPECT_TRUE(fails(make_file(R"({"w":{"dtype":"F32","shape":[1e999],"data_offsets":[0,4]}})"),
                    {"not valid JSON", "number overflow"}));
}

TEST_F(SafetensorsCorrupt, TopLevelIsNotAnObject) {
  EXPECT_TRUE(fails(make_file("[1,2]"), {"not a JSON object", "starts with '['", "file offset 8"}));
  EXPECT_TRUE(fails(make_file("\"x\""), {"not a JSON object", "'\"'"}));
  EXPECT_TRUE(fails(make_file(" {}"), {"not a JSON object", "byte 0x20"}));  // the spec wants '{' first
}

TEST_F(SafetensorsCorrupt, DuplicateKeys) {
  EXPECT_TRUE(header_fails(kW + "," + kW, kData8, {"duplicate key 'w' in the header"}));
  // \u0077 is "w": duplicates are found after unescaping.
  EXPECT_TRUE(header_fails(kW + R"(,"\u0077":{"dtype":"F32","shape":[2],"data_offsets":[0,8]})", kData8,
                           {"duplicate key 'w'"}));
  EXPECT_TRUE(header_fails(R"("w":{"dtype":"F32","shape":[2],"dtype":"F64","data_offsets":[0,8]})", kData8,
                           {"duplicate key 'dtype'", "(in 'w')"}));
  EXPECT_TRUE(header_fails(R"("__metadata__":{"k":"a","k":"b"},)" + kW, kData8,
                           {"duplicate key 'k'", "(in '__metadata__')"}));
  EXPECT_TRUE(
      header_fails(R"("__metadata__":{},"__metadata__":{},)" + kW, kData8, {"duplicate key '__metadata__'"}));
}

TEST_F(SafetensorsCorrupt, NestingDeeperThanTheFormat) {
  EXPECT_TRUE(header_fails(R"("w":{"dtype":"F32","shape":[[2]],"data_offsets":[0,8]})", kData8,
                           {"nests deeper", "'w.shape[0]'"}));
  EXPECT_TRUE(fails(make_file(std::string(100000, '[')), {"not a JSON object"}));
  EXPECT_TRUE(fails(make_file("{\"a\":" + std::string(100000, '[')), {"nests deeper", "'a[0][0]'"}));
}

// Issue 13, defect 1: the header parse grew with the square of the entries (100,000 empty ones took 90 s;
// this test's 30-second limit fails that). Now linear, and a count no checkpoint has is refused early.
TEST_F(SafetensorsCorrupt, SmallFileStallsTheLoader) {
  auto empty_entries = [](int n) {
    std::string entries;
    for (int i = 0; i < n; ++i) entries += (i ? ",\"z" : "\"z") + std::to_string(i) + "\":{}";
    return entries;
  };
  EXPECT_TRUE(header_fails(empty_entries(99999), "", {"tensor 'z0' lacks field 'dtype'"}));
  EXPECT_TRUE(header_fails(empty_entries(100001), "", {"more than 100000 entries", "refused"}));
  EXPECT_TRUE(header_fails(R"("__metadata__":{)" + empty_entries(100001) + "}," + kW, kData8,
                           {"more than 100000 entries in '__metadata__'"}));
}

TEST_F(SafetensorsCorrupt, TensorEntryShape) {
  EXPECT_TRUE(
      header_fails(R"("w":[0,8])", kData8, {"tensor 'w': entry is array [0,8]", "expected an object"}));
  EXPECT_TRUE(header_fails(R"("w":"F32")", kData8, {"tensor 'w': entry is string"}));
  EXPECT_TRUE(
      header_fails(R"("w":{"shape":[2],"data_offsets":[0,8]})", kData8, {"tensor 'w' lacks field 'dtype'"}));
  EXPECT_TRUE(header_fails(R"("w":{"dtype":"F32","data_offsets":[0,8]})", kData8,
                           {"tensor 'w' lacks field 'shape'"}));
  EXPECT_TRUE(
      header_fails(R"("w":{"dtype":"F32","shape":[2]})", kData8, {"tensor 'w' lacks field 'data_offsets'"}));
  EXPECT_TRUE(header_fails(R"("w":{"dtype":"F32","shape":[2],"data_offsets":[0,8],"offsets":[0,8]})", kData8,
                           {"tensor 'w' has unexpected field 'offsets'"}));
  // A name with a newline is escaped so the message stays on one line.
  EXPECT_TRUE(header_fails(R"("a\nb":7)", "", {"tensor 'a\\x0Ab': entry is number 7"}));
}

TEST_F(SafetensorsCorrupt, Dtype) {
  EXPECT_TRUE(header_fails(R"("w":{"dtype":"BF16","shape":[2],"data_offsets":[0,4]})", "1234",
                           {"tensor 'w' has unsupported dtype 'BF16'", "F32, F64, I32, I64, U8"}));
  EXPECT_TRUE(header_fails(R"("w":{"dtype":"f32","shape":[2],"data_offsets":[0,8]})", kData8,
                           {"unsupported dtype 'f32'"}));
  EXPECT_TRUE(header_fails(R"("w":{"dtype":4,"shape":[2],"data_offsets":[0,8]})", kData8,
                           {"tensor 'w': dtype is number 4, expected a string"}));
}

TEST_F(SafetensorsCorrupt, Shape) {
  const auto entry = [](const std::string& shape) {
    return R"("w":{"dtype":"U8","shape":)" + shape + R"(,"data_offsets":[0,2]})";
  };
  EXPECT_TRUE(header_fails(entry("2"), "ab", {"tensor 'w': shape is number 2", "expected an array"}));
  EXPECT_TRUE(header_fails(entry("null"), "ab", {"shape is null"}));
  EXPECT_TRUE(header_fails(entry("[-2]"), "ab", {"shape[0] is number -2", "non-negative integer"}));
  EXPECT_TRUE(header_fails(entry("[1,2.0]"), "ab", {"shape[1] is number 2.0"}));
  EXPECT_TRUE(header_fails(entry(R"(["2"])"), "ab", {"shape[0] is string \"2\""}));
  EXPECT_TRUE(header_fails(entry("[true]"), "ab", {"shape[0] is boolean true"}));
  EXPECT_TRUE(header_fails(entry("[9223372036854775808]"), "ab", {"shape[0] is number 9223372036854775808"}));
  EXPECT_TRUE(header_fails(entry("[1,1,1,1,1,1,1,1,2]"), "ab", {"shape has 9 dimensions", "limit of 8"}));
  // Rank 8 is still fine.
  test::write_bytes(file_, make_file("{" + entry("[1,1,1,1,1,1,1,2]") + "}", "ab"));
  EXPECT_EQ(SafetensorsFile::open(file_).tensors().at(0).shape.size(), 8u);
}

TEST_F(SafetensorsCorrupt, DataOffsets) {
  const auto entry = [](const std::string& offsets) {
    return R"("w":{"dtype":"F32","shape":[2],"data_offsets":)" + offsets + "}";
  };
  EXPECT_TRUE(header_fails(entry("8"), kData8, {"data_offsets is number 8, expected [begin, end]"}));
  EXPECT_TRUE(header_fails(entry("[0]"), kData8, {"data_offsets is array [0]"}));
  EXPECT_TRUE(header_fails(entry("[0,8,8]"), kData8, {"data_offsets is array [0,8,8]"}));
  EXPECT_TRUE(header_fails(entry("[-8,0]"), kData8, {"data_offsets[0] is number -8"}));
  EXPECT_TRUE(header_fails(entry("[0,8.5]"), kData8, {"data_offsets[1] is number 8.5"}));
  EXPECT_TRUE(header_fails(entry("[0,\"8\"]"), kData8, {"data_offsets[1] is string"}));
  EXPECT_TRUE(header_fails(entry("[8,0]"), kData8, {"data_offsets [8, 0] has begin after end"}));
}

TEST_F(SafetensorsCorrupt, SizeMustMatchShape) {
  EXPECT_TRUE(
      header_fails(R"("w":{"dtype":"F32","shape":[2,2],"data_offsets":[0,8]})", kData8,
                   {"tensor 'w': data_offsets [0, 8] span 8 bytes but shape [2, 2] of F32 needs 16"}));
  EXPECT_TRUE(header_fails(R"("w":{"dtype":"F64","shape":[],"data_offsets":[0,4]})", "1234",
                           {"shape [] of F64 needs 8"}));
  // 2^32 * 2^32 elements overflow 64 bits.
  EXPECT_TRUE(header_fails(R"("w":{"dtype":"F32","shape":[4294967296,4294967296],"data_offsets":[0,8]})",
                           kData8,
                           {"tensor 'w': shape [4294967296, 4294967296] of F32 is too large", "overflows"}));
  // 2^62 elements of 8 bytes: each factor fits, the product does not.
  EXPECT_TRUE(header_fails(R"("w":{"dtype":"I64","shape":[4611686018427387904],"data_offsets":[0,8]})",
                           kData8, {"too large"}));
}

TEST_F(SafetensorsCorrupt, TensorsMustTileTheDataBlock) {
  const std::string a = R"("a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]})";
  EXPECT_TRUE(header_fails(a + R"(,"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]})",
                           std::string(12, 'x'), {"tensors 'a' [0, 8) and 'b' [4, 12) overlap"}));
  EXPECT_TRUE(header_fails(a + R"(,"b":{"dtype":"F32","shape":[2],"data_offsets":[0,8]})", kData8,
                           {"overlap"}));  // two tensors on the same bytes
  EXPECT_TRUE(header_fails(a + R"(,"e":{"dtype":"F32","shape":[0],"data_offsets":[4,4]})", kData8,
                           {"tensors 'a' [0, 8) and 'e' [4, 4) overlap"}));
  EXPECT_TRUE(header_fails(a + R"(,"b":{"dtype":"F32","shape":[2],"data_offsets":[12,20]})",
                           std::string(20, 'x'),
                           {"hole of 4 bytes", "'a' (ends at 8)", "'b' (starts at 12)"}));
  EXPECT_TRUE(header_fails(R"("a":{"dtype":"F32","shape":[2],"data_offsets":[4,12]})", std::string(12, 'x'),
                           {"does not start with a tensor", "'a', starts at byte 4, expected 0"}));
}

TEST_F(SafetensorsCorrupt, DataBlockMustEndAtEndOfFile) {
  const std::string header = "{" + kW + "}";  // 54 bytes; the file should be 8 + 54 + 8 = 70
  ASSERT_EQ(header.size(), 54u);
  EXPECT_TRUE(fails(make_file(header, kData8.substr(0, 5)),
                    {"file is 67 bytes but its header describes 70 (8 + 54 header + 8 data): truncated"}));
  EXPECT_TRUE(fails(make_file(header, kData8 + "z"),
                    {"file is 71 bytes but its header describes 70", "1 unexpected trailing bytes"}));
  EXPECT_TRUE(fails(make_file("{}", "x"), {"describes 10", "1 unexpected trailing bytes"}));
  // An offset near 2^63 is reported as truncation, without overflowing the arithmetic.
  EXPECT_TRUE(header_fails(
      R"("w":{"dtype":"U8","shape":[1],"data_offsets":[0,1]},)"
      R"("x":{"dtype":"U8","shape":[9223372036854775806],"data_offsets":[1,9223372036854775807]})",
      "", {"truncated"}));
}

TEST_F(SafetensorsCorrupt, Metadata) {
  EXPECT_TRUE(header_fails(R"("__metadata__":"pt",)" + kW, kData8,
                           {"__metadata__ is string \"pt\", expected an object of strings"}));
  EXPECT_TRUE(header_fails(R"("__metadata__":["a"],)" + kW, kData8, {"__metadata__ is array"}));
  EXPECT_TRUE(header_fails(R"("__metadata__":{"epoch":3},)" + kW, kData8,
                           {"__metadata__ entry 'epoch' is number 3, expected a string"}));
  EXPECT_TRUE(
      header_fails(R"("__metadata__":{"cfg":{}},)" + kW, kData8, {"__metadata__ entry 'cfg' is object"}));
  EXPECT_TRUE(header_fails(R"("__metadata__":{"x":null},)" + kW, kData8, {"entry 'x' is null"}));
}

TEST_F(SafetensorsCorrupt, Checksum) {
  const std::vector<float> w = {1.0f, 2.0f, 3.0f};
  write_safetensors(file_, {{"w", DType::F32, {3}, w.data()}}, {{"note", "abc"}});
  const std::string bytes = test::read_bytes(file_);
  std::string flipped = bytes;
  flipped.back() ^= 0x01;
  EXPECT_TRUE(fails(flipped, {"checksum mismatch: the file is corrupt or was changed after it was saved",
                              "XXH3 of its " + std::to_string(bytes.size()) + " bytes"}));
  std::string edited = bytes;  // a metadata value, which the old data-only checksum did not cover
  edited[bytes.find("abc")] = 'x';
  EXPECT_TRUE(fails(edited, {"checksum mismatch"}));

  const size_t at = bytes.find("\"cllm.file_xxh3\":\"") + 18;
  std::string upper = bytes;
  upper[at] = 'A';
  EXPECT_TRUE(fails(upper, {"metadata 'cllm.file_xxh3' is 'A", "expected 16 lowercase hex digits"}));
  std::string shortened = bytes;
  shortened.replace(at, 17, "0123456789abcde\" ");  // 15 digits and the closing quote, then a space
  ASSERT_EQ(shortened.size(), bytes.size());
  EXPECT_TRUE(fails(shortened, {"'0123456789abcde'", "expected 16 lowercase hex digits"}));

  // Moved from the first entry (as a tool that rewrites the header in its own key order would).
  const std::string digits = bytes.substr(at, 16);
  EXPECT_TRUE(fails(
      make_file(R"({"__metadata__":{"a":"b","cllm.file_xxh3":")" + digits + R"("},)" + kW + "}", kData8),
      {"'cllm.file_xxh3' is not the first entry of the header"}));
}

TEST_F(SafetensorsCorrupt, OlderDataChecksumIsStillVerified) {
  // Files of earlier versions carry a checksum of the data block only (XXH3 of kData8 below).
  const std::string header = R"({"__metadata__":{"cllm.data_xxh3":"%s"},)" + kW + "}";
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx",
                static_cast<unsigned long long>(XXH3_64bits(kData8.data(), kData8.size())));
  std::string text = header;
  text.replace(text.find("%s"), 2, hex);
  test::write_bytes(file_, make_file(text, kData8));
  EXPECT_EQ(SafetensorsFile::open(file_).integrity(), Integrity::kDataOnly);
  std::string changed = kData8;
  changed[0] ^= 0x01;
  EXPECT_TRUE(
      fails(make_file(text, changed), {"checksum mismatch: the weights are corrupt", "8-byte data block"}));
}

// A valid file with several tensors and metadata, used by the sweeps.
std::string sweep_file(const fs::path& path) {
  const std::vector<float> a = {1.5f, -2.0f, 3.25f, 0.0f, 8.0f, 9.0f};
  const std::vector<uint8_t> b = {1, 2, 3, 4, 5};
  const std::vector<int32_t> c = {100, 200, 300, 400, 500, 600, 700, 800};
  const std::vector<double> d(20, 0.125);
  write_safetensors(path,
                    {{"layer.weight", DType::F32, {2, 3}, a.data()},
                     {"mask", DType::U8, {5}, b.data()},
                     {"ids", DType::I32, {2, 4}, c.data()},
                     {"big", DType::F64, {4, 5}, d.data()},
                     {"none", DType::F32, {0}, nullptr}},
                    {{"name", "sweep"}, {"lr", "0.001"}});
  return test::read_bytes(path);
}

TEST_F(SafetensorsCorrupt, TruncationSweepReportsTruncation) {
  const std::string full = sweep_file(file_);
  const size_t header_end = 8 + test::read_le64(full);
  std::vector<size_t> cuts;
  for (size_t cut = 0; cut <= header_end; ++cut) cuts.push_back(cut);  // every byte of prefix and header
  for (size_t cut = header_end + 1; cut < full.size(); cut += 7) cuts.push_back(cut);
  cuts.push_back(full.size() - 1);
  const std::string size = std::to_string(full.size());
  for (size_t cut : cuts) {
    SCOPED_TRACE("cut at " + std::to_string(cut) + " of " + size);
    const std::string part = full.substr(0, cut);
    if (cut < 8)
      EXPECT_TRUE(fails(part, {"too short"}));
    else if (cut < header_end)
      EXPECT_TRUE(fails(part, {"runs past the end"}));
    else
      EXPECT_TRUE(fails(
          part, {"file is " + std::to_string(cut) + " bytes but its header describes " + size, "truncated"}));
  }
}

TEST_F(SafetensorsCorrupt, BitFlipSweepNeverAcceptsChangedData) {
  const fs::path original_path = dir_ / "original.safetensors";
  const std::string original = sweep_file(original_path);
  // The checksum's own key name, bytes [key_begin, key_end) of the file.
  const size_t key_begin = original.find(kFileChecksumKey);
  const size_t key_end = key_begin + std::strlen(kFileChecksumKey);

  for (size_t pos = 0; pos < original.size(); ++pos) {
    for (int bit = 0; bit < 8; ++bit) {
      std::string bytes = original;
      bytes[pos] = static_cast<char>(bytes[pos] ^ (1 << bit));
      test::write_bytes(file_, bytes);
      const std::string where = "flip of bit " + std::to_string(bit) + " at byte " + std::to_string(pos);
      try {
        const SafetensorsFile f = SafetensorsFile::open(file_);
        // The checksum covers every byte. The one way past it is to rename its key: the file then has no
        // checksum, which integrity() reports (and the checkpoint loader refuses).
        ASSERT_TRUE(pos >= key_begin && pos < key_end) << where;
        ASSERT_EQ(f.integrity(), Integrity::kNone) << where;
      } catch (const Error& e) {
        const std::string message = e.what();
        ASSERT_EQ(message.rfind("'" + file_.string() + "': ", 0), 0u) << where << ": " << message;
        ASSERT_EQ(message.find('\n'), std::string::npos) << where << ": " << message;
      }
    }
  }
}

}  // namespace
}  // namespace cllm
