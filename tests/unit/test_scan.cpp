// Unit tests for tkb/scan.hpp: the wikilink and timestamp-anchor grammar, split_wikilink and
// plain_text. Every grammar example is parsed twice (fast block scanner and full cmark-gfm
// parse) and both must give the same links, anchors and diagnostics.
#include <catch2/catch.hpp>

#include <optional>
#include <string>
#include <vector>

#include "tkb/parse.hpp"
#include "tkb/scan.hpp"
#include "tkb/text.hpp"

using namespace tkb;

namespace {

std::string show(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '\n') out += "\\n";
    else if (c == '\r') out += "\\r";
    else if (c == '\t') out += "\\t";
    else out += c;
  }
  return out;
}

void same_links(const std::vector<WikiLink>& a, const std::vector<WikiLink>& b) {
  REQUIRE(a.size() == b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    CHECK(a[i].raw == b[i].raw);
    CHECK(a[i].target() == b[i].target());
    CHECK(a[i].fragment() == b[i].fragment());
    CHECK(a[i].alias() == b[i].alias());
    CHECK(a[i].has_alias == b[i].has_alias);
    CHECK(a[i].embed == b[i].embed);
    CHECK(a[i].pos == b[i].pos);
  }
}

// Parse with the fast scanners and with the full parsers; both must agree.
Note parse_both(const std::string& text, const std::string& path = "chan/note.md") {
  Note fast = parse_note(text, path);
  Note full = parse_note(text, path, ParseOptions{true, true});
  INFO("fast and full parse of: " << show(text));
  same_links(fast.links, full.links);
  same_links(fast.code_links, full.code_links);
  REQUIRE(fast.anchors.size() == full.anchors.size());
  for (std::size_t i = 0; i < fast.anchors.size(); ++i) {
    CHECK(fast.anchors[i].data_t == full.anchors[i].data_t);
    CHECK(fast.anchors[i].seconds == full.anchors[i].seconds);
    CHECK(fast.anchors[i].label == full.anchors[i].label);
    CHECK(fast.anchors[i].pos == full.anchors[i].pos);
    CHECK(fast.anchors[i].heading == full.anchors[i].heading);
    CHECK(fast.anchors[i].text == full.anchors[i].text);
  }
  REQUIRE(fast.diagnostics.size() == full.diagnostics.size());
  for (std::size_t i = 0; i < fast.diagnostics.size(); ++i) {
    CHECK(format_diagnostic(fast.diagnostics[i]) == format_diagnostic(full.diagnostics[i]));
  }
  return fast;
}

struct ExpLink {
  bool code;  // expected in code_links rather than links
  std::string raw, target, fragment, alias;
  bool has_alias, embed;
  std::uint32_t line, column;
};

struct ExpDiag {
  std::string rule;
  Severity severity;
  std::uint32_t line, column;
  std::string message;  // empty: not checked
};

void check_diags(const Note& n, const std::vector<ExpDiag>& want) {
  REQUIRE(n.diagnostics.size() == want.size());
  for (std::size_t i = 0; i < want.size(); ++i) {
    INFO("diagnostic " << i << ": " << format_diagnostic(n.diagnostics[i]));
    CHECK(n.diagnostics[i].path == n.path);
    CHECK(n.diagnostics[i].rule == want[i].rule);
    CHECK(n.diagnostics[i].severity == want[i].severity);
    CHECK(n.diagnostics[i].pos.line == want[i].line);
    CHECK(n.diagnostics[i].pos.column == want[i].column);
    if (!want[i].message.empty()) CHECK(n.diagnostics[i].message == want[i].message);
  }
}

void check_link(const WikiLink& got, const ExpLink& want) {
  CHECK(got.raw == want.raw);
  CHECK(got.target() == want.target);
  CHECK(got.fragment() == want.fragment);
  CHECK(got.alias() == want.alias);
  CHECK(got.has_alias == want.has_alias);
  CHECK(got.embed == want.embed);
  CHECK(got.pos.line == want.line);
  CHECK(got.pos.column == want.column);
}

const char* const kUnclosed = "'[[' is never closed on its line";
const char* const kNested =
    "'[[' is not closed before the next '[[' (a link inside a link, or a missing ']]'); only the "
    "inner link is read";
const char* const kUnclosedFence =
    "code fence is never closed: everything after it, links and timestamps included, shows as "
    "code";

}  // namespace

