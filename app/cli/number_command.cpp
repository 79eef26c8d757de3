// `cllm number`: the number analyser on the command line: primality, factors, pi(n), and the lattice
// positions of a prime (or of a token's prime, with --token).

#include <chrono>
#include <cstdio>
#include <string>

#include "commands.h"
#include "common.h"
#include "inspect/word_number.h"
#include "io/checkpoint.h"
#include "lattice/number_report.h"
#include "text/tokenizer.h"
#include "util/error.h"

namespace cllm::cli {
namespace {

struct NumberOptions {
  std::string number;
  std::string token;
  std::string word;
  std::string checkpoint = kDefaultCheckpoint;
  bool allow_unverified = false;
  int budget_ms = 2000;
  bool json = false;
};

// Factors longer than this are shown as "1234...5678 (157 digits)".
constexpr size_t kShownDigits = 30;

std::string shown(const BigInt& n) {
  const size_t digits = decimal_digits(n);
  if (digits <= kShownDigits) return n.str();
  return abbreviated_decimal(n, kShownDigits) + " (" + std::to_string(digits) + " digits)";
}

std::string factors_text(const Factorization& f) {
  if (!f.note.empty()) return f.note;
  std::string s;
  for (const auto& [p, e] : f.factors) {
    if (!s.empty()) s += " × ";
    s += shown(p);
    if (e > 1) s += "^" + std::to_string(e);
  }
  if (f.complete) return s;
  const std::string rest = "(composite " + abbreviated_decimal(f.unfactored, 20) + ", " +
                           std::to_string(decimal_digits(f.unfactored)) + " digits)";
  char when[48];
  std::snprintf(when, sizeof when, "partially factored after %.1f s: ", f.seconds);
  return when + (s.empty() ? rest : s + " × " + rest);
}

std::string point_text(std::initializer_list<std::string> coordinates) {
  std::string s = "(";
  for (const std::string& c : coordinates) s += (s.size() > 1 ? ", " : "") + c;
  return s + ")";
}

std::string fmt(double v) {
  return format_coordinate(HighFloat(v));
}

// One aligned line; the label is padded by characters, not bytes ("π(n)" is 5 bytes, 4 characters).
void line(const std::string& label, const std::string& value) {
  size_t chars = 0;
  for (const char c : label) chars += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  std::printf("%s%s %s\n", label.c_str(), std::string(chars < 12 ? 12 - chars : 0, ' ').c_str(),
              value.c_str());
}

void print_report(const NumberReport& r) {
  line("number", r.decimal);
  line("digits", std::to_string(r.digits));
  line("prime?",
       r.primality.verdict == PrimalityResult::Prime ? "prime: " + r.primality.method : r.primality.method);
  line("factors", factors_text(r.factorization));
  if (r.prime_count) line("π(n)", group_thousands(static_cast<double>(*r.prime_count)));
  if (r.prime_index) line("prime index", std::to_string(*r.prime_index));
  if (r.token_id) line("token id", std::to_string(*r.token_id));
  line("clock class", std::to_string(r.clock_class) + " (n mod 12)");
  if (r.clock) {
    char buf[96];
    std::snprintf(buf, sizeof buf, "ring %lld, slot %d of %d, angle %g°, radius %g",
                  static_cast<long long>(r.clock->ring), r.clock->slot, r.clock->slot_count,
                  r.clock->angle_degrees, r.clock->radius);
    line("clock", buf);
  }
  if (r.cone) line("cone", point_text({fmt(r.cone->x), fmt(r.cone->y), fmt(r.cone->z)}));
  if (r.helix)
    line("helix", point_text({format_coordinate(r.helix->x), format_coordinate(r.helix->y),
                              format_coordinate(r.helix->z)}));
  if (r.ulam) line("ulam", point_text({shown(r.ulam->first), shown(r.ulam->second)}));
  for (const std::string& note : r.notes) line("note", note);
}

// The id of the token whose text (exact bytes) or printable label is `text`; bytes win over labels.
int32_t find_token(const Tokenizer& tok, const std::string& text, const std::string& checkpoint) {
  for (int32_t id = 0; id < tok.vocab_size(); ++id)
    if (tok.token_bytes(id) == text) return id;
  for (int32_t id = 0; id < tok.vocab_size(); ++id)
    if (tok.token_label(id) == text) return id;
  throw Error("token \"" + printable_label(text) + "\" is not in the vocabulary of " + checkpoint + " (" +
              tok.kind() + " tokenizer, " + std::to_string(tok.vocab_size()) +
              " tokens; give its text or its label as " + "`cllm generate --probs` prints it)");
}

void run(const NumberOptions& o) {
  const int given = !o.number.empty() + !o.token.empty() + !o.word.empty();
  require(given == 1, given == 0 ? "give a number, or --token TEXT or --word WORD with a checkpoint"
                                 : "give one of a number, --token and --word");
  require(o.budget_ms >= 0, "--budget-ms must not be negative, got " + std::to_string(o.budget_ms));
  BigInt n;
  nlohmann::json token_json;
  std::string token_line;
  if (!o.token.empty()) {
    const Checkpoint ck = load_checkpoint_warning_if_unverified(o.checkpoint, o.allow_unverified);
    const int32_t id = find_token(*ck.tokenizer, o.token, o.checkpoint);
    const uint64_t prime = nth_prime(static_cast<size_t>(id));
    n = prime;
    token_json = {
        {"text", ck.tokenizer->token_label(id)}, {"id", id}, {"prime", prime}, {"checkpoint", o.checkpoint}};
    token_line = "\"" + ck.tokenizer->token_label(id) + "\" is token id " + std::to_string(id) + " of " +
                 o.checkpoint + ", so its prime is p_" + std::to_string(id) + " = " + std::to_string(prime);
  } else if (!o.word.empty()) {
    const Checkpoint ck = load_checkpoint_warning_if_unverified(o.checkpoint, o.allow_unverified);
    const WordNumber w = word_number(ck.model_config, *ck.tokenizer, o.word);
    n = w.number;
    token_json = {{"word", w.word},
                  {"id", w.id},
                  {"root", w.root},
                  {"root_id", w.root_id},
                  {"root_prime", w.root_prime},
                  {"affix", w.affix},
                  {"affix_id", w.affix_id},
                  {"affix_prime", w.affix_prime ? nlohmann::json(*w.affix_prime) : nlohmann::json(nullptr)},
                  {"number", w.number.str()},
                  {"checkpoint", o.checkpoint}};
    token_line = describe_word_number(w);
  } else {
    n = parse_integer(o.number);
  }
  const NumberReport report = analyse_number(n, std::chrono::milliseconds(o.budget_ms));
  if (o.json) {
    nlohmann::json j = to_json(report);
    if (!token_json.is_null()) j[o.word.empty() ? "token" : "word"] = token_json;
    print_json(j);
    return;
  }
  if (!token_line.empty()) line(o.word.empty() ? "token" : "word", token_line);
  print_report(report);
}

}  // namespace

void add_number_command(CLI::App& app) {
  auto o = std::make_shared<NumberOptions>();
  CLI::App* cmd =
      app.add_subcommand("number", "the number analyser: primality, factors, pi(n), lattice positions");
  cmd->add_option("number", o->number,
                  "an integer: digits (any length), or a^b, a^b+c, a^b-c (e.g. 2^521-1)");
  cmd->add_option("--token", o->token, "analyse the prime of this token of the checkpoint's vocabulary");
  cmd->add_option("--word", o->word,
                  "a word of a model trained with --roots on: its number p_root x p_affix, factorised");
  cmd->add_option("-c,--checkpoint", o->checkpoint, "checkpoint whose tokenizer --token looks in")
      ->capture_default_str();
  add_allow_unverified_option(*cmd, o->allow_unverified);
  cmd->add_option("--budget-ms", o->budget_ms, "time allowed for factoring, in milliseconds")
      ->capture_default_str();
  cmd->add_flag("--json", o->json, "print one JSON object");
  cmd->callback([o] { run(*o); });
}

}  // namespace cllm::cli
