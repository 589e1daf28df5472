// Unit tests for tkb/check.hpp and tkb/diagnostic.hpp: every rule `check` can produce from
// notes, one case that finds it (exact path, position, severity, rule and message) and one
// near miss that does not; the rule list; format_diagnostic and diagnostic_less.
#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "tkb/check.hpp"
#include "tkb/knowledge_base.hpp"
#include "tkb/resolve.hpp"

using namespace tkb;

namespace {

const std::string kHead = "---\ntitle: Topic\nvideoId: abcdefghijk\n---\n";  // body on line 5
const std::string kIndex = "---\ntitle: Chan\n---\nThe channel.\n";

std::string anchor(const std::string& data_t, const std::string& label) {
  return "<a class=\"yt-timestamp\" data-t=\"" + data_t + "\">[" + label + "]</a>";
}

std::vector<std::string> formatted(const std::vector<Diagnostic>& findings) {
  std::vector<std::string> out;
  for (const Diagnostic& d : findings) out.push_back(format_diagnostic(d));
  return out;
}

// The findings, which the compact model `tkb check` loads (LoadOptions::compact_links) must
// give exactly alike, on one thread and two.
std::vector<Diagnostic> check(std::map<std::string, std::string> files,
                              std::uint64_t max_note_bytes = 16u << 20) {
  MemoryFileSystem fs(std::move(files));
  LoadOptions o;
  o.jobs = 1;
  o.max_note_bytes = max_note_bytes;
  KnowledgeBase kb = load_knowledge_base(fs, o);
  Resolver resolver(kb);
  std::vector<Diagnostic> findings = run_checks(kb, resolver);
  for (unsigned jobs : {1u, 2u}) {
    o.compact_links = true;
    o.jobs = jobs;
    KnowledgeBase compact = load_knowledge_base(fs, o);
    Resolver compact_resolver(compact);
    INFO("compact links, jobs " << jobs);
    REQUIRE(formatted(run_checks(compact, compact_resolver)) == formatted(findings));
  }
  // And through the cache `check` keeps: stored by the first load, reused by the second.
  MemoryCacheStore store;
  o.cache = &store;
  for (int run = 0; run < 2; ++run) {
    KnowledgeBase cached = load_knowledge_base(fs, o);
    INFO("cache, run " << run);
    REQUIRE(cached.cache.reused == (run == 0 ? 0 : cached.notes.size()));
    REQUIRE(store.commits == 1);  // the second load found nothing new to store
    Resolver cached_resolver(cached);
    REQUIRE(formatted(run_checks(cached, cached_resolver)) == formatted(findings));
  }
  return findings;
}

// The findings of one rule.
std::vector<Diagnostic> only(const std::vector<Diagnostic>& all, const std::string& rule) {
  std::vector<Diagnostic> out;
  std::copy_if(all.begin(), all.end(), std::back_inserter(out),
               [&](const Diagnostic& d) { return d.rule == rule; });
  return out;
}

// The rules of tkb's first version, which these tests cover; later rules have their own tests.
const std::vector<std::string> kRules = {"broken-link",       "ambiguous-link",
                                         "empty-link",        "malformed-link",
                                         "yaml-error",        "missing-title",
                                         "missing-video-id",  "invalid-video-id",
                                         "invalid-timestamp", "timestamp-label-mismatch",
                                         "malformed-anchor",  "invalid-utf8",
                                         "binary-content",    "unreadable-file",
                                         "skipped-file"};

std::vector<Diagnostic> covered(const std::vector<Diagnostic>& all) {
  std::vector<Diagnostic> out;
  std::copy_if(all.begin(), all.end(), std::back_inserter(out), [](const Diagnostic& d) {
    return std::find(kRules.begin(), kRules.end(), d.rule) != kRules.end();
  });
  return out;
}

// A topic note in `chan/` with a good front matter and `body` from line 5.
std::map<std::string, std::string> topic(const std::string& body) {
  return {{"chan/chan.md", kIndex}, {"chan/topic.md", kHead + body}};
}

struct Expected {
  std::string path;
  std::uint32_t line, column;
  Severity severity;
  std::string rule, message;
};

void check_one(const std::vector<Diagnostic>& all, const Expected& e) {
  INFO("all findings:\n"
       << [&] {
            std::string s;
            for (const auto& d : all) s += format_diagnostic(d) + "\n";
            return s;
          }());
  std::vector<Diagnostic> found = only(all, e.rule);
  REQUIRE(found.size() == 1);
  const Diagnostic& d = found[0];
  CHECK(d.path == e.path);
  CHECK(d.pos.line == e.line);
  CHECK(d.pos.column == e.column);
  CHECK(d.severity == e.severity);
  CHECK(d.rule == e.rule);
  CHECK(d.message == e.message);
}

}  // namespace

