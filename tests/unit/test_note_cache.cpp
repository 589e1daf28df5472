// Unit tests for tkb/note_cache.hpp and LoadOptions::cache: notes encode and decode exactly,
// damaged bytes are refused, and loading through the cache reuses what is unchanged and gives
// the same findings as loading without it, whatever changed, broke or was removed in between.
#include <atomic>
#include <catch2/catch.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include <unistd.h>

#include "tkb/check.hpp"
#include "tkb/compact.hpp"
#include "tkb/knowledge_base.hpp"
#include "tkb/note_cache.hpp"
#include "tkb/parallel.hpp"
#include "tkb/parse.hpp"
#include "tkb/resolve.hpp"

using namespace tkb;
namespace fs = std::filesystem;

namespace {

const std::string kHead =
    "---\ntitle: Topic\nvideoId: abcdefghijk\naliases: [One, Two]\nduration: 90\n---\n\n"
    "From: [[chan]] <br/>\n\n";

// A note with something in every field the cache keeps.
const std::string kRich =
    kHead +
    "## Part *one* ^p1\n"
    "Intro <a class=\"yt-timestamp\" data-t=\"00:00:05\">[00:00:05]</a>. [[other]] and "
    "[[Other Note|the other]], [[missing#Some heading]], [[other#^b1]], ![[pic.png]], "
    "[[ ]], [[00:01:00]], [[topic]].\n"
    "<!-- tkb-ignore broken-link -->\n[[nowhere]]\n"
    "Bad <a class=\"yt-timestamp\" data-t=\"99:99\">[00:00:07]</a> and `[[in code]]`.\n"
    "<!-- tkb-ignore-file self-link -->\n"
    "# Second\ntext ^b2\n";

std::map<std::string, std::string> sample() {
  return {{"chan/topic.md", kRich},
          {"chan/chan.md", "---\ntitle: Chan\n---\n- [[topic]]\n- [[other]]\n"},
          {"chan/other.md", "---\ntitle: Other Note\n---\n## Some heading\nx ^b1\n"},
          {"chan/third.md", kHead + "[[topic#Part one]] [[Topic]] [[gone]]\n"}};
}

std::vector<std::string> findings(const KnowledgeBase& kb) {
  Resolver resolver(kb);
  std::vector<std::string> out;
  for (const Diagnostic& d : run_checks(kb, resolver)) out.push_back(format_diagnostic(d));
  return out;
}

// What `check` finds without a cache.
std::vector<std::string> uncached(FileSystem& fs) {
  LoadOptions o;
  o.compact_links = true;
  o.jobs = 1;
  return findings(load_knowledge_base(fs, o));
}

KnowledgeBase cached(FileSystem& fs, CacheStore& store, unsigned jobs = 1,
                     const std::string& key = "key") {
  LoadOptions o;
  o.compact_links = true;
  o.jobs = jobs;
  o.cache = &store;
  o.cache_key = key;
  return load_knowledge_base(fs, o);
}

// A note as the cache keeps it: parsed, compacted without settling.
Note kept_note(const std::string& text, TextInterner& interner, ParseOptions po = {}) {
  Note n = parse_note(text, "chan/topic.md", po);
  compact_links(n, 0, nullptr, interner);
  return n;
}

}  // namespace

