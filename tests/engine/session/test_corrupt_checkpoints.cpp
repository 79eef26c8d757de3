// Every way a checkpoint can be wrong gives a clear cllm::Error naming the file — never a crash.
#include <gtest/gtest.h>
#include <sys/resource.h>

#include <filesystem>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <sstream>

#include "data/corpus.h"
#include "io/checkpoint.h"
#include "io/safetensors.h"
#include "session/training_session.h"
#include "util/error.h"

namespace cllm {
namespace {

namespace fs = std::filesystem;

class CorruptCheckpoint : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("cllm-corrupt-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
    Corpus corpus;
    corpus.name = "t";
    for (int i = 0; i < 300; ++i) corpus.text += "hello world " + std::to_string(i) + "\n";
    TrainingSession::NewRun run;
    run.model = model_preset("tiny");
    run.model.block_size = 16;
    run.train.batch_size = 2;
    run.train.eval_batches = 1;
    session_ = TrainingSession::start(corpus, run);
    good_ = dir_ / "good.safetensors";
    session_->save(good_);
    std::ifstream in(good_, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    bytes_ = ss.str();
  }
  void TearDown() override { fs::remove_all(dir_); }

  fs::path write(const std::string& name, const std::string& content) {
    const fs::path p = dir_ / name;
    std::ofstream(p, std::ios::binary) << content;
    return p;
  }
  // Loads and returns the error message (empty if it loaded).
  static std::string load_error(const fs::path& p) {
    try {
      load_checkpoint(p);
    } catch (const Error& e) {
      return e.what();
    }
    return "";
  }
  // Rewrites the good checkpoint with one metadata entry changed (or removed when value is empty).
  fs::path with_metadata(const std::string& key, const std::string& value) {
    const SafetensorsFile f = SafetensorsFile::open(good_);
    Metadata meta = f.metadata();
    meta.erase(kDataChecksumKey);
    if (value.empty())
      meta.erase(key);
    else
      meta[key] = value;
    std::vector<TensorToWrite> tensors;
    for (const auto& t : f.tensors())
      tensors.push_back({t.name, t.dtype, t.shape, f.data(t.name, t.dtype, t.shape).data()});
    const fs::path p = dir_ / ("meta-" + key + ".safetensors");
    write_safetensors(p, tensors, meta);
    return p;
  }

  fs::path dir_, good_;
  std::string bytes_;
  std::unique_ptr<TrainingSession> session_;
};

TEST_F(CorruptCheckpoint, GoodFileLoads) {
  EXPECT_EQ(load_error(good_), "");
}

TEST_F(CorruptCheckpoint, MissingFile) {
  EXPECT_NE(load_error(dir_ / "nope.safetensors").find("nope.safetensors"), std::string::npos);
}

TEST_F(CorruptCheckpoint, EmptyAndTinyFiles) {
  EXPECT_NE(load_error(write("empty", "")), "");
  EXPECT_NE(load_error(write("tiny", "abc")), "");
}

TEST_F(CorruptCheckpoint, TruncatedAnywhere) {
  for (size_t cut : {size_t(8), size_t(100), bytes_.size() / 2, bytes_.size() - 1}) {
    const std::string msg = load_error(write("cut", bytes_.substr(0, cut)));
    EXPECT_NE(msg, "") << "cut at " << cut;
    EXPECT_NE(msg.find("cut"), std::string::npos) << msg;
  }
}

TEST_F(CorruptCheckpoint, FlippedWeightByteFailsTheChecksum) {
  std::string b = bytes_;
  b[b.size() - 5] ^= 0x40;
  EXPECT_NE(load_error(write("flip", b)).find("checksum"), std::string::npos);
}

TEST_F(CorruptCheckpoint, ForeignFiles) {
  EXPECT_NE(load_error(write("text.txt", "this is just text, not a checkpoint at all")), "");
  // A valid safetensors file from another tool.
  const float x[4] = {1, 2, 3, 4};
  write_safetensors(dir_ / "foreign.safetensors", {{"weight", DType::F32, {2, 2}, x}}, {});
  EXPECT_NE(load_error(dir_ / "foreign.safetensors").find("not a cllm checkpoint"), std::string::npos);
}

TEST_F(CorruptCheckpoint, BadMetadata) {
  EXPECT_NE(load_error(with_metadata("format_version", "99")).find("format version"), std::string::npos);
  EXPECT_NE(load_error(with_metadata("model_config", "{not json")).find("not valid JSON"), std::string::npos);
  EXPECT_NE(load_error(with_metadata("model_config", "")).find("model_config"), std::string::npos);
  auto cfg = session_->model().config().to_json();
  cfg["n_head"] = 3;
  EXPECT_NE(load_error(with_metadata("model_config", cfg.dump())).find("do not divide"), std::string::npos);
  cfg = session_->model().config().to_json();
  cfg["n_embd"] = 32;  // tensors no longer match the config
  EXPECT_NE(load_error(with_metadata("model_config", cfg.dump())).find("shape"), std::string::npos);
  auto tok = session_->tokenizer().to_json();
  tok["kind"] = "morse";
  EXPECT_NE(load_error(with_metadata("tokenizer", tok.dump())).find("tokenizer"), std::string::npos);
  EXPECT_NE(load_error(with_metadata("training_state", "{\"steps_done\": -4}")).find("steps_done"),
            std::string::npos);
}

// Issue 13, defect 2: a small file whose model config claims a huge model made the loader allocate the
// claimed size (6.9 GiB for width 4096, 9 layers) before it compared the tensors. The peak RSS of this
// test's process shows nothing of that size was allocated.
TEST_F(CorruptCheckpoint, MetadataClaimingAHugeModelAllocatesNothingFirst) {
  auto cfg = session_->model().config().to_json();
  cfg["n_embd"] = 4096;
  cfg["n_head"] = 4;
  cfg["n_layer"] = 9;
  const std::string message = load_error(with_metadata("model_config", cfg.dump()));
  EXPECT_NE(message.find("has shape"), std::string::npos) << message;
  rusage usage{};
  ASSERT_EQ(::getrusage(RUSAGE_SELF, &usage), 0);
  EXPECT_LT(usage.ru_maxrss, 1024L * 1024) << "peak RSS in KiB";
}

TEST_F(CorruptCheckpoint, NonFiniteWeightsAreRejected) {
  // save_checkpoint refuses to write such weights, so this file is made at the safetensors level.
  const SafetensorsFile f = SafetensorsFile::open(good_);
  Metadata meta = f.metadata();
  meta.erase(kDataChecksumKey);
  std::vector<float> wte;
  std::vector<TensorToWrite> tensors;
  for (const auto& t : f.tensors()) {
    if (t.name != "transformer.wte.weight") {
      tensors.push_back({t.name, t.dtype, t.shape, f.data(t.name, t.dtype, t.shape).data()});
      continue;
    }
    wte = f.read_f32(t.name, t.shape);
    wte[3] = std::numeric_limits<float>::infinity();
    tensors.push_back({t.name, t.dtype, t.shape, wte.data()});
  }
  ASSERT_FALSE(wte.empty());
  const fs::path p = dir_ / "inf.safetensors";
  write_safetensors(p, tensors, meta);
  EXPECT_NE(load_error(p).find("non-finite"), std::string::npos) << load_error(p);
}

}  // namespace
}  // namespace cllm
