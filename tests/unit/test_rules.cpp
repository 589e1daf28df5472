// Every check rule: a case that must produce exactly the expected finding, and a clean case
// that must not produce it. Knowledge bases are in memory.
#include <catch2/catch.hpp>

#include <map>
#include <string>

#include "tkb/check.hpp"

namespace {

const char* kHead = "---\ntitle: Topic\nvideoId: AAAAAAAAAAA\n---\n\nFrom: [[chan]] <br/>\n\n";
const char* kAnchor = "<a class=\"yt-timestamp\" data-t=\"00:00:05\">[00:00:05]</a>";

// A topic note `chan/NAME.md` whose body follows the usual head (body starts on line 8).
std::string topic(const std::string& body) { return kHead + body + "\n"; }

std::vector<tkb::Diagnostic> check(std::map<std::string, std::string> files,
                                   const tkb::CheckConfig& config = {}) {
  files.emplace("chan/chan.md", "---\ntitle: chan\n---\n- [[note]]\n- [[other]]\n");
  tkb::MemoryFileSystem fs(std::move(files));
  tkb::LoadOptions options;
  options.jobs = 1;
  tkb::KnowledgeBase kb = tkb::load_knowledge_base(fs, options);
  tkb::Resolver resolver(kb);
  std::vector<tkb::Diagnostic> all = tkb::run_checks(kb, resolver, config);
  // The compact model `tkb check` loads gives exactly the same findings.
  options.compact_links = true;
  tkb::KnowledgeBase compact = tkb::load_knowledge_base(fs, options);
  tkb::Resolver compact_resolver(compact);
  std::vector<tkb::Diagnostic> again = tkb::run_checks(compact, compact_resolver, config);
  REQUIRE(again.size() == all.size());
  for (std::size_t k = 0; k < all.size(); ++k) {
    REQUIRE(tkb::format_diagnostic(again[k]) == tkb::format_diagnostic(all[k]));
  }
  // And through the cache `check` keeps: stored by the first load, reused by the second.
  tkb::MemoryCacheStore store;
  options.cache = &store;
  for (int run = 0; run < 2; ++run) {
    tkb::KnowledgeBase cached = tkb::load_knowledge_base(fs, options);
    REQUIRE(cached.cache.reused == (run == 0 ? 0 : cached.notes.size()));
    tkb::Resolver cached_resolver(cached);
    std::vector<tkb::Diagnostic> from_cache = tkb::run_checks(cached, cached_resolver, config);
    REQUIRE(from_cache.size() == all.size());
    for (std::size_t k = 0; k < all.size(); ++k) {
      REQUIRE(tkb::format_diagnostic(from_cache[k]) == tkb::format_diagnostic(all[k]));
    }
  }
  std::vector<tkb::Diagnostic> out;
  for (auto& d : all) {
    if (d.path != "chan/chan.md") out.push_back(std::move(d));  // the harness's own page
  }
  return out;
}

std::vector<tkb::Diagnostic> of_rule(const std::vector<tkb::Diagnostic>& all, const std::string& rule) {
  std::vector<tkb::Diagnostic> out;
  for (const auto& d : all) {
    if (d.rule == rule) out.push_back(d);
  }
  return out;
}

// The one finding of `rule`, which must exist exactly once.
tkb::Diagnostic only(const std::vector<tkb::Diagnostic>& all, const std::string& rule) {
  auto found = of_rule(all, rule);
  INFO("rule " << rule);
  REQUIRE(found.size() == 1);
  return found[0];
}

void expect(const tkb::Diagnostic& d, const std::string& path, std::uint32_t line,
            std::uint32_t column, tkb::Severity severity, const std::string& message) {
  CHECK(d.path == path);
  CHECK(d.pos.line == line);
  CHECK(d.pos.column == column);
  CHECK(d.severity == severity);
  CHECK(d.message == message);
}

using S = tkb::Severity;

}  // namespace

TEST_CASE("rule broken-link, with suggestions from the same folder", "[rules]") {
  auto all = check({{"chan/note.md", topic("See [[sourdough_starter]] " + std::string(kAnchor))},
                    {"chan/sourdough_starters.md", topic(kAnchor)}});
  expect(only(all, "broken-link"), "chan/note.md", 8, 5, S::error,
         "link target \"sourdough_starter\" matches no note; did you mean [[sourdough_starters]]?");
  CHECK(of_rule(check({{"chan/note.md", topic("See [[other]] " + std::string(kAnchor))},
                       {"chan/other.md", topic(kAnchor)}}),
                "broken-link").empty());
}

