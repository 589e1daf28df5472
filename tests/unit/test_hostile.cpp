// Hostile input: each kind of bad file a knowledge base may hold, with its exact outcome (the
// finding with file and position, the note left out or read, the other notes unaffected);
// the limits that keep hostile notes from costing unbounded work; and the replay of every
// input the fuzzers found (tests/fuzz/regressions/, see scripts/fuzz).
// The command-line side (exit codes, stderr, JSON output) is in tests/hostile_cli.sh.
#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "../fuzz/targets.hpp"
#include "tkb/check.hpp"
#include "tkb/front_matter.hpp"
#include "tkb/knowledge_base.hpp"
#include "tkb/output.hpp"
#include "tkb/parse.hpp"
#include "tkb/resolve.hpp"

using namespace tkb;
namespace fs = std::filesystem;

namespace {

std::vector<std::string> formatted(const std::vector<Diagnostic>& ds) {
  std::vector<std::string> out;
  for (const Diagnostic& d : ds) out.push_back(format_diagnostic(d));
  return out;
}

std::vector<std::string> paths(const KnowledgeBase& kb) {
  std::vector<std::string> out;
  for (const Note& n : kb.notes) out.push_back(n.path);
  return out;
}

std::vector<std::string> with_rule(const std::vector<Diagnostic>& ds, std::string_view rule) {
  std::vector<std::string> out;
  for (const Diagnostic& d : ds) {
    if (d.rule == rule) out.push_back(format_diagnostic(d));
  }
  return out;
}

KnowledgeBase load(FileSystem& fs, std::uint64_t max_note_bytes = 16u << 20) {
  LoadOptions o;
  o.jobs = 2;
  o.max_note_bytes = max_note_bytes;
  return load_knowledge_base(fs, o);
}

const std::string kGood = "---\ntitle: Good\nvideoId: AAAAAAAAAA1\n---\nFrom: [[chan]]\n";

// A note that every hostile test loads beside the hostile one: it must come out the same.
void check_good_note(const KnowledgeBase& kb) {
  int i = kb.find_path("chan/good.md");
  REQUIRE(i >= 0);
  const Note& n = kb.notes[i];
  CHECK(n.title == "Good");
  CHECK(n.video_id == "AAAAAAAAAA1");
  CHECK(n.channel == "chan");
  CHECK(n.diagnostics.empty());
}

// A MemoryFileSystem whose reads of some files fail, as for a file that is unreadable or that
// was deleted between listing and reading.
class FailingFileSystem : public MemoryFileSystem {
 public:
  FailingFileSystem(std::map<std::string, std::string> files,
                    std::map<std::string, std::string> failures)
      : MemoryFileSystem(std::move(files)), m_failures(std::move(failures)) {}
  std::vector<std::string> list_notes(std::vector<Diagnostic>& problems, unsigned jobs) override {
    std::vector<std::string> out = MemoryFileSystem::list_notes(problems, jobs);
    for (const auto& [path, error] : m_failures) out.push_back(path);
    std::sort(out.begin(), out.end());
    return out;
  }
  bool read_into(const std::string& path, std::uint64_t max_bytes, std::string& out,
                 std::string& error) override {
    if (auto it = m_failures.find(path); it != m_failures.end()) {
      error = it->second;
      return false;
    }
    return MemoryFileSystem::read_into(path, max_bytes, out, error);
  }

