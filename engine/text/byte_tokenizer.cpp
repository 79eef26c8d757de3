#include "text/byte_tokenizer.h"

#include "text/tokenizer_support.h"
#include "util/error.h"

namespace cllm {
namespace {

void check_id(int32_t id) {
  require(id >= 0 && id < 256, "byte tokenizer: token id " + std::to_string(id) + " is outside [0, 256)");
}

}  // namespace

std::unique_ptr<ByteTokenizer> ByteTokenizer::from_json(const nlohmann::json& j) {
  tokenizer_support::check_vocab_size(j, 256, "the byte kind");
  return std::make_unique<ByteTokenizer>();
}

std::vector<int32_t> ByteTokenizer::encode(std::string_view text) const {
  std::vector<int32_t> ids(text.size());
  for (size_t i = 0; i < text.size(); ++i) ids[i] = static_cast<unsigned char>(text[i]);
  return ids;
}

std::string ByteTokenizer::decode(std::span<const int32_t> ids) const {
  std::string text(ids.size(), '\0');
  for (size_t i = 0; i < ids.size(); ++i) {
    check_id(ids[i]);
    text[i] = static_cast<char>(ids[i]);
  }
  return text;
}

std::string ByteTokenizer::token_bytes(int32_t id) const {
  check_id(id);
  return std::string(1, static_cast<char>(id));
}

nlohmann::json ByteTokenizer::to_json() const {
  return {{"kind", "byte"}, {"vocab_size", 256}};
}

}  // namespace cllm
