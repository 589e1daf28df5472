// Unit tests for tkb/edit.hpp: edits, unified diffs, link rewriting, `fix`, `rename` and `new`
// planned on a MemoryFileSystem (exact new contents, CRLF, no final newline, code untouched,
// idempotence, no new findings, refusals), applying changes with injected write failures and
// files changed on disk, and the disk file system's atomic writes.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <sys/stat.h>

#include "tkb/check.hpp"
#include "tkb/edit.hpp"
#include "tkb/error.hpp"
#include "tkb/knowledge_base.hpp"
#include "tkb/resolve.hpp"

using namespace tkb;
namespace fs = std::filesystem;

namespace {

using Files = std::map<std::string, std::string>;

const std::string kIndex = "---\ntitle: chan\n---\n- [[topic | Topic]]\n- [[other | Other]]\n";

std::string anchor(const std::string& t) {
  return "<a class=\"yt-timestamp\" data-t=\"" + t + "\">[" + t + "]</a>";
}

std::string note(const std::string& title, const std::string& body,
                 const std::string& video = "abcdefghijk") {
  return "---\ntitle: " + title + "\nvideoId: " + video + "\n---\n\nFrom: [[chan]] <br/>\n\n" +
         body;
}

// A knowledge base loaded from memory, with its resolver.
struct World {
  MemoryFileSystem fs;
  KnowledgeBase kb;
  std::unique_ptr<Resolver> resolver;
  explicit World(Files files) : fs(std::move(files)) { reload(); }
  void reload() {
    resolver.reset();
    LoadOptions o;
    o.jobs = 1;
    kb = load_knowledge_base(fs, o);
    resolver = std::make_unique<Resolver>(kb);
  }
  int index(const std::string& path) const {
    int i = kb.find_path(path);
    REQUIRE(i >= 0);
    return i;
  }
  const std::string& file(const std::string& path) const { return fs.files().at(path); }
  FixPlan fix(std::vector<std::string> rules = {}, CheckConfig config = {}) {
    FixRequest r;
    if (rules.empty()) {
      for (std::string_view x : fixable_rules()) {
        if (x != "broken-link") r.rules.emplace_back(x);
      }
    } else {
      r.rules = std::move(rules);
    }
    r.config = std::move(config);
    return plan_fixes(kb, *resolver, fs, r);
  }
  RenamePlan rename(const std::string& old_path, const std::string& new_name,
                    std::optional<std::string> title = {}, bool merge = false,
                    bool remove_old = false) {
    RenameRequest r;
    r.note = index(old_path);
    r.new_name = new_name;
    r.title = std::move(title);
    r.merge = merge;
    r.remove_old = remove_old;
    return plan_rename(kb, *resolver, fs, r);
  }
  // Apply and reload; every change must be written.
  void apply(const std::vector<FileChange>& changes) {
    ApplyReport report = apply_changes(fs, changes, true);
    REQUIRE(report.complete());
    reload();
  }
  std::map<std::string, std::size_t> counts() const {
    std::map<std::string, std::size_t> out;
    for (const Diagnostic& d : run_checks(kb, *resolver)) ++out[d.rule];
    return out;
  }
};

// No rule has more findings after than before, except those listed.
void no_new_findings(const std::map<std::string, std::size_t>& before,
                     const std::map<std::string, std::size_t>& after) {
  for (const auto& [rule, n] : after) {
    auto it = before.find(rule);
    INFO(rule);
    CHECK(n <= (it == before.end() ? 0 : it->second));
  }
}

const FileChange& change_of(const std::vector<FileChange>& changes, const std::string& path) {
  auto it = std::find_if(changes.begin(), changes.end(),
                         [&](const FileChange& c) { return c.path == path; });
  REQUIRE(it != changes.end());
  return *it;
}

}  // namespace

// ---- Edits and diffs ------------------------------------------------------------------------

TEST_CASE("edit: apply_edits keeps every other byte and refuses stale or overlapping edits",
          "[edit]") {
  std::string error;
  std::string text = "a [[x]] b\r\nc [[y]] d";
  auto out = apply_edits(text, {{13, "[[y]]", "[[z|y]]", ""}, {2, "[[x]]", "[[w]]", ""}}, error);
  REQUIRE(out);
  CHECK(*out == "a [[w]] b\r\nc [[z|y]] d");
  CHECK_FALSE(apply_edits(text, {{2, "[[q]]", "", ""}}, error));
  CHECK(error == "the text at byte 2 is not \"[[q]]\"");
  CHECK_FALSE(apply_edits(text, {{2, "[[x]]", "", ""}, {4, "x", "", ""}}, error));
  CHECK(error == "two edits overlap at byte 4");
  CHECK(*apply_edits(text, {}, error) == text);
  CHECK(*apply_edits("", {{0, "", "new", ""}}, error) == "new");
}