TEST_CASE("scan: split_wikilink", "[scan]") {
  struct Case {
    std::string inner, target, fragment, alias;
    bool has_alias;
  };
  const Case cases[] = {
      {"target", "target", "", "", false},
      {"target|alias", "target", "", "alias", true},
      {"target | alias", "target", "", "alias", true},
      {" target |alias ", "target", "", "alias", true},
      {"t#Heading|a", "t", "Heading", "a", true},
      {"t # Heading | a", "t", "Heading", "a", true},
      {"t#^blockid", "t", "^blockid", "", false},
      {"#Heading", "", "Heading", "", false},
      {"a\\|b", "a", "", "b", true},
      {"a \\| b", "a", "", "b", true},
      {"a | b | c", "a", "", "b | c", true},
      {"a|b#c", "a", "", "b#c", true},
      {"t#H1#H2", "t", "H1#H2", "", false},
      {"", "", "", "", false},
      {" | x", "", "", "x", true},
      {"x|", "x", "", "", true},
      {"chan/note.md", "chan/note.md", "", "", false},
  };
  for (const Case& c : cases) {
    INFO("inner: " << c.inner);
    WikiLink l = split_wikilink(c.inner);
    CHECK(l.target() == c.target);
    CHECK(l.fragment() == c.fragment);
    CHECK(l.alias() == c.alias);
    CHECK(l.has_alias == c.has_alias);
    CHECK_FALSE(l.embed);
    CHECK(l.raw == c.inner);  // until a caller widens it to the whole link
  }
  // Widened to the whole link, the parts keep their text.
  std::string whole = "![[t # Heading | a]]";
  WikiLink l = split_wikilink(std::string_view(whole).substr(3, whole.size() - 5));
  l.widen_raw(whole);
  CHECK(l.raw == whole);
  CHECK(l.target() == "t");
  CHECK(l.fragment() == "Heading");
  CHECK(l.alias() == "a");
}