TEST_CASE("rule ambiguous-link and folder preference", "[rules]") {
  std::map<std::string, std::string> files = {{"a/x.md", topic(kAnchor)},
                                              {"b/x.md", topic(kAnchor)},
                                              {"chan/note.md", topic("[[x]]")}};
  expect(only(check(files), "ambiguous-link"), "chan/note.md", 8, 1, S::warning,
         "link target \"x\" matches 2 notes (a/x.md, b/x.md), none of them alone in this note's "
         "folder");
  files["chan/x.md"] = topic(kAnchor);  // one in the linking note's folder: it wins
  CHECK(of_rule(check(files), "ambiguous-link").empty());
}

TEST_CASE("rule empty-link", "[rules]") {
  expect(only(check({{"chan/note.md", topic("An [[ | alias]] here.")}}), "empty-link"),
         "chan/note.md", 8, 4, S::warning, "link [[ | alias]] has no target");
  CHECK(of_rule(check({{"chan/note.md", topic("Self [[#Part]].\n\n## Part")}}), "empty-link").empty());
}

TEST_CASE("rule self-link", "[rules]") {
  expect(only(check({{"chan/note.md", topic("Me: [[note]].")}}), "self-link"), "chan/note.md", 8, 5,
         S::warning, "link [[note]] points to the note itself");
  // A link to one of its own headings is how sections are linked: not reported.
  CHECK(of_rule(check({{"chan/note.md", topic("[[note#Part]]\n\n## Part")}}), "self-link").empty());
}

TEST_CASE("rule heading-not-found", "[rules]") {
  std::map<std::string, std::string> files = {{"chan/other.md", topic("## Oven Spring\ntext")}};
  files["chan/note.md"] = topic("[[other#Missing Part|x]]");
  expect(only(check(files), "heading-not-found"), "chan/note.md", 8, 1, S::warning,
         "heading \"Missing Part\" is not in chan/other.md");
  files["chan/note.md"] = topic("[[other#oven spring|x]]");  // case and spacing do not matter
  CHECK(of_rule(check(files), "heading-not-found").empty());
}

TEST_CASE("rule block-not-found", "[rules]") {
  std::map<std::string, std::string> files = {{"chan/other.md", topic("A quotable line ^quote-1")}};
  files["chan/note.md"] = topic("[[other#^nope]]");
  expect(only(check(files), "block-not-found"), "chan/note.md", 8, 1, S::warning,
         "block ^nope is not in chan/other.md");
  files["chan/note.md"] = topic("[[other#^quote-1]]");
  CHECK(of_rule(check(files), "block-not-found").empty());
}

TEST_CASE("rule malformed-link", "[rules]") {
  auto several = of_rule(check({{"chan/note.md", topic("[[other | a | b]]")}}), "malformed-link");
  REQUIRE(several.size() == 1);
  expect(several[0], "chan/note.md", 8, 1, S::warning,
         "link has 2 '|'; only the first separates the target from the text");
  expect(only(check({{"chan/note.md", topic("| [[other | x]] | y |")}}), "malformed-link"),
         "chan/note.md", 8, 3, S::warning,
         "an unescaped '|' inside a table row ends the table cell; write [[target\\|text]]");
  expect(only(check({{"chan/note.md", topic("[[Topic – Link name: other | x]]")}}), "malformed-link"),
         "chan/note.md", 8, 1, S::warning,
         "link target holds text left over from a generator prompt (\"link name:\")");
  expect(only(check({{"chan/note.md", topic("[[other | x] and more")}}), "malformed-link"),
         "chan/note.md", 8, 1, S::warning, "'[[' is never closed on its line");
  CHECK(of_rule(check({{"chan/note.md", topic("| [[other\\|x]] | y |")}}), "malformed-link").empty());
}

TEST_CASE("rule link-in-code", "[rules]") {
  expect(only(check({{"chan/note.md", topic("Use `[[other]]` literally.")}}), "link-in-code"),
         "chan/note.md", 8, 6, S::info, "[[other]] is inside code, so it shows as text, not as a link");
  CHECK(of_rule(check({{"chan/note.md", topic("Use [[other]] really.")}}), "link-in-code").empty());
}