TEST_CASE("edit: unified diff with context, hunks, CRLF and a missing final newline", "[edit]") {
  std::string a, b;
  for (int i = 1; i <= 20; ++i) {
    a += "line " + std::to_string(i) + "\n";
    b += (i == 5    ? std::string("LINE 5")
          : i == 16 ? std::string("LINE 16")
                    : "line " + std::to_string(i)) +
         "\n";
  }
  CHECK(unified_diff("n.md", "n.md", a, b) ==
        "diff --git a/n.md b/n.md\n--- a/n.md\n+++ b/n.md\n"
        "@@ -2,7 +2,7 @@\n line 2\n line 3\n line 4\n-line 5\n+LINE 5\n line 6\n line 7\n line 8\n"
        "@@ -13,7 +13,7 @@\n line 13\n line 14\n line 15\n-line 16\n+LINE 16\n line 17\n"
        " line 18\n line 19\n");
  // Changes six lines apart share a hunk.
  std::string c = a;
  c.replace(c.find("line 11\n"), 8, "LINE 11\n");
  std::string d = unified_diff("n.md", "n.md", b, c);
  CHECK(d.find("@@ -2,18 +2,18 @@\n") != std::string::npos);
  CHECK(unified_diff("n.md", "n.md", a, a).empty());

  CHECK(unified_diff("c.md", "c.md", "x\r\ny\r\n", "x\r\nz\r\n") ==
        "diff --git a/c.md b/c.md\n--- a/c.md\n+++ b/c.md\n@@ -1,2 +1,2 @@\n x\r\n-y\r\n+z\r\n");
  CHECK(unified_diff("e.md", "e.md", "x\nend", "x\nEND") ==
        "diff --git a/e.md b/e.md\n--- a/e.md\n+++ b/e.md\n@@ -1,2 +1,2 @@\n x\n-end\n"
        "\\ No newline at end of file\n+END\n\\ No newline at end of file\n");
  CHECK(unified_diff("e.md", "e.md", "x\nend", "x\nend\n") ==
        "diff --git a/e.md b/e.md\n--- a/e.md\n+++ b/e.md\n@@ -1,2 +1,2 @@\n x\n-end\n"
        "\\ No newline at end of file\n+end\n");
  CHECK(unified_diff(FileChange{"n/new.md", std::nullopt, "a\nb\n", {}}) ==
        "diff --git a/n/new.md b/n/new.md\nnew file mode 100644\n--- /dev/null\n+++ b/n/new.md\n"
        "@@ -0,0 +1,2 @@\n+a\n+b\n");
  CHECK(unified_diff(FileChange{"old.md", "a\n", std::nullopt, {}}) ==
        "diff --git a/old.md b/old.md\ndeleted file mode 100644\n--- a/old.md\n+++ /dev/null\n"
        "@@ -1 +0,0 @@\n-a\n");
  CHECK(unified_diff(FileChange{"a.md", "x\n", "x\n", "b/a.md"}) ==
        "diff --git a/a.md b/b/a.md\nrename from a.md\nrename to b/a.md\n");
  // A file name cannot forge header lines: quoted as git quotes it.
  CHECK(unified_diff(FileChange{"a\nb.md", "x\n", "y\n", {}})
            .rfind("diff --git \"a/a\\nb.md\" \"b/a\\nb.md\"\n--- \"a/a\\nb.md\"\n", 0) == 0);
}

TEST_CASE("edit: a long diff with many scattered changes is exact", "[edit]") {
  std::mt19937 rng(7);
  std::string a, b;
  for (int i = 0; i < 3000; ++i) {
    std::string line = "l" + std::to_string(i) + "\n";
    a += line;
    int r = static_cast<int>(rng() % 40);
    if (r == 0) continue;                    // removed
    if (r == 1) b += "new " + line;          // inserted before
    b += r == 2 ? "changed " + line : line;  // changed
  }
  std::string diff = unified_diff("x.md", "x.md", a, b);
  // Replay the hunks onto `a`: the result must be `b`.
  std::istringstream in(diff);
  std::vector<std::string> old_lines, out;
  for (std::size_t p = 0; p < a.size();) {
    std::size_t nl = a.find('\n', p);
    old_lines.push_back(a.substr(p, nl - p));
    p = nl + 1;
  }
  std::size_t at = 0;
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("@@ -", 0) == 0) {
      std::size_t start = std::stoul(line.substr(4));
      std::size_t first = start == 0 ? 0 : start - 1;
      while (at < first) out.push_back(old_lines[at++]);
    } else if (!line.empty() && line[0] == ' ') {
      REQUIRE(old_lines[at] == line.substr(1));
      out.push_back(old_lines[at++]);
    } else if (!line.empty() && line[0] == '-' && line.rfind("--- ", 0) != 0) {
      REQUIRE(old_lines[at] == line.substr(1));
      ++at;
    } else if (!line.empty() && line[0] == '+' && line.rfind("+++ ", 0) != 0) {
      out.push_back(line.substr(1));
    }
  }
  while (at < old_lines.size()) out.push_back(old_lines[at++]);
  std::string rebuilt;
  for (const std::string& l : out) rebuilt += l + "\n";
  CHECK(rebuilt == b);
}

TEST_CASE("edit: yaml_scalar and timestamp_anchor", "[edit]") {
  CHECK(yaml_scalar("Sourdough starters") == "Sourdough starters");
  CHECK(yaml_scalar("-jprVaXdbsw") == "-jprVaXdbsw");
  CHECK(yaml_scalar("Destiny's journey") == "Destiny's journey");
  CHECK(yaml_scalar("Why: a question") == "\"Why: a question\"");
  CHECK(yaml_scalar("\"Quoted\" title") == "\"\\\"Quoted\\\" title\"");
  CHECK(yaml_scalar("#1 hit") == "\"#1 hit\"");
  CHECK(yaml_scalar("null") == "\"null\"");
  CHECK(yaml_scalar("- item") == "\"- item\"");
  CHECK(timestamp_anchor("00:12:34") ==
        "<a class=\"yt-timestamp\" data-t=\"00:12:34\">[00:12:34]</a>");
}