TEST_CASE("scan: wikilink grammar examples", "[scan]") {
  struct Case {
    std::string text;
    std::vector<ExpLink> links;
    std::vector<ExpDiag> diags;
  };
  const Severity W = Severity::warning;
  const std::vector<Case> cases = {
      {"x [[target]] y", {{false, "[[target]]", "target", "", "", false, false, 1, 3}}, {}},
      {"[[target|alias]]", {{false, "[[target|alias]]", "target", "", "alias", true, false, 1, 1}}, {}},
      {"[[target | alias]]",
       {{false, "[[target | alias]]", "target", "", "alias", true, false, 1, 1}}, {}},
      {"[[target| alias]]", {{false, "[[target| alias]]", "target", "", "alias", true, false, 1, 1}}, {}},
      {"[[target |alias]]", {{false, "[[target |alias]]", "target", "", "alias", true, false, 1, 1}}, {}},
      {"[[t#Heading|a]]", {{false, "[[t#Heading|a]]", "t", "Heading", "a", true, false, 1, 1}}, {}},
      {"[[t#^blockid]]", {{false, "[[t#^blockid]]", "t", "^blockid", "", false, false, 1, 1}}, {}},
      {"[[#Heading]]", {{false, "[[#Heading]]", "", "Heading", "", false, false, 1, 1}}, {}},
      {"![[embed]]", {{false, "![[embed]]", "embed", "", "", false, true, 1, 1}}, {}},
      {"see ![[img.png|300]]", {{false, "![[img.png|300]]", "img.png", "", "300", true, true, 1, 5}}, {}},
      {"| [[a\\|b]] | c |", {{false, "[[a\\|b]]", "a", "", "b", true, false, 1, 3}}, {}},
      {"[[a | b | c]]", {{false, "[[a | b | c]]", "a", "", "b | c", true, false, 1, 1}},
       {{"malformed-link", W, 1, 1, "link has 2 '|'; only the first separates the target from the text"}}},
      {"| [[a|b]] | c |", {{false, "[[a|b]]", "a", "", "b", true, false, 1, 3}},
       {{"malformed-link", W, 1, 3,
         "an unescaped '|' inside a table row ends the table cell; write [[target\\|text]]"}}},
      {"[[]]", {{false, "[[]]", "", "", "", false, false, 1, 1}}, {}},
      {"[[ | x]]", {{false, "[[ | x]]", "", "", "x", true, false, 1, 1}}, {}},
      {"[[a]] and [[b]]",
       {{false, "[[a]]", "a", "", "", false, false, 1, 1}, {false, "[[b]]", "b", "", "", false, false, 1, 11}},
       {}},
      {"> quoted [[q]]", {{false, "[[q]]", "q", "", "", false, false, 1, 10}}, {}},
      // Malformed: unclosed, opened across a line end, nested.
      {"x [[abc", {}, {{"malformed-link", W, 1, 3, kUnclosed}}},
      {"[[a\nb]]", {}, {{"malformed-link", W, 1, 1, kUnclosed}}},
      {"[[a | b [[c]]]]", {{false, "[[c]]", "c", "", "", false, false, 1, 9}},
       {{"malformed-link", W, 1, 1, kNested}}},
      // Code spans: single and double backticks.
      {"`[[x]]`", {{true, "[[x]]", "x", "", "", false, false, 1, 2}}, {}},
      {"``a ` [[x]]``", {{true, "[[x]]", "x", "", "", false, false, 1, 7}}, {}},
      {"`![[x]]`", {{true, "![[x]]", "x", "", "", false, true, 1, 2}}, {}},
      {"[[x]] `[[y]]` [[z]]",
       {{false, "[[x]]", "x", "", "", false, false, 1, 1},
        {false, "[[z]]", "z", "", "", false, false, 1, 15},
        {true, "[[y]]", "y", "", "", false, false, 1, 8}},
       {}},
      {"``` [[x]] ```", {{true, "[[x]]", "x", "", "", false, false, 1, 5}}, {}},
      // A code span may continue on the next line of its paragraph...
      {"a ` b\n[[x]] c ` d", {{true, "[[x]]", "x", "", "", false, false, 2, 1}}, {}},
      // ... but a lone backtick does not swallow a later link.
      {"a ` b [[x]]", {{false, "[[x]]", "x", "", "", false, false, 1, 7}}, {}},
      {"a ` b\n\n[[x]] ` c", {{false, "[[x]]", "x", "", "", false, false, 3, 1}}, {}},
      // Unclosed code in a code span inside code blocks: no diagnostic there.
      {"`[[abc`", {}, {}},
      // Fenced code, both fence characters, closed and unclosed.
      {"```\n[[x]]\n```\n", {{true, "[[x]]", "x", "", "", false, false, 2, 1}}, {}},
      {"~~~\n[[x]]\n~~~\n", {{true, "[[x]]", "x", "", "", false, false, 2, 1}}, {}},
      {"```python\n[[x]]\n", {{true, "[[x]]", "x", "", "", false, false, 2, 1}},
       {{"unclosed-code-fence", Severity::error, 1, 1, kUnclosedFence}}},
      {"~~~\n```\n[[x]]\n```\n~~~\n", {{true, "[[x]]", "x", "", "", false, false, 3, 1}}, {}},
      {"x\n```\n[[a]]\n```\ny [[b]]",
       {{false, "[[b]]", "b", "", "", false, false, 5, 3}, {true, "[[a]]", "a", "", "", false, false, 3, 1}},
       {}},
      {"```\n[[unclosed\n```\n", {}, {}},
      // Indented code after a blank line; not after a list item.
      {"para\n\n    [[x]]\n", {{true, "[[x]]", "x", "", "", false, false, 3, 5}}, {}},
      {"- item\n\n    [[x]]\n", {{false, "[[x]]", "x", "", "", false, false, 3, 5}}, {}},
      // HTML comments, on one line and over several.
      {"<!-- [[x]] -->", {{true, "[[x]]", "x", "", "", false, false, 1, 6}}, {}},
      {"<!--\n[[x]]\n-->\n", {{true, "[[x]]", "x", "", "", false, false, 2, 1}}, {}},
      {"a <!-- [[x]] --> [[y]]",
       {{false, "[[y]]", "y", "", "", false, false, 1, 18}, {true, "[[x]]", "x", "", "", false, false, 1, 8}},
       {}},
      // Escapes.
      {"\\[[x]]", {}, {}},
      {"\\`[[x]]`", {{false, "[[x]]", "x", "", "", false, false, 1, 3}}, {}},
      {"\\\\[[x]]", {{false, "[[x]]", "x", "", "", false, false, 1, 3}}, {}},
  };
  for (const Case& c : cases) {
    INFO("input: " << show(c.text));
    Note n = parse_both(c.text);
    std::vector<ExpLink> want_links, want_code;
    for (const ExpLink& l : c.links) (l.code ? want_code : want_links).push_back(l);
    REQUIRE(n.links.size() == want_links.size());
    for (std::size_t i = 0; i < want_links.size(); ++i) check_link(n.links[i], want_links[i]);
    REQUIRE(n.code_links.size() == want_code.size());
    for (std::size_t i = 0; i < want_code.size(); ++i) check_link(n.code_links[i], want_code[i]);
    CHECK(n.anchors.empty());
    check_diags(n, c.diags);
  }
}

