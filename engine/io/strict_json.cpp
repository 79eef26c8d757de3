#include "io/strict_json.h"

#include <unordered_set>
#include <vector>

#include "io/quote.h"
#include "text/utf8.h"
#include "util/error.h"

namespace cllm {
namespace {

using json = nlohmann::json;

// The streaming pass. nlohmann's callback parser, which did this before, rescans an object's members at
// the end of every nested object: a 1.2 MB safetensors header of 100,000 empty entries took 90 s.
class StrictnessChecker {
 public:
  StrictnessChecker(const std::string& where, const std::string& what, JsonLimits limits)
      : where_(where), what_(what), limits_(limits) {}

  bool null() { return value(); }
  bool boolean(bool) { return value(); }
  bool number_integer(json::number_integer_t) { return value(); }
  bool number_unsigned(json::number_unsigned_t) { return value(); }
  bool number_float(json::number_float_t, const json::string_t&) { return value(); }
  bool string(json::string_t&) { return value(); }
  bool binary(json::binary_t&) { return value(); }
  bool start_object(std::size_t) { return start(true); }
  bool start_array(std::size_t) { return start(false); }
  bool end_object() { return end(); }
  bool end_array() { return end(); }
  bool key(json::string_t& k) {
    Frame& top = frames_.back();
    if (top.keys.size() == limits_.max_entries)
      throw Error(where_ + what_ + " has more than " + std::to_string(limits_.max_entries) + " entries" +
                  (top.name.empty() ? "" : " in " + quote(top.name)) + ": refused before reading them");
    top.last_key = k;
    if (!top.keys.insert(k).second)
      throw Error(where_ + "duplicate key " + quote(k) + " in the " + what_ +
                  (top.name.empty() ? "" : " (in " + quote(top.name) + ")"));
    return true;
  }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception& e) {
    if (const auto* pe = dynamic_cast<const json::parse_error*>(&e)) throw *pe;
    throw Error(where_ + what_ + " is not valid JSON: " + e.what());
  }

 private:
  struct Frame {
    bool is_object;
    std::string name;  // "w.shape[0]" style, for messages
    std::unordered_set<std::string> keys;
    std::string last_key;
    size_t elements = 0;
  };

  bool value() {
    if (!frames_.empty() && !frames_.back().is_object) ++frames_.back().elements;
    return true;
  }
  bool start(bool is_object) {
    std::string name;
    if (!frames_.empty()) {
      Frame& parent = frames_.back();
      if (parent.is_object)
        name = parent.name.empty() ? parent.last_key : parent.name + "." + parent.last_key;
      else
        name = parent.name + "[" + std::to_string(parent.elements++) + "]";
    }
    if (frames_.size() == limits_.max_depth)
      throw Error(where_ + what_ + " nests deeper than " + std::to_string(limits_.max_depth) +
                  " levels, at " + quote(name));
    frames_.push_back({is_object, std::move(name), {}, {}, 0});
    return true;
  }
  bool end() {
    frames_.pop_back();
    return true;
  }

  const std::string& where_;
  const std::string& what_;
  JsonLimits limits_;
  std::vector<Frame> frames_;
};

}  // namespace

json parse_strict_json(const std::string& text, const std::string& where, const std::string& what,
                       JsonLimits limits, std::optional<uint64_t> file_offset) {
  try {
    StrictnessChecker checker(where, what, limits);
    json::sax_parse(text, &checker, json::input_format_t::json, /*strict=*/true, /*ignore_comments=*/false);
    return json::parse(text, nullptr, /*allow_exceptions=*/true, /*ignore_comments=*/false);
  } catch (const json::parse_error& e) {
    // e.byte is 1-based; drop nlohmann's "[json.exception.parse_error.101] " tag.
    std::string detail = e.what();
    if (const size_t tag_end = detail.find("] "); tag_end != std::string::npos) detail.erase(0, tag_end + 2);
    if (detail.size() > 200)
      detail = detail.substr(0, utf8::complete_prefix_length(detail.substr(0, 200))) + "...";
    const uint64_t byte = e.byte > 0 ? e.byte - 1 : 0;
    const std::string position =
        file_offset ? "file offset " + std::to_string(*file_offset + byte) : "byte " + std::to_string(byte);
    throw Error(where + what + " is not valid JSON (at " + position + "): " + detail);
  } catch (const json::exception& e) {
    throw Error(where + what + " is not valid JSON: " + e.what());
  }
}

}  // namespace cllm