TEST_CASE("edit: retarget_link keeps alias, spacing, fragment and embed mark", "[edit]") {
  std::string text = note("T",
                          "[[Old]] [[Old | shown]] [[Old|shown]] [[Old#Part]] ![[Old]] [[Old|]]\n"
                          "| [[Old]] | [[Old\\|x]] |\n");
  World w({{"chan/t.md", text}});
  const Note& n = w.kb.notes[0];
  REQUIRE(n.links.size() == 9);
  std::vector<std::string> got;
  for (std::size_t k = 1; k < n.links.size(); ++k) {
    got.push_back(retarget_link(n.links[k], text, "new_name"));
  }
  CHECK(got == std::vector<std::string>{"[[new_name|Old]]", "[[new_name | shown]]",
                                        "[[new_name|shown]]", "[[new_name#Part|Old]]",
                                        "![[new_name]]", "[[new_name|Old]]", "[[new_name\\|Old]]",
                                        "[[new_name\\|x]]"});
  CHECK(retarget_link(n.links[1], text, "Old") == "[[Old]]");
}

// ---- fix ------------------------------------------------------------------------------------

TEST_CASE("fix: each rule's fix, exactly, with code and other bytes untouched", "[edit][fix]") {
  const std::string topic = note(
      "Topic",
      "Links: [[OTHER]], [[Other note]], [[other | kept alias]], ![[Other]] and `[[Other]]`.  \n"
      "Times: [00:01:02] [1:02:03] [00:03:00](#03:00) [[00:04:05]] [[00:04:06|text]].\n"
      "Labels: <a class=\"yt-timestamp\" data-t=\"00:05:10\">[00:05:01]</a> "
      "<a class='yt-timestamp' data-t='310'>[05:10]</a> "
      "<a class=\"yt-timestamp\" data-t=\"5:10\">[ 00:05:10 ]</a>.\n"
      "Broken: [[nowhere | the text]] and [[nowhere else]].\n"
      "```\n[[Other]] [00:09:09] [[00:09:10]]\n```\n"
      "Unicode: naïve [[Other note]] ☕ " +
          anchor("00:00:01"));
  const std::string other = note("Other note", "Back to [[topic]] " + anchor("00:00:02") + ".\n");
  World w({{"chan/chan.md", kIndex}, {"chan/topic.md", topic}, {"chan/other.md", other}});
  auto before = w.counts();

  FixPlan plan = w.fix({"non-canonical-link", "broken-link", "timestamp-label-mismatch",
                        "timestamp-as-link", "bare-timestamp"});
  REQUIRE(plan.changes.size() == 1);
  const FileChange& c = plan.changes[0];
  CHECK(c.path == "chan/topic.md");
  CHECK(*c.old_content == topic);
  CHECK(*c.new_content ==
        note("Topic",
             "Links: [[other|OTHER]], [[other|Other note]], [[other | kept alias]], ![[other]] "
             "and `[[Other]]`.  \n"
             "Times: " +
                 anchor("00:01:02") + " " + anchor("1:02:03") + " [00:03:00](#03:00) " +
                 anchor("00:04:05") +
                 " [[00:04:06|text]].\n"
                 "Labels: <a class=\"yt-timestamp\" data-t=\"00:05:10\">[00:05:10]</a> "
                 "<a class='yt-timestamp' data-t='00:05:10'>[00:05:10]</a> "
                 "<a class=\"yt-timestamp\" data-t=\"5:10\">[ 5:10 ]</a>.\n"
                 "Broken: the text and nowhere else.\n"
                 "```\n[[Other]] [00:09:09] [[00:09:10]]\n```\n"
                 "Unicode: naïve [[other|Other note]] ☕ " +
                 anchor("00:00:01")));
  CHECK(plan.fixed == std::map<std::string, std::size_t>{{"bare-timestamp", 2},
                                                         {"broken-link", 2},
                                                         {"non-canonical-link", 4},
                                                         {"timestamp-as-link", 1},
                                                         {"timestamp-label-mismatch", 3}});
  CHECK(plan.left ==
        std::map<std::string, std::size_t>{{"bare-timestamp", 1}, {"timestamp-as-link", 1}});
  CHECK(plan.problems.empty());

  w.apply(plan.changes);
  auto after = w.counts();
  no_new_findings(before, after);
  CHECK(after.count("non-canonical-link") == 0);
  CHECK(after.count("timestamp-label-mismatch") == 0);
  CHECK(after.count("broken-link") == 0);
  CHECK(after["bare-timestamp"] == 1);
  CHECK(after["timestamp-as-link"] == 1);
  // Idempotence: nothing more to do.
  FixPlan again = w.fix({"non-canonical-link", "broken-link", "timestamp-label-mismatch",
                         "timestamp-as-link", "bare-timestamp"});
  CHECK(again.changes.empty());
  CHECK(again.fixed.empty());
}