TEST_CASE("scan: wikilink offsets are byte offsets into the whole file", "[scan]") {
  Note n = parse_both("---\ntitle: T\n---\nab [[x]]\n");
  REQUIRE(n.links.size() == 1);
  CHECK(n.links[0].pos.offset == 20);
  CHECK(n.links[0].pos.line == 4);
  CHECK(n.links[0].pos.column == 4);
}

TEST_CASE("scan: timestamp anchor grammar examples", "[scan]") {
  struct ExpAnchor {
    std::string data_t;
    std::optional<std::int64_t> seconds;
    std::string label;
    std::uint32_t line, column;
  };
  struct Case {
    std::string text;
    std::vector<ExpAnchor> anchors;
    std::vector<ExpDiag> diags;
  };
  const Severity W = Severity::warning, E = Severity::error, I = Severity::info;
  const std::string usual_form =
      "timestamp link markup is not in the usual form <a class=\"yt-timestamp\" "
      "data-t=\"...\">; it may not render as a link";
  const std::vector<Case> cases = {
      {"Hi. <a class=\"yt-timestamp\" data-t=\"00:01:02\">[00:01:02]</a>",
       {{"00:01:02", 62, "00:01:02", 1, 5}}, {}},
      {"Hi. <a class='yt-timestamp' data-t='00:01:02'>[00:01:02]</a>",
       {{"00:01:02", 62, "00:01:02", 1, 5}}, {}},
      {"Hi. <a data-t=\"00:01:02\" class=\"yt-timestamp\">[00:01:02]</a>",
       {{"00:01:02", 62, "00:01:02", 1, 5}}, {}},
      {"Hi. <a class=\"yt-timestamp other\" data-t=\"00:01:02\">[00:01:02]</a>",
       {{"00:01:02", 62, "00:01:02", 1, 5}}, {}},
      {"Hi. <a class=\"yt-timestamp\" data-t=\"01:02\">[01:02]</a>",
       {{"01:02", 62, "01:02", 1, 5}}, {}},
      {"Hi. <a class=\"yt-timestamp\" data-t=\"00:01:02\">00:01:02</a>",
       {{"00:01:02", 62, "00:01:02", 1, 5}}, {}},
      {"Hi. <a class=\"yt-timestamp\" data-t=\"00:01:02\">[ 00:01:02 ]</a>",
       {{"00:01:02", 62, "00:01:02", 1, 5}}, {}},
      {"Hi. <a class=\"yt-timestamp\" data-t=\"00:01:02\">[00:01:02]</A>",
       {{"00:01:02", 62, "00:01:02", 1, 5}}, {}},
      {"Hi. <a class=\"yt-timestamp\" data-t=\"00:01:02\"></a>",
       {{"00:01:02", 62, "", 1, 5}},
       {{"malformed-anchor", W, 1, 5,
         "timestamp link has an empty label, so nothing shows in the rendered note"}}},
      {"Hi. <a class=\"yt=\"yt-timestamp\" data-t=\"00:01:02\">[00:01:02]</a>",
       {{"00:01:02", 62, "00:01:02", 1, 5}}, {{"malformed-anchor", W, 1, 5, usual_form}}},
      {"Hi. <a class=\"yt-timestamp\" data=\"00:01:02\">00:01:02</a>", {},
       {{"malformed-anchor", W, 1, 5, "timestamp link has no data-t attribute; it is ignored"}}},
      {"Hi. <a class=\"yt=\"yt-timestamp\" data=\"00:01:02\">00:01:02</a>", {},
       {{"malformed-anchor", W, 1, 5,
         "timestamp link has no readable data-t attribute; it is ignored"}}},
      {"Hi. <a class=\"yt-timestamp\" data-t=\"00:01:02\">[00:01:02] and on",
       {{"00:01:02", 62, "00:01:02", 1, 5}},
       {{"malformed-anchor", W, 1, 5, "timestamp link is not closed with </a>"}}},
      {"Hi. <a class=\"yt-timestamp\" data-t=\"3647\">[01:00:47]</a>",
       {{"3647", 3647, "01:00:47", 1, 5}},
       {{"timestamp-label-mismatch", I, 1, 5,
         "label 01:00:47 and data-t 3647 are the same instant written differently"}}},
      {"Hi. <a class=\"yt-timestamp\" data-t=\"00:61:00\">[00:61:00]</a>",
       {{"00:61:00", std::nullopt, "00:61:00", 1, 5}},
       {{"invalid-timestamp", E, 1, 5,
         "data-t \"00:61:00\" has a minutes or seconds field of 60 or more"}}},
      {"Hi. <a class=\"yt-timestamp\" data-t=\"soon\">[00:01:00]</a>",
       {{"soon", std::nullopt, "00:01:00", 1, 5}},
       {{"invalid-timestamp", E, 1, 5, "data-t \"soon\" is not of the form HH:MM:SS or MM:SS"}}},
      {"Hi. <a class=\"yt-timestamp\" data-t=\"\">[00:01:00]</a>",
       {{"", std::nullopt, "00:01:00", 1, 5}},
       {{"invalid-timestamp", E, 1, 5, "data-t \"\" is empty"}}},
      {"Hi. <a class=\"yt-timestamp\" data-t=\"00:04:10\">[00:04:01]</a>",
       {{"00:04:10", 250, "00:04:01", 1, 5}},
       {{"timestamp-label-mismatch", W, 1, 5,
         "label 00:04:01 is not data-t 00:04:10 (00:04:01 shown, 00:04:10 linked)"}}},
      {"Hi. <a class=\"yt-timestamp\" data-t=\"00:05:00\">[0:05:00]</a>",
       {{"00:05:00", 300, "0:05:00", 1, 5}},
       {{"timestamp-label-mismatch", I, 1, 5,
         "label 0:05:00 and data-t 00:05:00 are the same instant written differently"}}},
      {"Hi. <a class=\"yt-timestamp\" data-t=\"00:05:00\">[watch]</a>",
       {{"00:05:00", 300, "watch", 1, 5}},
       {{"timestamp-label-mismatch", W, 1, 5,
         "label \"watch\" is not a time, but data-t is 00:05:00"}}},
      // Anchors in code are ignored, whatever their markup.
      {"`<a class=\"yt-timestamp\" data-t=\"00:61:00\">[x]</a>`", {}, {}},
      {"```\n<a class=\"yt-timestamp\" data-t=\"00:61:00\">[x]</a>\n```\n", {}, {}},
      {"para\n\n    <a class=\"yt-timestamp\" data-t=\"00:61:00\">[x]</a>\n", {}, {}},
      {"<!-- <a class=\"yt-timestamp\" data-t=\"00:61:00\">[x]</a> -->", {}, {}},
      // Other links are not anchors.
      {"<a href=\"https://example.com\">site</a>", {}, {}},
      // Several anchors on one line.
      {"A <a class=\"yt-timestamp\" data-t=\"00:00:01\">[00:00:01]</a> B <a class=\"yt-timestamp\" "
       "data-t=\"00:00:02\">[00:00:02]</a>",
       {{"00:00:01", 1, "00:00:01", 1, 3}, {"00:00:02", 2, "00:00:02", 1, 62}}, {}},
  };
  for (const Case& c : cases) {
    INFO("input: " << show(c.text));
    Note n = parse_both(c.text);
    CHECK(n.links.empty());
    REQUIRE(n.anchors.size() == c.anchors.size());
    for (std::size_t i = 0; i < c.anchors.size(); ++i) {
      const TimestampAnchor& a = n.anchors[i];
      CHECK(a.data_t == c.anchors[i].data_t);
      CHECK(a.seconds == c.anchors[i].seconds);
      CHECK(a.label == c.anchors[i].label);
      CHECK(a.pos.line == c.anchors[i].line);
      CHECK(a.pos.column == c.anchors[i].column);
      CHECK(a.heading == -1);
    }
    check_diags(n, c.diags);
  }
}