TEST_CASE("rule non-canonical-link", "[rules]") {
  std::map<std::string, std::string> files = {{"chan/other_note.md", topic(kAnchor)}};
  files["chan/note.md"] = topic("[[Other Note]]");
  expect(only(check(files), "non-canonical-link"), "chan/note.md", 8, 1, S::info,
         "link target \"Other Note\" reaches chan/other_note.md only by the file-name rule; its "
         "exact name is [[other_note]]");
  files["chan/note.md"] = topic("[[other_note]]");
  CHECK(of_rule(check(files), "non-canonical-link").empty());
}

TEST_CASE("rule invalid-timestamp", "[rules]") {
  expect(only(check({{"chan/note.md", topic("x <a class=\"yt-timestamp\" data-t=\"00:61:00\">[00:61:00]</a>")}}),
              "invalid-timestamp"),
         "chan/note.md", 8, 3, S::error,
         "data-t \"00:61:00\" has a minutes or seconds field of 60 or more");
  CHECK(of_rule(check({{"chan/note.md", topic(kAnchor)}}), "invalid-timestamp").empty());
}

TEST_CASE("rule timestamp-label-mismatch", "[rules]") {
  expect(only(check({{"chan/note.md", topic("<a class=\"yt-timestamp\" data-t=\"00:04:10\">[00:04:01]</a>")}}),
              "timestamp-label-mismatch"),
         "chan/note.md", 8, 1, S::warning,
         "label 00:04:01 is not data-t 00:04:10 (00:04:01 shown, 00:04:10 linked)");
  expect(only(check({{"chan/note.md", topic("<a class=\"yt-timestamp\" data-t=\"00:05:00\">[0:05:00]</a>")}}),
              "timestamp-label-mismatch"),
         "chan/note.md", 8, 1, S::info,
         "label 0:05:00 and data-t 00:05:00 are the same instant written differently");
  CHECK(of_rule(check({{"chan/note.md", topic(kAnchor)}}), "timestamp-label-mismatch").empty());
}

TEST_CASE("rule timestamp-as-link", "[rules]") {
  expect(only(check({{"chan/note.md", topic("At [[00:12:34]] he says.")}}), "timestamp-as-link"),
         "chan/note.md", 8, 4, S::error,
         "[[00:12:34]] is a wikilink to a time, not a link to the video; write a yt-timestamp link");
  CHECK(of_rule(check({{"chan/note.md", topic(kAnchor)}}), "timestamp-as-link").empty());
}

TEST_CASE("rule bare-timestamp", "[rules]") {
  expect(only(check({{"chan/note.md", topic("He says so [00:12:34].")}}), "bare-timestamp"),
         "chan/note.md", 8, 12, S::warning,
         "timestamp [00:12:34] is plain text, not a yt-timestamp link to the video");
  expect(only(check({{"chan/note.md", topic("See [01:12:16](#12:16).")}}), "bare-timestamp"),
         "chan/note.md", 8, 5, S::warning,
         "timestamp [01:12:16] is a Markdown link, not a yt-timestamp link to the video");
  CHECK(of_rule(check({{"chan/note.md", topic(std::string(kAnchor) + " [a note] [12]")}}),
                "bare-timestamp").empty());
}

TEST_CASE("rule malformed-anchor", "[rules]") {
  expect(only(check({{"chan/note.md", topic("<a class=\"yt=\"yt-timestamp\" data-t=\"00:04:04\">[00:04:04]</a>")}}),
              "malformed-anchor"),
         "chan/note.md", 8, 1, S::warning,
         "timestamp link markup is not in the usual form <a class=\"yt-timestamp\" data-t=\"...\">; "
         "it may not render as a link");
  expect(only(check({{"chan/note.md", topic("<a class=\"yt-timestamp\" data-t=\"00:00:04\">[[00:00:04]]</a>")}}),
              "malformed-anchor"),
         "chan/note.md", 8, 1, S::warning,
         "timestamp label [[00:00:04]] is written as a wikilink inside the timestamp link");
  CHECK(of_rule(check({{"chan/note.md", topic(kAnchor)}}), "malformed-anchor").empty());
}