TEST_CASE("fix: CRLF and no final newline are kept", "[edit][fix]") {
  const std::string crlf =
      "---\r\ntitle: Topic\r\nvideoId: abcdefghijk\r\n---\r\n\r\nFrom: [[chan]] <br/>\r\n\r\n"
      "See [00:00:40] and [[Other note]].\r\nTrailing spaces   \r\n";
  const std::string bare = note("Other note", "Ends at [00:00:50] with [[Topic]]");
  World w({{"chan/chan.md", kIndex}, {"chan/topic.md", crlf}, {"chan/other.md", bare}});
  FixPlan plan = w.fix();
  REQUIRE(plan.changes.size() == 2);
  CHECK(*change_of(plan.changes, "chan/topic.md").new_content ==
        "---\r\ntitle: Topic\r\nvideoId: abcdefghijk\r\n---\r\n\r\nFrom: [[chan]] <br/>\r\n\r\n"
        "See " +
            anchor("00:00:40") + " and [[other|Other note]].\r\nTrailing spaces   \r\n");
  CHECK(*change_of(plan.changes, "chan/other.md").new_content ==
        note("Other note", "Ends at " + anchor("00:00:50") + " with [[topic|Topic]]"));
  w.apply(plan.changes);
  CHECK(w.fix().changes.empty());
}

TEST_CASE("fix: selection, configuration and tkb-ignore are respected", "[edit][fix]") {
  const std::string topic = note("Topic",
                                 "A [00:00:01] and [[Other note]].\n"
                                 "<!-- tkb-ignore bare-timestamp -->\n"
                                 "Silenced [00:00:02].\n");
  Files files{{"chan/chan.md", kIndex},
              {"chan/topic.md", topic},
              {"chan/other.md", note("Other note", anchor("00:00:03"))}};
  World w(files);
  FixPlan only_links = w.fix({"non-canonical-link"});
  REQUIRE(only_links.changes.size() == 1);
  CHECK(*only_links.changes[0].new_content ==
        note("Topic",
             "A [00:00:01] and [[other|Other note]].\n<!-- tkb-ignore bare-timestamp -->\n"
             "Silenced [00:00:02].\n"));
  CheckConfig off;
  off.severity["non-canonical-link"] = std::nullopt;
  FixPlan configured = w.fix({}, off);
  REQUIRE(configured.changes.size() == 1);
  CHECK(*configured.changes[0].new_content ==
        note("Topic", "A " + anchor("00:00:01") +
                          " and [[Other note]].\n"
                          "<!-- tkb-ignore bare-timestamp -->\nSilenced [00:00:02].\n"));
  CheckConfig ignored;
  ignored.ignore = {"chan/topic.md"};
  CHECK(w.fix({}, ignored).changes.empty());
}

TEST_CASE("fix: a fix that would bring a new finding is left out", "[edit][fix]") {
  // Turning these into anchors would make the note suspect-minutes (MM:SS written as HH:MM:00).
  const std::string suspect = note(
      "Topic", "At [01:05:00], [01:09:00], [01:12:00] and [[01:20:00]]. See [[Other note]].\n");
  // Without a videoId a time has no video to link to.
  const std::string no_video =
      "---\ntitle: Loose\n---\n\nFrom: [[chan]] <br/>\n\nAt [00:00:05] and [[00:00:06]].\n";
  World w({{"chan/chan.md", kIndex},
           {"chan/topic.md", suspect},
           {"chan/loose.md", no_video},
           {"chan/other.md", note("Other note", anchor("00:00:03"))}});
  auto before = w.counts();
  FixPlan plan = w.fix();
  REQUIRE(plan.changes.size() == 1);
  CHECK(
      *plan.changes[0].new_content ==
      note("Topic",
           "At [01:05:00], [01:09:00], [01:12:00] and [[01:20:00]]. See [[other|Other note]].\n"));
  CHECK(plan.refused ==
        std::map<std::string, std::size_t>{{"bare-timestamp", 3}, {"timestamp-as-link", 1}});
  CHECK(plan.left ==
        std::map<std::string, std::size_t>{{"bare-timestamp", 4}, {"timestamp-as-link", 2}});
  w.apply(plan.changes);
  no_new_findings(before, w.counts());
}

TEST_CASE("fix: more findings than check shows per note are all fixed", "[edit][fix]") {
  std::string body;
  for (int i = 0; i < 450; ++i) {
    body += "Point [00:" + std::string(i / 60 < 10 ? "0" : "") + std::to_string(i / 60) + ":" +
            (i % 60 < 10 ? "0" : "") + std::to_string(i % 60) + "].\n";
  }
  World w({{"chan/chan.md", kIndex}, {"chan/topic.md", note("Topic", body)}});
  FixPlan plan = w.fix();
  CHECK(plan.fixed["bare-timestamp"] == 450);
  CHECK(plan.left.empty());
  w.apply(plan.changes);
  CHECK(w.counts().count("bare-timestamp") == 0);
  CHECK(w.fix().changes.empty());
}

TEST_CASE("fix: a file that changed since it was read is not fixed", "[edit][fix]") {
  World w({{"chan/chan.md", kIndex},
           {"chan/topic.md", note("Topic", "At [00:00:01].\n")},
           {"chan/other.md", note("Other", "At [00:00:02].\n")}});
  // Someone edits topic.md after tkb read it.
  REQUIRE(w.fs.write_atomic("chan/topic.md", "---\ntitle: Changed\n---\n\nAt [00:00:01].\n",
                            w.file("chan/topic.md"))
              .empty());
  FixPlan plan = w.fix();
  REQUIRE(plan.problems.size() == 1);
  CHECK(plan.problems[0].path == "chan/topic.md");
  REQUIRE(plan.changes.size() == 1);
  CHECK(plan.changes[0].path == "chan/other.md");
}

