#pragma once
// Byte tokenizer: the 256 byte values, id = byte value. Takes any bytes (valid UTF-8 or not) and
// round-trips them exactly. Stateless; thread-safe.

#include <memory>

#include "text/tokenizer.h"

namespace cllm {

class ByteTokenizer final : public Tokenizer {
 public:
  // Reads {"kind":"byte","vocab_size":256}.
  static std::unique_ptr<ByteTokenizer> from_json(const nlohmann::json& j);

  std::string kind() const override { return "byte"; }
  int vocab_size() const override { return 256; }
  std::vector<int32_t> encode(std::string_view text) const override;
  std::string decode(std::span<const int32_t> ids) const override;
  std::string token_bytes(int32_t id) const override;
  nlohmann::json to_json() const override;
};

}  // namespace cllm
