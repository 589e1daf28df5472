// for_each_note visits exactly the notes load_knowledge_base loads, in the same order, and
// reports the same problems, whatever the number of threads.
#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <memory>
#include <span>
#include <string>

#include "tkb/knowledge_base.hpp"

TEST_CASE("for_each_note streams the notes of load_knowledge_base in path order", "[knowledge_base]") {
  std::map<std::string, std::string> files;
  for (int i = 0; i < 1500; ++i) {
    files["c" + std::to_string(i % 7) + "/n" + std::to_string(i) + ".md"] =
        "---\ntitle: N" + std::to_string(i) + "\n---\n[[n" + std::to_string(i + 1) + "]] " +
        "<a class=\"yt-timestamp\" data-t=\"00:00:0" + std::to_string(i % 10) + "\">[x]</a>\n";
  }
  files["big.md"] = std::string(2000, 'x');
  tkb::MemoryFileSystem fs(files);
  tkb::LoadOptions options;
  options.max_note_bytes = 1000;  // big.md fails to load
  options.jobs = 1;
  tkb::KnowledgeBase kb = tkb::load_knowledge_base(fs, options);
  REQUIRE(kb.notes.size() == 1500);
  REQUIRE(kb.diagnostics.size() == 1);

  for (unsigned jobs : {1u, 2u, 4u}) {
    INFO("jobs " << jobs);
    options.jobs = jobs;
    std::vector<std::string> paths;
    std::vector<std::size_t> links, anchors, diagnostics;
    std::vector<tkb::Diagnostic> problems;
    tkb::for_each_note(fs, options, [&](tkb::Note& n) {
      paths.push_back(n.path);
      links.push_back(n.links.size());
      anchors.push_back(n.anchors.size());
      diagnostics.push_back(n.diagnostics.size());
    }, problems);
    REQUIRE(paths.size() == kb.notes.size());
    for (std::size_t i = 0; i < paths.size(); ++i) {
      CHECK(paths[i] == kb.notes[i].path);
      CHECK(links[i] == kb.notes[i].links.size());
      CHECK(anchors[i] == kb.notes[i].anchors.size());
      CHECK(diagnostics[i] == kb.notes[i].diagnostics.size());
    }
    REQUIRE(problems.size() == 1);
    CHECK(problems[0].path == "big.md");
    CHECK(problems[0].rule == "unreadable-file");
  }
}

TEST_CASE("for_each_note renders batches on the parsing threads and writes them in order",
          "[knowledge_base]") {
  std::map<std::string, std::string> files;
  for (int i = 0; i < 300; ++i) {
    files["c" + std::to_string(i % 3) + "/n" + std::to_string(i) + ".md"] = "text\n";
  }
  files["c1/big.md"] = std::string(2000, 'x');  // fails to load: in no batch's text
  tkb::MemoryFileSystem fs(files);
  std::string expected;
  for (const auto& [path, text] : files) {
    if (path != "c1/big.md") expected += path + "\n";
  }
  for (unsigned jobs : {1u, 2u, 4u}) {
    INFO("jobs " << jobs);
    tkb::LoadOptions options;
    options.max_note_bytes = 1000;
    options.jobs = jobs;
    std::vector<std::string> visited;
    std::string visits, written;  // the paths visited, and the text written, so far
    bool in_order = true;  // each batch is written after its notes' visits, before the next's
    std::vector<tkb::Diagnostic> problems;
    tkb::for_each_note(
        fs, options,
        [](std::span<const tkb::Note* const> notes) {
          std::string s;
          for (const tkb::Note* n : notes) s += n->path + "\n";
          // Text made in room counted first, or (every other batch size) grown as it came.
          if (notes.size() % 2 == 0) return tkb::RenderedText{nullptr, 0, s};
          tkb::RenderedText text{std::make_unique_for_overwrite<char[]>(s.size()), s.size(), ""};
          std::copy(s.begin(), s.end(), text.bytes.get());
          return text;
        },
        [&](tkb::Note& n) {
          visited.push_back(n.path);
          visits += n.path + "\n";
        },
        [&](std::string_view text) {
          written += text;
          in_order = in_order && written == visits;
        },
        problems);
    CHECK(in_order);
    CHECK(written == expected);
    CHECK(visited.size() == 300);
    REQUIRE(problems.size() == 1);
    CHECK(problems[0].path == "c1/big.md");
  }
}