TEST_CASE("check: all_rules lists every rule in order with its default severity", "[check]") {
  struct R {
    const char* name;
    Severity severity;
  };
  // In this order (links, timestamps, notes, files); other rules sit between them.
  const R want[] = {
      {"broken-link", Severity::error},        {"ambiguous-link", Severity::warning},
      {"empty-link", Severity::warning},       {"malformed-link", Severity::warning},
      {"invalid-timestamp", Severity::error},  {"timestamp-label-mismatch", Severity::warning},
      {"malformed-anchor", Severity::warning}, {"yaml-error", Severity::error},
      {"missing-title", Severity::warning},    {"missing-video-id", Severity::error},
      {"invalid-video-id", Severity::error},   {"invalid-utf8", Severity::warning},
      {"binary-content", Severity::error},     {"unreadable-file", Severity::error},
      {"skipped-file", Severity::info},
  };
  const auto& rules = all_rules();
  std::size_t at = 0;
  for (const R& w : want) {
    INFO("rule " << w.name);
    const RuleInfo* found = find_rule(w.name);
    REQUIRE(found != nullptr);
    CHECK(found->name == w.name);
    CHECK(found->severity == w.severity);
    CHECK_FALSE(found->description.empty());
    auto index = static_cast<std::size_t>(found - rules.data());
    REQUIRE(index < rules.size());
    CHECK(index >= at);  // listed in this order
    at = index;
  }
  // Names are unique, kebab-case, and each has a description.
  for (std::size_t i = 0; i < rules.size(); ++i) {
    INFO("rule " << rules[i].name);
    CHECK(find_rule(rules[i].name) == &rules[i]);
    CHECK_FALSE(rules[i].description.empty());
    CHECK(std::all_of(rules[i].name.begin(), rules[i].name.end(), [](char c) {
      return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
    }));
  }
  CHECK(find_rule("no-such-rule") == nullptr);
  CHECK(find_rule("") == nullptr);
  CHECK(find_rule("Broken-Link") == nullptr);
}

TEST_CASE("check: a clean knowledge base has no findings of these rules", "[check]") {
  std::map<std::string, std::string> files = {
      {"index.md", "---\ntitle: Index\n---\nSee [[chan]] and [[chan/topic|the topic]].\n"},
      {"chan/chan.md", kIndex + "[[topic]] [[Other Topic]] [[levain]]\n"},
      {"chan/topic.md", kHead + "From: [[chan]] <br/>\n\n# Part\n\nA claim " +
                            anchor("00:01:02", "00:01:02") +
                            ". Code `[[nowhere]]` and [[#Part]] and "
                            "![[other_topic]].\n\n```\n[[nowhere]] [[\n```\n"},
      {"chan/other_topic.md",
       "---\ntitle: Other topic\nvideoId: -BBBBBBBBB2\naliases: [Levain]\n---\n"
       "Caf\xC3\xA9 " +
           anchor("1:02", "1:02") + " " + anchor("61:00", "61:00") + "\n"},
      {"chan/third.md", "---\ntitle: Third\nvideoId: A_b-123456z\n---\n[[other topic#Part|x]]\n"},
  };
  std::vector<Diagnostic> all = check(files);
  CHECK(formatted(covered(all)) == std::vector<std::string>{});
}

