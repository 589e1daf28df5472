#pragma once
// Loading a whole knowledge base. The file system is reached only through FileSystem.

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tkb/model.hpp"
#include "tkb/parse.hpp"

namespace tkb {

// The one seam to the disk. Paths are relative to the knowledge-base root, '/'-separated.
class FileSystem {
 public:
  virtual ~FileSystem() = default;
  // Every `.md` file below the root, recursively, skipping hidden folders and files; sorted
  // by byte order. Problems met while walking (unreadable folders, loops) go to `problems`.
  virtual std::vector<std::string> list_notes(std::vector<Diagnostic>& problems) = 0;
  // Read one file into `out` (its capacity is reused across calls). False with `error` set
  // when it cannot be read or holds more than `max_bytes`.
  virtual bool read_into(const std::string& path, std::uint64_t max_bytes, std::string& out,
                         std::string& error) = 0;
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

// An in-memory tree for tests: path -> contents.
class MemoryFileSystem : public FileSystem {
 public:
  explicit MemoryFileSystem(std::map<std::string, std::string> files) : m_files(std::move(files)) {}
  std::vector<std::string> list_notes(std::vector<Diagnostic>& problems) override;
  bool read_into(const std::string& path, std::uint64_t max_bytes, std::string& out,
                 std::string& error) override;
  std::string write_atomic(const std::string& path, std::string_view content,
                           const std::optional<std::string>& expected) override;
  std::string rename(const std::string& from, const std::string& to) override;
  std::string remove(const std::string& path, const std::string& expected) override;
  bool exists(const std::string& path) override;
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
};

struct KnowledgeBase {
  std::vector<Note> notes;              // sorted by path
  std::vector<Diagnostic> diagnostics;  // problems loading files (not parsing them)
  // The text compact links point into (LoadOptions::compact_links).
  std::vector<std::unique_ptr<char[]>> shared_text;
  // Index of the note with this exact relative path, or -1.
  int find_path(std::string_view path) const;
};

// Read and parse every note, handing each to `visit` in path order and forgetting it
// afterwards: memory stays bounded by a window of notes, whatever the knowledge base's size.
// Notes are parsed on `jobs` threads; `visit` runs on the calling thread. Problems loading
// files go to `problems`. The sequence of visits is identical whatever `jobs` is.
void for_each_note(FileSystem& fs, const LoadOptions& options,
                   const std::function<void(Note&)>& visit, std::vector<Diagnostic>& problems);

// The same with a first step on the threads that parse: `render` turns each note into text
// there (several notes at once, in any order; it must be safe to call concurrently), and
// `visit` receives each note with its text on the calling thread, in path order. For output
// whose formatting costs as much as the parsing.
void for_each_note(FileSystem& fs, const LoadOptions& options,
                   const std::function<std::string(const Note&)>& render,
                   const std::function<void(Note&, std::string&)>& visit,
                   std::vector<Diagnostic>& problems);

// Read and parse every note. Never throws for bad input: problems become diagnostics.
// The result is identical whatever `jobs` is.
KnowledgeBase load_knowledge_base(FileSystem& fs, const LoadOptions& options = {});

}  // namespace tkb
