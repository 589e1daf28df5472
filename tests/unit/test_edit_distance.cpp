// The banded, capped edit distance against the textbook algorithm on random strings.
#include <catch2/catch.hpp>

#include <algorithm>
#include <random>

#include "tkb/text.hpp"

namespace {

std::size_t reference(const std::string& a, const std::string& b) {
  std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
  for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    for (std::size_t j = 1; j <= b.size(); ++j) {
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] != b[j - 1])});
    }
  }
  return d[a.size()][b.size()];
}

}  // namespace

TEST_CASE("edit_distance equals the textbook distance, capped at max + 1", "[text]") {
  std::mt19937 rng(20261124);
  std::uniform_int_distribution<int> len(0, 14), letter(0, 3), cap(0, 6);
  for (int round = 0; round < 20000; ++round) {
    std::string a, b;
    for (int k = len(rng); k > 0; --k) a += static_cast<char>('a' + letter(rng));
    for (int k = len(rng); k > 0; --k) b += static_cast<char>('a' + letter(rng));
    std::size_t max = static_cast<std::size_t>(cap(rng));
    std::size_t want = std::min(reference(a, b), max + 1);
    INFO(a << " / " << b << " max " << max);
    REQUIRE(tkb::edit_distance(a, b, max) == want);
  }
}