TEST_CASE("check: broken-link", "[check]") {
  check_one(check(topic("See [[nowhere]].\n")),
            {"chan/topic.md", 5, 5, Severity::error, "broken-link",
             "link target \"nowhere\" matches no note"});
  check_one(check(topic("![[missing image.png|300]]\n")),
            {"chan/topic.md", 5, 1, Severity::error, "broken-link",
             "link target \"missing image.png\" matches no note"});
  check_one(check(topic("[[../chan/chan]]\n")),  // climbs out of the root
            {"chan/topic.md", 5, 1, Severity::error, "broken-link",
             "link target \"../chan/chan\" matches no note"});
  // Near misses: resolved by any rule, inside code, a self link.
  CHECK(only(check(topic("[[chan]] [[CHAN]] [[Topic]] [[chan/topic.md]] [[#H]]\n")), "broken-link")
            .empty());
  CHECK(only(check(topic("`[[nowhere]]` <!-- [[nowhere]] -->\n")), "broken-link").empty());
}

TEST_CASE("check: ambiguous-link", "[check]") {
  std::map<std::string, std::string> files = topic("Read [[shared]].\n");
  files["a/shared.md"] = kHead;
  files["b/shared.md"] = kHead;
  check_one(check(files),
            {"chan/topic.md", 5, 6, Severity::warning, "ambiguous-link",
             "link target \"shared\" matches 2 notes (a/shared.md, b/shared.md), none of "
             "them alone in this note's folder"});
  // Near miss: one of the candidates is in the linking note's folder.
  files["chan/shared.md"] = kHead;
  std::vector<Diagnostic> all = check(files);
  CHECK(only(all, "ambiguous-link").empty());
  CHECK(only(all, "broken-link").empty());
}

TEST_CASE("check: empty-link", "[check]") {
  check_one(check(topic("x [[ | x]]\n")), {"chan/topic.md", 5, 3, Severity::warning, "empty-link",
                                           "link [[ | x]] has no target"});
  check_one(check(topic("\n[[]]\n")),
            {"chan/topic.md", 6, 1, Severity::warning, "empty-link", "link [[]] has no target"});
  check_one(check(topic("[[ ]]\n")),
            {"chan/topic.md", 5, 1, Severity::warning, "empty-link", "link [[ ]] has no target"});
  // An empty link is not also a broken one.
  CHECK(only(check(topic("[[ | x]]\n")), "broken-link").empty());
  // Near misses: a fragment alone is a link to the note itself; in code it is not a link.
  CHECK(only(check(topic("[[#Heading]] `[[]]`\n")), "empty-link").empty());
}

TEST_CASE("check: malformed-link", "[check]") {
  check_one(check(topic("x [[abc\n")), {"chan/topic.md", 5, 3, Severity::warning, "malformed-link",
                                        "'[[' is never closed on its line"});
  std::map<std::string, std::string> nested = topic("[[a | b [[chan]]]]\n");
  check_one(check(nested),
            {"chan/topic.md", 5, 1, Severity::warning, "malformed-link",
             "'[[' is not closed before the next '[[' (a link inside a link, or a missing "
             "']]'); only the inner link is read"});
  CHECK(only(check(nested), "broken-link").empty());  // the inner link resolves
  // Near misses: closed links, and unclosed ones in code.
  CHECK(only(check(topic("[[chan]] `[[abc` \n```\n[[abc\n```\n")), "malformed-link").empty());
}

TEST_CASE("check: yaml-error", "[check]") {
  check_one(
      check({{"chan/chan.md", kIndex}, {"chan/topic.md", "---\ntitle: T\nvideoId: abcdefghijk\n"}}),
      {"chan/topic.md", 1, 1, Severity::error, "yaml-error",
       "front matter opened with '---' is never closed; the whole note is read as body"});
  check_one(check({{"chan/chan.md", kIndex},
                   {"chan/topic.md", "---\ntitle: T\nvideoId: abcdefghijk\n  bad: x\n---\n"}}),
            {"chan/topic.md", 4, 6, Severity::error, "yaml-error",
             "front matter is not valid YAML: illegal map value"});
  check_one(check({{"chan/chan.md", kIndex},
                   {"chan/topic.md", "---\ntitle: T\nvideoId: abcdefghijk\ntitle: U\n---\n"}}),
            {"chan/topic.md", 4, 1, Severity::error, "yaml-error",
             "front matter key 'title' repeats the one on line 2; readers disagree on which one "
             "wins"});
  check_one(check({{"index.md", "---\n- a\n---\n"}}),
            {"index.md", 2, 1, Severity::error, "yaml-error",
             "front matter is a list, not a mapping of keys to values"});
  // Near miss: quoted values, lists, comments are all valid YAML.
  CHECK(only(check({{"chan/chan.md", kIndex},
                    {"chan/topic.md",
                     "---\n# c\ntitle: \"A: B\"\nvideoId: 'abcdefghijk'\n"
                     "tags:\n  - x\n---\n"}}),
             "yaml-error")
            .empty());
}