// ---- rename ---------------------------------------------------------------------------------

namespace {

const std::string kStarter =
    "---\ntitle: Sourdough starters\nvideoId: AAAAAAAAAA1\naliases: [levain]\n---\n\n"
    "From: [[kitchen]] <br/>\n\n## Feeding\n\nFlour daily " +
    anchor("00:00:01") + ", as [[#Feeding]] says; [[sourdough_starters#Feeding|here]].\n";
const std::string kLinker =
    "---\ntitle: Crust\nvideoId: BBBBBBBBBB2\n---\n\nFrom: [[kitchen]] <br/>\n\n"
    "[[sourdough_starters]] [[Sourdough_Starters]] [[Sourdough starters]] "
    "[[kitchen/sourdough_starters.md]] [[levain]]\n"
    "[[sourdough_starters | the starter]] [[sourdough_starters|the starter]] "
    "[[sourdough_starters#Feeding]] ![[sourdough_starters]]\n"
    "| [[Sourdough starters]] | [[sourdough_starters\\|x]] |\n"
    "`[[sourdough_starters]]` " +
    anchor("00:00:02") + "\n";
const std::string kKitchen =
    "---\ntitle: kitchen\n---\n- [[sourdough_starters | Starters]]\n"
    "- [[crust | Crust]]\n";

Files kitchen_files() {
  return {{"kitchen/kitchen.md", kKitchen},
          {"kitchen/sourdough_starters.md", kStarter},
          {"kitchen/crust.md", kLinker}};
}

}  // namespace

TEST_CASE("rename: a new stem rewrites every spelling, keeping text and code", "[edit][rename]") {
  World w(kitchen_files());
  auto before = w.counts();
  RenamePlan plan = w.rename("kitchen/sourdough_starters.md", "bread_starters");
  CHECK(plan.old_path == "kitchen/sourdough_starters.md");
  CHECK(plan.new_path == "kitchen/bread_starters.md");
  REQUIRE(plan.changes.size() == 3);
  CHECK(plan.changes[0].path == "kitchen/crust.md");
  CHECK(*plan.changes[0].new_content ==
        "---\ntitle: Crust\nvideoId: BBBBBBBBBB2\n---\n\nFrom: [[kitchen]] <br/>\n\n"
        "[[bread_starters|sourdough_starters]] [[bread_starters|Sourdough_Starters]] "
        "[[Sourdough starters]] [[kitchen/bread_starters.md|kitchen/sourdough_starters.md]] "
        "[[levain]]\n"
        "[[bread_starters | the starter]] [[bread_starters|the starter]] "
        "[[bread_starters#Feeding|sourdough_starters]] ![[bread_starters]]\n"
        "| [[Sourdough starters]] | [[bread_starters\\|x]] |\n"
        "`[[sourdough_starters]]` " +
            anchor("00:00:02") + "\n");
  CHECK(plan.changes[1].path == "kitchen/kitchen.md");
  CHECK(*plan.changes[1].new_content ==
        "---\ntitle: kitchen\n---\n- [[bread_starters | Starters]]\n- [[crust | Crust]]\n");
  // The note itself last: its own link rewritten, then moved.
  const FileChange& moved = plan.changes[2];
  CHECK(moved.path == "kitchen/sourdough_starters.md");
  CHECK(moved.new_path == "kitchen/bread_starters.md");
  CHECK(*moved.new_content ==
        "---\ntitle: Sourdough starters\nvideoId: AAAAAAAAAA1\naliases: [levain]\n---\n\n"
        "From: [[kitchen]] <br/>\n\n## Feeding\n\nFlour daily " +
            anchor("00:00:01") + ", as [[#Feeding]] says; [[bread_starters#Feeding|here]].\n");
  CHECK(plan.links == 10);
  CHECK(plan.files == 3);

  w.apply(plan.changes);
  CHECK(w.fs.files().count("kitchen/sourdough_starters.md") == 0);
  CHECK(w.fs.files().count("kitchen/bread_starters.md") == 1);
  no_new_findings(before, w.counts());
  // Every link that reached the note still does.
  const int moved_to = w.index("kitchen/bread_starters.md");
  CHECK(backlinks(w.kb, *w.resolver, moved_to).size() == 14);
}

TEST_CASE("rename: a new title with --title rewrites links by title", "[edit][rename]") {
  World w(kitchen_files());
  auto before = w.counts();
  RenamePlan plan = w.rename("kitchen/sourdough_starters.md", "Bread starters", std::string());
  const FileChange& moved = plan.changes.back();
  CHECK(moved.new_path == "kitchen/bread_starters.md");
  CHECK(moved.new_content->rfind("---\ntitle: Bread starters\nvideoId: AAAAAAAAAA1\n", 0) == 0);
  CHECK(change_of(plan.changes, "kitchen/crust.md")
            .new_content->find("[[Bread starters|Sourdough starters]]") != std::string::npos);
  CHECK(change_of(plan.changes, "kitchen/crust.md")
            .new_content->find("| [[Bread starters\\|Sourdough starters]] |") != std::string::npos);
  w.apply(plan.changes);
  no_new_findings(before, w.counts());
  CHECK(w.kb.notes[static_cast<std::size_t>(w.index("kitchen/bread_starters.md"))].title ==
        "Bread starters");
  // Again: nothing to change.
  RenamePlan again = w.rename("kitchen/bread_starters.md", "Bread starters", std::string());
  CHECK(again.changes.empty());
}