 private:
  std::map<std::string, std::string> m_failures;
};

struct TempDir {
  fs::path path;
  TempDir() {
    path = fs::temp_directory_path() /
           ("tkb_hostile_" + std::to_string(::getpid()) + "_" +
            std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()));
    fs::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  void write(const std::string& rel, const std::string& text) const {
    fs::path p = path / rel;
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << text;
  }
};

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

// ---- Fuzz regressions ---------------------------------------------------------------------

TEST_CASE("hostile: every input the fuzzers found replays cleanly through every target",
          "[hostile][fuzz]") {
  const fs::path dir = fs::path(TKB_FIXTURES) / ".." / "fuzz" / "regressions";
  REQUIRE(fs::is_directory(dir));
  std::size_t count = 0;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (!entry.is_regular_file()) continue;
    const std::string contents = read_file(entry.path());
    INFO("input " << entry.path().lexically_relative(dir).generic_string());
    // In a buffer of exactly its size, as libFuzzer passes it: a read one byte past the end
    // (where a std::string has its NUL) is then an error under AddressSanitizer.
    std::unique_ptr<char[]> buffer(new char[contents.size()]);
    std::copy(contents.begin(), contents.end(), buffer.get());
    const std::string_view text(buffer.get(), contents.size());
    // Each target aborts on a broken invariant; the sanitizer build also catches memory
    // errors, leaks and undefined behaviour.
    tkb::fuzz::front_matter(text);
    tkb::fuzz::scan(text);
    tkb::fuzz::note(text);
    ++count;
  }
  CHECK(count >= 3);
}

// ---- Binary and broken bytes -----------------------------------------------------------------

TEST_CASE("hostile: a binary file named .md is one binary-content error, and is not read",
          "[hostile]") {
  const std::string png("\x89PNG\r\n\x1A\n\0\0\0\rIHDR [[link]] title: x\n", 33);
  Note n = parse_note(png, "chan/image.md");
  CHECK(formatted(n.diagnostics) ==
        std::vector<std::string>{"chan/image.md:3:1: error: file holds NUL bytes; it looks like a "
                                 "binary file, not a note, and is not read [binary-content]"});
  CHECK(n.links.empty());
  CHECK_FALSE(n.front_matter.present);

  MemoryFileSystem mfs({{"chan/image.md", png}, {"chan/good.md", kGood}});
  KnowledgeBase kb = load(mfs);
  CHECK(paths(kb) == std::vector<std::string>{"chan/good.md", "chan/image.md"});
  check_good_note(kb);
}

TEST_CASE("hostile: a NUL byte in the middle of a note is found at its line and column",
          "[hostile]") {
  std::string text = kGood + "line four\nab";
  text += '\0';
  text += "cd [[x]]\n";
  Note n = parse_note(text, "chan/nul.md");
  CHECK(formatted(n.diagnostics) ==
        std::vector<std::string>{"chan/nul.md:7:3: error: file holds NUL bytes; it looks like a "
                                 "binary file, not a note, and is not read [binary-content]"});
  CHECK(n.title.empty());
  CHECK(n.links.empty());
}

TEST_CASE("hostile: invalid UTF-8 is a warning at the first bad byte: the note is still read",
          "[hostile]") {
  const std::string text =
      "---\ntitle: caf\xE9 \xFF\nvideoId: AAAAAAAAAA2\n---\nFrom: [[chan]]\n\n"
      "Text \xC3 here [[bad\xFE target|al\xC0ias]] and "
      "<a class=\"yt-timestamp\" data-t=\"00:00:05\">[00:00:05]</a>.\n";
  Note n = parse_note(text, "chan/bad.md");
  CHECK(formatted(n.diagnostics) ==
        std::vector<std::string>{"chan/bad.md:2:11: warning: bytes that are not valid UTF-8; "
                                 "names and text around them may show wrongly [invalid-utf8]"});
  CHECK(n.title == "caf\xE9 \xFF");
  REQUIRE(n.links.size() == 2);
  CHECK(n.links[1].target() == "bad\xFE target");
  CHECK(n.links[1].alias() == "al\xC0ias");
  REQUIRE(n.anchors.size() == 1);
  CHECK(n.anchors[0].text == "Text \xC3 here al\xC0ias and");

  // JSON output stays valid: every invalid byte becomes U+FFFD.
  std::ostringstream out;
  auto w = make_writer(Format::json, out, {"title", "links", "text"});
  w->row({n.title, std::vector<std::string>{std::string(n.links[1].raw)},
          std::string(n.anchors[0].text)});
  w->finish();
  nlohmann::json j;
  REQUIRE_NOTHROW(j = nlohmann::json::parse(out.str()));
  CHECK(j[0]["title"] == "caf\xEF\xBF\xBD \xEF\xBF\xBD");
  CHECK(j[0]["links"][0] == "[[bad\xEF\xBF\xBD target|al\xEF\xBF\xBDias]]");
  CHECK(j[0]["text"] == "Text \xEF\xBF\xBD here al\xEF\xBF\xBDias and");
}

