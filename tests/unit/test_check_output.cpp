// Unit tests for the output and control side of `tkb check`: .tkb.yaml (parse_config),
// glob_match, filter_findings, missing_targets, SARIF 2.1.0, GitHub annotations, source
// excerpts, the summary and the --durations file.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "tkb/check.hpp"
#include "tkb/config.hpp"
#include "tkb/error.hpp"
#include "tkb/knowledge_base.hpp"
#include "tkb/report.hpp"
#include "tkb/resolve.hpp"
#include "tkb/sarif.hpp"

using namespace tkb;

namespace {

// The message of the tkb::Error that `f` throws, or "(no error)".
template <class F>
std::string error_of(F&& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "(no error)";
}

std::string config_error(const std::string& text) {
  return error_of([&] { parse_config(text, ".tkb.yaml"); });
}

Diagnostic finding(std::string path, std::uint32_t line, std::uint32_t column, Severity s,
                   std::string rule, std::string message = "m") {
  Diagnostic d;
  d.path = std::move(path);
  d.pos.line = line;
  d.pos.column = column;
  d.pos.offset = line * 100 + column;
  d.severity = s;
  d.rule = std::move(rule);
  d.message = std::move(message);
  return d;
}

std::vector<std::string> rules_of(const std::vector<Diagnostic>& ds) {
  std::vector<std::string> out;
  for (const Diagnostic& d : ds) out.push_back(d.path + " " + d.rule);
  return out;
}

KnowledgeBase load(std::map<std::string, std::string> files) {
  MemoryFileSystem fs(std::move(files));
  LoadOptions o;
  o.jobs = 1;
  return load_knowledge_base(fs, o);
}

const std::string kHead = "---\ntitle: T\nvideoId: abcdefghijk\n---\nFrom: [[chan]]\n";

}  // namespace

// ---- parse_config ---------------------------------------------------------------------------

TEST_CASE("config: a full .tkb.yaml", "[config]") {
  Config c = parse_config(
      "# settings\n"
      "check:\n"
      "  rules:\n"
      "    broken-link: warning\n"
      "    missing-title: off\n"
      "    ambiguous-link: error\n"
      "    skipped-file: info\n"
      "  ignore:\n"
      "    - drafts/**\n"
      "    - '*.tmp.md'\n"
      "  required-keys: [title, videoId, tags]\n",
      ".tkb.yaml");
  const CheckConfig& k = c.check;
  REQUIRE(k.severity.size() == 4);
  CHECK(k.severity.at("broken-link") == Severity::warning);
  CHECK_FALSE(k.severity.at("missing-title").has_value());
  CHECK(k.severity.at("ambiguous-link") == Severity::error);
  CHECK(k.severity.at("skipped-file") == Severity::info);
  CHECK(k.ignore == std::vector<std::string>{"drafts/**", "*.tmp.md"});
  CHECK(k.required_keys == std::vector<std::string>{"title", "videoId", "tags"});
  CHECK(k.durations.empty());
}

TEST_CASE("config: empty files and sections give the defaults", "[config]") {
  for (const char* text :
       {"", "# nothing\n", "check:\n", "check:\n  rules:\n  ignore:\n", "---\ncheck: {}\n"}) {
    INFO(text);
    Config c = parse_config(text, ".tkb.yaml");
    CHECK(c.check.severity.empty());
    CHECK(c.check.ignore.empty());
    CHECK(c.check.required_keys.empty());
  }
}

TEST_CASE("config: a single value counts as a list of one", "[config]") {
  Config c = parse_config("check:\n  ignore: drafts/**\n  required-keys: tags\n", "x");
  CHECK(c.check.ignore == std::vector<std::string>{"drafts/**"});
  CHECK(c.check.required_keys == std::vector<std::string>{"tags"});
}

