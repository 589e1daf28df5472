// Unit tests for tkb/front_matter.hpp, and for how parse_note types front matter into Note.
#include <catch2/catch.hpp>

#include <string>
#include <string_view>

#include "tkb/front_matter.hpp"
#include "tkb/parse.hpp"

using namespace tkb;

namespace {

FrontMatterResult fm(std::string_view text) {
  LineIndex lines(text);
  return parse_front_matter(text, lines);
}

void check_pos(const Position& p, std::uint32_t offset, std::uint32_t line, std::uint32_t column) {
  CHECK(p.offset == offset);
  CHECK(p.line == line);
  CHECK(p.column == column);
}

void check_yaml_error(const FrontMatterResult& r, std::uint32_t offset, std::uint32_t line,
                      std::uint32_t column, const std::string& message) {
  REQUIRE(r.diagnostics.size() == 1);
  const Diagnostic& d = r.diagnostics[0];
  CHECK(d.path.empty());
  CHECK(d.rule == "yaml-error");
  CHECK(d.severity == Severity::error);
  CHECK(d.message == message);
  check_pos(d.pos, offset, line, column);
}

}  // namespace

TEST_CASE("front matter: keys in document order with positions", "[front_matter]") {
  const std::string text =
      "---\n"                          // 0
      "title: \"My Title\"\n"          // 4
      "videoId: abcdefghijk\n"         // 22
      "aliases: [a, b]\n"              // 43
      "tags:\n"                        // 59
      "  - x\n"                        // 65
      "  - \"y z\"\n"                  // 71
      "empty:\n"                       // 81
      "map:\n"                         // 88
      "  k: v\n"                       // 93
      "---\n"                          // 100
      "Body\n";                        // 104
  FrontMatterResult r = fm(text);
  CHECK(r.front_matter.present);
  CHECK(r.front_matter.closed);
  CHECK(r.diagnostics.empty());
  CHECK(r.body_offset == 104);
  REQUIRE(r.front_matter.entries.size() == 6);
  const auto& e = r.front_matter.entries;

  CHECK(e[0].key == "title");
  CHECK(e[0].value == "My Title");
  CHECK(e[0].is_scalar);
  CHECK(e[0].items.empty());
  check_pos(e[0].pos, 4, 2, 1);

  CHECK(e[1].key == "videoId");
  CHECK(e[1].value == "abcdefghijk");
  check_pos(e[1].pos, 22, 3, 1);

  CHECK(e[2].key == "aliases");
  CHECK_FALSE(e[2].is_scalar);
  CHECK(e[2].value == "a, b");
  CHECK(e[2].items == std::vector<std::string>{"a", "b"});
  check_pos(e[2].pos, 43, 4, 1);

  CHECK(e[3].key == "tags");
  CHECK_FALSE(e[3].is_scalar);
  CHECK(e[3].value == "x, y z");
  CHECK(e[3].items == std::vector<std::string>{"x", "y z"});
  check_pos(e[3].pos, 59, 5, 1);

  CHECK(e[4].key == "empty");
  CHECK(e[4].is_scalar);  // null stays an empty scalar
  CHECK(e[4].value == "");
  check_pos(e[4].pos, 81, 8, 1);

  CHECK(e[5].key == "map");
  CHECK_FALSE(e[5].is_scalar);
  CHECK(e[5].value == "");
  CHECK(e[5].items.empty());
  check_pos(e[5].pos, 88, 9, 1);

  REQUIRE(r.front_matter.find("videoId") != nullptr);
  CHECK(r.front_matter.find("videoId")->value == "abcdefghijk");
  CHECK(r.front_matter.find("videoid") == nullptr);  // keys are case-sensitive
  CHECK(r.front_matter.find("nope") == nullptr);
}

TEST_CASE("front matter: indented keys report the key's column", "[front_matter]") {
  FrontMatterResult r = fm("---\nouter:\n  inner: 1\nlast: 2\n---\n");
  REQUIRE(r.diagnostics.empty());
  REQUIRE(r.front_matter.entries.size() == 2);
  CHECK(r.front_matter.entries[0].key == "outer");
  CHECK(r.front_matter.entries[1].key == "last");
  check_pos(r.front_matter.entries[1].pos, 22, 4, 1);
}

