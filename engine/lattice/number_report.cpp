#include "lattice/number_report.h"

#include <cmath>
#include <cstdio>
#include <limits>

namespace cllm {
namespace {

bool fits_double(const HighFloat& v) {
  return abs(v) < HighFloat(std::numeric_limits<double>::max()) / 2;
}

nlohmann::json coordinate_json(const HighFloat& v) {
  if (fits_double(v)) return v.convert_to<double>();
  return v.str(17, std::ios_base::scientific);
}

// cos and sin of k * 30 degrees, exact up to the float's precision (0 stays exactly 0, so that a huge
// radius times cos 90 degrees does not print as a huge number). cos(k 30 deg) = rational + halves * sqrt3/2.
std::pair<HighFloat, HighFloat> clock_cos_sin(int k) {
  struct Exact {
    double rational;
    int root3_halves;
  };
  static constexpr Exact kCos[12] = {{1, 0},  {0, 1},  {0.5, 0},  {0, 0}, {-0.5, 0}, {0, -1},
                                     {-1, 0}, {0, -1}, {-0.5, 0}, {0, 0}, {0.5, 0},  {0, 1}};
  const HighFloat root3_half = sqrt(HighFloat(3)) / 2;
  auto value = [&](const Exact& e) { return HighFloat(e.rational) + e.root3_halves * root3_half; };
  return {value(kCos[k % 12]), value(kCos[(k + 9) % 12])};  // sin(k 30 deg) = cos((k - 3) 30 deg)
}

HighPoint3 high_helix(const BigInt& n) {
  const HighFloat ln_n = log(HighFloat(n));
  const HighFloat phi = (1 + sqrt(HighFloat(5))) / 2;
  const HighFloat r = exp(ln_n * log(phi) / log(HighFloat(2)));
  const auto [c, s] = clock_cos_sin(clock_class(n));
  return {r * c, r * s, ln_n / log(phi)};
}

// "5,000,000,000"
std::string grouped(uint64_t v) {
  const std::string digits = std::to_string(v);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

}  // namespace

std::string format_coordinate(const HighFloat& value) {
  if (fits_double(value)) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.6g", value.convert_to<double>());
    return buf;
  }
  return value.str(7, std::ios_base::scientific);
}

NumberReport analyse_number(const BigInt& n, std::chrono::milliseconds budget) {
  NumberReport r;
  r.n = n;
  r.decimal = n.str();
  r.digits = decimal_digits(n);
  r.primality = test_primality(n);
  r.budget = budget;
  if (r.is_prime()) {
    r.factorization.factors = {{n, 1}};  // already decided: do not run a 1,000-digit primality test twice
  } else {
    r.factorization = factorize(n, budget);
  }
  r.prime_count = prime_count(n);
  r.clock_class = clock_class(n);
  if (!r.prime_count)
    r.notes.push_back("π(n) is not computed above " + grouped(kPrimeCountLimit) +
                      " (it would take over a second)");
  if (r.is_prime() && r.prime_count) {
    r.prime_index = *r.prime_count;
    r.token_id = static_cast<int64_t>(*r.prime_index) - 1;
    r.clock = clock_position(static_cast<int64_t>(*r.prime_index));
    r.cone = prime_cone(*r.token_id, n.convert_to<uint64_t>());
  } else if (r.is_prime()) {
    r.notes.push_back("prime index unknown above " + grouped(kPrimeCountLimit) +
                      ": no token id, clock slot or cone point");
  } else {
    r.notes.push_back(
        "not prime: no prime index, token id, clock slot or cone point (those belong to primes)");
  }
  if (n >= 1) {
    r.helix = high_helix(n);
    r.ulam = ulam_coordinates(n);
  } else {
    r.notes.push_back("no helix point or Ulam position: both maps start at 1");
  }
  return r;
}

nlohmann::json to_json(const NumberReport& r) {
  using nlohmann::json;
  json factors = json::array();
  for (const auto& [p, e] : r.factorization.factors) factors.push_back({{"prime", p.str()}, {"exponent", e}});
  const char* verdict = r.primality.verdict == PrimalityResult::Prime           ? "prime"
                        : r.primality.verdict == PrimalityResult::ProbablePrime ? "probable prime"
                                                                                : "composite";
  json j = {{"number", r.decimal},
            {"digits", r.digits},
            {"primality", {{"verdict", verdict}, {"method", r.primality.method}}},
            {"factorization",
             {{"factors", factors},
              {"unfactored", r.factorization.unfactored.str()},
              {"complete", r.factorization.complete},
              {"seconds", r.factorization.seconds},
              {"budget_ms", r.budget.count()},
              {"note", r.factorization.note}}},
            {"prime_count", r.prime_count ? json(*r.prime_count) : json(nullptr)},
            {"clock_class", r.clock_class},
            {"prime_index", r.prime_index ? json(*r.prime_index) : json(nullptr)},
            {"token_id", r.token_id ? json(*r.token_id) : json(nullptr)},
            {"clock", nullptr},
            {"cone", nullptr},
            {"helix", nullptr},
            {"ulam", nullptr},
            {"notes", r.notes}};
  if (r.clock)
    j["clock"] = {{"ring", r.clock->ring},
                  {"slot", r.clock->slot},
                  {"slots", r.clock->slot_count},
                  {"radius", r.clock->radius},
                  {"angle_degrees", r.clock->angle_degrees}};
  if (r.cone) j["cone"] = {{"x", r.cone->x}, {"y", r.cone->y}, {"z", r.cone->z}};
  if (r.helix)
    j["helix"] = {{"x", coordinate_json(r.helix->x)},
                  {"y", coordinate_json(r.helix->y)},
                  {"z", coordinate_json(r.helix->z)}};
  if (r.ulam) j["ulam"] = {{"x", r.ulam->first.str()}, {"y", r.ulam->second.str()}};
  return j;
}

}  // namespace cllm