TEST_CASE("rule suspect-minutes", "[rules]") {
  auto a = [](const char* t) {
    return std::string("<a class=\"yt-timestamp\" data-t=\"") + t + "\">[" + t + "]</a> ";
  };
  expect(only(check({{"chan/note.md", topic(a("00:05:00") + a("00:40:00") + a("01:10:00"))}}),
              "suspect-minutes"),
         "chan/note.md", 8, 1, S::warning,
         "3 of 3 timestamps end in :00 and the last is 01:10:00: they look like MM:SS written as "
         "HH:MM:00 (01:10:00 would be 00:01:10)");
  // Under an hour, or with real seconds, nothing is suspect.
  CHECK(of_rule(check({{"chan/note.md", topic(a("00:05:00") + a("00:40:00") + a("00:50:00"))}}),
                "suspect-minutes").empty());
  CHECK(of_rule(check({{"chan/note.md", topic(a("00:05:13") + a("00:40:07") + a("01:10:00"))}}),
                "suspect-minutes").empty());
}

TEST_CASE("rule timestamp-beyond-duration, from front matter and from --durations", "[rules]") {
  std::string text = "---\ntitle: T\nvideoId: AAAAAAAAAAA\nduration: 00:10:00\n---\n\nFrom: [[chan]] <br/>\n\n" +
                     std::string("<a class=\"yt-timestamp\" data-t=\"00:12:00\">[00:12:00]</a>\n");
  expect(only(check({{"chan/note.md", text}}), "timestamp-beyond-duration"), "chan/note.md", 9, 1,
         S::warning, "timestamp 00:12:00 is past the end of the video (00:10:00)");
  tkb::CheckConfig config;
  config.durations["AAAAAAAAAAA"] = 3;
  expect(only(check({{"chan/note.md", topic(kAnchor)}}, config), "timestamp-beyond-duration"),
         "chan/note.md", 8, 1, S::warning, "timestamp 00:00:05 is past the end of the video (00:00:03)");
  config.durations["AAAAAAAAAAA"] = 600;
  CHECK(of_rule(check({{"chan/note.md", topic(kAnchor)}}, config), "timestamp-beyond-duration").empty());
}

TEST_CASE("rule invalid-duration", "[rules]") {
  std::string text = "---\ntitle: T\nvideoId: AAAAAAAAAAA\nduration: ten minutes\n---\n";
  expect(only(check({{"chan/note.md", text}}), "invalid-duration"), "chan/note.md", 4, 1, S::warning,
         "front-matter duration \"ten minutes\" is not a number of seconds or HH:MM:SS");
  CHECK(of_rule(check({{"chan/note.md", "---\ntitle: T\nduration: 600\n---\n"}}), "invalid-duration").empty());
}

TEST_CASE("rules about front matter", "[rules]") {
  expect(only(check({{"chan/note.md", "just text\n"}}), "no-front-matter"), "chan/note.md", 1, 1,
         S::warning, "the note has no front matter (no title, no videoId)");
  expect(only(check({{"chan/note.md", "---\nvideoId: AAAAAAAAAAA\n---\n"}}), "missing-title"),
         "chan/note.md", 1, 1, S::warning, "front matter has no title");
  expect(only(check({{"chan/note.md", "---\ntitle: T\n---\n"}}), "missing-video-id"), "chan/note.md",
         1, 1, S::error, "front matter has no videoId");
  expect(only(check({{"chan/note.md", "---\ntitle: T\nvideoId: abc\n---\n"}}), "invalid-video-id"),
         "chan/note.md", 3, 1, S::error,
         "videoId \"abc\" is not 11 characters of A-Z, a-z, 0-9, '-' and '_'");
  expect(only(check({{"chan/note.md", "---\ntitle: T\nvideoId: [a\n---\n"}}), "yaml-error"),
         "chan/note.md", 4, 1, S::error, "front matter is not valid YAML: end of sequence flow not found");
  tkb::CheckConfig config;
  config.required_keys = {"tags"};
  expect(only(check({{"chan/note.md", topic(kAnchor)}}, config), "missing-key"), "chan/note.md", 1, 1,
         S::warning, "front matter has no 'tags', which .tkb.yaml requires");
  // A clean topic note has none of them; an index page needs no videoId.
  auto clean = check({{"chan/note.md", topic(kAnchor)}});
  for (const char* rule : {"no-front-matter", "missing-title", "missing-video-id", "invalid-video-id",
                           "yaml-error", "missing-key"}) {
    CHECK(of_rule(clean, rule).empty());
  }
}