TEST_CASE("check: missing-title", "[check]") {
  check_one(
      check({{"chan/chan.md", kIndex}, {"chan/topic.md", "---\nvideoId: abcdefghijk\n---\n"}}),
      {"chan/topic.md", 1, 1, Severity::warning, "missing-title", "front matter has no title"});
  check_one(
      check({{"chan/chan.md", kIndex},
             {"chan/topic.md", "---\nvideoId: abcdefghijk\ntitle:\n---\n"}}),
      {"chan/topic.md", 3, 1, Severity::warning, "missing-title", "front-matter title is empty"});
  check_one(
      check({{"chan/chan.md", kIndex},
             {"chan/topic.md", "---\nvideoId: abcdefghijk\ntitle: \"  \"\n---\n"}}),
      {"chan/topic.md", 3, 1, Severity::warning, "missing-title", "front-matter title is empty"});
  check_one(check({{"index.md", "# No front matter\n"}}),
            {"index.md", 1, 1, Severity::warning, "missing-title",
             "the note has no front matter, so no title"});
  // Near miss: any non-blank title, index pages included.
  CHECK(only(check(topic("")), "missing-title").empty());
  CHECK(only(check({{"index.md", "---\ntitle: x\n---\n"}}), "missing-title").empty());
}

TEST_CASE("check: missing-video-id", "[check]") {
  check_one(
      check({{"chan/chan.md", kIndex}, {"chan/topic.md", "---\ntitle: T\n---\n"}}),
      {"chan/topic.md", 1, 1, Severity::error, "missing-video-id", "front matter has no videoId"});
  check_one(
      check({{"chan/chan.md", kIndex}, {"chan/topic.md", "---\ntitle: T\nvideoId: \"\"\n---\n"}}),
      {"chan/topic.md", 3, 1, Severity::error, "missing-video-id",
       "front-matter videoId is empty"});
  check_one(check({{"chan/sub/topic.md", "---\ntitle: T\n---\n"}}),
            {"chan/sub/topic.md", 1, 1, Severity::error, "missing-video-id",
             "front matter has no videoId"});
  // Near miss: index pages (`chan/chan.md`, nested ones, invisible characters in the
  // folder) and root-level notes need no videoId.
  const std::string iso =
      "\xE2\x81\xA8"
      "cleo\xE2\x81\xA9";
  std::vector<Diagnostic> all = check({
      {"index.md", "---\ntitle: Index\n---\n"},
      {"readme.md", "---\ntitle: Readme\n---\n"},
      {"chan/chan.md", kIndex},
      {"chan/sub/sub.md", kIndex},
      {iso + "/" + iso + ".md", kIndex},
      {iso + "/cleo.md", kIndex},
      {"Chan_Two/chan-two.md", kIndex},
  });
  CHECK(formatted(only(all, "missing-video-id")) == std::vector<std::string>{});
}

