#pragma once
// Internal helpers shared by the tokenizer implementations (not part of the public API): reading and
// checking JSON fields of a serialised tokenizer, and the invalid UTF-8 error. Every check throws
// cllm::Error with a one-line message that starts with "tokenizer JSON:" and names the field.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace cllm::tokenizer_support {

// j[name], which must exist and be of `type` (object, array, string, number_integer, ...); `j` must be
// an object. number_integer accepts signed and unsigned integers but not floating-point numbers.
const nlohmann::json& field(const nlohmann::json& j, const char* name, nlohmann::json::value_t type);

// `value`, an integer in [lo, hi]; `where` names it in messages, e.g. "merges"[3][0].
int64_t integer_in_range(const nlohmann::json& value, const std::string& where, int64_t lo, int64_t hi);

// `value`, a string; `where` names it in messages.
const std::string& string_value(const nlohmann::json& value, const std::string& where);

// Checks j["vocab_size"] equals `actual` (what the other fields imply).
void check_vocab_size(const nlohmann::json& j, int64_t actual, const std::string& implied_by);

// Throws "<who>: invalid UTF-8 at byte offset B (line L, column C): byte 0xNN" when text is not valid.
void require_valid_utf8(std::string_view text, std::string_view who);

}  // namespace cllm::tokenizer_support