TEST_CASE("config: each error names the file, line and column", "[config]") {
  CHECK(config_error("check:\n  rules: [a\n") ==
        ".tkb.yaml:3:1: not valid YAML: end of sequence flow not found");
  CHECK(config_error("- check\n") ==
        ".tkb.yaml:1:1: expected a mapping of settings (check: ...), not a list");
  CHECK(config_error("chek:\n  rules: {}\n") ==
        ".tkb.yaml:1:1: unknown key 'chek' in the top level (did you mean 'check'?); known "
        "keys: check");
  CHECK(config_error("check:\n  rule:\n    broken-link: off\n") ==
        ".tkb.yaml:2:3: unknown key 'rule' in check (did you mean 'rules'?); known keys: rules, "
        "ignore, required-keys");
  CHECK(config_error("check:\n  colour: red\n") ==
        ".tkb.yaml:2:3: unknown key 'colour' in check; known keys: rules, ignore, required-keys");
  CHECK(config_error("check:\n  rules:\n    broken-links: warning\n") ==
        ".tkb.yaml:3:5: unknown rule 'broken-links' in check.rules (did you mean "
        "'broken-link'?); `tkb check --list-rules` lists them");
  CHECK(config_error("check:\n  rules:\n    no-such-thing: off\n") ==
        ".tkb.yaml:3:5: unknown rule 'no-such-thing' in check.rules; `tkb check --list-rules` "
        "lists them");
  CHECK(config_error("check:\n  rules:\n    broken-link: fatal\n") ==
        ".tkb.yaml:3:18: severity of 'broken-link' must be error, warning, info or off, not "
        "'fatal'");
  CHECK(config_error("check:\n  rules:\n    broken-link:\n") ==
        ".tkb.yaml:3:5: severity of 'broken-link' must be error, warning, info or off, not "
        "empty");
  CHECK(config_error("check:\n  rules:\n    broken-link: [error]\n") ==
        ".tkb.yaml:3:18: severity of 'broken-link' must be error, warning, info or off, not a "
        "list");
  CHECK(config_error("check:\n  rules:\n    broken-link: off\n    broken-link: error\n") ==
        ".tkb.yaml:4:5: rule 'broken-link' is given twice in check.rules");
  CHECK(config_error("check:\n  rules: [broken-link]\n") ==
        ".tkb.yaml:2:10: check.rules must be a mapping of rule names to severities, not a list");
  CHECK(config_error("check:\n  ignore:\n    a: b\n") ==
        ".tkb.yaml:3:5: check.ignore must be a list of values, not a mapping");
  CHECK(config_error("check:\n  ignore: ['']\n") ==
        ".tkb.yaml:2:12: check.ignore holds an empty value");
  CHECK(config_error("check:\n  required-keys: [[title]]\n") ==
        ".tkb.yaml:2:19: check.required-keys must hold single values, not a list");
  CHECK(config_error("check: strict\n") ==
        ".tkb.yaml:1:8: check must be a mapping of settings, not a single value");
  CHECK(config_error("check:\n  ignore: []\n  ignore: []\n") ==
        ".tkb.yaml:3:3: key 'ignore' is given twice in check");
}

TEST_CASE("config: the path shown is the one given", "[config]") {
  CHECK(error_of([] {
          parse_config("nope: 1\n", "content/.tkb.yaml");
        }).rfind("content/.tkb.yaml:1:1: unknown key 'nope'", 0) == 0);
}

// ---- glob_match -----------------------------------------------------------------------------

TEST_CASE("check output: glob_match", "[check-output][glob]") {
  struct Row {
    const char* pattern;
    const char* path;
    bool match;
  };
  const Row rows[] = {
      {"kitchen/a.md", "kitchen/a.md", true},
      {"kitchen/a.md", "kitchen/ab.md", false},
      {"kitchen", "kitchen/a.md", true},  // a folder: everything below
      {"kitchen/", "kitchen/a.md", true},
      {"kitchen", "x/kitchen/a.md", true},  // no '/': any folder of that name
      {"kitchen", "kitchenette/a.md", false},
      {"/kitchen", "x/kitchen/a.md", false},  // anchored at the root
      {"/kitchen", "kitchen/a.md", true},
      {"./kitchen/*.md", "kitchen/a.md", true},
      {"*.md", "a.md", true},
      {"*.md", "kitchen/a.md", true},  // no '/': the last component
      {"kitchen/*.md", "kitchen/a.md", true},
      {"kitchen/*.md", "kitchen/sub/a.md", false},  // `*` stays in one folder
      {"kitchen/**", "kitchen/sub/a.md", true},
      {"kitchen/**/*.md", "kitchen/a.md", true},  // `**/` may be no folder at all
      {"kitchen/**/*.md", "kitchen/sub/deeper/a.md", true},
      {"a/**/b.md", "a/b.md", true},
      {"a/**/b.md", "a/x/y/b.md", true},
      {"a/**/b.md", "a/xb.md", false},  // `**/` is whole folders
      {"**/b.md", "b.md", true},
      {"**/b.md", "a/b.md", true},
      {"**/b.md", "ab.md", false},
      {"**", "a/b/c.md", true},
      {"d?.md", "d1.md", true},
      {"d?.md", "d12.md", false},
      {"d?.md", "d\xC3\xA9.md", true},  // `?` is one character, not one byte
      {"a?b.md", "a/b.md", false},      // `?` is never '/'
      {"drafts/**", "drafts.md", false},
      {"", "a.md", false},
      {"x.md", "", false},
  };
  for (const Row& r : rows) {
    INFO(r.pattern << " ~ " << r.path);
    CHECK(glob_match(r.pattern, r.path) == r.match);
  }
}