TEST_CASE("rename: a title that needs quoting, and CRLF front matter", "[edit][rename]") {
  std::string crlf = kStarter;
  for (std::size_t p = 0; (p = crlf.find('\n', p)) != std::string::npos; p += 2) {
    crlf.replace(p, 1, "\r\n");
  }
  Files files = kitchen_files();
  files["kitchen/sourdough_starters.md"] = crlf;
  World w(files);
  RenamePlan plan = w.rename("kitchen/sourdough_starters.md", "Starters: a guide", std::string());
  const FileChange& moved = plan.changes.back();
  CHECK(moved.new_path == "kitchen/starters_a_guide.md");
  CHECK(moved.new_content->rfind("---\r\ntitle: \"Starters: a guide\"\r\nvideoId:", 0) == 0);
  w.apply(plan.changes);
  CHECK(w.kb.notes[static_cast<std::size_t>(w.index("kitchen/starters_a_guide.md"))].title ==
        "Starters: a guide");
}

TEST_CASE("rename: refusals", "[edit][rename]") {
  Files files = kitchen_files();
  files["space/crust.md"] = note("Space crust", "x");
  World w(files);
  CHECK_THROWS_WITH(w.rename("kitchen/sourdough_starters.md", "crust"),
                    "kitchen/crust.md already exists; --merge rewrites the links to it");
  CHECK_THROWS_WITH(w.rename("kitchen/sourdough_starters.md", "other/crust"),
                    Catch::Contains("the file name crust.md is already used by"));
  CHECK_THROWS_WITH(w.rename("kitchen/sourdough_starters.md", "kitchen/Crust.md"),
                    Catch::Contains("differs only by letter case"));
  CHECK_THROWS_WITH(w.rename("kitchen/sourdough_starters.md", "../out"),
                    Catch::Contains("is not a path inside the knowledge base"));
  CHECK_THROWS_WITH(w.rename("kitchen/sourdough_starters.md", "bread", std::string()),
                    Catch::Contains("--title sets the title to NEW, but 'bread' is a file name"));
  CHECK_THROWS_WITH(w.rename("kitchen/sourdough_starters.md", "nothing_here", {}, true),
                    Catch::Contains("--merge needs NEW to be an existing note"));
  CHECK(w.rename("kitchen/sourdough_starters.md", "bread").changes.size() == 3);
  // A file that appeared after loading is in the way.
  REQUIRE(w.fs.write_atomic("kitchen/bread.md", "", std::nullopt).empty());
  CHECK_THROWS_WITH(w.rename("kitchen/sourdough_starters.md", "bread"),
                    "kitchen/bread.md already exists on disk (a file tkb does not read as a "
                    "note); --merge rewrites the links to it");
}

TEST_CASE("rename: --merge sends the links to another note: --remove-old removes it",
          "[edit][rename]") {
  World w(kitchen_files());
  RenamePlan keep = w.rename("kitchen/sourdough_starters.md", "crust", {}, true);
  for (const FileChange& c : keep.changes) {
    CHECK_FALSE(c.moved());
    CHECK_FALSE(c.removed());
  }
  CHECK(change_of(keep.changes, "kitchen/kitchen.md").new_content->find("[[crust | Starters]]") !=
        std::string::npos);

  auto before = w.counts();
  RenamePlan plan = w.rename("kitchen/sourdough_starters.md", "kitchen/crust.md", {}, true, true);
  REQUIRE(plan.changes.size() == 3);
  CHECK(plan.changes.back().path == "kitchen/sourdough_starters.md");
  CHECK(plan.changes.back().removed());
  CHECK(*change_of(plan.changes, "kitchen/crust.md").new_content ==
        "---\ntitle: Crust\nvideoId: BBBBBBBBBB2\n---\n\nFrom: [[kitchen]] <br/>\n\n"
        "[[crust|sourdough_starters]] [[crust|Sourdough_Starters]] "
        "[[Crust|Sourdough starters]] [[kitchen/crust.md|kitchen/sourdough_starters.md]] "
        "[[crust|levain]]\n"
        "[[crust | the starter]] [[crust|the starter]] [[crust#Feeding|sourdough_starters]] "
        "![[crust]]\n"
        "| [[Crust\\|Sourdough starters]] | [[crust\\|x]] |\n"
        "`[[sourdough_starters]]` " +
            anchor("00:00:02") + "\n");
  // The heading the links name is not in the note they now reach: said, not hidden.
  CHECK(std::any_of(plan.notes.begin(), plan.notes.end(), [](const std::string& s) {
    return s.find("heading-not-found") != std::string::npos;
  }));
  w.apply(plan.changes);
  CHECK(w.fs.files().count("kitchen/sourdough_starters.md") == 0);
  auto after = w.counts();
  // Links to itself now, and a heading it lacks: the only findings the merge brings.
  after.erase("self-link");
  after.erase("heading-not-found");
  no_new_findings(before, after);
}