TEST_CASE("note cache: a note decodes to what it was, and encodes to the same bytes again",
          "[cache]") {
  TextInterner interner;
  for (bool compact : {true, false}) {
    INFO("compact " << compact);
    // Whole notes keep headings and anchors with their text: every field is exercised.
    Note n = compact ? kept_note(kRich, interner) : parse_note(kRich, "chan/topic.md");
    std::string bytes;
    encode_note(n, bytes);
    Note d;
    REQUIRE(decode_note(bytes, d, interner));
    std::string again;
    encode_note(d, again);
    CHECK(again == bytes);
    CHECK(d.path == "chan/topic.md");
    CHECK(d.title == "Topic");
    CHECK(d.aliases == std::vector<std::string>{"One", "Two"});
    CHECK(d.front_matter == n.front_matter);
    CHECK(d.duration == std::optional<std::int64_t>(90));
    CHECK(d.channel == "chan");
    CHECK(d.links.size() == n.links.size());
    for (std::size_t k = 0; k < d.links.size(); ++k) {
      CHECK(d.links[k].raw == n.links[k].raw);
      CHECK(d.links[k].target() == n.links[k].target());
      CHECK(d.links[k].fragment() == n.links[k].fragment());
      CHECK(d.links[k].alias() == n.links[k].alias());
      CHECK(d.links[k].pos == n.links[k].pos);
      CHECK(d.links[k].compact == n.links[k].compact);
    }
    CHECK(d.code_links.size() == 1);
    CHECK(d.code_links[0].raw == "[[in code]]");
    CHECK(d.heading_keys == n.heading_keys);
    CHECK(d.headings.size() == n.headings.size());
    CHECK(d.anchors.size() == 2);
    CHECK(d.anchor_count == 2);
    CHECK(d.first_seconds == n.first_seconds);
    CHECK(d.block_ids == std::vector<std::string_view>{"p1", "b2"});
    CHECK(d.suppressions.size() == 2);
    CHECK(d.diagnostics.size() == n.diagnostics.size());
    CHECK(!d.diagnostics.empty());
    for (std::size_t k = 0; k < d.diagnostics.size(); ++k) {
      CHECK(format_diagnostic(d.diagnostics[k]) == format_diagnostic(n.diagnostics[k]));
    }
    // Views live in the note's own pool (or, compact links', in the interner): the bytes can
    // go.
    bytes.assign(bytes.size(), 'x');
    Note moved = std::move(d);
    CHECK(moved.links[1].target() == n.links[1].target());
    if (!moved.headings.empty()) CHECK(moved.headings[0].text == n.headings[0].text);
    CHECK(moved.block_ids[1] == "b2");
  }
  const Note kept = kept_note(kRich, interner);
  REQUIRE(kept.links.size() > 1);
  CHECK(kept.links[1].compact);  // the compact form was exercised
}

TEST_CASE("note cache: every cut short or lengthened record is refused", "[cache]") {
  TextInterner interner;
  std::string bytes;
  encode_note(parse_note(kRich, "chan/topic.md"), bytes);
  Note d;
  for (std::size_t size = 0; size < bytes.size(); ++size) {
    INFO("size " << size);
    REQUIRE_FALSE(decode_note(std::string_view(bytes).substr(0, size), d, interner));
  }
  REQUIRE_FALSE(decode_note(bytes + '\0', d, interner));
  // Any single byte changed decodes or is refused, never read out of bounds (the sanitizer
  // build checks that); the checksum catches what decodes.
  std::size_t refused = 0;
  for (std::size_t at = 0; at < bytes.size(); ++at) {
    std::string changed = bytes;
    changed[at] = static_cast<char>(changed[at] ^ 0xA5);
    if (!decode_note(changed, d, interner)) ++refused;
    CHECK(cache_checksum(changed) != cache_checksum(bytes));
  }
  CHECK(refused > 0);
}

TEST_CASE("settle_links after compacting equals compacting with the paths", "[cache]") {
  std::map<std::string, std::string> files = sample();
  std::vector<std::string> paths;
  for (const auto& [path, text] : files) paths.push_back(path);
  PathResolver resolver(paths);
  for (std::size_t i = 0; i < paths.size(); ++i) {
    INFO(paths[i]);
    TextInterner interner;
    ParseOptions po;
    Note at_once = parse_note(files[paths[i]], paths[i], po);
    compact_links(at_once, static_cast<int>(i), &resolver, interner);
    Note later = parse_note(files[paths[i]], paths[i], po);
    compact_links(later, static_cast<int>(i), nullptr, interner);
    settle_links(later, static_cast<int>(i), resolver);
    CHECK(later.settled_links == at_once.settled_links);
    CHECK(later.channel_link == at_once.channel_link);
    REQUIRE(later.links.size() == at_once.links.size());
    for (std::size_t k = 0; k < later.links.size(); ++k) {
      CHECK(later.links[k].raw == at_once.links[k].raw);
      CHECK(later.links[k].pos == at_once.links[k].pos);
    }
  }
}