TEST_CASE("front matter: title, videoId and aliases are typed into Note", "[front_matter]") {
  SECTION("flow list of aliases") {
    Note n = parse_note(
        "---\ntitle: \"My Title\"\nvideoId: abcdefghijk\naliases: [a, b]\n---\nBody\n",
        "chan/topic.md");
    CHECK(n.title == "My Title");
    CHECK(n.video_id == "abcdefghijk");
    CHECK(n.aliases == std::vector<std::string>{"a", "b"});
    CHECK(n.diagnostics.empty());
  }
  SECTION("block list of aliases") {
    Note n = parse_note("---\ntitle: T\naliases:\n  - Levain\n  - starter culture\n---\n",
                        "chan/topic.md");
    CHECK(n.aliases == std::vector<std::string>{"Levain", "starter culture"});
  }
  SECTION("a single alias as a scalar") {
    Note n = parse_note("---\naliases: single\n---\n", "chan/topic.md");
    CHECK(n.aliases == std::vector<std::string>{"single"});
  }
  SECTION("a numeric videoId is kept as written") {
    Note n = parse_note("---\ntitle: T\nvideoId: 12345678901\n---\n", "chan/topic.md");
    CHECK(n.video_id == "12345678901");
  }
  SECTION("no title, no videoId") {
    Note n = parse_note("---\nother: x\n---\n", "chan/topic.md");
    CHECK(n.title == "");
    CHECK(n.video_id == "");
    CHECK(n.aliases.empty());
  }
}

TEST_CASE("front matter: unterminated block is a yaml-error at 1:1", "[front_matter]") {
  const std::string text = "---\ntitle: T\nno close\n";
  FrontMatterResult r = fm(text);
  CHECK(r.front_matter.present);
  CHECK_FALSE(r.front_matter.closed);
  CHECK(r.front_matter.entries.empty());
  check_yaml_error(r, 0, 1, 1,
                   "front matter opened with '---' is never closed; the whole note is read as "
                   "body");

  Note n = parse_note(text, "chan/topic.md");
  CHECK(n.title == "");
  REQUIRE(n.diagnostics.size() == 1);
  CHECK(n.diagnostics[0].path == "chan/topic.md");
  CHECK(format_diagnostic(n.diagnostics[0]) ==
        "chan/topic.md:1:1: error: front matter opened with '---' is never closed; the whole "
        "note is read as body [yaml-error]");
}

TEST_CASE("front matter: invalid YAML reports yaml-cpp's mark as a file position",
          "[front_matter]") {
  SECTION("bad indentation: the mark is the second ':'") {
    // Line 3 is "  bad: indent"; yaml-cpp marks line 1 (0-based in the YAML), column 5:
    // file line 1 + 1 + 1 = 3, column 6. Offset 4 + 9 + 5 = 18.
    FrontMatterResult r = fm("---\ntitle: T\n  bad: indent\n---\n");
    CHECK(r.front_matter.closed);
    CHECK(r.front_matter.entries.empty());
    check_yaml_error(r, 18, 3, 6, "front matter is not valid YAML: illegal map value");
  }
  SECTION("a second ':' on one line") {
    // "k: x: y" on line 3 (offset 13): the second ':' is byte 4 -> column 5, offset 17.
    FrontMatterResult r = fm("---\ntitle: T\nk: x: y\n---\n");
    check_yaml_error(r, 17, 3, 5, "front matter is not valid YAML: illegal map value");
  }
  SECTION("columns are bytes, also after multi-byte UTF-8") {
    // "éé: x: y": é is two bytes, so the second ':' is byte 7 -> column 8, offset 13 + 7.
    FrontMatterResult r = fm("---\ntitle: T\n\xC3\xA9\xC3\xA9: x: y\n---\n");
    check_yaml_error(r, 20, 3, 8, "front matter is not valid YAML: illegal map value");
  }
  SECTION("an unclosed flow list is reported at the end of the YAML") {
    // yaml-cpp marks the end of its input: line 2 col 0 of the YAML, i.e. the start of the
    // closing '---' (file line 4, offset 4 + 9 + 15 = 28).
    FrontMatterResult r = fm("---\ntitle: T\nbad: [unclosed\n---\n");
    check_yaml_error(r, 28, 4, 1, "front matter is not valid YAML: end of sequence flow not found");
  }
  SECTION("after a BOM and with CRLF line ends") {
    // BOM (3) + "---\r\n" (5) = 8; "title: T\r\n" (10) -> line 3 starts at 18; ':' at +5.
    FrontMatterResult r = fm("\xEF\xBB\xBF---\r\ntitle: T\r\n  bad: indent\r\n---\r\n");
    check_yaml_error(r, 23, 3, 6, "front matter is not valid YAML: illegal map value");
  }
  SECTION("through parse_note the diagnostic carries the path") {
    Note n = parse_note("---\ntitle: T\n  bad: indent\n---\n[[x]]\n", "c/n.md");
    REQUIRE(n.diagnostics.size() == 1);
    CHECK(format_diagnostic(n.diagnostics[0]) ==
          "c/n.md:3:6: error: front matter is not valid YAML: illegal map value [yaml-error]");
    CHECK(n.title == "");
    REQUIRE(n.links.size() == 1);  // the body is still read
    CHECK(n.links[0].pos.line == 5);
  }
}