TEST_CASE("hostile: an empty file is a note with nothing in it", "[hostile]") {
  Note n = parse_note("", "chan/empty.md");
  CHECK(n.diagnostics.empty());
  CHECK_FALSE(n.front_matter.present);
  CHECK(n.links.empty());
  CHECK(n.headings.empty());
  CHECK(n.id == "empty");
}

// ---- Size and nesting ------------------------------------------------------------------------

TEST_CASE("hostile: a 50 MB single-line note is over the default limit: raised, it is read",
          "[hostile][slow]") {
  std::string huge = "---\ntitle: Huge\n---\nFrom: [[chan]] ";
  huge.append(50u << 20, 'a');
  huge += " [[good]]";  // one line, no '\n' after the front matter
  MemoryFileSystem mfs({{"chan/huge.md", huge}, {"chan/good.md", kGood}});

  KnowledgeBase kb = load(mfs);  // default: 16 MB
  CHECK(paths(kb) == std::vector<std::string>{"chan/good.md"});
  CHECK(formatted(kb.diagnostics) ==
        std::vector<std::string>{"chan/huge.md:1:1: error: cannot read note: note is larger than "
                                 "the limit of 16777216 bytes [unreadable-file]"});
  check_good_note(kb);

  auto start = std::chrono::steady_clock::now();
  KnowledgeBase big = load(mfs, 64u << 20);
  auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  CHECK(big.diagnostics.empty());
  CHECK(paths(big) == std::vector<std::string>{"chan/good.md", "chan/huge.md"});
  const Note& n = big.notes[1];
  CHECK(n.title == "Huge");
  CHECK(n.channel == "chan");
  REQUIRE(n.links.size() == 2);
  CHECK(n.links[1].pos.line == 4);
  CHECK(n.links[1].pos.column == 15 + (50u << 20) + 2);  // "From: [[chan]] ", a..., " "
  CHECK(n.diagnostics.empty());
  CHECK(seconds < 30);  // linear work: well under a second, in release and under ASan
  check_good_note(big);
}

TEST_CASE("hostile: 100,000 'open-brackets' on one line: 200 findings and a count of the rest", "[hostile]") {
  std::string text = kGood;
  for (int i = 0; i < 100000; ++i) text += "[[";
  text += '\n';
  Note n = parse_note(text, "chan/brackets.md");
  CHECK(n.links.size() == 1);  // the From line
  std::vector<std::string> found = with_rule(n.diagnostics, "malformed-link");
  REQUIRE(found.size() == 201);
  CHECK(found[0] ==
        "chan/brackets.md:6:1: warning: '[[' is not closed before the next '[[' (a link inside a "
        "link, or a missing ']]'); only the inner link is read [malformed-link]");
  CHECK(found[199].rfind("chan/brackets.md:6:399: ", 0) == 0);
  CHECK(found[200] ==
        "chan/brackets.md:6:399: warning: ... and 99800 more findings of this rule in the note, "
        "not shown [malformed-link]");
}

