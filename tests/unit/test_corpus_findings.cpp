// On the real corpus (when present): every finding of `check` has a position that exists in
// its file and points at the offending text, and counts per rule are printed for the record.
#include <catch2/catch.hpp>

#include <filesystem>
#include <iostream>
#include <map>
#include <set>

#include "tkb/check.hpp"
#include "tkb/text.hpp"

namespace {

// What the byte at a finding's position must be, per rule. Rules about a whole note sit at
// 1:1; the rest point at the markup they are about.
bool points_at_offending_text(const tkb::Diagnostic& d, std::string_view text, std::size_t at) {
  static const std::set<std::string_view> kWholeNote = {
      "missing-title", "missing-video-id", "no-front-matter", "missing-source", "no-timestamps",
      "orphan-note", "unlinked-from-channel", "duplicate-stem", "case-collision", "missing-key"};
  static const std::set<std::string_view> kLinks = {
      "broken-link", "ambiguous-link", "empty-link", "self-link", "heading-not-found",
      "block-not-found", "malformed-link", "link-in-code", "non-canonical-link",
      "timestamp-as-link", "source-mismatch"};
  static const std::set<std::string_view> kAnchors = {
      "invalid-timestamp", "timestamp-label-mismatch", "malformed-anchor", "suspect-minutes",
      "timestamp-beyond-duration"};
  char c = at < text.size() ? text[at] : '\0';
  if (kWholeNote.count(d.rule)) return d.pos.line == 1 && d.pos.column == 1;
  if (d.rule == "invisible-characters") {
    // In the text: at the character; in the file path: the whole note.
    return (d.pos.line == 1 && d.pos.column == 1) ||
           static_cast<unsigned char>(c) == 0xE2 || static_cast<unsigned char>(c) == 0xEF;
  }
  if (kLinks.count(d.rule)) return c == '[' || c == '!';
  if (kAnchors.count(d.rule)) return c == '<';
  if (d.rule == "bare-timestamp") return c == '[';
  if (d.rule == "unclosed-code-fence" || d.rule == "wrapped-in-code-fence") {
    std::size_t k = at;
    while (k < text.size() && (text[k] == ' ' || text[k] == '>')) ++k;
    return k < text.size() && (text[k] == '`' || text[k] == '~');
  }
  if (d.rule == "generator-leftover") return c == 'H' || c == 'h' || c == 'S' || c == 'B' || c == 'C';
  if (d.rule == "invalid-utf8") return static_cast<unsigned char>(c) >= 0x80;
  return true;  // yaml-error and the file rules: anywhere in the file
}

}  // namespace