TEST_CASE("scan: plain_text", "[scan]") {
  CHECK(plain_text("plain words") == "plain words");
  CHECK(plain_text("**bold** and __strong__ and *em*") == "bold and strong and em");
  CHECK(plain_text("snake_case stays") == "snake_case stays");
  CHECK(plain_text("use `code` here") == "use code here");
  CHECK(plain_text("see [[target]] and [[t|Alias]] and [[t|]]") == "see target and Alias and t");
  CHECK(plain_text("x <a class=\"yt-timestamp\" data-t=\"1:00\">[1:00]</a> y") == "x y");
  CHECK(plain_text("a <br/> b <span class=\"c\">c</span>") == "a b c");
  CHECK(plain_text("  spread \t out\n\nlines  ") == "spread out lines");
  CHECK(plain_text("trailing, ;") == "trailing");
  CHECK(plain_text("1 < 2 and 3 > 2") == "1 < 2 and 3 > 2");
  CHECK(plain_text("") == "");
}

TEST_CASE("scan: an escaped '!' before a link does not make an embed", "[scan][bug]") {
  // `\!` is a literal '!': `\![[x]]` renders as "!" followed by an ordinary link.
  Note n = parse_both("\\![[x]]");
  REQUIRE(n.links.size() == 1);
  CHECK(n.links[0].raw == "[[x]]");
  CHECK_FALSE(n.links[0].embed);
  CHECK(n.links[0].pos.column == 3);
}

