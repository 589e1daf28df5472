// Unit tests for tkb/text.hpp: LineIndex, trim, loose_key, slugify, is_valid_utf8,
// edit_distance.
#include <catch2/catch.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "tkb/text.hpp"

using namespace tkb;

namespace {

void check_pos(const Position& p, std::uint32_t offset, std::uint32_t line, std::uint32_t column) {
  CHECK(p.offset == offset);
  CHECK(p.line == line);
  CHECK(p.column == column);
}

}  // namespace

TEST_CASE("text: LineIndex maps offsets to 1-based line and byte column", "[text]") {
  //                  0123 456 7 8 9
  std::string_view t = "ab\ncd\n\nxyz";
  LineIndex idx(t);
  CHECK(idx.line_count() == 4);
  CHECK(idx.line_start(1) == 0);
  CHECK(idx.line_start(2) == 3);
  CHECK(idx.line_start(3) == 6);
  CHECK(idx.line_start(4) == 7);
  check_pos(idx.at(0), 0, 1, 1);
  check_pos(idx.at(1), 1, 1, 2);
  check_pos(idx.at(2), 2, 1, 3);  // the '\n' itself belongs to line 1
  check_pos(idx.at(3), 3, 2, 1);
  check_pos(idx.at(5), 5, 2, 3);
  check_pos(idx.at(6), 6, 3, 1);
  check_pos(idx.at(7), 7, 4, 1);
  check_pos(idx.at(9), 9, 4, 3);
  check_pos(idx.at(10), 10, 4, 4);  // one past the end
}

TEST_CASE("text: LineIndex counts only LF as a line end and columns in bytes", "[text]") {
  SECTION("CRLF: the CR is the last byte of its line") {
    std::string_view t = "a\r\nb\r\n";
    LineIndex idx(t);
    CHECK(idx.line_count() == 3);
    check_pos(idx.at(1), 1, 1, 2);
    check_pos(idx.at(3), 3, 2, 1);
    check_pos(idx.at(6), 6, 3, 1);
  }
  SECTION("a lone CR does not end a line") {
    LineIndex idx("a\rb");
    CHECK(idx.line_count() == 1);
    check_pos(idx.at(2), 2, 1, 3);
  }
  SECTION("multi-byte UTF-8 counts each byte") {
    LineIndex idx("\xC3\xA9\xC3\xA9x");  // "éé" then x
    check_pos(idx.at(4), 4, 1, 5);
  }
  SECTION("empty text has one line") {
    LineIndex idx("");
    CHECK(idx.line_count() == 1);
    check_pos(idx.at(0), 0, 1, 1);
  }
  SECTION("text ending with a newline has an empty last line") {
    LineIndex idx("x\n");
    CHECK(idx.line_count() == 2);
    CHECK(idx.line_start(2) == 2);
  }
}

TEST_CASE("text: trim and to_lower_ascii", "[text]") {
  CHECK(trim("  a b \t") == "a b");
  CHECK(trim("\r\n x\f\v") == "x");
  CHECK(trim("   ") == "");
  CHECK(trim("") == "");
  CHECK(trim("abc") == "abc");
  CHECK(to_lower_ascii("AbC-\xC3\x89Z") == "abc-\xC3\x89z");  // É is not ASCII: kept
  CHECK(to_lower_ascii("") == "");
}

TEST_CASE("text: loose_key", "[text]") {
  CHECK(loose_key("AI's Impact") == "aisimpact");
  CHECK(loose_key("ais_impact") == "aisimpact");
  CHECK(loose_key("AIs-impact") == "aisimpact");
  CHECK(loose_key("AI's Impact") == loose_key("ais_impact"));
  CHECK(loose_key("Step 2: Profit!") == "step2profit");
  CHECK(loose_key("") == "");
  CHECK(loose_key("!!! ---") == "");
  // Non-ASCII letters are kept as they are (not lower-cased).
  CHECK(loose_key("Caf\xC3\xA9 \xC3\x89t\xC3\xA9") == "caf\xC3\xA9\xC3\x89t\xC3\xA9");
  // Invisible characters are dropped.
  CHECK(loose_key("\xE2\x81\xA8" "cleoabram" "\xE2\x81\xA9") == "cleoabram");  // U+2068/U+2069
  CHECK(loose_key("a\xE2\x80\x8B" "b") == "ab");                              // zero-width space
  CHECK(loose_key("a\xE2\x80\x8C" "b\xE2\x80\x8D" "c") == "abc");             // ZWNJ, ZWJ
  CHECK(loose_key("a\xE2\x80\x8E" "b\xE2\x80\x8F" "c") == "abc");             // LRM, RLM
  CHECK(loose_key("a\xE2\x80\xAA" "b\xE2\x80\xAE" "c") == "abc");             // LRE, RLO
  CHECK(loose_key("a\xE2\x81\xA0" "b") == "ab");                              // word joiner
  CHECK(loose_key("a\xE2\x81\xA6" "b\xE2\x81\xA7" "c") == "abc");             // LRI, RLI
  CHECK(loose_key("\xEF\xBB\xBF" "abc") == "abc");                            // BOM
  CHECK(loose_key("soft\xC2\xAD" "hyphen") == "softhyphen");                  // U+00AD
  // Neighbours of the invisible ranges are kept.
  CHECK(loose_key("a\xE2\x80\x94" "b") == "a\xE2\x80\x94" "b");  // em dash U+2014
  CHECK(loose_key("a\xC2\xA0" "b") == "a\xC2\xA0" "b");          // no-break space U+00A0
}