TEST_CASE("check: invalid-video-id", "[check]") {
  check_one(
      check({{"chan/chan.md", kIndex}, {"chan/topic.md", "---\ntitle: T\nvideoId: abc\n---\n"}}),
      {"chan/topic.md", 3, 1, Severity::error, "invalid-video-id",
       "videoId \"abc\" is not 11 characters of A-Z, a-z, 0-9, '-' and '_'"});
  check_one(check({{"chan/chan.md", kIndex},
                   {"chan/topic.md", "---\ntitle: T\nvideoId: abcdefghij!\n---\n"}}),
            {"chan/topic.md", 3, 1, Severity::error, "invalid-video-id",
             "videoId \"abcdefghij!\" is not 11 characters of A-Z, a-z, 0-9, '-' and '_'"});
  check_one(check({{"chan/chan.md", kIndex},
                   {"chan/topic.md", "---\ntitle: T\nvideoId: abcdefghijkl\n---\n"}}),
            {"chan/topic.md", 3, 1, Severity::error, "invalid-video-id",
             "videoId \"abcdefghijkl\" is not 11 characters of A-Z, a-z, 0-9, '-' and '_'"});
  // Near miss: every allowed character, and a numeric id.
  for (const char* id : {"abcdefghijk", "-BBBBBBBBB2", "A_b-123456z", "12345678901"}) {
    INFO("videoId " << id);
    std::vector<Diagnostic> all =
        check({{"chan/chan.md", kIndex},
               {"chan/topic.md", "---\ntitle: T\nvideoId: " + std::string(id) + "\n---\n"}});
    CHECK(only(all, "invalid-video-id").empty());
    CHECK(only(all, "missing-video-id").empty());
  }
}

TEST_CASE("check: invalid-timestamp", "[check]") {
  check_one(check(topic("Claim " + anchor("00:61:00", "00:61:00") + "\n")),
            {"chan/topic.md", 5, 7, Severity::error, "invalid-timestamp",
             "data-t \"00:61:00\" has a minutes or seconds field of 60 or more"});
  check_one(check(topic("Claim " + anchor("1:2:3:4", "1:2:3:4") + "\n")),
            {"chan/topic.md", 5, 7, Severity::error, "invalid-timestamp",
             "data-t \"1:2:3:4\" has more than three fields"});
  check_one(check(topic("Claim " + anchor("t=5", "0:05") + "\n")),
            {"chan/topic.md", 5, 7, Severity::error, "invalid-timestamp",
             "data-t \"t=5\" is not of the form HH:MM:SS or MM:SS"});
  // Near misses: valid forms, bare seconds, and bad anchors in code.
  CHECK(
      only(check(topic("A " + anchor("00:59:59", "00:59:59") + " " + anchor("75:00", "75:00") +
                       " " + anchor("3647", "01:00:47") + " `" + anchor("00:61:00", "x") + "`\n")),
           "invalid-timestamp")
          .empty());
}

TEST_CASE("check: timestamp-label-mismatch", "[check]") {
  check_one(check(topic("Claim " + anchor("00:04:10", "00:04:01") + "\n")),
            {"chan/topic.md", 5, 7, Severity::warning, "timestamp-label-mismatch",
             "label 00:04:01 is not data-t 00:04:10 (00:04:01 shown, 00:04:10 linked)"});
  check_one(check(topic("Claim " + anchor("00:05:00", "0:05:00") + "\n")),
            {"chan/topic.md", 5, 7, Severity::info, "timestamp-label-mismatch",
             "label 0:05:00 and data-t 00:05:00 are the same instant written differently"});
  check_one(check(topic("Claim " + anchor("00:05:00", "here") + "\n")),
            {"chan/topic.md", 5, 7, Severity::warning, "timestamp-label-mismatch",
             "label \"here\" is not a time, but data-t is 00:05:00"});
  // Near miss: label and data-t written the same.
  CHECK(only(check(topic("Claim " + anchor("00:05:00", "00:05:00") + " " + anchor("5:00", "5:00") +
                         "\n")),
             "timestamp-label-mismatch")
            .empty());
}

TEST_CASE("check: malformed-anchor", "[check]") {
  check_one(check(topic("A <a class=\"yt-timestamp\" data-t=\"00:00:05\"></a>\n")),
            {"chan/topic.md", 5, 3, Severity::warning, "malformed-anchor",
             "timestamp link has an empty label, so nothing shows in the rendered note"});
  check_one(check(topic("A <a class=\"yt-timestamp\" data=\"00:00:05\">[00:00:05]</a>\n")),
            {"chan/topic.md", 5, 3, Severity::warning, "malformed-anchor",
             "timestamp link has no data-t attribute; it is ignored"});
  check_one(check(topic("A <a class=\"yt=\"yt-timestamp\" data-t=\"00:00:05\">[00:00:05]</a>\n")),
            {"chan/topic.md", 5, 3, Severity::warning, "malformed-anchor",
             "timestamp link markup is not in the usual form <a class=\"yt-timestamp\" "
             "data-t=\"...\">; it may not render as a link"});
  check_one(check(topic("A <a class=\"yt-timestamp\" data-t=\"00:00:05\">[00:00:05]\n")),
            {"chan/topic.md", 5, 3, Severity::warning, "malformed-anchor",
             "timestamp link is not closed with </a>"});
  // Near misses: single quotes, attributes reversed, other links.
  CHECK(only(check(topic("A <a class='yt-timestamp' data-t='00:00:05'>[00:00:05]</a> "
                         "<a data-t=\"00:00:06\" class=\"yt-timestamp\">[00:00:06]</a> "
                         "<a href=\"https://example.com\">x</a>\n")),
             "malformed-anchor")
            .empty());
}