TEST_CASE("scan: a timestamp link whose tag is wrapped over two lines is read", "[scan][bug]") {
  // HTML tags may hold a line break; the link renders and works. It is neither read nor
  // reported: the anchor silently disappears from `timestamps` and from `check`.
  Note n = parse_both(
      "Claim <a class=\"yt-timestamp\"\ndata-t=\"00:01:02\">[00:01:02]</a>\n");
  CHECK(n.anchors.size() == 1);
  if (!n.anchors.empty()) {
    CHECK(n.anchors[0].data_t == "00:01:02");
    CHECK(n.anchors[0].seconds == 62);
    CHECK(n.anchors[0].pos.line == 1);
    CHECK(n.anchors[0].pos.column == 7);
  }
}

TEST_CASE("scan: an ignored anchor's bracketed label is not also a bare timestamp",
          "[scan][bug]") {
  // The label sits inside <a>...</a>: it is not plain text. One problem, one finding.
  Note n = parse_both("Hi. <a class=\"yt-timestamp\" data=\"00:01:02\">[00:01:02]</a>");
  CHECK(n.anchors.empty());
  check_diags(n, {{"malformed-anchor", Severity::warning, 1, 5,
                   "timestamp link has no data-t attribute; it is ignored"}});
}

namespace {

// plain_text as first written, a byte at a time: the oracle for the fast one.
std::string plain_text_reference(std::string_view md) {
  auto is_space = [](char c) { return c == ' ' || c == '\t'; };
  std::string out;
  std::size_t i = 0;
  while (i < md.size()) {
    char c = md[i];
    if (c == '[' && md.compare(i, 2, "[[") == 0) {
      std::size_t close = md.find("]]", i + 2);
      if (close != std::string_view::npos) {
        tkb::WikiLink l = tkb::split_wikilink(md.substr(i + 2, close - i - 2));
        out += l.has_alias && !l.alias().empty() ? l.alias() : l.target();
        i = close + 2;
        continue;
      }
    }
    if (c == '<') {
      if (md.size() - i >= 3 && (md[i + 1] == 'a' || md[i + 1] == 'A') && is_space(md[i + 2])) {
        std::size_t close = std::string_view::npos;
        for (std::size_t k = i; k + 4 <= md.size(); ++k) {
          std::string lowered(md.substr(k, 4));
          for (char& ch : lowered) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
          if (lowered == "</a>") {
            close = k;
            break;
          }
        }
        if (close != std::string_view::npos) {
          i = close + 4;
          continue;
        }
      }
      std::size_t gt = md.find('>', i);
      if (gt != std::string_view::npos && gt > i + 1 &&
          (std::isalpha(static_cast<unsigned char>(md[i + 1])) || md[i + 1] == '/')) {
        i = gt + 1;
        continue;
      }
    }
    if (c == '*' || c == '`' || (c == '_' && md.compare(i, 2, "__") == 0)) {
      i += c == '_' ? 2 : 1;
      continue;
    }
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
    if (c == ' ' && (out.empty() || out.back() == ' ')) {
      ++i;
      continue;
    }
    out += c;
    ++i;
  }
  while (!out.empty() && (out.back() == ' ' || out.back() == ',' || out.back() == ';'))
    out.pop_back();
  return out;
}

}  // namespace