TEST_CASE("hostile: deeply nested block quotes and lists parse, fast and with cmark-gfm",
          "[hostile]") {
  std::string quotes = kGood, lists = kGood, indented = kGood;
  for (int i = 0; i < 20000; ++i) quotes += "> ";
  quotes += "deep [[target]]\n";
  for (int i = 0; i < 20000; ++i) lists += "- ";
  lists += "deep [[target]]\n";
  for (int i = 0; i < 2000; ++i) indented += std::string(2 * i, ' ') + "- item [[target]]\n";
  for (bool full : {false, true}) {
    INFO("always_full_markdown " << full);
    ParseOptions o;
    o.always_full_markdown = full;
    Note q = parse_note(quotes, "chan/quotes.md", o);
    REQUIRE(q.links.size() == 2);
    CHECK(q.links[1].pos.line == 6);
    CHECK(q.links[1].pos.column == 40006);
    Note l = parse_note(lists, "chan/lists.md", o);
    REQUIRE(l.links.size() == 2);
    CHECK(l.links[1].pos.column == 40006);
    Note d = parse_note(indented, "chan/indented.md", o);
    CHECK(d.links.size() + d.code_links.size() == 2001);
    CHECK(d.diagnostics.empty());
  }
}

// ---- Front matter ----------------------------------------------------------------------------

TEST_CASE("hostile: unterminated front matter is a yaml-error at 1:1: the rest is body",
          "[hostile]") {
  Note n = parse_note("---\ntitle: Open\nFrom: [[chan]]\n", "chan/open.md");
  CHECK(formatted(n.diagnostics) ==
        std::vector<std::string>{"chan/open.md:1:1: error: front matter opened with '---' is "
                                 "never closed; the whole note is read as body [yaml-error]"});
  CHECK(n.title.empty());
  CHECK(n.channel == "chan");
}

TEST_CASE("hostile: YAML anchors and aliases cannot expand without bound (billion laughs)",
          "[hostile]") {
  SECTION("nested lists of aliases: tkb reads only scalars, nothing is expanded") {
    std::string yaml = "---\ntitle: Laughs\na: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n";
    for (char c = 'b'; c <= 'j'; ++c) {
      std::string prev(1, static_cast<char>(c - 1));
      yaml += std::string(1, c) + ": &" + c + " [*" + prev + ",*" + prev + ",*" + prev + ",*" +
              prev + ",*" + prev + ",*" + prev + ",*" + prev + ",*" + prev + ",*" + prev + "]\n";
    }
    yaml += "---\nbody\n";
    auto start = std::chrono::steady_clock::now();
    Note n = parse_note(yaml, "chan/laughs.md");
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(5));
    CHECK(n.diagnostics.empty());
    CHECK(n.title == "Laughs");
    REQUIRE(n.front_matter.entries.size() == 11);
    CHECK(n.front_matter.entries[1].items.size() == 5);
    CHECK(n.front_matter.entries[10].items.empty());  // a list of lists: not used by tkb
  }
  SECTION("a list of aliases of one long value: stopped at 1 MiB of values") {
    std::string yaml = "---\ntitle: Laughs\nbig: &big " + std::string(30000, 'x') + "\nmany: [";
    for (int i = 0; i < 3000; ++i) yaml += i ? ",*big" : "*big";  // 90 MB if expanded
    yaml += "]\n---\nFrom: [[chan]]\n";
    REQUIRE(yaml.size() < kMaxFrontMatterBytes);
    Note n = parse_note(yaml, "chan/laughs.md");
    CHECK(formatted(n.diagnostics) ==
          std::vector<std::string>{"chan/laughs.md:1:1: error: front matter values add up to "
                                   "more than 1048576 bytes (aliases expanded); it is not read "
                                   "[yaml-error]"});
    CHECK(n.front_matter.entries.empty());
    CHECK(n.title.empty());
    CHECK(n.channel == "chan");  // the body is still read
  }
}