// ---- filter_findings ------------------------------------------------------------------------

TEST_CASE("check output: filter_findings", "[check-output]") {
  const std::vector<Diagnostic> all = {
      finding("a/x.md", 1, 1, Severity::error, "broken-link"),
      finding("a/x.md", 2, 1, Severity::warning, "ambiguous-link"),
      finding("b/y.md", 1, 1, Severity::info, "skipped-file"),
      finding("b/y.md", 3, 1, Severity::error, "yaml-error"),
      finding("", 1, 1, Severity::error, "unreadable-file"),
  };
  FindingFilter f;
  CHECK(filter_findings(all, f).size() == all.size());

  f.select = {"broken-link", "skipped-file"};
  CHECK(rules_of(filter_findings(all, f)) ==
        std::vector<std::string>{"a/x.md broken-link", "b/y.md skipped-file"});

  f = {};
  f.ignore = {"broken-link", "yaml-error"};
  CHECK(rules_of(filter_findings(all, f)) == std::vector<std::string>{"a/x.md ambiguous-link",
                                                                      "b/y.md skipped-file",
                                                                      " unreadable-file"});

  f = {};
  f.min_severity = Severity::warning;
  CHECK(filter_findings(all, f).size() == 4);
  f.min_severity = Severity::error;
  CHECK(rules_of(filter_findings(all, f)) ==
        std::vector<std::string>{"a/x.md broken-link", "b/y.md yaml-error", " unreadable-file"});

  f = {};
  f.paths = {"b"};  // a folder; a finding without a path is about no part of the tree
  CHECK(rules_of(filter_findings(all, f)) ==
        std::vector<std::string>{"b/y.md skipped-file", "b/y.md yaml-error"});

  f = {};
  f.select = {"broken-link", "yaml-error"};
  f.ignore = {"yaml-error"};  // --ignore wins over --select
  f.paths = {"**/*.md"};
  CHECK(rules_of(filter_findings(all, f)) == std::vector<std::string>{"a/x.md broken-link"});
}

// ---- missing_targets ------------------------------------------------------------------------

TEST_CASE("check output: missing_targets ranks missing notes by links, then notes",
          "[check-output]") {
  KnowledgeBase kb = load({
      {"chan/chan.md", "---\ntitle: chan\n---\n[[a]] [[b]]\n"},
      {"chan/a.md", kHead + "[[Dark matter]] [[dark_matter]] [[Dark matter]] [[Lone]] [[b]]\n"},
      {"chan/b.md", kHead + "[[dark matter]] [[Neutron stars]] [[#nowhere]] [[ | x]]\n"},
      {"drafts/c.md", kHead + "[[Neutron stars]] [[Neutron stars]] [[Zeta]] [[???]] [[!!!]]\n"},
  });
  Resolver resolver(kb);
  auto all = missing_targets(kb, resolver, 10);
  REQUIRE(all.size() == 6);
  // `Dark matter`, `dark_matter` and `dark matter` are one missing note (one loose key),
  // shown in its most common spelling.
  CHECK(all[0].target == "Dark matter");
  CHECK(all[0].links == 4);
  CHECK(all[0].notes == 2);
  CHECK(all[1].target == "Neutron stars");
  CHECK(all[1].links == 3);
  CHECK(all[1].notes == 2);
  // Ties: more notes first, then by target; targets without letters stay apart.
  CHECK(all[2].target == "!!!");
  CHECK(all[3].target == "???");
  CHECK(all[4].target == "Lone");
  CHECK(all[5].target == "Zeta");
  CHECK(all[5].links == 1);

  CHECK(missing_targets(kb, resolver, 2).size() == 2);
  CHECK(missing_targets(kb, resolver, 0).empty());

  // Only the notes a user checks, minus the ignored ones.
  auto chan_only = missing_targets(kb, resolver, 10, {"chan"});
  REQUIRE(chan_only.size() == 3);
  CHECK(chan_only[0].target == "Dark matter");
  CHECK(chan_only[1].target == "Lone");
  CHECK(chan_only[1].links == 1);
  CHECK(chan_only[2].target == "Neutron stars");
  auto skipped = missing_targets(kb, resolver, 10, {}, {"drafts/**"});
  CHECK(skipped.size() == 3);
}

