#pragma once
// Loading a whole knowledge base. The file system is reached only through FileSystem.

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "tkb/model.hpp"
#include "tkb/parse.hpp"

namespace tkb {

// What tells a file's contents apart without reading them: when the file changes, one of
// these does (its times change even when the size does not).
struct FileStamp {
  std::uint64_t size = 0;
  std::int64_t modified_ns = 0, changed_ns = 0;  // mtime and ctime, in nanoseconds
  std::uint64_t inode = 0, device = 0;
  friend bool operator==(const FileStamp&, const FileStamp&) = default;
};

// The one seam to the disk. Paths are relative to the knowledge-base root, '/'-separated.
class FileSystem {
 public:
  virtual ~FileSystem() = default;
  // Every `.md` file below the root, recursively, skipping hidden folders and files; sorted
  // by byte order. Problems met while walking (unreadable folders, loops) go to `problems`,
  // in an order that does not depend on `jobs`, the threads it may use (0: one per core).
  virtual std::vector<std::string> list_notes(std::vector<Diagnostic>& problems, unsigned jobs) = 0;
  // Read one file into `out` (its capacity is reused across calls). False with `error` set
  // when it cannot be read or holds more than `max_bytes`.
  virtual bool read_into(const std::string& path, std::uint64_t max_bytes, std::string& out,
                         std::string& error) = 0;
  // The stamp of a note's file, or nullopt when it cannot vouch for the contents: the file
  // is not a regular file, or it changed so recently (within two seconds) that a further
  // change in the same tick of the file system's clock would leave the stamp as it is. The
  // default: nullopt for every file (a file system without stamps has nothing reused).
  virtual std::optional<FileStamp> stamp(const std::string& path);
  // read_into(), and `stamp` set to what stamp() gave right before the contents were read (a
  // change while reading then shows as a different stamp next time).
  virtual bool read_stamped(const std::string& path, std::uint64_t max_bytes, std::string& out,
                            std::string& error, std::optional<FileStamp>& stamp);
  // The contents of one file, or nullopt with `error` set.
  std::optional<std::string> read(const std::string& path, std::uint64_t max_bytes,
                                  std::string& error) {
    std::string out;
    if (!read_into(path, max_bytes, out, error)) return std::nullopt;
    return out;
  }

  // Writing, for `rename`, `fix` and `new`. Each returns "" on success, else why it failed;
  // the defaults refuse (a read-only file system). Missing folders are created.
  //
  // Replace `path` with `content` atomically: a temporary file in the same folder, flushed
  // and synced, renamed over it, keeping its permissions. Right before, the file must hold
  // `expected` (else it changed since it was read, and is left alone); nullopt: it must not
  // exist, and is created.
  virtual std::string write_atomic(const std::string& path, std::string_view content,
                                   const std::optional<std::string>& expected);
  // Move a file to `to`, which must not exist.
  virtual std::string rename(const std::string& from, const std::string& to);
  // Remove a file that holds `expected`.
  virtual std::string remove(const std::string& path, const std::string& expected);
  // Whether anything (a file, folder or link) exists at `path`.
  virtual bool exists(const std::string& path);
};

// The real disk below `root`. Symbolic links are not followed.
std::unique_ptr<FileSystem> make_disk_file_system(const std::string& root);

// Where `check` keeps the notes it parsed, so that the next run reuses those whose files have
// not changed (LoadOptions::cache): one stored file, read in pieces and replaced whole.
class CacheStore {
 public:
  virtual ~CacheStore() = default;
  // The stored cache as it was when the store was made: its size (0: there is none) and its
  // bytes [offset, offset + size), false when they cannot be read. Safe on several threads.
  virtual std::uint64_t size() const = 0;
  virtual bool read_at(std::uint64_t offset, std::size_t size, std::string& out) const = 0;
  // A new cache: begin(), append() (one caller at a time), then commit() puts it in the stored
  // one's place at once, or abandon() drops it. False when that fails; the stored cache is
  // then left as it was.
  virtual bool begin() = 0;
  virtual bool append(std::string_view bytes) = 0;
  virtual bool commit() = 0;
  virtual void abandon() = 0;
  // Remove the stored cache (it proved damaged).
  virtual void remove() = 0;
  virtual std::string name() const = 0;  // for messages: the file
};

// The cache in the file `path` (its folder is made when a cache is first written). A new
// cache is written beside it under a temporary name and renamed over it.
std::unique_ptr<CacheStore> make_disk_cache_store(const std::string& path);

// The running program's file as a stamp's text (size and modification time): a cache made by
// another build of tkb is not reused. Empty when it cannot be told.
std::string executable_identity();

// A cache in memory, for tests: `stored` is the stored cache.
class MemoryCacheStore : public CacheStore {
 public:
  std::string stored;
  std::uint64_t size() const override { return stored.size(); }
  bool read_at(std::uint64_t offset, std::size_t size, std::string& out) const override;
  bool begin() override;
  bool append(std::string_view bytes) override;
  bool commit() override;
  void abandon() override { m_pending.reset(); }
  void remove() override { stored.clear(); }
  std::string name() const override { return "memory"; }
  int commits = 0;  // how many new caches were stored

