#include "text/tokenizer.h"

#include <algorithm>
#include <cstdio>

#include "text/bpe_tokenizer.h"
#include "text/byte_tokenizer.h"
#include "text/char_tokenizer.h"
#include "text/tokenizer_support.h"
#include "text/utf8.h"
#include "text/word_tokenizer.h"
#include "util/error.h"

namespace cllm {
namespace {

void append_hex(std::string& out, std::string_view bytes) {
  char buf[8];
  for (const char c : bytes) {
    std::snprintf(buf, sizeof buf, "\\x%02X", static_cast<unsigned char>(c));
    out += buf;
  }
}

}  // namespace

std::string printable_label(std::string_view bytes) {
  std::string out;
  for (size_t i = 0; i < bytes.size();) {
    const utf8::Decoded d = utf8::decode_at(bytes, i);
    if (d.length == 0) {  // ill-formed or a partial sequence
      append_hex(out, bytes.substr(i, 1));
      ++i;
      continue;
    }
    const char32_t cp = d.code_point;
    if (cp == U'\n') {
      out += "\\n";
    } else if (cp == U'\t') {
      out += "\\t";
    } else if (cp == U' ') {
      out += "\xE2\x90\xA3";  // U+2423 OPEN BOX
    } else if (cp == U'\\') {
      out += "\\\\";
    } else if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0x2423) {
      append_hex(out, bytes.substr(i, d.length));
    } else {
      out += bytes.substr(i, d.length);
    }
    i += d.length;
  }
  return out;
}

std::string Tokenizer::token_label(int32_t id) const {
  return printable_label(token_bytes(id));
}

int default_vocab_size(std::string_view kind) {
  return kind == "bpe" ? 512 : 0;
}

double unknown_token_rate(const Tokenizer& tokenizer, std::span<const int32_t> tokens) {
  const std::optional<int32_t> unknown = tokenizer.unknown_id();
  if (!unknown || tokens.empty()) return 0.0;
  const auto count = std::count(tokens.begin(), tokens.end(), *unknown);
  return static_cast<double>(count) / static_cast<double>(tokens.size());
}

double unknown_token_rate(const Tokenizer& tokenizer, std::string_view text) {
  return unknown_token_rate(tokenizer, tokenizer.encode(text));
}

std::unique_ptr<Tokenizer> train_tokenizer(const TokenizerSpec& spec, std::string_view text) {
  if (spec.kind == "char") return CharTokenizer::train(text);
  if (spec.kind == "byte") {
    require(!text.empty(), "byte tokenizer: cannot train on empty text");
    return std::make_unique<ByteTokenizer>();
  }
  if (spec.kind == "word") return WordTokenizer::train(text, spec.vocab_size, spec.min_frequency);
  if (spec.kind == "bpe")
    return BpeTokenizer::train(text, spec.vocab_size == 0 ? default_vocab_size("bpe") : spec.vocab_size);
  throw Error("unknown tokenizer kind \"" + printable_label(spec.kind) +
              "\" (expected char, byte, word or bpe)");
}

std::unique_ptr<Tokenizer> tokenizer_from_json(const nlohmann::json& j) {
  const std::string& kind =
      tokenizer_support::field(j, "kind", nlohmann::json::value_t::string).get_ref<const std::string&>();
  if (kind == "char") return CharTokenizer::from_json(j);
  if (kind == "byte") return ByteTokenizer::from_json(j);
  if (kind == "word") return WordTokenizer::from_json(j);
  if (kind == "bpe") return BpeTokenizer::from_json(j);
  throw Error("tokenizer JSON: field \"kind\" is \"" + printable_label(kind) +
              "\", expected \"char\", \"byte\", \"word\" or \"bpe\"");
}

}  // namespace cllm
