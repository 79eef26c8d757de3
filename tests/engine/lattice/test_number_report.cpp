// The number analyser's report: a prime with all its positions, a composite, edge cases, and huge n
// whose coordinates leave double's range.
#include "lattice/number_report.h"

#include <gtest/gtest.h>

namespace cllm::test {
namespace {

using namespace std::chrono_literals;

TEST(NumberReport, APrimeGetsItsIndexTokenAndEveryPosition) {
  const NumberReport r = analyse_number(97, 1s);
  EXPECT_EQ(r.decimal, "97");
  EXPECT_EQ(r.digits, 2u);
  EXPECT_TRUE(r.is_prime());
  EXPECT_EQ(r.primality.verdict, PrimalityResult::Prime);
  EXPECT_EQ(r.prime_count, 25u);
  EXPECT_EQ(r.prime_index, 25u);  // 97 is the 25th prime
  EXPECT_EQ(r.token_id, 24);
  EXPECT_EQ(r.clock_class, 1);
  ASSERT_TRUE(r.clock);
  EXPECT_EQ(r.clock->ring, 1);
  EXPECT_EQ(r.clock->slot, 12);
  EXPECT_NEAR(r.clock->angle_degrees, 342, 1e-12);
  ASSERT_TRUE(r.cone && r.helix && r.ulam);
  EXPECT_DOUBLE_EQ(r.cone->z, prime_cone(24, 97).z);
  const Point3 helix = modular_helix(97);
  EXPECT_NEAR(r.helix->x.convert_to<double>(), helix.x, 1e-12);
  EXPECT_NEAR(r.helix->y.convert_to<double>(), helix.y, 1e-12);
  EXPECT_NEAR(r.helix->z.convert_to<double>(), helix.z, 1e-12);
  EXPECT_EQ(r.ulam->first.convert_to<double>(), ulam_spiral(97).x);
  EXPECT_EQ(r.ulam->second.convert_to<double>(), ulam_spiral(97).y);
  EXPECT_TRUE(r.notes.empty());

  const nlohmann::json j = to_json(r);
  EXPECT_EQ(j["number"], "97");
  EXPECT_EQ(j["primality"]["verdict"], "prime");
  EXPECT_EQ(j["prime_index"], 25);
  EXPECT_EQ(j["token_id"], 24);
  EXPECT_EQ(j["clock"]["slot"], 12);
  EXPECT_EQ(j["factorization"]["factors"][0]["prime"], "97");
  EXPECT_EQ(j["ulam"]["x"], std::to_string(static_cast<int>(ulam_spiral(97).x)));
}

TEST(NumberReport, ACompositeHasNoPrimePositionsAndSaysWhy) {
  const NumberReport r = analyse_number(360, 1s);
  EXPECT_FALSE(r.is_prime());
  EXPECT_EQ(r.prime_count, 72u);
  EXPECT_FALSE(r.prime_index || r.token_id || r.clock || r.cone);
  EXPECT_TRUE(r.helix && r.ulam);
  EXPECT_EQ(r.clock_class, 0);
  ASSERT_EQ(r.notes.size(), 1u);
  EXPECT_NE(r.notes[0].find("not prime"), std::string::npos);
  const nlohmann::json j = to_json(r);
  EXPECT_TRUE(j["cone"].is_null());
  EXPECT_EQ(j["factorization"]["factors"].size(), 3u);
  EXPECT_EQ(j["factorization"]["complete"], true);
}

TEST(NumberReport, ZeroAndNegativeNumbers) {
  const NumberReport zero = analyse_number(0, 1s);
  EXPECT_FALSE(zero.is_prime());
  EXPECT_FALSE(zero.helix || zero.ulam);
  EXPECT_EQ(zero.factorization.note, "0 has no factorisation");
  const NumberReport minus = analyse_number(-15, 1s);
  EXPECT_EQ(minus.clock_class, 9);
  EXPECT_EQ(minus.digits, 2u);
  EXPECT_EQ(minus.factorization.factors.front().first, -1);
  EXPECT_EQ(to_json(minus)["number"], "-15");
}

TEST(NumberReport, HugeNumbersStayFiniteAndExact) {
  const BigInt m521 = (BigInt(1) << 521) - 1;
  const NumberReport prime = analyse_number(m521, 500ms);
  EXPECT_EQ(prime.primality.verdict, PrimalityResult::ProbablePrime);
  EXPECT_EQ(prime.digits, 157u);
  EXPECT_FALSE(prime.prime_count || prime.prime_index || prime.cone);
  EXPECT_TRUE(prime.factorization.complete);
  EXPECT_EQ(prime.notes.size(), 2u);  // no pi(n), no index

  // 10^999: the helix radius 10^693.6 is far beyond double; it must come out as a number with an exponent.
  const NumberReport huge = analyse_number(pow(BigInt(10), 999), 200ms);
  ASSERT_TRUE(huge.helix);
  EXPECT_NE(format_coordinate(huge.helix->y).find("e+693"), std::string::npos)
      << format_coordinate(huge.helix->y);
  const std::string dump = to_json(huge).dump();
  EXPECT_EQ(dump.find("inf"), std::string::npos) << dump;
  EXPECT_EQ(dump.find("nan"), std::string::npos) << dump;
  const nlohmann::json helix = to_json(huge)["helix"];
  ASSERT_TRUE(helix["x"].is_string()) << helix;
  EXPECT_NE(helix["x"].get<std::string>().find("e+693"), std::string::npos) << helix;
  EXPECT_TRUE(helix["z"].is_number());
  EXPECT_EQ(huge.factorization.factors.size(), 2u);  // 2^999 5^999
  // On ring k = ceil(sqrt n) / 2 (500 digits) one coordinate is +-k.
  EXPECT_EQ(decimal_digits(std::max(abs(huge.ulam->first), abs(huge.ulam->second))), 500u);
}

}  // namespace
}  // namespace cllm::test