TEST_CASE("check: invalid-utf8", "[check]") {
  check_one(check(topic("ok\nbad \xFF here\n")),
            {"chan/topic.md", 6, 5, Severity::warning, "invalid-utf8",
             "bytes that are not valid UTF-8; names and text around them may show wrongly"});
  // Near miss: multi-byte UTF-8 of every length.
  CHECK(only(check(topic("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80\n")), "invalid-utf8").empty());
}

TEST_CASE("check: binary-content hides every other finding of the note", "[check]") {
  std::vector<Diagnostic> all =
      check({{"chan/chan.md", kIndex},
             {"chan/image.md", std::string("\x89PNG\r\n\x1A\n\0\0\0\rIHDR [[x]]", 22)}});
  REQUIRE(all.size() == 1);
  check_one(all,
            {"chan/image.md", 3, 1, Severity::error, "binary-content",
             "file holds NUL bytes; it looks like a binary file, not a note, and is not read"});
  // Near miss: a text note with control characters but no NUL.
  CHECK(only(check(topic("bell \x07 tab \t form \x0C\n")), "binary-content").empty());
}

TEST_CASE("check: unreadable-file from the loader", "[check]") {
  std::vector<Diagnostic> all = check(
      {{"big.md", "---\ntitle: Big\n---\n0123456789\n"}, {"small.md", "---\ntitle: S\n---\n"}},
      29);  // big.md is 30 bytes
  REQUIRE(all.size() == 1);
  check_one(all, {"big.md", 1, 1, Severity::error, "unreadable-file",
                  "cannot read note: note is larger than the limit of 29 bytes"});
  CHECK(format_diagnostic(all[0]) ==
        "big.md:1:1: error: cannot read note: note is larger than the limit of 29 bytes "
        "[unreadable-file]");
  // Near miss: at the limit exactly.
  CHECK(check({{"big.md", "---\ntitle: Big\n---\n0123456789\n"}}, 30).empty());
}

TEST_CASE("check: findings come sorted by path, then position, then rule", "[check]") {
  std::map<std::string, std::string> files = {
      {"chan/chan.md", kIndex},
      {"chan/b.md",
       "---\ntitle: B\nvideoId: abc\n---\n[[nowhere]] [[ | x]] " + anchor("00:61:00", "x") + "\n"},
      {"chan/a.md", "---\nvideoId: abcdefghijk\n---\nx [[abc\n"},
  };
  CHECK(formatted(covered(check(files))) ==
        std::vector<std::string>{
            "chan/a.md:1:1: warning: front matter has no title [missing-title]",
            "chan/a.md:4:3: warning: '[[' is never closed on its line [malformed-link]",
            "chan/b.md:3:1: error: videoId \"abc\" is not 11 characters of A-Z, a-z, 0-9, '-' "
            "and '_' [invalid-video-id]",
            "chan/b.md:5:1: error: link target \"nowhere\" matches no note [broken-link]",
            "chan/b.md:5:13: warning: link [[ | x]] has no target [empty-link]",
            "chan/b.md:5:22: error: data-t \"00:61:00\" has a minutes or seconds field of 60 or "
            "more [invalid-timestamp]",
        });
}

