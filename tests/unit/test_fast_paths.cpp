// The fast block scanner and the fast front-matter reader must give exactly what cmark-gfm
// and yaml-cpp give, wherever they answer. Checked on every fixture, the sample notes and,
// when it is present, the real corpus.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "tkb/blocks.hpp"
#include "tkb/diagnostic.hpp"
#include "tkb/front_matter.hpp"
#include "tkb/knowledge_base.hpp"
#include "tkb/parse.hpp"

namespace {

struct Tally {
  int notes = 0, fast_blocks = 0, fast_front_matter = 0, anchors = 0;
};

void compare_tree(const std::string& root, Tally& tally) {
  auto fs = tkb::make_disk_file_system(root);
  std::vector<tkb::Diagnostic> problems;
  for (const std::string& path : fs->list_notes(problems, 0)) {
    std::string error;
    auto text = fs->read(path, 64u << 20, error);
    if (!text || text->find('\0') != std::string::npos) continue;
    INFO(root << "/" << path);
    ++tally.notes;
    tkb::LineIndex lines(*text);
    tkb::FrontMatterResult yaml = tkb::parse_front_matter(*text, lines, true);
    tkb::FrontMatterResult fast_fm = tkb::parse_front_matter(*text, lines, false);
    REQUIRE(fast_fm.body_offset == yaml.body_offset);
    CHECK(fast_fm.front_matter == yaml.front_matter);
    CHECK(fast_fm.diagnostics.size() == yaml.diagnostics.size());

    tkb::BlockStructure full = tkb::scan_blocks_full(*text, yaml.body_offset, lines);
    auto fast = tkb::scan_blocks_fast(*text, yaml.body_offset, lines);
    if (fast) {
      ++tally.fast_blocks;
      CHECK(fast->code == full.code);
      CHECK(fast->headings == full.headings);
    }
    // The whole model is the same either way.
    tkb::Note quick = tkb::parse_note(*text, path);
    tkb::Note slow = tkb::parse_note(*text, path, {.always_full_markdown = true});
    CHECK(quick.links.size() == slow.links.size());
    CHECK(quick.code_links.size() == slow.code_links.size());
    CHECK(quick.anchors.size() == slow.anchors.size());
    CHECK(quick.headings.size() == slow.headings.size());
    CHECK(quick.diagnostics.size() == slow.diagnostics.size());

    // Without lint (timestamps' parse): the same front matter, headings and anchors, and of
    // the findings exactly the front matter's, binary-content and invalid-utf8.
    tkb::Note bare = tkb::parse_note(*text, path, {.lint = false});
    CHECK(bare.title == quick.title);
    CHECK(bare.video_id == quick.video_id);
    CHECK(bare.front_matter == quick.front_matter);
    CHECK(bare.links.empty());
    REQUIRE(bare.headings.size() == quick.headings.size());
    for (std::size_t k = 0; k < bare.headings.size(); ++k) {
      CHECK(bare.headings[k].text == quick.headings[k].text);
      CHECK(bare.headings[k].pos == quick.headings[k].pos);
      CHECK(bare.headings[k].level == quick.headings[k].level);
    }
    REQUIRE(bare.anchors.size() == quick.anchors.size());
    for (std::size_t k = 0; k < bare.anchors.size(); ++k) {
      const tkb::TimestampAnchor &a = bare.anchors[k], &b = quick.anchors[k];
      CHECK(a.data_t == b.data_t);
      CHECK(a.seconds == b.seconds);
      CHECK(a.label == b.label);
      CHECK(a.pos == b.pos);
      CHECK(a.heading == b.heading);
      CHECK(a.text == b.text);
    }
    tally.anchors += static_cast<int>(bare.anchors.size());
    std::vector<std::string> kept_rules = {"binary-content", "invalid-utf8"};
    for (const tkb::Diagnostic& d : fast_fm.diagnostics) kept_rules.push_back(d.rule);
    std::vector<std::string> expected, got;
    for (const tkb::Diagnostic& d : quick.diagnostics) {
      if (std::find(kept_rules.begin(), kept_rules.end(), d.rule) != kept_rules.end())
        expected.push_back(tkb::format_diagnostic(d));
    }
    for (const tkb::Diagnostic& d : bare.diagnostics) got.push_back(tkb::format_diagnostic(d));
    CHECK(got == expected);
  }
}

}  // namespace

TEST_CASE("fast scanners equal cmark-gfm and yaml-cpp on fixtures and sample notes",
          "[fast-path]") {
  Tally tally;
  compare_tree(TKB_FIXTURES "/basic", tally);
  compare_tree(TKB_FIXTURES "/problems", tally);
  compare_tree(TKB_NOTES, tally);
  CHECK(tally.notes >= 40);
  CHECK(tally.fast_blocks > 0);
  CHECK(tally.anchors > 100);
}

TEST_CASE("fast scanners equal cmark-gfm and yaml-cpp on the real corpus", "[fast-path][corpus]") {
  std::string corpus = TKB_CORPUS;
  if (!std::filesystem::is_directory(corpus)) {
    WARN("corpus not found at " << corpus << ": nothing compared");
    return;
  }
  Tally tally;
  compare_tree(corpus, tally);
  CHECK(tally.notes == 8305);
  CHECK(tally.anchors > 100000);
  // Most notes must take the fast path, or it buys nothing.
  CHECK(tally.fast_blocks > tally.notes * 9 / 10);
}