TEST_CASE("scan: plain_text equals the byte-at-a-time oracle on random text", "[scan]") {
  // Few letters, many of the bytes plain_text decides on, runs long enough for 16-byte steps.
  const std::string alphabet = "ab  [[]]|<>/A*`__\n\r\t.,;e   ";
  std::uint32_t seed = 12345;
  auto next = [&] {
    seed = seed * 1664525u + 1013904223u;
    return seed >> 8;
  };
  for (int round = 0; round < 20000; ++round) {
    std::string md;
    std::size_t length = next() % 90;
    for (std::size_t k = 0; k < length; ++k) {
      md += next() % 4 == 0 ? std::string("<a x>y</a>").substr(0, next() % 11)
                            : std::string(1, alphabet[next() % alphabet.size()]);
    }
    INFO("input: " << md);
    REQUIRE(tkb::plain_text(md) == plain_text_reference(md));
    // Appended after other text (a space at its end too): only the new part is decided on.
    std::string appended = round % 2 ? "before " : "x";
    const std::string prefix = appended;
    tkb::append_plain_text(appended, md);
    REQUIRE(appended == prefix + plain_text_reference(md));
  }
}

TEST_CASE("scan: without has_plain_text_markup, plain_text keeps the loose key", "[scan]") {
  CHECK(tkb::has_plain_text_markup("a [[link]]"));
  CHECK(tkb::has_plain_text_markup("x<br>"));
  CHECK(tkb::has_plain_text_markup("**bold**"));
  CHECK(tkb::has_plain_text_markup("`code`"));
  CHECK(tkb::has_plain_text_markup("snake_case"));
  CHECK_FALSE(tkb::has_plain_text_markup("Plain words, & ~tilde~ \\ | ] > # ! \xC3\xA9"));
  CHECK_FALSE(tkb::has_plain_text_markup(""));
  // Random text of every byte plain_text does not count as markup, white space included.
  const std::string alphabet = "ab  |>/A.,;e#!~&\\]\t\r\n   \xC3\xA9";
  std::uint32_t seed = 777;
  auto next = [&] {
    seed = seed * 1664525u + 1013904223u;
    return seed >> 8;
  };
  for (int round = 0; round < 20000; ++round) {
    std::string text;
    std::size_t length = next() % 60;
    for (std::size_t k = 0; k < length; ++k) text += alphabet[next() % alphabet.size()];
    INFO("input: " << text);
    REQUIRE_FALSE(tkb::has_plain_text_markup(text));
    REQUIRE(tkb::loose_key(tkb::plain_text(text)) == tkb::loose_key(text));
  }
}

// The searches that go sixteen bytes at a time end with one window that overlaps the one
// before; these tests put what they look for at every offset around the window edges.
TEST_CASE("scan: plain_run at every offset and length", "[scan]") {
  auto reference = [](std::string_view s, std::size_t i) {
    std::size_t k = i;
    for (; k < s.size(); ++k) {
      const char c = s[k];
      if (c == '[' || c == '<' || c == '*' || c == '`' || c == '_' || c == '\n' || c == '\r' ||
          c == '\t' || (c == ' ' && k > i && s[k - 1] == ' ')) {
        break;
      }
    }
    return k - i;
  };
  // Every string of length 1..72 that is all 'a' but for one or two special bytes, with the
  // 32-byte steps and with the 16-byte ones only.
  int compared = 0;
  for (bool wide : {true, false}) {
    const WideSteps steps(wide);
    for (std::size_t len = 1; len <= 72; ++len) {
      for (std::string_view pair : {"  ", "[a", "a_", "a\n", " *", "a`"}) {
        for (std::size_t at = 0; at + 1 < len; ++at) {
          std::string s(len, 'a');
          s[at] = pair[0];
          s[at + 1] = pair[1];
          for (std::size_t i = 0; i < len; ++i) {
            INFO("len " << len << " at " << at << " from " << i << ": " << show(s));
            INFO("wide " << wide);
            REQUIRE(plain_run(s, i) == reference(s, i));
            ++compared;
          }
        }
      }
    }
  }
  CHECK(compared == 2 * 6 * 124392);
}