// ---- SARIF ----------------------------------------------------------------------------------

TEST_CASE("check output: sarif_uri percent-encodes what RFC 3986 does not allow",
          "[check-output][sarif]") {
  CHECK(sarif_uri("kitchen/a_b-c.d~e.md") == "kitchen/a_b-c.d~e.md");
  CHECK(sarif_uri("black holes \xC3\xA9.md") == "black%20holes%20%C3%A9.md");
  CHECK(sarif_uri("a%b#c?d:e.md") == "a%25b%23c%3Fd%3Ae.md");
}

TEST_CASE("check output: SARIF 2.1.0 log with its required fields", "[check-output][sarif]") {
  const std::vector<Diagnostic> findings = {
      finding("chan/black holes \xC3\xA9.md", 8, 79, Severity::error, "broken-link",
              "link target \"x\" matches no note"),
      finding("chan/b.md", 2, 3, Severity::warning, "ambiguous-link", "two notes"),
      finding("chan/c.md", 1, 1, Severity::info, "skipped-file", "bad \xFF byte"),
      finding("", 1, 1, Severity::error, "unreadable-file", "cannot read folder"),
  };
  std::ostringstream out;
  write_sarif(out, findings, "9.8.7");
  nlohmann::json log = nlohmann::json::parse(out.str());  // throws when not valid JSON

  // sarifLog: version and runs are required; $schema names the 2.1.0 schema.
  CHECK(log.at("version") == "2.1.0");
  CHECK(log.at("$schema") == "https://json.schemastore.org/sarif-2.1.0.json");
  REQUIRE(log.at("runs").is_array());
  REQUIRE(log["runs"].size() == 1);
  const nlohmann::json& run = log["runs"][0];

  // run: tool is required; tool.driver.name is required.
  const nlohmann::json& driver = run.at("tool").at("driver");
  CHECK(driver.at("name") == "tkb");
  CHECK(driver.at("version") == "9.8.7");
  CHECK(run.at("columnKind") == "unicodeCodePoints");
  REQUIRE(driver.at("rules").size() == all_rules().size());
  for (std::size_t i = 0; i < all_rules().size(); ++i) {
    const nlohmann::json& r = driver["rules"][i];
    CHECK(r.at("id") == std::string(all_rules()[i].name));
    CHECK(r.at("shortDescription").at("text") == std::string(all_rules()[i].description));
    std::string level = r.at("defaultConfiguration").at("level");
    CHECK((level == "error" || level == "warning" || level == "note"));
  }

  // result: message (with text) is required; level is one of the schema's values.
  const nlohmann::json& results = run.at("results");
  REQUIRE(results.size() == findings.size());
  const char* levels[] = {"error", "warning", "note", "error"};
  for (std::size_t i = 0; i < findings.size(); ++i) {
    const nlohmann::json& r = results[i];
    INFO(r.dump());
    CHECK(r.at("message").at("text").is_string());
    CHECK(r.at("level") == levels[i]);
    CHECK(r.at("ruleId") == findings[i].rule);
    std::size_t index = r.at("ruleIndex");
    CHECK(driver["rules"][index]["id"] == findings[i].rule);
  }
  CHECK(results[0]["message"]["text"] == "link target \"x\" matches no note");
  CHECK(results[2]["message"]["text"] == "bad \xEF\xBF\xBD byte");  // always valid UTF-8

  const nlohmann::json& loc = results[0].at("locations").at(0).at("physicalLocation");
  CHECK(loc.at("artifactLocation").at("uri") == "chan/black%20holes%20%C3%A9.md");
  CHECK(loc.at("artifactLocation").at("uriBaseId") == "%SRCROOT%");
  CHECK(loc.at("region").at("startLine") == 8);
  CHECK(loc.at("region").at("startColumn") == 79);
  CHECK_FALSE(results[3].contains("locations"));  // a finding without a path
}

