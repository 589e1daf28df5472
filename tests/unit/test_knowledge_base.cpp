// Unit tests for tkb/knowledge_base.hpp: MemoryFileSystem, load_knowledge_base (order,
// hidden and non-note files, size limit, same result for any number of jobs), and one test of
// the disk file system on a temporary folder.
#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <sys/stat.h>

#include "tkb/knowledge_base.hpp"

using namespace tkb;
namespace fs = std::filesystem;

namespace {

KnowledgeBase load(std::map<std::string, std::string> files, unsigned jobs = 1,
                   std::uint64_t max_note_bytes = 16u << 20) {
  MemoryFileSystem mfs(std::move(files));
  LoadOptions o;
  o.jobs = jobs;
  o.max_note_bytes = max_note_bytes;
  return load_knowledge_base(mfs, o);
}

std::vector<std::string> paths(const KnowledgeBase& kb) {
  std::vector<std::string> out;
  for (const Note& n : kb.notes) out.push_back(n.path);
  return out;
}

std::vector<std::string> formatted(const std::vector<Diagnostic>& ds) {
  std::vector<std::string> out;
  for (const Diagnostic& d : ds) out.push_back(format_diagnostic(d));
  return out;
}

// Everything a note holds, as text, to compare two loads.
std::string describe(const Note& n) {
  std::ostringstream s;
  s << n.path << '|' << n.id << '|' << n.folder << '|' << n.title << '|' << n.video_id << '|'
    << n.channel << '|' << n.size << '\n';
  for (const auto& e : n.front_matter.entries) s << "fm " << e.key << '=' << e.value << '\n';
  for (const auto& h : n.headings) s << 'h' << h.level << ' ' << h.text << " @" << h.pos.offset << '\n';
  for (const auto* list : {&n.links, &n.code_links}) {
    for (const WikiLink& l : *list) {
      s << "link " << l.raw << ' ' << l.target() << '#' << l.fragment() << '|' << l.alias() << " @"
        << l.pos.line << ':' << l.pos.column << '\n';
    }
  }
  for (const TimestampAnchor& a : n.anchors) {
    s << "anchor " << a.data_t << ' ' << a.label << ' ';
    if (a.seconds) s << *a.seconds;
    else s << '-';
    s << " h" << a.heading << ' ' << a.text << " @" << a.pos.offset << '\n';
  }
  for (const Diagnostic& d : n.diagnostics) s << format_diagnostic(d) << '\n';
  return s.str();
}

std::map<std::string, std::string> generated_kb(int count) {
  std::map<std::string, std::string> files;
  std::mt19937 rng(12345);
  const char* bodies[] = {
      "From: [[chan%d]] <br/>\n\n# Part\n\nClaim [[topic_%d]] <a class=\"yt-timestamp\" "
      "data-t=\"00:01:0%d\">[00:01:0%d]</a>.\n",
      "Text `[[code_%d]]` and [[missing_%d|x]] <a class=\"yt-timestamp\" data-t=\"00:6%d:00\">[x]</a>\n"
      "%d [[unclosed\n",
      "```\n[[in_fence_%d]]\n```\n\n    [[indented_%d]]\n\nSetext %d\n=====\n%d\n",
      "> ```\n> [[q_%d]]\n\n<!-- [[c_%d]] -->\n- item %d\n  - [[nested_%d]]\n",
  };
  for (int i = 0; i < count; ++i) {
    char body[512];
    int k = static_cast<int>(rng() % 4);
    std::snprintf(body, sizeof body, bodies[k], i % 7, i, i % 10, i % 10);
    std::string folder = "chan" + std::to_string(i % 7);
    std::string fm = (i % 11 == 0) ? "---\ntitle: [broken\n---\n"
                                   : "---\ntitle: Note " + std::to_string(i) +
                                         "\nvideoId: abcdefghij" + std::to_string(i % 10) + "\n---\n";
    files[folder + "/topic_" + std::to_string(i) + ".md"] = fm + body;
  }
  files["big/huge.md"] = std::string(5000, 'x');
  return files;
}

// A temporary folder, removed with everything in it at the end of the scope.
struct TempDir {
  fs::path path;
  TempDir() {
    auto stamp = std::chrono::steady_clock::now().time_since_epoch().count();
    path = fs::temp_directory_path() / ("tkb_unit_kb_" + std::to_string(stamp));
    fs::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  void write(const std::string& rel, const std::string& text) const {
    fs::path p = path / rel;
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << text;
  }
};

}  // namespace

TEST_CASE("knowledge base: MemoryFileSystem lists notes sorted, skipping hidden and non-.md",
          "[knowledge_base]") {
  MemoryFileSystem mfs(std::map<std::string, std::string>{
      {"b.md", "b"},
      {"a.md", "a"},
      {"A.md", "A"},
      {"dir/x.md", "x"},
      {"dir/sub/y.md", "y"},
      {".hidden/y.md", "hidden folder"},
      {"dir/.git/z.md", "hidden subfolder"},
      {".dot.md", "hidden file"},
      {"dir/.dot.md", "hidden file in a folder"},
      {"notes.txt", "not a note"},
      {"x.md.bak", "not a note"},
      {"dir/README.MD", "upper-case extension"},
      {".md", "no name"},
      {"z.md", "z"},
  });
  std::vector<Diagnostic> problems;
  CHECK(mfs.list_notes(problems, 1) ==
        std::vector<std::string>{"A.md", "a.md", "b.md", "dir/sub/y.md", "dir/x.md", "z.md"});
  CHECK(problems.empty());
}

TEST_CASE("knowledge base: MemoryFileSystem read", "[knowledge_base]") {
  MemoryFileSystem mfs(std::map<std::string, std::string>{{"a.md", "12345"}});
  std::string error;
  auto text = mfs.read("a.md", 5, error);
  REQUIRE(text.has_value());
  CHECK(*text == "12345");
  CHECK(error.empty());

  CHECK_FALSE(mfs.read("a.md", 4, error).has_value());
  CHECK(error == "note is larger than the limit of 4 bytes");

  CHECK_FALSE(mfs.read("nope.md", 100, error).has_value());
  CHECK(error == "No such file or directory");
}

TEST_CASE("knowledge base: load keeps notes sorted by path", "[knowledge_base]") {
  KnowledgeBase kb = load({
      {"z/last.md", "---\ntitle: Last\n---\n"},
      {"a/first.md", "---\ntitle: First\n---\n[[z/last]]\n"},
      {"M.md", "---\ntitle: Upper\n---\n"},
      {"m.md", "---\ntitle: Lower\n---\n"},
      {".obsidian/workspace.md", "hidden"},
      {"a/.trash/old.md", "hidden"},
      {"a/image.png", "\x89PNG"},
  });
  CHECK(paths(kb) == std::vector<std::string>{"M.md", "a/first.md", "m.md", "z/last.md"});
  CHECK(kb.diagnostics.empty());
  CHECK(kb.find_path("M.md") == 0);
  CHECK(kb.find_path("a/first.md") == 1);
  CHECK(kb.find_path("m.md") == 2);
  CHECK(kb.find_path("z/last.md") == 3);
  CHECK(kb.find_path("z/last") == -1);
  CHECK(kb.find_path("nope.md") == -1);
  CHECK(kb.find_path("") == -1);
  CHECK(kb.find_path("zz.md") == -1);
  CHECK(kb.find_path(".obsidian/workspace.md") == -1);
  const Note& first = kb.notes[1];
  CHECK(first.title == "First");
  CHECK(first.id == "first");
  CHECK(first.folder == "a");
  REQUIRE(first.links.size() == 1);
  CHECK(first.links[0].target() == "z/last");
}

TEST_CASE("knowledge base: empty file system", "[knowledge_base]") {
  for (unsigned jobs : {0u, 1u, 4u}) {
    KnowledgeBase kb = load({}, jobs);
    CHECK(kb.notes.empty());
    CHECK(kb.diagnostics.empty());
    CHECK(kb.find_path("a.md") == -1);
  }
}

TEST_CASE("knowledge base: a note over max_note_bytes is unreadable, others unaffected",
          "[knowledge_base]") {
  const std::string small = "---\ntitle: Small\n---\nSee [[big]].\n";
  const std::string big = "---\ntitle: Big\n---\n" + std::string(100, 'x') + "\n";
  KnowledgeBase kb = load({{"a/small.md", small}, {"b/big.md", big}, {"c/other.md", small}}, 1, 64);
  CHECK(paths(kb) == std::vector<std::string>{"a/small.md", "c/other.md"});
  CHECK(formatted(kb.diagnostics) ==
        std::vector<std::string>{"b/big.md:1:1: error: cannot read note: note is larger than the "
                                 "limit of 64 bytes [unreadable-file]"});
  REQUIRE(kb.diagnostics.size() == 1);
  CHECK(kb.diagnostics[0].rule == "unreadable-file");
  CHECK(kb.diagnostics[0].severity == Severity::error);
  CHECK(kb.diagnostics[0].pos == Position{});

  // The readable notes are exactly what they are without a limit.
  KnowledgeBase unlimited = load({{"a/small.md", small}, {"c/other.md", small}});
  REQUIRE(unlimited.notes.size() == 2);
  for (std::size_t i = 0; i < 2; ++i) CHECK(describe(kb.notes[i]) == describe(unlimited.notes[i]));
  CHECK(kb.notes[0].size == small.size());
}

TEST_CASE("knowledge base: the result is identical whatever jobs is", "[knowledge_base]") {
  std::map<std::string, std::string> files = generated_kb(120);
  KnowledgeBase one = load(files, 1, 4096);
  REQUIRE(one.notes.size() == 120);
  REQUIRE(one.diagnostics.size() == 1);  // big/huge.md
  for (unsigned jobs : {0u, 2u, 4u, 16u}) {
    INFO("jobs " << jobs);
    KnowledgeBase many = load(files, jobs, 4096);
    CHECK(paths(many) == paths(one));
    CHECK(formatted(many.diagnostics) == formatted(one.diagnostics));
    REQUIRE(many.notes.size() == one.notes.size());
    for (std::size_t i = 0; i < one.notes.size(); ++i) {
      INFO("note " << one.notes[i].path);
      CHECK(describe(many.notes[i]) == describe(one.notes[i]));
    }
  }
  // The generated notes did exercise links, code links, anchors, headings and diagnostics.
  std::size_t links = 0, code = 0, anchors = 0, headings = 0, diags = 0;
  for (const Note& n : one.notes) {
    links += n.links.size(), code += n.code_links.size(), anchors += n.anchors.size();
    headings += n.headings.size(), diags += n.diagnostics.size();
  }
  CHECK(links > 50);
  CHECK(code > 50);
  CHECK(anchors > 50);
  CHECK(headings > 20);
  CHECK(diags > 50);
}

TEST_CASE("knowledge base: notes outlive the file system and move safely", "[knowledge_base]") {
  KnowledgeBase kb;
  {
    std::map<std::string, std::string> files = {
        {"a.md", "---\ntitle: A\n---\n# Head\n[[target|Alias]] claim <a class=\"yt-timestamp\" "
                 "data-t=\"00:00:07\">[00:00:07]</a>\n"}};
    kb = load(std::move(files));
  }
  std::vector<Note> moved;
  moved.push_back(std::move(kb.notes[0]));
  for (int i = 0; i < 20; ++i) moved.emplace_back();  // force reallocation
  const Note& n = moved[0];
  REQUIRE(n.links.size() == 1);
  CHECK(n.links[0].raw == "[[target|Alias]]");
  CHECK(n.links[0].target() == "target");
  CHECK(n.links[0].alias() == "Alias");
  REQUIRE(n.headings.size() == 1);
  CHECK(n.headings[0].text == "Head");
  REQUIRE(n.anchors.size() == 1);
  CHECK(n.anchors[0].data_t == "00:00:07");
  CHECK(n.anchors[0].label == "00:00:07");
  CHECK(n.anchors[0].text == "Alias claim");
}

TEST_CASE("knowledge base: disk file system on a temporary folder", "[knowledge_base][disk]") {
  TempDir dir;
  dir.write("chan/chan.md", "---\ntitle: Chan\n---\n");
  dir.write("chan/topic.md", "---\ntitle: Topic\nvideoId: abcdefghijk\n---\nFrom: [[chan]]\n");
  dir.write("chan/sub/deep.md", "---\ntitle: Deep\n---\n");
  dir.write("chan/.obsidian/workspace.md", "hidden folder");
  dir.write(".git/notes.md", "hidden folder at the root");
  dir.write("chan/.draft.md", "hidden file");
  dir.write("notes.txt", "not a note");
  dir.write("big.md", std::string(200, 'x'));
  fs::create_symlink(dir.path / "chan" / "topic.md", dir.path / "link.md");
  fs::create_symlink(dir.path / "chan", dir.path / "linked_folder");  // a folder: not followed
  fs::create_symlink(dir.path / "missing.md", dir.path / "chan" / "dangling.md");
  fs::create_symlink(dir.path / "chan" / "topic.md", dir.path / "chan" / "alias_note");

  std::unique_ptr<FileSystem> disk = make_disk_file_system(dir.path.string());
  std::vector<Diagnostic> problems;
  std::vector<std::string> listed = disk->list_notes(problems, 1);
  CHECK(listed == std::vector<std::string>{"big.md", "chan/chan.md", "chan/sub/deep.md",
                                           "chan/topic.md"});
  std::sort(problems.begin(), problems.end(), diagnostic_less);
  CHECK(formatted(problems) ==
        std::vector<std::string>{"chan/dangling.md:1:1: info: symbolic link is not followed [skipped-file]",
                                 "link.md:1:1: info: symbolic link is not followed [skipped-file]"});
  for (const Diagnostic& d : problems) {
    CHECK(d.rule == "skipped-file");
    CHECK(d.severity == Severity::info);
  }

  std::string error;
  auto text = disk->read("chan/chan.md", 1000, error);
  REQUIRE(text.has_value());
  CHECK(*text == "---\ntitle: Chan\n---\n");
  CHECK_FALSE(disk->read("big.md", 199, error).has_value());
  CHECK(error == "note is larger than the limit of 199 bytes");
  CHECK(disk->read("big.md", 200, error).has_value());
  CHECK_FALSE(disk->read("nope.md", 1000, error).has_value());
  CHECK(error == "No such file or directory");

  LoadOptions o;
  o.jobs = 2;
  o.max_note_bytes = 100;
  KnowledgeBase kb = load_knowledge_base(*disk, o);
  CHECK(paths(kb) == std::vector<std::string>{"chan/chan.md", "chan/sub/deep.md", "chan/topic.md"});
  std::vector<Diagnostic> diags = kb.diagnostics;
  std::sort(diags.begin(), diags.end(), diagnostic_less);
  CHECK(formatted(diags) ==
        std::vector<std::string>{
            "big.md:1:1: error: cannot read note: note is larger than the limit of 100 bytes "
            "[unreadable-file]",
            "chan/dangling.md:1:1: info: symbolic link is not followed [skipped-file]",
            "link.md:1:1: info: symbolic link is not followed [skipped-file]"});
  const int topic = kb.find_path("chan/topic.md");
  REQUIRE(topic >= 0);
  CHECK(kb.notes[topic].channel == "chan");
  CHECK(kb.notes[topic].video_id == "abcdefghijk");
}

// How many descriptors of this process are open on `folder`.
int descriptors_on(const fs::path& folder) {
  int n = 0;
  for (const fs::directory_entry& e : fs::directory_iterator("/proc/self/fd")) {
    std::error_code ec;
    if (fs::read_symlink(e.path(), ec) == folder && !ec) ++n;
  }
  return n;
}

TEST_CASE("knowledge base: disk file system on several threads, each with its own root",
          "[knowledge_base][disk]") {
  TempDir dir;
  for (int k = 0; k < 8; ++k) dir.write("chan/n" + std::to_string(k) + ".md", std::to_string(k));
  {
    std::unique_ptr<FileSystem> disk = make_disk_file_system(dir.path.string());
    std::vector<std::string> got(9);
    auto read = [&](int k) {
      std::string error;
      for (int round = 0; round < 3; ++round) {  // the thread's root, opened once, reused
        got[static_cast<std::size_t>(k)] =
            disk->read("chan/n" + std::to_string(k % 8) + ".md", 100, error).value_or(error);
      }
    };
    std::vector<std::thread> threads;
    for (int k = 0; k < 8; ++k) threads.emplace_back(read, k);
    for (std::thread& t : threads) t.join();
    read(8);  // and this thread
    CHECK(got == std::vector<std::string>{"0", "1", "2", "3", "4", "5", "6", "7", "0"});
    CHECK(descriptors_on(dir.path) == 2);  // the file system's and this thread's
  }
  // Closed by the file system on the thread that destroyed it, and by the others' ends.
  CHECK(descriptors_on(dir.path) == 0);

  // Two file systems used in turn on one thread each read their own root.
  TempDir other;
  other.write("chan/n0.md", "other");
  std::unique_ptr<FileSystem> first = make_disk_file_system(dir.path.string());
  std::unique_ptr<FileSystem> second = make_disk_file_system(other.path.string());
  std::vector<std::string> got;
  for (int round = 0; round < 4; ++round) {
    std::string error;
    FileSystem& disk = round % 2 ? *second : *first;
    got.push_back(disk.read("chan/n0.md", 100, error).value_or(error));
  }
  CHECK(got == std::vector<std::string>{"0", "other", "0", "other"});
}

TEST_CASE("knowledge base: disk listing of odd entries and deep trees", "[knowledge_base][disk]") {
  TempDir dir;
  dir.write("x.md/inside.md", "a folder named like a note is still a folder");
  dir.write("x.md.txt", "not a note");
  dir.write("a.md", "");
  dir.write("a/b.md", "");    // after a.md in byte order ('.' < '/')
  dir.write("a b/c.md", "");  // ' ' sorts before '.'
  dir.write("a-b/c.md", "");  // and '-' too: folder "a-b" after "a b", before "a.md"
  dir.write("a-b/a/z.md", "");
  dir.write("caf\xC3\xA9/\xE2\x80\x8Bzw.md", "");
  REQUIRE(::mkfifo((dir.path / "pipe.md").c_str(), 0600) == 0);
  std::string deep;
  for (int k = 0; k < 200; ++k) deep += "d/";  // one descriptor at a time, however deep
  dir.write(deep + "bottom.md", "");
  std::unique_ptr<FileSystem> disk = make_disk_file_system(dir.path.string());
  for (unsigned jobs : {1u, 2u, 3u, 0u}) {
    INFO("jobs " << jobs);
    std::vector<Diagnostic> problems;
    std::vector<std::string> listed = disk->list_notes(problems, jobs);
    CHECK(listed == std::vector<std::string>{"a b/c.md", "a-b/a/z.md", "a-b/c.md", "a.md", "a/b.md",
                                             "caf\xC3\xA9/\xE2\x80\x8Bzw.md", deep + "bottom.md",
                                             "x.md/inside.md"});
    CHECK(formatted(problems) ==
          std::vector<std::string>{
              "pipe.md:1:1: info: not a regular file (a FIFO, socket or device) [skipped-file]"});
  }
}

TEST_CASE("knowledge base: disk listing on several threads gives one walk's order",
          "[knowledge_base][disk]") {
  // The root's folders are walked in parallel; the notes still come sorted and the problems
  // in the order one thread walking depth first meets them, the folder's order.
  TempDir dir;
  for (int f = 0; f < 40; ++f) {
    const std::string folder = "f" + std::to_string(f * 7 % 40);
    fs::create_directories(dir.path / folder);
    for (int n = 0; n < f % 5; ++n) dir.write(folder + "/n" + std::to_string(n) + ".md", "");
    if (f % 3 == 0) dir.write(folder + "/sub/deep.md", "");
    if (f % 4 == 1) {
      fs::create_symlink(dir.path / "missing.md", dir.path / folder / "link.md");
      REQUIRE(::mkfifo((dir.path / folder / "sub_pipe.md").c_str(), 0600) == 0);
    }
    dir.write("root" + std::to_string(f) + ".md", "");
  }
  fs::create_symlink(dir.path / "missing.md", dir.path / "rootlink.md");
  std::unique_ptr<FileSystem> disk = make_disk_file_system(dir.path.string());
  std::vector<Diagnostic> first;
  const std::vector<std::string> listed = disk->list_notes(first, 1);
  CHECK(std::is_sorted(listed.begin(), listed.end()));
  CHECK(listed.size() == 40 + 80 + 14);  // root notes, notes in folders, deep notes
  REQUIRE(first.size() == 2 * 10 + 1);
  for (unsigned jobs : {2u, 3u, 8u}) {
    INFO("jobs " << jobs);
    std::vector<Diagnostic> problems;
    CHECK(disk->list_notes(problems, jobs) == listed);
    CHECK(formatted(problems) == formatted(first));
  }
}

TEST_CASE("knowledge base: one reused buffer reads files of every size exactly",
          "[knowledge_base][disk]") {
  // read_into reuses the buffer's size and capacity from file to file and takes a short read
  // as the end: each file must still come back whole, never with bytes of the one before.
  TempDir dir;
  const std::size_t sizes[] = {0, 1, 4095, 4096, 4097, 100000, 3, 8192, 0, 65537, 10};
  std::vector<std::string> names;
  for (std::size_t k = 0; k < std::size(sizes); ++k) {
    std::string text(sizes[k], static_cast<char>('a' + k));
    if (!text.empty()) text.back() = '\n';
    names.push_back("f" + std::to_string(k) + ".md");
    dir.write(names.back(), text);
  }
  std::unique_ptr<FileSystem> disk = make_disk_file_system(dir.path.string());
  std::string buffer, error;
  for (int round = 0; round < 2; ++round) {  // the second round starts with a large buffer
    for (std::size_t k = 0; k < std::size(sizes); ++k) {
      INFO("file " << names[k] << " of " << sizes[k] << " bytes, round " << round);
      REQUIRE(disk->read_into(names[k], 1u << 20, buffer, error));
      std::string want(sizes[k], static_cast<char>('a' + k));
      if (!want.empty()) want.back() = '\n';
      CHECK(buffer == want);
    }
  }
  // At the limit exactly: read; one byte over: refused, whatever the buffer held before.
  REQUIRE(disk->read_into("f5.md", 100000, buffer, error));
  CHECK(buffer.size() == 100000);
  CHECK_FALSE(disk->read_into("f5.md", 99999, buffer, error));
  CHECK(error == "note is larger than the limit of 99999 bytes");
}

TEST_CASE("knowledge base: disk file system on a missing root", "[knowledge_base][disk]") {
  const std::string root = (fs::temp_directory_path() / "tkb_unit_no_such_folder_9f3a").string();
  REQUIRE_FALSE(fs::exists(root));
  std::unique_ptr<FileSystem> disk = make_disk_file_system(root);
  std::vector<Diagnostic> problems;
  CHECK(disk->list_notes(problems, 2).empty());
  REQUIRE(problems.size() == 1);
  CHECK(problems[0].path == "");
  CHECK(problems[0].rule == "unreadable-file");
  CHECK(problems[0].severity == Severity::error);
  CHECK(format_diagnostic(problems[0]) ==
        "tkb: error: cannot read folder " + root + ": No such file or directory [unreadable-file]");
}