TEST_CASE("hostile: YAML tags are kept as plain values", "[hostile]") {
  Note n = parse_note(
      "---\ntitle: !!str 123\nvideoId: !custom AAAAAAAAAA3\ncount: !!int 7\n"
      "data: !!binary aGVsbG8=\naliases: !!seq [x, y]\n---\n",
      "chan/tags.md");
  CHECK(n.diagnostics.empty());
  CHECK(n.title == "123");
  CHECK(n.video_id == "AAAAAAAAAA3");
  CHECK(n.front_matter.find("count")->value == "7");
  CHECK(n.front_matter.find("data")->value == "aGVsbG8=");
  CHECK(n.aliases == std::vector<std::string>{"x", "y"});
}

TEST_CASE("hostile: duplicate keys, a list and a scalar as front matter", "[hostile]") {
  Note dup = parse_note("---\ntitle: One\ntitle: Two\n---\n", "chan/dup.md");
  CHECK(formatted(dup.diagnostics) ==
        std::vector<std::string>{"chan/dup.md:3:1: error: front matter key 'title' repeats the one "
                                 "on line 2; readers disagree on which one wins [yaml-error]"});
  CHECK(dup.title == "One");
  Note list = parse_note("---\n- a\n- b\n---\n", "chan/list.md");
  CHECK(formatted(list.diagnostics) ==
        std::vector<std::string>{"chan/list.md:2:1: error: front matter is a list, not a mapping "
                                 "of keys to values [yaml-error]"});
  Note scalar = parse_note("---\njust a sentence\n---\n", "chan/scalar.md");
  CHECK(formatted(scalar.diagnostics) ==
        std::vector<std::string>{"chan/scalar.md:2:1: error: front matter is a single value, not "
                                 "a mapping of keys to values [yaml-error]"});
}

TEST_CASE("hostile: front matter nesting deeper than 64 levels is not given to yaml-cpp",
          "[hostile]") {
  auto nested = [](std::size_t depth, char open, char close) {
    return "---\ntitle: Deep\ntags: " + std::string(depth, open) + std::string(depth, close) +
           "\n---\nFrom: [[chan]]\n";
  };
  const std::string error =
      "chan/deep.md:1:1: error: front matter nests deeper than 64 levels; it is not read "
      "[yaml-error]";
  // The mapping is one level: 63 lists inside it make 64.
  CHECK(parse_note(nested(63, '[', ']'), "chan/deep.md").diagnostics.empty());
  for (std::size_t depth : {64u, 1000u, 30000u}) {
    Note n = parse_note(nested(depth, '[', ']'), "chan/deep.md");
    CHECK(formatted(n.diagnostics) == std::vector<std::string>{error});
    CHECK(n.title.empty());
    CHECK(n.channel == "chan");
  }
  CHECK(formatted(parse_note(nested(500, '{', '}'), "chan/deep.md").diagnostics) ==
        std::vector<std::string>{error});
  // Block nesting counts too.
  std::string block = "---\n";
  for (int i = 0; i < 100; ++i) block += std::string(static_cast<std::size_t>(i), ' ') + "k:\n";
  block += "---\n";
  CHECK(formatted(parse_note(block, "chan/deep.md").diagnostics) ==
        std::vector<std::string>{error});
  // Brackets inside a plain or quoted value are text, not nesting.
  std::string text_value =
      "---\ntitle: a" + std::string(100, '[') + "\nq: \"" + std::string(100, '{') + "\"\n---\n";
  Note plain = parse_note(text_value, "chan/deep.md");
  CHECK(plain.diagnostics.empty());
  CHECK(plain.title == "a" + std::string(100, '['));
}

TEST_CASE("hostile: front matter over 64 KiB is a yaml-error and is skipped", "[hostile]") {
  std::string text = "---\ntitle: Big\n";
  while (text.size() < kMaxFrontMatterBytes + 100)
    text += "key" + std::to_string(text.size()) + ": v\n";
  const std::size_t yaml_bytes = text.size() - 4;
  text += "---\nFrom: [[chan]]\n";
  Note n = parse_note(text, "chan/big.md");
  CHECK(formatted(n.diagnostics) ==
        std::vector<std::string>{"chan/big.md:1:1: error: front matter is " +
                                 std::to_string(yaml_bytes) +
                                 " bytes, more than the limit of 65536; it is not read "
                                 "[yaml-error]"});
  CHECK(n.front_matter.present);
  CHECK(n.front_matter.closed);
  CHECK(n.front_matter.entries.empty());
  CHECK(n.channel == "chan");  // the body starts after the closing line, as usual
}