TEST_CASE("diagnostic: format_diagnostic", "[check]") {
  Diagnostic d{"chan/a.md", Position{10, 3, 5}, Severity::error, "broken-link", "it broke"};
  CHECK(format_diagnostic(d) == "chan/a.md:3:5: error: it broke [broken-link]");
  d.severity = Severity::warning;
  CHECK(format_diagnostic(d) == "chan/a.md:3:5: warning: it broke [broken-link]");
  d.severity = Severity::info;
  CHECK(format_diagnostic(d) == "chan/a.md:3:5: info: it broke [broken-link]");
  Diagnostic global{"", Position{}, Severity::error, "unreadable-file", "cannot read folder x"};
  CHECK(format_diagnostic(global) == "tkb: error: cannot read folder x [unreadable-file]");
  CHECK(to_string(Severity::info) == "info");
  CHECK(to_string(Severity::warning) == "warning");
  CHECK(to_string(Severity::error) == "error");
}

TEST_CASE("diagnostic: diagnostic_less orders by path, offset, rule, message", "[check]") {
  auto make = [](std::string path, std::uint32_t offset, std::string rule, std::string msg) {
    return Diagnostic{std::move(path), Position{offset, 1, offset + 1}, Severity::error,
                      std::move(rule), std::move(msg)};
  };
  std::vector<Diagnostic> v = {
      make("b.md", 0, "a-rule", "m"), make("a.md", 5, "a-rule", "m"),
      make("a.md", 5, "a-rule", "l"), make("a.md", 1, "z-rule", "m"),
      make("a.md", 5, "b-rule", "a"), make("", 9, "x", "m"),
  };
  std::sort(v.begin(), v.end(), diagnostic_less);
  std::vector<std::string> order;
  for (const Diagnostic& d : v)
    order.push_back(d.path + "@" + std::to_string(d.pos.offset) + ":" + d.rule + ":" + d.message);
  CHECK(order == std::vector<std::string>{"@9:x:m", "a.md@1:z-rule:m", "a.md@5:a-rule:l",
                                          "a.md@5:a-rule:m", "a.md@5:b-rule:a", "b.md@0:a-rule:m"});
  CHECK_FALSE(diagnostic_less(v[0], v[0]));
}

TEST_CASE("check: CheckRun's findings over any partition of the notes equal run_checks",
          "[check]") {
  // Two notes too large to read: their unreadable-file findings sort among the others.
  const std::string big = kHead + std::string(400, 'x') + "\n";
  std::map<std::string, std::string> files = {
      {"a/a.md", kIndex},
      {"a/big.md", big},
      {"a/one.md", kHead + "[[missing]] [[two]]\n" + anchor("00:00:01", "00:00:01") + "\n"},
      {"a/two.md", kHead + "[[one]] [[two]]\n"},
      {"b/b.md", kIndex},
      {"b/one.md", kHead + "[[a/one]]\n"},
      {"c/zbig.md", big},
  };
  MemoryFileSystem fs(files);
  LoadOptions o;
  o.jobs = 1;
  o.max_note_bytes = 300;
  KnowledgeBase kb = load_knowledge_base(fs, o);
  REQUIRE(kb.notes.size() == 5);
  REQUIRE(kb.diagnostics.size() == 2);
  Resolver resolver(kb);
  const std::vector<Diagnostic> all = run_checks(kb, resolver);
  REQUIRE(all.size() > 5);
  for (unsigned jobs : {1u, 2u}) {
    CheckRun run(kb, resolver, {}, jobs);
    CHECK(run.note_count() == 5);
    for (std::size_t step : {1u, 2u, 3u, 5u}) {
      std::vector<Diagnostic> joined;
      for (std::size_t b = 0; b < run.note_count(); b += step) {
        for (Diagnostic& d : run.findings(b, b + step)) joined.push_back(std::move(d));
      }
      REQUIRE(joined.size() == all.size());
      for (std::size_t k = 0; k < all.size(); ++k) {
        CHECK(format_diagnostic(joined[k]) == format_diagnostic(all[k]));
      }
    }
  }
  // No notes at all: the first (and only) range still holds the loading problems.
  MemoryFileSystem only_big({{"x/big.md", big}});
  KnowledgeBase none = load_knowledge_base(only_big, o);
  Resolver none_resolver(none);
  CheckRun run(none, none_resolver);
  std::vector<Diagnostic> found = run.findings(0, 0);
  REQUIRE(found.size() == 1);
  CHECK(found[0].rule == "unreadable-file");
}