TEST_CASE("front matter: a repeated key is a yaml-error and the first value wins",
          "[front_matter]") {
  FrontMatterResult r = fm("---\ntitle: A\nother: 1\ntitle: B\n---\n");
  REQUIRE(r.front_matter.entries.size() == 2);
  CHECK(r.front_matter.entries[0].key == "title");
  CHECK(r.front_matter.entries[0].value == "A");
  CHECK(r.front_matter.entries[1].key == "other");
  check_yaml_error(r, 22, 4, 1,
                   "front matter key 'title' repeats the one on line 2; readers disagree on which "
                   "one wins");
}

TEST_CASE("front matter: a list or a scalar is not a mapping", "[front_matter]") {
  SECTION("list") {
    FrontMatterResult r = fm("---\n- a\n- b\n---\n");
    CHECK(r.front_matter.present);
    CHECK(r.front_matter.closed);
    CHECK(r.front_matter.entries.empty());
    check_yaml_error(r, 4, 2, 1, "front matter is a list, not a mapping of keys to values");
  }
  SECTION("scalar") {
    FrontMatterResult r = fm("---\njust text\n---\n");
    CHECK(r.front_matter.entries.empty());
    check_yaml_error(r, 4, 2, 1,
                     "front matter is a single value, not a mapping of keys to values");
  }
}

TEST_CASE("front matter: a key that is not a scalar", "[front_matter]") {
  FrontMatterResult r = fm("---\n? [a, b]\n: v\ntitle: T\n---\n");
  REQUIRE(r.front_matter.entries.size() == 1);
  CHECK(r.front_matter.entries[0].key == "title");
  check_yaml_error(r, 6, 2, 3, "front matter key is not a plain name");
}

TEST_CASE("front matter: empty block is present with no keys", "[front_matter]") {
  SECTION("nothing between the delimiters") {
    FrontMatterResult r = fm("---\n---\nbody\n");
    CHECK(r.front_matter.present);
    CHECK(r.front_matter.closed);
    CHECK(r.front_matter.entries.empty());
    CHECK(r.diagnostics.empty());
    CHECK(r.body_offset == 8);
  }
  SECTION("only a comment") {
    FrontMatterResult r = fm("---\n# nothing here\n---\n");
    CHECK(r.front_matter.closed);
    CHECK(r.front_matter.entries.empty());
    CHECK(r.diagnostics.empty());
  }
}

TEST_CASE("front matter: closing delimiters", "[front_matter]") {
  SECTION("'...' closes") {
    FrontMatterResult r = fm("---\ntitle: T\n...\nbody\n");
    CHECK(r.front_matter.closed);
    CHECK(r.body_offset == 17);
    REQUIRE(r.front_matter.entries.size() == 1);
  }
  SECTION("trailing blanks after the markers are tolerated") {
    FrontMatterResult r = fm("--- \ntitle: T\n---\t \nbody\n");
    CHECK(r.front_matter.closed);
    REQUIRE(r.front_matter.entries.size() == 1);
    check_pos(r.front_matter.entries[0].pos, 5, 2, 1);
    CHECK(r.body_offset == 20);
  }
  SECTION("an indented '---' inside a block scalar does not close") {
    FrontMatterResult r = fm("---\ntext: |\n  ---\n  more\ntitle: T\n---\n");
    CHECK(r.diagnostics.empty());
    REQUIRE(r.front_matter.entries.size() == 2);
    CHECK(r.front_matter.entries[0].value == "---\nmore\n");
    CHECK(r.front_matter.entries[1].key == "title");
  }
}