// ---- Files that cannot be read ---------------------------------------------------------------

TEST_CASE("hostile: a file whose read fails, or that was deleted after listing", "[hostile]") {
  FailingFileSystem ffs(
      {{"chan/good.md", kGood}},
      {{"chan/locked.md", "Permission denied"}, {"chan/vanished.md", "No such file or directory"}});
  KnowledgeBase kb = load(ffs);
  CHECK(paths(kb) == std::vector<std::string>{"chan/good.md"});
  CHECK(formatted(kb.diagnostics) ==
        std::vector<std::string>{
            "chan/locked.md:1:1: error: cannot read note: Permission denied [unreadable-file]",
            "chan/vanished.md:1:1: error: cannot read note: No such file or directory "
            "[unreadable-file]"});
  check_good_note(kb);
  // `check` reports them as errors with the rest of its findings.
  Resolver resolver(kb);
  CHECK(with_rule(run_checks(kb, resolver), "unreadable-file").size() == 2);
}

TEST_CASE("hostile: on disk, a FIFO, a folder named x.md, symlink loops and links out of the root",
          "[hostile][disk]") {
  TempDir outside;
  outside.write("secret.md", "---\ntitle: Secret\n---\n");
  TempDir dir;
  dir.write("chan/good.md", kGood);
  dir.write("chan/folder.md/inner.md", "---\ntitle: Inner\n---\n");  // a folder named like a note
  REQUIRE(::mkfifo((dir.path / "chan" / "fifo.md").c_str(), 0644) == 0);
  fs::create_directory_symlink(".", dir.path / "chan" / "loop");  // a loop
  fs::create_symlink("self.md", dir.path / "chan" / "self.md");   // to itself
  fs::create_symlink("pong.md", dir.path / "chan" / "ping.md");   // a cycle
  fs::create_symlink("ping.md", dir.path / "chan" / "pong.md");
  fs::create_symlink(outside.path / "secret.md", dir.path / "chan" / "secret.md");  // outside
  fs::create_directory_symlink(outside.path, dir.path / "outside");                 // outside

  auto disk = make_disk_file_system(dir.path.string());
  KnowledgeBase kb = load(*disk);
  CHECK(paths(kb) == std::vector<std::string>{"chan/folder.md/inner.md", "chan/good.md"});
  std::vector<Diagnostic> diags = kb.diagnostics;
  std::sort(diags.begin(), diags.end(), diagnostic_less);
  CHECK(formatted(diags) ==
        std::vector<std::string>{
            "chan/fifo.md:1:1: info: not a regular file (a FIFO, socket or device) [skipped-file]",
            "chan/ping.md:1:1: info: symbolic link is not followed [skipped-file]",
            "chan/pong.md:1:1: info: symbolic link is not followed [skipped-file]",
            "chan/secret.md:1:1: info: symbolic link is not followed [skipped-file]",
            "chan/self.md:1:1: info: symbolic link is not followed [skipped-file]"});
  check_good_note(kb);
  // Reading the FIFO directly (as if it replaced a note after listing) fails at once.
  std::string error;
  CHECK_FALSE(disk->read("chan/fifo.md", 1000, error).has_value());
  CHECK(error == "not a regular file");
}

