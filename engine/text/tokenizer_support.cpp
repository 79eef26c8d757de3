#include "text/tokenizer_support.h"

#include <cstdio>

#include "text/utf8.h"
#include "util/error.h"

namespace cllm::tokenizer_support {
namespace {

std::string quoted(const char* name) {
  return std::string("\"") + name + "\"";
}

}  // namespace

const nlohmann::json& field(const nlohmann::json& j, const char* name, nlohmann::json::value_t type) {
  using value_t = nlohmann::json::value_t;
  require(j.is_object(), std::string("tokenizer JSON: expected an object, found ") + j.type_name());
  const auto it = j.find(name);
  require(it != j.end(), "tokenizer JSON: missing field " + quoted(name));
  bool ok;
  std::string expected;
  if (type == value_t::number_integer || type == value_t::number_unsigned) {
    ok = it->is_number_integer();
    expected = "an integer";
  } else {
    ok = it->type() == type;
    expected = nlohmann::json(type).type_name();
  }
  require(ok, "tokenizer JSON: field " + quoted(name) + " is " + it->type_name() + ", expected " + expected);
  return *it;
}

int64_t integer_in_range(const nlohmann::json& value, const std::string& where, int64_t lo, int64_t hi) {
  require(value.is_number_integer(),
          "tokenizer JSON: " + where + " is " + value.type_name() + ", expected an integer");
  // Unsigned values above INT64_MAX must not wrap into range.
  const bool too_big = value.is_number_unsigned() && value.get<uint64_t>() > static_cast<uint64_t>(hi);
  const int64_t v = too_big ? hi : value.get<int64_t>();
  require(!too_big && v >= lo && v <= hi, "tokenizer JSON: " + where + " is " + value.dump() +
                                              ", expected an integer in [" + std::to_string(lo) + ", " +
                                              std::to_string(hi) + "]");
  return v;
}

const std::string& string_value(const nlohmann::json& value, const std::string& where) {
  require(value.is_string(), "tokenizer JSON: " + where + " is " + value.type_name() + ", expected a string");
  return value.get_ref<const std::string&>();
}

void check_vocab_size(const nlohmann::json& j, int64_t actual, const std::string& implied_by) {
  const auto& v = field(j, "vocab_size", nlohmann::json::value_t::number_integer);
  // A huge unsigned value reads as a negative int64_t, which never equals a real size.
  require(v.get<int64_t>() == actual, "tokenizer JSON: \"vocab_size\" is " + v.dump() + " but " + implied_by +
                                          " implies " + std::to_string(actual));
}

void require_valid_utf8(std::string_view text, std::string_view who) {
  const auto bad = utf8::find_invalid(text);
  if (!bad) return;
  char byte[8];
  std::snprintf(byte, sizeof byte, "0x%02X", static_cast<unsigned char>(text[bad->byte_offset]));
  throw Error(std::string(who) + ": invalid UTF-8 at byte offset " + std::to_string(bad->byte_offset) +
              " (line " + std::to_string(bad->line) + ", column " + std::to_string(bad->column) + "): byte " +
              byte);
}

}  // namespace cllm::tokenizer_support