TEST_CASE("every finding on the real corpus points at its text", "[corpus]") {
  std::string corpus = TKB_CORPUS;
  if (!std::filesystem::is_directory(corpus)) {
    WARN("corpus not found at " << corpus << ": nothing checked");
    return;
  }
  auto fs = tkb::make_disk_file_system(corpus);
  tkb::KnowledgeBase kb = tkb::load_knowledge_base(*fs);
  tkb::Resolver resolver(kb);
  std::vector<tkb::Diagnostic> findings = tkb::run_checks(kb, resolver);
  REQUIRE(kb.notes.size() == 8305);

  std::map<std::string, int> per_rule, bad_per_rule;
  std::string current_path, text;
  for (const tkb::Diagnostic& d : findings) {
    ++per_rule[d.rule];
    if (d.path.empty()) continue;
    if (d.path != current_path) {
      current_path = d.path;
      std::string error;
      auto t = fs->read(d.path, 64u << 20, error);
      REQUIRE(t);
      text = std::move(*t);
    }
    tkb::LineIndex lines(text);
    INFO(tkb::format_diagnostic(d));
    REQUIRE(d.pos.line >= 1);
    REQUIRE(d.pos.line <= lines.line_count());
    std::size_t start = lines.line_start(d.pos.line);
    std::size_t end = d.pos.line < lines.line_count() ? lines.line_start(d.pos.line + 1) : text.size();
    REQUIRE(d.pos.column >= 1);
    REQUIRE(start + d.pos.column - 1 <= end);
    std::size_t at = start + d.pos.column - 1;
    if (!(d.pos.line == 1 && d.pos.column == 1)) CHECK(d.pos.offset == at);
    if (!points_at_offending_text(d, text, at)) {
      ++bad_per_rule[d.rule];
      FAIL_CHECK("position does not point at the offending text");
    }
  }
  // Every rule the corpus is known to exercise shows up.
  for (const char* rule : {"broken-link", "ambiguous-link", "self-link", "heading-not-found",
                           "malformed-link", "link-in-code", "non-canonical-link",
                           "invalid-timestamp", "timestamp-label-mismatch", "timestamp-as-link",
                           "bare-timestamp", "malformed-anchor", "suspect-minutes",
                           "source-mismatch", "wrapped-in-code-fence", "unclosed-code-fence",
                           "generator-leftover", "duplicate-stem", "case-collision",
                           "invisible-characters", "no-timestamps", "orphan-note",
                           "unlinked-from-channel"}) {
    CHECK(per_rule[rule] > 0);
  }
  std::cout << "corpus findings per rule:";
  for (const auto& [rule, n] : per_rule) std::cout << ' ' << rule << '=' << n;
  std::cout << '\n';
}

TEST_CASE("on the real corpus, the compact model check loads gives the same findings",
          "[corpus]") {
  std::string corpus = TKB_CORPUS;
  if (!std::filesystem::is_directory(corpus)) {
    WARN("corpus not found at " << corpus << ": nothing checked");
    return;
  }
  auto fs = tkb::make_disk_file_system(corpus);
  tkb::KnowledgeBase full = tkb::load_knowledge_base(*fs);
  tkb::Resolver full_resolver(full);
  const std::vector<tkb::Diagnostic> expected = tkb::run_checks(full, full_resolver);
  std::size_t links = 0;
  for (const tkb::Note& n : full.notes) links += n.links.size();
  for (unsigned jobs : {1u, 2u}) {
    tkb::LoadOptions o;
    o.jobs = jobs;
    o.compact_links = true;
    tkb::KnowledgeBase kb = tkb::load_knowledge_base(*fs, o);
    std::size_t kept = 0, settled = 0;
    for (const tkb::Note& n : kb.notes) kept += n.links.size(), settled += n.settled_links.size();
    CHECK(kept + settled == links);
    CHECK(settled > links / 2);  // most links name a note by its file name
    tkb::Resolver resolver(kb);
    const std::vector<tkb::Diagnostic> found = tkb::run_checks(kb, resolver);
    REQUIRE(found.size() == expected.size());
    for (std::size_t k = 0; k < found.size(); ++k) {
      REQUIRE(tkb::format_diagnostic(found[k]) == tkb::format_diagnostic(expected[k]));
    }
  }
  // Through the cache: the corpus's files are old enough to be stamped, so the second load
  // takes every note from the cache the first stored, and the findings stay the same.
  tkb::MemoryCacheStore store;
  for (int run = 0; run < 2; ++run) {
    tkb::LoadOptions o;
    o.compact_links = true;
    o.cache = &store;
    o.cache_key = "corpus";
    tkb::KnowledgeBase kb = tkb::load_knowledge_base(*fs, o);
    INFO("cache, run " << run);
    CHECK(kb.cache.reused == (run == 0 ? 0 : kb.notes.size()));
    CHECK(store.commits == 1);
    tkb::Resolver resolver(kb);
    const std::vector<tkb::Diagnostic> found = tkb::run_checks(kb, resolver);
    REQUIRE(found.size() == expected.size());
    for (std::size_t k = 0; k < found.size(); ++k) {
      REQUIRE(tkb::format_diagnostic(found[k]) == tkb::format_diagnostic(expected[k]));
    }
  }
}