TEST_CASE("cache: stored once, reused while nothing changes, same findings", "[cache]") {
  MemoryFileSystem fs(sample());
  const std::vector<std::string> expected = uncached(fs);
  REQUIRE(expected.size() >= 5);
  MemoryCacheStore store;
  KnowledgeBase first = cached(fs, store);
  CHECK(first.cache.reused == 0);
  CHECK(first.cache.parsed == 4);
  CHECK(first.cache.written);
  CHECK(findings(first) == expected);
  const std::string stored = store.stored;
  for (unsigned jobs : {1u, 2u}) {
    KnowledgeBase again = cached(fs, store, jobs);
    CHECK(again.cache.reused == 4);
    CHECK(again.cache.parsed == 0);
    CHECK_FALSE(again.cache.written);  // nothing changed: nothing written
    CHECK(findings(again) == expected);
  }
  CHECK(store.commits == 1);
  CHECK(store.stored == stored);
}

TEST_CASE("cache: a changed, added or removed note is seen", "[cache]") {
  std::map<std::string, std::string> files = sample();
  MemoryCacheStore store;
  {
    MemoryFileSystem fs(files);
    (void)cached(fs, store);
  }
  SECTION("changed") {
    files["chan/other.md"] = "---\ntitle: Other Note\n---\n## Renamed heading\n";
    files["chan/third.md"] += "[[gone again]]\n";
  }
  SECTION("added") {
    files["chan/gone.md"] = "---\ntitle: Gone\n---\nBack. [[topic]]\n";
  }
  SECTION("removed") {
    files.erase("chan/other.md");
  }
  MemoryFileSystem fs(files);
  const std::vector<std::string> expected = uncached(fs);
  KnowledgeBase kb = cached(fs, store);
  CHECK(kb.cache.reused + kb.cache.parsed == kb.notes.size());
  CHECK(kb.cache.reused >= 2);
  CHECK(kb.cache.written);
  CHECK(findings(kb) == expected);
  // The new cache serves the next run whole.
  KnowledgeBase next = cached(fs, store);
  CHECK(next.cache.reused == kb.notes.size());
  CHECK(findings(next) == expected);
}

TEST_CASE("cache: another key, a damaged index or damaged records are not believed", "[cache]") {
  MemoryFileSystem fs(sample());
  const std::vector<std::string> expected = uncached(fs);
  MemoryCacheStore store;
  (void)cached(fs, store);
  const std::string good = store.stored;

  KnowledgeBase other = cached(fs, store, 1, "another build");
  CHECK(other.cache.reused == 0);
  CHECK(other.cache.damaged);
  CHECK(findings(other) == expected);

  // Every byte of the stored cache changed in turn, and every length cut short: the
  // findings never change, and what could not be used is replaced.
  for (std::size_t at = 0; at < good.size(); ++at) {
    store.stored = good;
    store.stored[at] = static_cast<char>(store.stored[at] ^ 0x5A);
    KnowledgeBase kb = cached(fs, store);
    INFO("byte " << at);
    REQUIRE(findings(kb) == expected);
    CHECK(kb.cache.reused < 4);
    CHECK((kb.cache.written || store.stored.empty()));
  }
  for (std::size_t size = 0; size < good.size(); size += 7) {
    store.stored = good.substr(0, size);
    KnowledgeBase kb = cached(fs, store);
    INFO("size " << size);
    REQUIRE(findings(kb) == expected);
    CHECK(kb.cache.reused == 0);
  }
}

