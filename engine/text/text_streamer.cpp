#include "text/text_streamer.h"

#include <cassert>

#include "text/utf8.h"

namespace cllm {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

// `bytes` with every byte that starts no well-formed sequence replaced by U+FFFD.
std::string sanitize(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size());
  for (size_t i = 0; i < bytes.size();) {
    const size_t n = utf8::decode_at(bytes, i).length;
    if (n == 0) {
      out += kReplacement;
      ++i;
    } else {
      out += bytes.substr(i, n);
      i += n;
    }
  }
  return out;
}

}  // namespace

TextStreamer::TextStreamer(const Tokenizer& tokenizer) : tokenizer_(tokenizer) {}

std::string TextStreamer::push(int32_t id) {
  std::string added;
  if (previous_) {
    const int32_t pair[2] = {*previous_, id};
    const std::string both = tokenizer_.decode(pair);
    const std::string before = tokenizer_.decode(std::span<const int32_t>(pair, 1));
    assert(both.compare(0, before.size(), before) == 0);  // prefix stability
    added = both.substr(before.size());
  } else {
    added = tokenizer_.decode(std::span<const int32_t>(&id, 1));
  }
  previous_ = id;
  pending_ += added;
  const size_t ready = utf8::complete_prefix_length(pending_);
  std::string out = sanitize(std::string_view(pending_).substr(0, ready));
  pending_.erase(0, ready);
  return out;
}

std::string TextStreamer::finish() {
  std::string out = pending_.empty() ? std::string() : std::string(kReplacement);
  pending_.clear();
  previous_.reset();
  return out;
}

}  // namespace cllm