TEST_CASE("rename: links to other notes keep their note when the move would change it",
          "[edit][rename]") {
  // `[[Guide]]` reaches b/guide.md by its title; a note renamed to the stem `guide` would
  // take the link by the earlier stem rule, so the link is pinned to its note.
  World w({{"a/a.md", "---\ntitle: a\n---\n- [[mover|M]]\n"},
           {"a/mover.md", note("Mover", "x")},
           {"b/b.md", "---\ntitle: b\n---\n- [[guide_note|G]]\n"},
           {"b/guide_note.md", note("Guide", "x")},
           {"c/linker.md", note("Linker", "See [[Guide]] and [[mover]].\n")}});
  RenamePlan plan = w.rename("a/mover.md", "guide");
  CHECK(*change_of(plan.changes, "c/linker.md").new_content ==
        note("Linker", "See [[guide_note|Guide]] and [[guide|mover]].\n"));
  CHECK(std::any_of(plan.notes.begin(), plan.notes.end(), [](const std::string& s) {
    return s == "kept [[Guide]] in c/linker.md on b/guide_note.md";
  }));
}

// ---- new ------------------------------------------------------------------------------------

TEST_CASE("new: the knowledge base's format, in the channel's folder", "[edit][new]") {
  World w(kitchen_files());
  FileChange c = plan_new(w.kb, w.fs, {"Feeding a starter: why", "-BBBBBBBBB2", "kitchen"});
  CHECK(c.created());
  CHECK(c.path == "kitchen/feeding_a_starter_why.md");
  CHECK(*c.new_content ==
        "---\ntitle: \"Feeding a starter: why\"\nvideoId: -BBBBBBBBB2\n---\n\n"
        "From: [[kitchen]] <br/>\n\n");
  CHECK_THROWS_WITH(plan_new(w.kb, w.fs, {"Crust", "-BBBBBBBBB2", "kitchen"}),
                    "kitchen/crust.md already exists; tkb new never overwrites a note");
  CHECK_THROWS_WITH(plan_new(w.kb, w.fs, {"X", "-BBBBBBBBB2", "kitchn"}),
                    "no channel 'kitchn' in the knowledge base; did you mean kitchen? (a new "
                    "channel needs its folder and index page first)");
  CHECK_THROWS_WITH(plan_new(w.kb, w.fs, {"X", "short", "kitchen"}),
                    Catch::Contains("is not a video id"));
  CHECK_THROWS_WITH(plan_new(w.kb, w.fs, {"???", "-BBBBBBBBB2", "kitchen"}),
                    Catch::Contains("gives an empty file name"));
  w.apply({c});
  const Note& n = w.kb.notes[static_cast<std::size_t>(w.index(c.path))];
  CHECK(n.title == "Feeding a starter: why");
  CHECK(n.video_id == "-BBBBBBBBB2");
  CHECK(n.channel == "kitchen");
  // Never over an existing file, even when planned before it appeared.
  ApplyReport again = apply_changes(w.fs, {c}, true);
  CHECK(again.outcomes[0].status == ApplyOutcome::Status::failed);
  CHECK(again.outcomes[0].error == "it already exists");
}

// ---- Applying: failures, changed files, interruptions ---------------------------------------

namespace {

// A MemoryFileSystem whose writes fail from the n-th on (0: never).
class FailingFileSystem : public MemoryFileSystem {
 public:
  FailingFileSystem(Files files, int fail_at)
      : MemoryFileSystem(std::move(files)), m_fail_at(fail_at) {}
  std::string write_atomic(const std::string& path, std::string_view content,
                           const std::optional<std::string>& expected) override {
    if (++m_writes == m_fail_at) return "injected failure";
    return MemoryFileSystem::write_atomic(path, content, expected);
  }
  std::string rename(const std::string& from, const std::string& to) override {
    if (++m_writes == m_fail_at) return "injected failure";
    return MemoryFileSystem::rename(from, to);
  }

 private:
  int m_fail_at;
  int m_writes = 0;
};

}  // namespace

TEST_CASE("apply: a write failure mid-run leaves each file old or new, and says which",
          "[edit][apply]") {
  World w(kitchen_files());
  RenamePlan plan = w.rename("kitchen/sourdough_starters.md", "bread_starters");
  REQUIRE(plan.changes.size() == 3);
  // Writes: crust.md, kitchen.md, sourdough_starters.md in place, then the move: 4 steps.
  for (int fail_at = 1; fail_at <= 5; ++fail_at) {
    INFO("failing write " << fail_at);
    FailingFileSystem fs(kitchen_files(), fail_at);
    ApplyReport report = apply_changes(fs, plan.changes, true);
    std::size_t written = 0;
    for (std::size_t i = 0; i < plan.changes.size(); ++i) {
      const FileChange& c = plan.changes[i];
      const auto& files = fs.files();
      switch (report.outcomes[i].status) {
        case ApplyOutcome::Status::written:
          ++written;
          CHECK(files.at(c.moved() ? c.new_path : c.path) == *c.new_content);
          if (c.moved()) CHECK(files.count(c.path) == 0);
          break;
        case ApplyOutcome::Status::failed:
          CHECK_FALSE(report.outcomes[i].error.empty());
          // Old content, or (the move failed) new content in the old place.
          CHECK((files.at(c.path) == *c.old_content || files.at(c.path) == *c.new_content));
          break;
        case ApplyOutcome::Status::not_attempted:
          CHECK(files.at(c.path) == *c.old_content);
          break;
      }
    }
    if (fail_at <= 4) {
      CHECK_FALSE(report.complete());
      CHECK(report.count(ApplyOutcome::Status::failed) == 1);
      CHECK(written == static_cast<std::size_t>(std::min(fail_at - 1, 2)));
    } else {
      CHECK(report.complete());
    }
    // Every file holds either its old or its new content.
    for (const FileChange& c : plan.changes) {
      bool old_there = fs.files().count(c.path) && fs.files().at(c.path) == *c.old_content;
      bool new_there = fs.files().count(c.moved() ? c.new_path : c.path) &&
                       fs.files().at(c.moved() ? c.new_path : c.path) == *c.new_content;
      bool new_in_place = fs.files().count(c.path) && fs.files().at(c.path) == *c.new_content;
      CHECK((old_there || new_there || new_in_place));
    }
  }
}