TEST_CASE("rules about the source line", "[rules]") {
  expect(only(check({{"chan/note.md", "---\ntitle: T\nvideoId: AAAAAAAAAAA\n---\n\nNo source.\n"}}),
              "missing-source"),
         "chan/note.md", 1, 1, S::warning, "the note has no From: [[channel]] line naming its channel");
  expect(only(check({{"chan/note.md", "---\ntitle: T\nvideoId: AAAAAAAAAAA\n---\n\nFrom: [[Chan]] <br/>\n"}}),
              "source-mismatch"),
         "chan/note.md", 6, 7, S::warning,
         "From: [[Chan]] names another channel than the folder 'chan' (they differ only by letter case)");
  auto clean = check({{"chan/note.md", topic(kAnchor)}});
  CHECK(of_rule(clean, "missing-source").empty());
  CHECK(of_rule(clean, "source-mismatch").empty());
}

TEST_CASE("rules about code fences", "[rules]") {
  expect(only(check({{"chan/note.md", topic("text\n\n```python\nx = 1\n")}}), "unclosed-code-fence"),
         "chan/note.md", 10, 1, S::error,
         "code fence is never closed: everything after it, links and timestamps included, shows as code");
  expect(only(check({{"chan/note.md", topic("```markdown\n# T\n[[other]] " + std::string(kAnchor) + "\n```")}}),
              "wrapped-in-code-fence"),
         "chan/note.md", 8, 1, S::warning,
         "the article is wrapped in a ```markdown code fence, so its links and timestamps show as "
         "code instead of working");
  auto clean = check({{"chan/note.md", topic("text\n\n```python\nx = 1\n```\n\nafter")}});
  CHECK(of_rule(clean, "unclosed-code-fence").empty());
  CHECK(of_rule(clean, "wrapped-in-code-fence").empty());
}

TEST_CASE("rule generator-leftover", "[rules]") {
  expect(only(check({{"chan/note.md", topic("Here is the article with the backlinks embedded:\n\nText.")}}),
              "generator-leftover"),
         "chan/note.md", 8, 1, S::warning,
         "\"Here is the article with the backlinks embedded:\" looks like text generator chatter "
         "left in the note");
  CHECK(of_rule(check({{"chan/note.md", topic("Here is how bread stales:")}}), "generator-leftover").empty());
}

TEST_CASE("rule no-timestamps", "[rules]") {
  expect(only(check({{"chan/note.md", topic("No moments cited.")}}), "no-timestamps"), "chan/note.md",
         1, 1, S::warning, "the note cites no moment of its video: it has no timestamp links");
  CHECK(of_rule(check({{"chan/note.md", topic(kAnchor)}}), "no-timestamps").empty());
}

TEST_CASE("rule invisible-characters, in text and in paths", "[rules]") {
  expect(only(check({{"chan/note.md", topic("zero\u200bwidth")}}), "invisible-characters"),
         "chan/note.md", 8, 5, S::warning, "invisible character U+200B ZERO WIDTH SPACE in the text");
  auto in_path = of_rule(check({{"\u2068chan\u2069/note.md", topic(kAnchor)}}), "invisible-characters");
  REQUIRE(in_path.size() == 1);
  expect(in_path[0], "\u2068chan\u2069/note.md", 1, 1, S::warning,
         "the file path holds the invisible character U+2068, so typed links miss it");
  CHECK(of_rule(check({{"chan/note.md", topic("plain ascii " + std::string(kAnchor))}}),
                "invisible-characters").empty());
}