 private:
  std::optional<std::string> m_pending;
};

// An in-memory tree for tests: path -> contents.
class MemoryFileSystem : public FileSystem {
 public:
  explicit MemoryFileSystem(std::map<std::string, std::string> files) : m_files(std::move(files)) {}
  std::vector<std::string> list_notes(std::vector<Diagnostic>& problems, unsigned jobs) override;
  bool read_into(const std::string& path, std::uint64_t max_bytes, std::string& out,
                 std::string& error) override;
  std::string write_atomic(const std::string& path, std::string_view content,
                           const std::optional<std::string>& expected) override;
  std::string rename(const std::string& from, const std::string& to) override;
  std::string remove(const std::string& path, const std::string& expected) override;
  bool exists(const std::string& path) override;
  // Size and a hash of the contents: a test changing a file changes its stamp.
  std::optional<FileStamp> stamp(const std::string& path) override;
  const std::map<std::string, std::string>& files() const { return m_files; }

 private:
  std::map<std::string, std::string> m_files;
};

struct LoadOptions {
  unsigned jobs = 0;                         // 0: one per core
  std::uint64_t max_note_bytes = 16u << 20;  // larger notes are skipped with a diagnostic
  ParseOptions parse;
  // Keep of the links only what `check` reads (see compact_links): most links, those that
  // the path or stem rule sends to one other note, become a note number in
  // Note::settled_links; the others keep their target and fragment, one copy of each spelling
  // for the whole knowledge base, without the alias. At 100,000 notes this takes
  // check's peak memory from 417 to 212 MiB. Only load_knowledge_base() does it.
  bool compact_links = false;
  // With compact_links: reuse the notes a previous run stored here whose files' stamps have
  // not changed, and store this run's notes for the next run when anything changed. The
  // result is the same as without (tests compare them); a damaged or foreign cache is
  // ignored and replaced.
  CacheStore* cache = nullptr;
  // What else the cached notes depend on (the program's build, the root): a cache stored under
  // another key is not reused.
  std::string cache_key;
};

// What loading did with LoadOptions::cache.
struct CacheReport {
  std::size_t reused = 0;  // notes taken from the cache
  std::size_t parsed = 0;  // notes read and parsed
  bool written = false;    // a new cache was stored
  bool unwritten = false;  // one was to be stored, and could not be (the reason is not kept)
  bool damaged = false;    // the stored cache could not be used (it was removed or replaced)
};

struct KnowledgeBase {
  std::vector<Note> notes;              // sorted by path
  std::vector<Diagnostic> diagnostics;  // problems loading files (not parsing them)
  // The text compact links point into (LoadOptions::compact_links).
  std::vector<std::unique_ptr<char[]>> shared_text;
  CacheReport cache;  // with LoadOptions::cache
  // Index of the note with this exact relative path, or -1.
  int find_path(std::string_view path) const;
};

// Read and parse every note, handing each to `visit` in path order and forgetting it
// afterwards: memory stays bounded by a window of notes, whatever the knowledge base's size.
// Notes are parsed on `jobs` threads; `visit` runs on the calling thread. Problems loading
// files go to `problems`. The sequence of visits is identical whatever `jobs` is.
void for_each_note(FileSystem& fs, const LoadOptions& options,
                   const std::function<void(Note&)>& visit, std::vector<Diagnostic>& problems);

// Text made on a parsing thread for the calling thread to write out (see below): `size` bytes
// made in room counted beforehand (not zeroed first: whoever makes it writes all of them), or,
// when `bytes` is null, text grown as it was made.
struct RenderedText {
  std::unique_ptr<char[]> bytes;
  std::size_t size = 0;
  std::string grown;
  std::string_view view() const {
    return bytes ? std::string_view(bytes.get(), size) : std::string_view(grown);
  }
};

// The same with a first step on the threads that parse: `render` turns each batch of notes
// (a few consecutive ones, in path order) into one text there (several batches at once, in
// any order; it must be safe to call concurrently); on the calling thread, in path order,
// `visit` receives each note of a batch, then `write` the batch's text. For output whose
// formatting costs as much as the parsing: it is made in parallel and written out without
// being copied again.
void for_each_note(FileSystem& fs, const LoadOptions& options,
                   const std::function<RenderedText(std::span<const Note* const>)>& render,
                   const std::function<void(Note&)>& visit,
                   const std::function<void(std::string_view)>& write,
                   std::vector<Diagnostic>& problems);

// Read and parse every note. Never throws for bad input: problems become diagnostics.
// The result is identical whatever `jobs` is.
KnowledgeBase load_knowledge_base(FileSystem& fs, const LoadOptions& options = {});

}  // namespace tkb