TEST_CASE("apply: a file changed on disk after it was read is left alone", "[edit][apply]") {
  World w({{"chan/chan.md", kIndex},
           {"chan/topic.md", note("Topic", "At [00:00:01].\n")},
           {"chan/other.md", note("Other", "At [00:00:02].\n")}});
  FixPlan plan = w.fix();
  REQUIRE(plan.changes.size() == 2);
  const std::string edited = note("Other", "Edited by hand [00:00:02].\n");
  REQUIRE(w.fs.write_atomic("chan/other.md", edited, w.file("chan/other.md")).empty());
  ApplyReport report = apply_changes(w.fs, plan.changes, false);
  CHECK(report.outcomes[0].status == ApplyOutcome::Status::failed);  // other.md sorts first
  CHECK(report.outcomes[0].error == "it changed on disk after it was read");
  CHECK(report.outcomes[1].status == ApplyOutcome::Status::written);
  CHECK(w.file("chan/other.md") == edited);
  CHECK(w.file("chan/topic.md") == *change_of(plan.changes, "chan/topic.md").new_content);
}

// ---- The disk -------------------------------------------------------------------------------

namespace {

struct TempDir {
  fs::path path;
  TempDir() {
    path = fs::temp_directory_path() / ("tkb_edit_" + std::to_string(::getpid()) + "_" +
                                        std::to_string(std::random_device{}()));
    fs::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  void write(const std::string& rel, const std::string& text) const {
    fs::create_directories((path / rel).parent_path());
    std::ofstream(path / rel, std::ios::binary) << text;
  }
  std::string read(const std::string& rel) const {
    std::ifstream in(path / rel, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
  }
  std::vector<std::string> entries(const std::string& rel) const {
    std::vector<std::string> out;
    for (const auto& e : fs::directory_iterator(path / rel)) out.push_back(e.path().filename());
    std::sort(out.begin(), out.end());
    return out;
  }
};

}  // namespace

TEST_CASE("disk: atomic replace keeps permissions, refuses changed files, never overwrites",
          "[edit][disk]") {
  TempDir dir;
  dir.write("chan/a.md", "old\r\nbytes");
  fs::permissions(dir.path / "chan/a.md", fs::perms(0640));
  auto disk = make_disk_file_system(dir.path.string());

  CHECK(disk->write_atomic("chan/a.md", "new\r\nbytes", std::string("not what it holds")) ==
        "it changed on disk after it was read");
  CHECK(dir.read("chan/a.md") == "old\r\nbytes");
  CHECK(disk->write_atomic("chan/a.md", "new\r\nbytes", std::string("old\r\nbytes")).empty());
  CHECK(dir.read("chan/a.md") == "new\r\nbytes");
  CHECK((fs::status(dir.path / "chan/a.md").permissions() & fs::perms::all) == fs::perms(0640));
  CHECK(dir.entries("chan") == std::vector<std::string>{"a.md"});  // no temporary file left

  CHECK(disk->write_atomic("chan/a.md", "x", std::nullopt) == "it already exists");
  CHECK(disk->write_atomic("new/deep/b.md", "created", std::nullopt).empty());
  CHECK(dir.read("new/deep/b.md") == "created");
  CHECK(disk->exists("new/deep/b.md"));
  CHECK(disk->exists("new"));
  CHECK_FALSE(disk->exists("new/c.md"));

  CHECK(disk->rename("chan/a.md", "new/deep/b.md") == "new/deep/b.md already exists");
  CHECK(disk->rename("chan/a.md", "moved/a.md").empty());
  CHECK(dir.read("moved/a.md") == "new\r\nbytes");
  CHECK_FALSE(disk->exists("chan/a.md"));

  CHECK(disk->remove("moved/a.md", "other") == "it changed on disk after it was read");
  CHECK(disk->remove("moved/a.md", "new\r\nbytes").empty());
  CHECK_FALSE(disk->exists("moved/a.md"));
  CHECK(disk->write_atomic("gone.md", "x", std::string("y")) == "it no longer exists");

  // A symbolic link is never written through.
  dir.write("target.md", "t");
  fs::create_symlink(dir.path / "target.md", dir.path / "link.md");
  CHECK(disk->write_atomic("link.md", "x", std::string("t")) == "it is now a symbolic link");
  CHECK(dir.read("target.md") == "t");
}