TEST_CASE("check output: SARIF with no findings has an empty results array",
          "[check-output][sarif]") {
  std::ostringstream out;
  write_sarif(out, {}, "0.1.0");
  nlohmann::json log = nlohmann::json::parse(out.str());
  CHECK(log["runs"][0].at("results").is_array());
  CHECK(log["runs"][0]["results"].empty());
}

// ---- GitHub annotations ---------------------------------------------------------------------

TEST_CASE("check output: GitHub workflow annotations and their escaping",
          "[check-output][github]") {
  CHECK(github_escape_data("100% a\r\nb: c, d") == "100%25 a%0D%0Ab: c, d");
  CHECK(github_escape_property("100% a\r\nb: c, d") == "100%25 a%0D%0Ab%3A c%2C d");

  CHECK(github_annotation(finding("a/b.md", 3, 7, Severity::error, "broken-link",
                                  "link target \"x\" matches no note")) ==
        "::error file=a/b.md,line=3,col=7,title=broken-link::link target \"x\" matches no note");
  CHECK(github_annotation(finding("a/b.md", 1, 1, Severity::warning, "r", "m")) ==
        "::warning file=a/b.md,line=1,col=1,title=r::m");
  CHECK(github_annotation(finding("a/b.md", 1, 1, Severity::info, "r", "m")) ==
        "::notice file=a/b.md,line=1,col=1,title=r::m");
  CHECK(github_annotation(
            finding("odd:name, 50%.md", 2, 4, Severity::error, "r", "two\nlines, 50%: yes")) ==
        "::error file=odd%3Aname%2C 50%25.md,line=2,col=4,title=r::two%0Alines, 50%25: yes");
  CHECK(github_annotation(finding("", 1, 1, Severity::error, "unreadable-file", "m")) ==
        "::error title=unreadable-file::m");

  std::ostringstream out;
  write_github(out, {finding("a.md", 1, 2, Severity::error, "r", "m"),
                     finding("b.md", 3, 4, Severity::info, "s", "n")});
  CHECK(out.str() ==
        "::error file=a.md,line=1,col=2,title=r::m\n"
        "::notice file=b.md,line=3,col=4,title=s::n\n");
}

// ---- Source excerpts ------------------------------------------------------------------------

TEST_CASE("check output: line_of", "[check-output][excerpt]") {
  const std::string text = "one\r\ntwo\n\nfour";
  CHECK(line_of(text, 1) == "one");
  CHECK(line_of(text, 2) == "two");
  CHECK(line_of(text, 3) == "");
  CHECK(line_of(text, 4) == "four");
  CHECK(line_of(text, 5) == "");
  CHECK(line_of(text, 0) == "");
}

TEST_CASE("check output: code_point_column", "[check-output][excerpt]") {
  CHECK(code_point_column("abc", 1) == 1);
  CHECK(code_point_column("abc", 3) == 3);
  CHECK(code_point_column("caf\xC3\xA9 x", 6) == 5);               // é is two bytes, one character
  CHECK(code_point_column("\xE6\x97\xA5\xE6\x9C\xAC x", 8) == 4);  // 日本: three bytes each
  CHECK(code_point_column("a\xFF"
                          "b",
                          3) == 3);        // a bad byte counts one
  CHECK(code_point_column("ab", 5) == 5);  // beyond the line
}