TEST_CASE("text: slugify is the generator's file-name rule", "[text]") {
  CHECK(slugify("AI in film making") == "ai_in_film_making");
  CHECK(slugify("AI's Impact!") == "ais_impact");
  CHECK(slugify("Step 2: Profit") == "step_2_profit");
  CHECK(slugify("two  spaces") == "two__spaces");
  CHECK(slugify("snake_case-and.dots") == "snakecaseanddots");  // '_' is not kept
  CHECK(slugify("Caf\xC3\xA9 au lait") == "caf_au_lait");      // non-ASCII dropped
  CHECK(slugify("") == "");
}

TEST_CASE("text: the key functions into a reused buffer give the same keys", "[text]") {
  // Resolution reuses one buffer per thread: each call must clear what the last one left.
  const std::string_view inputs[] = {"AI's Impact!",
                                     "",
                                     "Step 2: Profit",
                                     "a very long target that does not fit in a small string",
                                     "Caf\xC3\xA9 \xE2\x80\x8B"
                                     "au lait",
                                     "x"};
  std::string lower, loose, slug;
  for (int round = 0; round < 2; ++round) {
    for (std::string_view in : inputs) {
      INFO("input: " << in);
      to_lower_ascii(in, lower);
      loose_key(in, loose);
      slugify(in, slug);
      CHECK(lower == to_lower_ascii(in));
      CHECK(loose == loose_key(in));
      CHECK(slug == slugify(in));
    }
  }
  loose_key("AI's Impact", loose);
  CHECK(loose == "aisimpact");
  slugify("AI in film making", slug);
  CHECK(slug == "ai_in_film_making");
  to_lower_ascii("AbC", lower);
  CHECK(lower == "abc");
}

TEST_CASE("text: is_valid_utf8", "[text]") {
  struct Case {
    const char* what;
    std::string_view bytes;
    bool valid;
  };
  const Case cases[] = {
      {"empty", "", true},
      {"ASCII", "hello, world", true},
      {"2-byte e-acute", "caf\xC3\xA9", true},
      {"3-byte euro sign", "\xE2\x82\xAC", true},
      {"4-byte emoji", "\xF0\x9F\x98\x80", true},
      {"U+D7FF just below surrogates", "\xED\x9F\xBF", true},
      {"U+E000 just above surrogates", "\xEE\x80\x80", true},
      {"U+10FFFF highest code point", "\xF4\x8F\xBF\xBF", true},
      {"U+0080 lowest 2-byte", "\xC2\x80", true},
      {"U+0800 lowest 3-byte", "\xE0\xA0\x80", true},
      {"U+10000 lowest 4-byte", "\xF0\x90\x80\x80", true},
      {"overlong 2-byte slash", "\xC0\xAF", false},
      {"overlong 2-byte C1", "\xC1\xBF", false},
      {"overlong 3-byte", "\xE0\x80\xAF", false},
      {"overlong 3-byte U+07FF", "\xE0\x9F\xBF", false},
      {"overlong 4-byte", "\xF0\x80\x80\xAF", false},
      {"overlong 4-byte U+FFFF", "\xF0\x8F\xBF\xBF", false},
      {"high surrogate", "\xED\xA0\x80", false},
      {"low surrogate", "\xED\xBF\xBF", false},
      {"above U+10FFFF", "\xF4\x90\x80\x80", false},
      {"5-byte lead", "\xF8\x88\x80\x80\x80", false},
      {"0xFF byte", "a\xFF", false},
      {"0xFE byte", "\xFE", false},
      {"lone continuation byte", "a\x80" "b", false},
      {"truncated 2-byte at end", "ab\xC3", false},
      {"truncated 3-byte at end", "\xE2\x82", false},
      {"truncated 4-byte at end", "\xF0\x9F\x98", false},
      {"truncated 3-byte before ASCII", "\xE2\x82z", false},
      {"lead byte followed by lead byte", "\xC3\xC3\xA9", false},
  };
  for (const Case& c : cases) {
    INFO(c.what);
    CHECK(is_valid_utf8(c.bytes) == c.valid);
  }
}