namespace {

// A stored cache that counts its reads and can refuse, among its records (the bytes before
// `records_end`), to read more than `longest` bytes at a time.
class CountingStore : public MemoryCacheStore {
 public:
  mutable std::atomic<int> reads{0}, refused{0};
  std::uint64_t records_end = 0;
  std::size_t longest = SIZE_MAX;
  bool read_at(std::uint64_t offset, std::size_t size, std::string& out) const override {
    ++reads;
    if (offset + size <= records_end && size > longest) {
      ++refused;
      return false;
    }
    return MemoryCacheStore::read_at(offset, size, out);
  }
};

// `n` notes in one folder, each linking to the next.
std::map<std::string, std::string> numbered(int n) {
  std::map<std::string, std::string> files;
  for (int k = 0; k < n; ++k) {
    files["chan/n" + std::to_string(10000 + k) + ".md"] =
        kHead + "Note " + std::to_string(k) + ": [[n" + std::to_string(10001 + k) + "]]\n";
  }
  return files;
}

}  // namespace

TEST_CASE("cache: reused notes are read a block of neighbours at a time", "[cache]") {
  constexpr int kNotes = 2560;  // handed out 10 at a time on one thread, 5 on two
  MemoryFileSystem fs(numbered(kNotes));
  const std::vector<std::string> expected = uncached(fs);
  CountingStore store;
  (void)cached(fs, store);
  std::vector<CacheEntry> entries;
  store.reads = 0;
  REQUIRE(read_cache_index(store, "key", entries));
  const int index_reads = store.reads;
  REQUIRE(entries.size() == kNotes);
  for (unsigned jobs : {1u, 2u}) {
    INFO("jobs " << jobs);
    store.reads = 0;
    KnowledgeBase kb = cached(fs, store, jobs);
    CHECK(kb.cache.reused == kNotes);
    CHECK_FALSE(kb.cache.damaged);
    CHECK(findings(kb) == expected);
    // One read for each block a thread is handed, and the index's.
    const auto blocks = static_cast<int>(kNotes / parallel_block(kNotes, jobs));
    CHECK(blocks == (jobs == 1 ? 256 : 512));
    CHECK(store.reads == blocks + index_reads);
  }
}

TEST_CASE("cache: a record is reused when it cannot be read with its neighbours", "[cache]") {
  MemoryFileSystem fs(numbered(2560));
  const std::vector<std::string> expected = uncached(fs);
  CountingStore store;
  (void)cached(fs, store);
  std::vector<CacheEntry> entries;
  REQUIRE(read_cache_index(store, "key", entries));
  store.records_end = entries.back().offset + entries.back().size;
  store.longest = 0;
  for (const CacheEntry& e : entries) store.longest = std::max<std::size_t>(store.longest, e.size);
  KnowledgeBase kb = cached(fs, store, 2);
  CHECK(store.refused > 0);
  CHECK(kb.cache.reused == 2560);
  CHECK_FALSE(kb.cache.damaged);
  CHECK(findings(kb) == expected);
}

TEST_CASE("cache: an unreadable or oversized note is never stored or reused", "[cache]") {
  std::map<std::string, std::string> files = sample();
  files["chan/big.md"] = std::string(3000, 'x');
  MemoryFileSystem fs(files);
  MemoryCacheStore store;
  for (int run = 0; run < 2; ++run) {
    LoadOptions o;
    o.compact_links = true;
    o.jobs = 1;
    o.max_note_bytes = 1000;
    o.cache = &store;
    o.cache_key = "k";
    KnowledgeBase kb = load_knowledge_base(fs, o);
    CHECK(kb.notes.size() == 4);
    REQUIRE(kb.diagnostics.size() == 1);
    CHECK(kb.diagnostics[0].path == "chan/big.md");
    CHECK(kb.cache.reused == (run == 0 ? 0u : 4u));
    std::vector<CacheEntry> entries;
    REQUIRE(read_cache_index(store, "k", entries));
    CHECK(entries.size() == 4);
    CHECK(store.commits == 1);  // the note that cannot be read does not make every run store
  }
}