TEST_CASE("rules duplicate-stem and case-collision", "[rules]") {
  auto all = check({{"a/x.md", topic(kAnchor)}, {"b/x.md", topic(kAnchor)}, {"b/X.md", topic(kAnchor)}});
  auto dup = of_rule(all, "duplicate-stem");
  REQUIRE(dup.size() == 2);
  expect(dup[0], "a/x.md", 1, 1, S::warning,
         "the file name x.md is also used by b/x.md: a link by name reaches only one of them");
  auto cases = of_rule(all, "case-collision");
  REQUIRE(cases.size() == 2);
  expect(cases[0], "b/X.md", 1, 1, S::warning,
         "the path differs only by letter case from b/x.md: they collide on macOS and Windows");
  auto clean = check({{"a/x.md", topic(kAnchor)}, {"b/y.md", topic(kAnchor)}});
  CHECK(of_rule(clean, "duplicate-stem").empty());
  CHECK(of_rule(clean, "case-collision").empty());
  // Stems alike but for case in other folders collide with nothing; a folder's case matters
  // as much as the file's; three spellings make one group of three.
  auto mixed = check({{"a/X.md", topic(kAnchor)},
                      {"b/x.md", topic(kAnchor)},
                      {"B/x.md", topic(kAnchor)},
                      {"b/X.md", topic(kAnchor)},
                      {"c/y.md", topic(kAnchor)}});
  auto collisions = of_rule(mixed, "case-collision");
  REQUIRE(collisions.size() == 3);
  expect(collisions[0], "B/x.md", 1, 1, S::warning,
         "the path differs only by letter case from b/X.md, b/x.md: they collide on macOS and "
         "Windows");
  expect(collisions[1], "b/X.md", 1, 1, S::warning,
         "the path differs only by letter case from B/x.md, b/x.md: they collide on macOS and "
         "Windows");
  expect(collisions[2], "b/x.md", 1, 1, S::warning,
         "the path differs only by letter case from B/x.md, b/X.md: they collide on macOS and "
         "Windows");
  auto dups = of_rule(mixed, "duplicate-stem");
  REQUIRE(dups.size() == 4);  // x.md in b and B, X.md in a and b
  expect(dups[0], "B/x.md", 1, 1, S::warning,
         "the file name x.md is also used by b/x.md: a link by name reaches only one of them");
  expect(dups[1], "a/X.md", 1, 1, S::warning,
         "the file name X.md is also used by b/X.md: a link by name reaches only one of them");
}

TEST_CASE("rules orphan-note and unlinked-from-channel", "[rules]") {
  // chan/chan.md lists note and other; lonely is listed nowhere and linked by nobody.
  auto all = check({{"chan/note.md", topic("[[other]]")}, {"chan/other.md", topic(kAnchor)},
                    {"chan/lonely.md", topic(kAnchor)}});
  expect(only(all, "orphan-note"), "chan/lonely.md", 1, 1, S::info, "no other note links to this note");
  expect(only(all, "unlinked-from-channel"), "chan/lonely.md", 1, 1, S::warning,
         "the channel index page chan/chan.md does not list this note");
}

TEST_CASE("inline tkb-ignore comments silence findings", "[rules]") {
  // On the same line, on the next line when alone, and for the whole note.
  auto same = check({{"chan/note.md", topic("[[gone]] <!-- tkb-ignore broken-link -->")}});
  CHECK(of_rule(same, "broken-link").empty());
  auto next = check({{"chan/note.md", topic("<!-- tkb-ignore -->\n[[gone]]")}});
  CHECK(of_rule(next, "broken-link").empty());
  auto file = check({{"chan/note.md", topic("<!-- tkb-ignore-file broken-link -->\n\ntext\n\n[[gone]]")}});
  CHECK(of_rule(file, "broken-link").empty());
  // Another rule named, or another line: the finding stays.
  auto other = check({{"chan/note.md", topic("[[gone]] <!-- tkb-ignore self-link -->")}});
  CHECK(of_rule(other, "broken-link").size() == 1);
  auto far = check({{"chan/note.md", topic("<!-- tkb-ignore broken-link -->\n\n[[gone]]")}});
  CHECK(of_rule(far, "broken-link").size() == 1);
}

TEST_CASE("configured severities and switched-off rules", "[rules]") {
  tkb::CheckConfig config;
  config.severity["broken-link"] = S::info;
  config.severity["no-timestamps"] = std::nullopt;
  auto all = check({{"chan/note.md", topic("[[gone]]")}}, config);
  CHECK(only(all, "broken-link").severity == S::info);
  CHECK(of_rule(all, "no-timestamps").empty());
  config = {};
  config.ignore = {"chan/**"};
  CHECK(of_rule(check({{"chan/note.md", topic("[[gone]]")}}, config), "broken-link").empty());
}

TEST_CASE("every rule is described", "[rules]") {
  for (const auto& r : tkb::all_rules()) {
    INFO(r.name);
    CHECK(!r.description.empty());
    CHECK(tkb::find_rule(r.name) == &r);
  }
  CHECK(tkb::find_rule("no-such-rule") == nullptr);
}
