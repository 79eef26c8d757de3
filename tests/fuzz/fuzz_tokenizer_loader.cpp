// libFuzzer target: the tokenizer as load_checkpoint reads it from the metadata (JSON text). Each input
// must give a tokenizer or one cllm::Error; a tokenizer it gives must encode and decode without a crash,
// and decode(encode(text)) must give the text back for the tokenizers that promise it (byte, char, bpe).
#include <cstdint>
#include <cstdlib>
#include <string>

#include "io/checkpoint.h"
#include "text/tokenizer.h"
#include "util/error.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  std::unique_ptr<cllm::Tokenizer> tokenizer;
  try {
    tokenizer = cllm::tokenizer_from_json(cllm::parse_metadata_json(text, "fuzz: ", "tokenizer"));
  } catch (const cllm::Error&) {
    return 0;
  }
  // The input itself, as text to tokenize: whatever bytes the fuzzer chose.
  for (const std::string& sample : {std::string("The quick brown fox, 42!\n"), text.substr(0, 4096)}) {
    std::vector<int32_t> ids;
    try {
      ids = tokenizer->encode(sample);
    } catch (const cllm::Error&) {
      continue;  // e.g. a character the char vocabulary lacks
    }
    for (int32_t id : ids)
      if (id < 0 || id >= tokenizer->vocab_size()) std::abort();
    const std::string back = tokenizer->decode(ids);
    if (tokenizer->kind() != "word" && back != sample) std::abort();
  }
  return 0;
}