TEST_CASE("cache index: written and read back, and another key reads nothing", "[cache]") {
  MemoryCacheStore store;
  std::vector<CacheEntry> entries = {{"a.md", {10, 1, 2, 3, 4}, 0, 5, 99},
                                     {"b/c.md", {7, -1, -2, 8, 9}, 5, 3, 1234567890123ull}};
  store.stored = "01234567" + encode_cache_index("k", entries, 8);
  std::vector<CacheEntry> back;
  REQUIRE(read_cache_index(store, "k", back));
  CHECK(back == entries);
  CHECK_FALSE(read_cache_index(store, "other", back));
  CHECK(back.empty());
  // Entries out of order, or outside the records, are refused.
  std::swap(entries[0], entries[1]);
  store.stored = "01234567" + encode_cache_index("k", entries, 8);
  CHECK_FALSE(read_cache_index(store, "k", back));
  entries = {{"a.md", {}, 6, 3, 0}};
  store.stored = "01234567" + encode_cache_index("k", entries, 8);
  CHECK_FALSE(read_cache_index(store, "k", back));
}

TEST_CASE(
    "disk: a file changed in the last two seconds has no stamp, and the cache file is "
    "replaced whole",
    "[cache]") {
  const fs::path dir = fs::temp_directory_path() / ("tkb-cache-test-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir / "kb");
  { std::ofstream(dir / "kb" / "note.md") << "---\ntitle: Note\n---\n"; }
  auto disk = make_disk_file_system((dir / "kb").string());
  CHECK_FALSE(disk->stamp("note.md"));  // just written: its stamp could not vouch for it
  CHECK_FALSE(disk->stamp("missing.md"));
  std::string text, error;
  std::optional<FileStamp> stamp = FileStamp{};
  REQUIRE(disk->read_stamped("note.md", 1000, text, error, stamp));
  CHECK(text == "---\ntitle: Note\n---\n");
  CHECK_FALSE(stamp);

  const std::string file = (dir / "cache" / "c.cache").string();
  {
    auto store = make_disk_cache_store(file);
    CHECK(store->size() == 0);
    REQUIRE(store->begin());
    REQUIRE(store->append("hello "));
    REQUIRE(store->append("cache"));
    REQUIRE(store->commit());
  }
  {
    auto store = make_disk_cache_store(file);
    REQUIRE(store->size() == 11);
    std::string out;
    REQUIRE(store->read_at(6, 5, out));
    CHECK(out == "cache");
    CHECK_FALSE(store->read_at(8, 5, out));
    REQUIRE(store->begin());
    REQUIRE(store->append("dropped"));
    store->abandon();
  }
  // Abandoned: the stored cache is as it was, and no temporary file is left.
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(dir / "cache")) {
    names.push_back(e.path().filename().string());
  }
  CHECK(names == std::vector<std::string>{"c.cache"});
  CHECK(fs::file_size(file) == 11);
  make_disk_cache_store(file)->remove();
  CHECK_FALSE(fs::exists(file));
  fs::remove_all(dir);
}

namespace {

// A cache that can be read but never written: a full disk, a read-only cache folder.
class UnwritableStore : public MemoryCacheStore {
 public:
  bool begin() override { return false; }
};

}  // namespace

TEST_CASE("cache: a cache that cannot be written changes nothing but the report", "[cache]") {
  MemoryFileSystem fs(sample());
  UnwritableStore store;
  KnowledgeBase kb = cached(fs, store);
  CHECK(kb.cache.parsed == 4);
  CHECK_FALSE(kb.cache.written);
  CHECK(kb.cache.unwritten);
  CHECK(store.stored.empty());
  CHECK(findings(kb) == uncached(fs));
}
