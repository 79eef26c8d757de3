// Seeds for the fuzz targets: real checkpoints of every tokenizer (with and without training state) and
// their tokenizers' JSON, small enough (a 1-layer, width-8 model) that the fuzzer runs fast.
//   make_fuzz_seeds OUT   writes OUT/seeds/{checkpoint,tokenizer}/ and makes
//   OUT/corpus/{checkpoint,tokenizer}/
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "data/corpus.h"
#include "io/checkpoint.h"
#include "session/training_session.h"
#include "util/error.h"

namespace fs = std::filesystem;

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: make_fuzz_seeds OUT\n");
    return 2;
  }
  const fs::path out = argv[1];
  try {
    for (const char* loader : {"checkpoint", "tokenizer"}) {
      fs::create_directories(out / "seeds" / loader);
      fs::create_directories(out / "corpus" / loader);
    }
    cllm::Corpus corpus;
    corpus.name = "fuzz-seed";
    for (int i = 0; i < 40; ++i)
      corpus.text += "The quick brown fox jumps over the lazy dog, " + std::to_string(i) + " times. ";
    for (const char* kind : {"byte", "char", "word", "bpe"}) {
      cllm::TrainingSession::NewRun run;
      run.tokenizer.kind = kind;
      if (run.tokenizer.kind == "bpe") run.tokenizer.vocab_size = 300;
      run.model = cllm::model_preset("tiny");
      run.model.n_layer = 1;
      run.model.n_head = 1;
      run.model.n_embd = 8;
      run.model.block_size = 8;
      run.train.batch_size = 1;
      const auto session = cllm::TrainingSession::start(corpus, run);
      const fs::path dir = out / "seeds" / "checkpoint";
      session->save(dir / (std::string(kind) + ".safetensors"));
      cllm::save_checkpoint(dir / (std::string(kind) + "-weights-only.safetensors"),
                            session->model().config(), session->model().parameters(), session->tokenizer(),
                            nullptr);
      std::ofstream(out / "seeds" / "tokenizer" / (std::string(kind) + ".json"))
          << session->tokenizer().to_json().dump();
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "make_fuzz_seeds: %s\n", e.what());
    return 1;
  }
  return 0;
}
