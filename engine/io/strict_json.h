#pragma once
// JSON from files we did not write ourselves: nlohmann's parser accepts duplicate keys (the last wins)
// and any depth, so one streaming pass refuses those first. Both passes take linear time.

#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace cllm {

struct JsonLimits {
  size_t max_depth;    // nested objects and arrays, the outermost counting as 1
  size_t max_entries;  // members of any one object
};

// Parses `text` or throws cllm::Error "<where><what> ..." naming the problem: not valid JSON (with its
// position), a duplicate key, too deep, too many entries. `where` is a prefix such as "'file': ", `what`
// names the text ("header", "metadata 'tokenizer'"). Positions are reported as file offsets when
// `file_offset` (where the text starts in its file) is given, else as bytes of the text.
nlohmann::json parse_strict_json(const std::string& text, const std::string& where, const std::string& what,
                                 JsonLimits limits, std::optional<uint64_t> file_offset = std::nullopt);

}  // namespace cllm