TEST_CASE("front matter: a BOM before the opening '---' is allowed", "[front_matter]") {
  FrontMatterResult r = fm("\xEF\xBB\xBF---\ntitle: T\n---\n[[x]]\n");
  CHECK(r.front_matter.present);
  CHECK(r.front_matter.closed);
  CHECK(r.diagnostics.empty());
  REQUIRE(r.front_matter.entries.size() == 1);
  check_pos(r.front_matter.entries[0].pos, 7, 2, 1);
  CHECK(r.body_offset == 20);
}

TEST_CASE("front matter: CRLF line ends", "[front_matter]") {
  FrontMatterResult r = fm("---\r\ntitle: T\r\nvideoId: abcdefghijk\r\n---\r\nbody\r\n");
  CHECK(r.front_matter.closed);
  CHECK(r.diagnostics.empty());
  REQUIRE(r.front_matter.entries.size() == 2);
  CHECK(r.front_matter.entries[0].value == "T");  // no stray CR in values
  CHECK(r.front_matter.entries[1].value == "abcdefghijk");
  check_pos(r.front_matter.entries[0].pos, 5, 2, 1);
  check_pos(r.front_matter.entries[1].pos, 15, 3, 1);
  CHECK(r.body_offset == 42);
}

TEST_CASE("front matter: none at all", "[front_matter]") {
  SECTION("plain body") {
    FrontMatterResult r = fm("# Title\n\ntext\n");
    CHECK_FALSE(r.front_matter.present);
    CHECK_FALSE(r.front_matter.closed);
    CHECK(r.front_matter.entries.empty());
    CHECK(r.diagnostics.empty());
    CHECK(r.body_offset == 0);
  }
  SECTION("'---' later in the note is not front matter") {
    FrontMatterResult r = fm("text\n---\ntitle: T\n---\n");
    CHECK_FALSE(r.front_matter.present);
    CHECK(r.body_offset == 0);
  }
  SECTION("'----' is not a delimiter") {
    FrontMatterResult r = fm("----\ntitle: T\n----\n");
    CHECK_FALSE(r.front_matter.present);
  }
  SECTION("empty text") {
    FrontMatterResult r = fm("");
    CHECK_FALSE(r.front_matter.present);
    CHECK(r.diagnostics.empty());
  }
}

TEST_CASE("front matter: the fast reader and yaml-cpp agree on every example here",
          "[front_matter]") {
  const char* texts[] = {
      "---\ntitle: T\nvideoId: abcdefghijk\n---\n",
      "---\ntitle: \"My Title\"\nvideoId: abcdefghijk\naliases: [a, b]\n---\n",
      "---\r\ntitle: T\r\nvideoId: abcdefghijk\r\n---\r\nbody\r\n",
      "\xEF\xBB\xBF---\ntitle: T\n---\n",
      "--- \ntitle: T\n---\t \nbody\n",
      "---\ntitle: T\n...\nbody\n",
      "---\ntitle: 'single'\nempty: \"\"\nnum: -5\nurl: http://x.y/z?a=b\n---\n",
      "---\ntitle: T   \nvideoId:   abcdefghijk\n---\n",
      "---\ntitle: A\nother: 1\ntitle: B\n---\n",
      "---\ntitle: null\nv: ~\n---\n",
      "---\ntitle: a #comment\n---\n",
      "---\ntitle:\n---\n",
      "---\n---\n",
      "---\ntitle: T\nno close\n",
  };
  for (const char* t : texts) {
    std::string text = t;
    INFO("input: " << text);
    LineIndex lines(text);
    FrontMatterResult fast = parse_front_matter(text, lines, false);
    FrontMatterResult yaml = parse_front_matter(text, lines, true);
    CHECK(fast.body_offset == yaml.body_offset);
    CHECK(fast.front_matter == yaml.front_matter);
    REQUIRE(fast.diagnostics.size() == yaml.diagnostics.size());
    for (std::size_t i = 0; i < fast.diagnostics.size(); ++i) {
      CHECK(format_diagnostic(fast.diagnostics[i]) == format_diagnostic(yaml.diagnostics[i]));
    }
  }
}
