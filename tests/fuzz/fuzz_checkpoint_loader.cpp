// libFuzzer target: load_checkpoint over any bytes. Each input must load, or fail with one cllm::Error
// whose message is one line; a crash, a sanitizer report, another exception type, a leak, a stall
// (-timeout) or an allocation over -malloc_limit_mb is a finding.
#include <unistd.h>
#include <xxhash.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include "io/checkpoint.h"
#include "model/gpt.h"
#include "util/error.h"

namespace {

const std::string& scratch_path() {
  static const std::string path = "/tmp/cllm-fuzz-checkpoint-" + std::to_string(::getpid()) + ".safetensors";
  return path;
}

// Mutations almost never keep the whole-file checksum right, and a wrong one ends the load at its first
// check; so an input with the checksum where cllm writes it (the header's first entry) gets the right one,
// and mutations reach the metadata and tensor checks. The checksum check itself is held by the unit
// tests (SafetensorsCorrupt.BitFlipSweepNeverAcceptsChangedData).
void fix_checksum(std::string& bytes) {
  static const std::string lead = R"({"__metadata__":{"cllm.file_xxh3":")";
  const size_t digits = 8 + lead.size();
  if (bytes.size() < digits + 16 || bytes.compare(8, lead.size(), lead) != 0) return;
  bytes.replace(digits, 16, 16, '0');
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx",
                static_cast<unsigned long long>(XXH3_64bits(bytes.data(), bytes.size())));
  bytes.replace(digits, 16, hex);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string bytes(reinterpret_cast<const char*>(data), size);
  fix_checksum(bytes);
  {
    std::ofstream out(scratch_path(), std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!out) std::abort();
  }
  try {
    const cllm::Checkpoint checkpoint =
        cllm::load_checkpoint(scratch_path(), cllm::Verification::kAllowUnverified);
    // What the commands do next with a loaded checkpoint: build the model, read the vocabulary.
    const auto model = cllm::make_model(checkpoint);
    for (int32_t id = 0; id < checkpoint.tokenizer->vocab_size() && id < 1024; ++id)
      checkpoint.tokenizer->token_bytes(id);
  } catch (const cllm::Error& e) {
    if (std::string(e.what()).find('\n') != std::string::npos) std::abort();
  }
  return 0;
}