TEST_CASE("check output: source_excerpt puts the caret under the byte column",
          "[check-output][excerpt]") {
  SECTION("ASCII") {
    SourceExcerpt e = source_excerpt("see [[x]]", 5);
    CHECK(e.text == "see [[x]]");
    CHECK(e.caret == "    ");
  }
  SECTION("multi-byte UTF-8 before the column: one space per code point") {
    SourceExcerpt e = source_excerpt("Caf\xC3\xA9 [[x]]", 7);
    CHECK(e.text == "Caf\xC3\xA9 [[x]]");
    CHECK(e.caret == "     ");
  }
  SECTION("East Asian wide characters take two columns") {
    SourceExcerpt e = source_excerpt("\xE6\x97\xA5\xE6\x9C\xAC [[x]]", 8);
    CHECK(e.caret == std::string(5, ' '));
  }
  SECTION("a combining mark takes none") {
    SourceExcerpt e = source_excerpt("e\xCC\x81 [[x]]", 5);
    CHECK(e.caret == "  ");
  }
  SECTION("tabs become spaces to the next multiple of 4") {
    SourceExcerpt e = source_excerpt("a\tb\t[[x]]", 5);
    CHECK(e.text == "a   b   [[x]]");
    CHECK(e.caret == std::string(8, ' '));
  }
  SECTION("control characters show as their pictures, invisible ones by name") {
    SourceExcerpt e = source_excerpt(std::string("a\0b\x7F\xE2\x80\x8B[[x]]", 12), 8);
    CHECK(e.text ==
          "a\xE2\x90\x80"
          "b\xE2\x90\xA1<U+200B>[[x]]");
    CHECK(e.caret == std::string(12, ' '));
    CHECK(source_excerpt("\xE2\x80\xAE"
                         "abc",
                         1)
              .text == "<U+202E>abc");  // bidi override
  }
  SECTION("bytes that are not UTF-8 show as U+FFFD, one column each") {
    SourceExcerpt e = source_excerpt("\xFF\xFEx", 3);
    CHECK(e.text == "\xEF\xBF\xBD\xEF\xBF\xBDx");
    CHECK(e.caret == "  ");
  }
  SECTION("a column inside a character points at that character") {
    CHECK(source_excerpt("a\xC3\xA9z", 3).caret == " ");
  }
  SECTION("a column beyond the line points just past its end") {
    SourceExcerpt e = source_excerpt("abc", 9);
    CHECK(e.text == "abc");
    CHECK(e.caret == "   ");
  }
  SECTION("a long line is cut around the column") {
    std::string line = std::string(200, 'a') + "[[x]]" + std::string(200, 'b');
    SourceExcerpt e = source_excerpt(line, 201, 40);
    CHECK(e.text ==
          "\xE2\x80\xA6" + std::string(19, 'a') + "[[x]]" + std::string(14, 'b') + "\xE2\x80\xA6");
    CHECK(e.caret == std::string(20, ' '));
    SourceExcerpt start = source_excerpt(line, 1, 40);
    CHECK(start.text == std::string(38, 'a') + "\xE2\x80\xA6");
    CHECK(start.caret.empty());
    SourceExcerpt end = source_excerpt(line, 405, 40);
    CHECK(end.text == "\xE2\x80\xA6" + std::string(38, 'b'));
    CHECK(end.caret == std::string(38, ' '));
  }
}

// ---- Summary --------------------------------------------------------------------------------

TEST_CASE("check output: summary counts per rule and severity", "[check-output][summary]") {
  CheckSummary s = summarize({finding("a.md", 1, 1, Severity::error, "broken-link"),
                              finding("a.md", 2, 1, Severity::error, "broken-link"),
                              finding("b.md", 1, 1, Severity::warning, "timestamp-label-mismatch"),
                              finding("b.md", 2, 1, Severity::info, "timestamp-label-mismatch")},
                             3);
  CHECK(s.notes == 3);
  CHECK(s.totals == std::array<int, 3>{1, 1, 2});
  CHECK(s.rules.at("broken-link") == std::array<int, 3>{0, 0, 2});
  CHECK(s.rules.at("timestamp-label-mismatch") == std::array<int, 3>{1, 1, 0});
  CHECK(summary_line(s, true) ==
        "checked 3 notes: 2 errors, 1 warning, 1 info (broken-link 2, timestamp-label-mismatch 2)");
  CHECK(summary_line(summarize({}, 1), true) == "checked 1 note: 0 errors, 0 warnings, 0 info");

  s.missing = {{"Dark matter", 5, 3}, {"x", 1, 1}};
  std::ostringstream text;
  write_summary_text(text, s);
  CHECK(text.str() ==
        "checked 3 notes: 2 errors, 1 warning, 1 info\n"
        "\n"
        "rule                      error  warning  info  total\n"
        "broken-link                   2        0     0      2\n"
        "timestamp-label-mismatch      0        1     1      2\n"
        "total                         2        1     1      4\n"
        "\n"
        "links  notes  missing target\n"
        "    5      3  Dark matter\n"
        "    1      1  x\n");

  std::ostringstream json;
  write_summary_json(json, s);
  nlohmann::json j = nlohmann::json::parse(json.str());
  CHECK(j["notes"] == 3);
  CHECK(j["error"] == 2);
  CHECK(j["warning"] == 1);
  CHECK(j["info"] == 1);
  CHECK(j["rules"][1] == nlohmann::json{{"rule", "timestamp-label-mismatch"},
                                        {"error", 0},
                                        {"warning", 1},
                                        {"info", 1},
                                        {"total", 2}});
  CHECK(j["missing_targets"][0] ==
        nlohmann::json{{"target", "Dark matter"}, {"links", 5}, {"notes", 3}});
}