TEST_CASE("text: edit_distance with a cap", "[text]") {
  CHECK(edit_distance("kitten", "sitting", 10) == 3);
  CHECK(edit_distance("sitting", "kitten", 10) == 3);  // symmetric
  CHECK(edit_distance("kitten", "sitting", 3) == 3);   // exactly at the cap
  CHECK(edit_distance("kitten", "sitting", 2) == 3);   // gives up: max + 1
  CHECK(edit_distance("kitten", "sitting", 0) == 1);
  CHECK(edit_distance("", "", 0) == 0);
  CHECK(edit_distance("abc", "abc", 0) == 0);
  CHECK(edit_distance("", "abc", 5) == 3);
  CHECK(edit_distance("abc", "", 5) == 3);
  CHECK(edit_distance("", "abcdef", 2) == 3);  // the length difference alone exceeds the cap
  CHECK(edit_distance("flaw", "lawn", 5) == 2);
  CHECK(edit_distance("abcdef", "azcdef", 5) == 1);
  CHECK(edit_distance("sourdoghstarter", "sourdoughstarters", 5) == 2);
  CHECK(edit_distance("abcdefgh", "hgfedcba", 3) == 4);  // real distance is at least 7
}

TEST_CASE("text: letters_and_digits keeps ASCII letters, lower-cased, and digits only", "[text]") {
  std::string out = "left over";
  letters_and_digits("AI's Impact_2 \xC3\xA9t\xC3\xA9 \xE2\x80\x8B-9", out);
  CHECK(out == "aisimpact2t9");
  letters_and_digits("", out);
  CHECK(out.empty());
  letters_and_digits("!?", out);
  CHECK(out.empty());
}

namespace {

// What scan_text must find, one byte at a time.
struct Oracle {
  std::vector<std::uint32_t> lines;
  bool nul;
};
Oracle scan_oracle(std::string_view t) {
  Oracle o{{0}, false};
  for (std::size_t i = 0; i < t.size(); ++i) {
    if (t[i] == '\n') o.lines.push_back(static_cast<std::uint32_t>(i + 1));
    if (t[i] == '\0') o.nul = true;
  }
  return o;
}

}  // namespace

TEST_CASE("scan_text: the 32-byte and 16-byte steps find the same, wherever bytes fall", "[text]") {
  // Pieces: ASCII, line breaks, NUL, two- and three-byte characters (with 0xE2 and 0xEF
  // lead bytes), and broken sequences, at random places in texts of every length around the
  // 16- and 32-byte steps.
  const std::vector<std::string> pieces = {
      "a",        "word ",        "\n",           std::string(1, '\0'),
      "\xC3\xA9", "\xE2\x80\x9C", "\xE2\x80\x8B", "\xEF\xBB\xBF",
      "\xFF",     "\x80",         "\xE2\x80"};
  std::uint32_t seed = 12345;
  auto next = [&] { return seed = seed * 1664525u + 1013904223u; };
  std::vector<std::uint32_t> l1, e1, l2, e2;
  int with_nul = 0, invalid = 0, with_e2_ef = 0;
  for (int round = 0; round < 20000; ++round) {
    std::string t;
    const std::size_t want = next() % 140;
    const bool clean = round % 2 == 0;  // half without NUL or broken sequences
    while (t.size() < want) {
      std::size_t k = next() % pieces.size();
      if (clean && (k == 3 || k >= 8)) continue;
      t += pieces[k];
    }
    TextScan a = scan_text(t, l1, e1);
    TextScan b = [&] {
      const WideSteps narrow(false);
      return scan_text(t, l2, e2);
    }();
    Oracle o = scan_oracle(t);
    INFO("round " << round << " size " << t.size());
    REQUIRE(a.has_nul == b.has_nul);
    REQUIRE(a.has_nul == o.nul);
    REQUIRE(a.valid_utf8 == b.valid_utf8);
    REQUIRE(a.valid_utf8 == is_valid_utf8(t));
    REQUIRE(l1 == l2);
    REQUIRE(l1 == o.lines);
    REQUIRE(e1 == e2);
    with_nul += a.has_nul;
    invalid += !a.valid_utf8;
    with_e2_ef += !e1.empty();
  }
  // Each kind of text was met many times.
  CHECK(with_nul > 3000);
  CHECK(invalid > 3000);
  CHECK(with_e2_ef > 3000);
}