TEST_CASE("scan: plain_text collapses a double space wherever it falls", "[scan]") {
  // Found with the tests above: a double space whose second byte began a window was kept.
  for (std::size_t k = 0; k < 40; ++k) {
    const std::string s = std::string(k, 'a') + "  " + std::string(40, 'b');
    INFO("k " << k);
    CHECK(plain_text(s) == std::string(k, 'a') + (k ? " " : "") + std::string(40, 'b'));
  }
}

TEST_CASE("scan: the usual anchor form reads as the general reading does", "[scan]") {
  // Each anchor in the usual form (read by comparing bytes) and with a second space before
  // data-t (read by the attribute parser), one byte earlier so that what follows it sits at
  // the same offsets: the anchors, and the links and findings after them, must be the same,
  // whatever the time, the label and where the text ends.
  const std::vector<std::string> times = {
      "00:01:02",        "1:02", "62", "",         "99:99:99",
      "1:2:3:4",         "0:60", ":",  "00:00:05", "123456789012345",
      "1234567890123456"};
  const std::vector<std::string> labels = {"[T]",   "[00:01:02]", "T",  "[ T ]", "[T]</A",
                                           "[T]\n", "[[T]]",      "[T", "[T]]"};
  const std::string after = "</a> then [[Next note]] at [00:02:00]. `<a x>` done\n";
  // The anchor's own place, one column later in the usual form.
  auto shifted = [](Position pos) {
    if (pos.line == 1 && pos.column == 4) ++pos.column, ++pos.offset;
    return pos;
  };
  int compared = 0, usual = 0;
  for (const std::string& t : times) {
    for (std::string label : labels) {
      for (std::size_t pos; (pos = label.find('T')) != std::string::npos;) label.replace(pos, 1, t);
      for (std::size_t cut : {std::string::npos, std::size_t{0}, std::size_t{1}, std::size_t{4}}) {
        std::string tail = label + after;
        if (cut != std::string::npos) tail = tail.substr(0, label.size() + cut);
        const std::string fast = "Hi, <a class=\"yt-timestamp\" data-t=\"" + t + "\">" + tail;
        const std::string general = "Hi,<a class=\"yt-timestamp\"  data-t=\"" + t + "\">" + tail;
        Note f = parse_note(fast, "chan/n.md"), g = parse_note(general, "chan/n.md");
        INFO("text: " << show(fast));
        REQUIRE(f.anchors.size() == g.anchors.size());
        for (std::size_t i = 0; i < f.anchors.size(); ++i) {
          CHECK(f.anchors[i].data_t == g.anchors[i].data_t);
          CHECK(f.anchors[i].seconds == g.anchors[i].seconds);
          CHECK(f.anchors[i].label == g.anchors[i].label);
          CHECK(f.anchors[i].pos == shifted(g.anchors[i].pos));
          CHECK(f.anchors[i].text == g.anchors[i].text);
        }
        same_links(f.links, g.links);
        REQUIRE(f.diagnostics.size() == g.diagnostics.size());
        for (std::size_t i = 0; i < f.diagnostics.size(); ++i) {
          Diagnostic d = g.diagnostics[i];
          d.pos = shifted(d.pos);
          CHECK(format_diagnostic(f.diagnostics[i]) == format_diagnostic(d));
        }
        ++compared;
        usual += label == "[" + t + "]" && cut == std::string::npos && !t.empty() ? 1 : 0;
      }
    }
  }
  CHECK(compared == 11 * 9 * 4);
  CHECK(usual == 11);  // the usual form, with each non-empty time (00:01:02 twice)
  // One for the record: the usual form, its time and the text after it.
  Note n = parse_note("Hi <a class=\"yt-timestamp\" data-t=\"00:01:02\">[00:01:02]</a> [[x]]\n",
                      "chan/n.md");
  REQUIRE(n.anchors.size() == 1);
  CHECK(n.anchors[0].seconds == 62);
  CHECK(n.anchors[0].label == "00:01:02");
  CHECK(n.anchors[0].pos.column == 4);
  REQUIRE(n.links.size() == 1);
  CHECK(n.links[0].pos.column == 61);
}