TEST_CASE("hostile: file names with a newline and invisible Unicode", "[hostile][disk]") {
  TempDir dir;
  dir.write("chan/good.md", kGood);
  dir.write("chan/new\nline.md", "---\ntitle: Newline\n---\n[[good]]\n");
  dir.write("chan/zero\xE2\x80\x8Bwidth.md", "---\ntitle: Zero width\n---\n");
  dir.write(
      "chan/\xE2\x80\xAE"
      "dm.txt.md",
      "---\ntitle: RLO\n---\n");  // right-to-left override
  auto disk = make_disk_file_system(dir.path.string());
  KnowledgeBase kb = load(*disk);
  CHECK(paths(kb) == std::vector<std::string>{"chan/good.md", "chan/new\nline.md",
                                              "chan/zero\xE2\x80\x8Bwidth.md",
                                              "chan/\xE2\x80\xAE"
                                              "dm.txt.md"});
  CHECK(kb.diagnostics.empty());
  Resolver resolver(kb);
  std::vector<Diagnostic> findings = run_checks(kb, resolver);
  // Text output keeps each finding on one line: the newline is written as \n.
  CHECK(with_rule(findings, "missing-video-id")[0] ==
        "chan/new\\nline.md:1:1: error: front matter has no videoId [missing-video-id]");
  CHECK(with_rule(findings, "invisible-characters") ==
        std::vector<std::string>{
            "chan/zero\xE2\x80\x8Bwidth.md:1:1: warning: the file path holds the invisible "
            "character U+200B, so typed links miss it [invisible-characters]",
            "chan/\xE2\x80\xAE"
            "dm.txt.md:1:1: warning: the file path holds the invisible "
            "character U+202E, so typed links miss it [invisible-characters]"});
}

TEST_CASE("hostile: a root with 100,000 empty files", "[hostile][disk][slow]") {
  TempDir dir;
  for (int i = 0; i < 100000; ++i) {
    std::ofstream(dir.path / ("n" + std::to_string(i) + ".md"));
  }
  auto start = std::chrono::steady_clock::now();
  auto disk = make_disk_file_system(dir.path.string());
  KnowledgeBase kb = load(*disk);
  auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  CHECK(kb.notes.size() == 100000);
  CHECK(kb.diagnostics.empty());
  CHECK(kb.find_path("n99999.md") >= 0);
  CHECK(seconds < 20);
}

// ---- Safety of what comes out ----------------------------------------------------------------

TEST_CASE("hostile: links climbing out of the root never resolve", "[hostile]") {
  // Link paths are relative to the root: `..` may not climb above it.
  MemoryFileSystem mfs({{"chan/good.md", kGood},
                        {"etc/passwd.md", "---\ntitle: Not the real one\n---\n"},
                        {"a/b/note.md",
                         "[[etc/../etc/passwd]] [[../etc/passwd]] "
                         "[[../../etc/passwd]] [[a/../../etc/passwd]] "
                         "[[../../../../../../etc/passwd.md]]\n"}});
  KnowledgeBase kb = load(mfs);
  Resolver resolver(kb);
  int from = kb.find_path("a/b/note.md");
  REQUIRE(from >= 0);
  const Note& n = kb.notes[from];
  REQUIRE(n.links.size() == 5);
  Resolution inside = resolver.resolve_link(n.links[0], from);
  REQUIRE(inside.resolved());
  CHECK(inside.rule == MatchRule::path);
  CHECK(kb.notes[inside.note].path == "etc/passwd.md");
  for (std::size_t i = 1; i < n.links.size(); ++i) {
    INFO(n.links[i].raw);
    Resolution r = resolver.resolve_link(n.links[i], from);
    CHECK_FALSE(r.resolved());
    CHECK(r.candidates.empty());
  }
}

TEST_CASE("hostile: CSV and TSV cells that start like a formula are neutralised unless raw",
          "[hostile]") {
  for (const char* cell : {"=HYPERLINK(\"http://x\")", "+1", "-2+3", "@SUM(A1)", "\tx", "\rx"}) {
    INFO(cell);
    CHECK(csv_escape(cell, true).find('\'') != std::string::npos);
    CHECK(tsv_escape(cell, true).rfind('\'', 0) == 0);
    CHECK(csv_escape(cell, false).find('\'') == std::string::npos);
  }
}