TEST_CASE("check output: counts of batches add up to the counts of the whole",
          "[check-output][summary]") {
  CheckSummary whole = summarize({finding("a.md", 1, 1, Severity::error, "broken-link"),
                                  finding("b.md", 1, 1, Severity::info, "link-in-code")},
                                 2);
  CheckSummary more = summarize({finding("c.md", 1, 1, Severity::error, "broken-link"),
                                 finding("c.md", 2, 1, Severity::warning, "empty-link")},
                                1);
  add_counts(whole, more);
  CHECK(whole.notes == 3);
  CHECK(whole.totals == std::array<int, 3>{1, 1, 2});
  CHECK(whole.rules.size() == 3);
  CHECK(whole.rules.at("broken-link") == std::array<int, 3>{0, 0, 2});
  CHECK(whole.rules.at("link-in-code") == std::array<int, 3>{1, 0, 0});
  CHECK(whole.rules.at("empty-link") == std::array<int, 3>{0, 1, 0});
  add_counts(whole, CheckSummary{});
  CHECK(whole.totals == std::array<int, 3>{1, 1, 2});
}

// ---- --durations ----------------------------------------------------------------------------

TEST_CASE("check output: parse_durations", "[check-output][durations]") {
  auto d = parse_durations(
      "\xEF\xBB\xBFvideo_id,seconds\r\n"
      "AAAAAAAAAA1,600\r\n"
      "\r\n"
      "BBBBBBBBBB2, 1:02:03\r\n"
      "\"CCCCCCCCCC3\",\"10:00\"\r\n"
      "'-DDDDDDDDD4,90\r\n"
      "AAAAAAAAAA1,600\r\n",
      "d.csv");
  CHECK(d.size() == 4);
  CHECK(d.at("AAAAAAAAAA1") == 600);
  CHECK(d.at("BBBBBBBBBB2") == 3723);
  CHECK(d.at("CCCCCCCCCC3") == 600);
  CHECK(d.at("-DDDDDDDDD4") == 90);
  CHECK(parse_durations("", "d.csv").empty());
  CHECK(parse_durations("AAAAAAAAAA1,5", "d.csv").at("AAAAAAAAAA1") == 5);  // no header
  CHECK(parse_durations("videoId,length\nx,5\n", "d.csv").at("x") == 5);
}

TEST_CASE("check output: parse_durations errors name the file and line",
          "[check-output][durations]") {
  auto err = [](const std::string& text) {
    return error_of([&] { parse_durations(text, "d.csv"); });
  };
  CHECK(err("video_id,seconds\nAAAAAAAAAA1,ten\n") ==
        "d.csv:2: 'ten' is not a number of seconds or a time such as 1:02:03");
  CHECK(err("AAAAAAAAAA1,1:75\n") ==
        "d.csv:1: '1:75' is not a number of seconds or a time such as 1:02:03");
  CHECK(err("AAAAAAAAAA1,-5\n") ==
        "d.csv:1: '-5' is not a number of seconds or a time such as 1:02:03");
  CHECK(err("video_id,seconds\n\nAAAAAAAAAA1\n") ==
        "d.csv:3: expected 2 cells, video_id,seconds; found 1");
  CHECK(err("AAAAAAAAAA1,5,6\n") == "d.csv:1: expected 2 cells, video_id,seconds; found 3");
  CHECK(err(",5\n") == "d.csv:1: the video id is empty");
  CHECK(err("\"AAAAAAAAAA1,5\n") == "d.csv:1: a quoted cell is not closed properly");
  CHECK(err("x,5\ny,6\nx,7\n") == "d.csv:3: video id 'x' has another length on line 1");
}

// ---- Names ----------------------------------------------------------------------------------

TEST_CASE("check output: did_you_mean suggests a near name only", "[check-output]") {
  const std::vector<std::string_view> known = {"broken-link", "empty-link", "rules", "ignore"};
  CHECK(did_you_mean("brokn-link", known) == " (did you mean 'broken-link'?)");
  CHECK(did_you_mean("rule", known) == " (did you mean 'rules'?)");
  CHECK(did_you_mean("colour", known).empty());
  CHECK(did_you_mean("x", {}).empty());
}
