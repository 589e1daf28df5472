#include "tkb/knowledge_base.hpp"

#include <algorithm>
#include <mutex>
#include <optional>

#include "tkb/compact.hpp"
#include "tkb/parallel.hpp"

namespace tkb {

std::vector<std::string> MemoryFileSystem::list_notes(std::vector<Diagnostic>&) {
  std::vector<std::string> out;
  for (const auto& [path, contents] : m_files) {
    bool hidden = path[0] == '.' || path.find("/.") != std::string::npos;
    if (!hidden && path.size() > 3 && path.compare(path.size() - 3, 3, ".md") == 0) {
      out.push_back(path);
    }
  }
  return out;  // std::map iterates in byte order already
}

bool MemoryFileSystem::read_into(const std::string& path, std::uint64_t max_bytes, std::string& out,
                                 std::string& error) {
  auto it = m_files.find(path);
  if (it == m_files.end()) {
    error = "No such file or directory";
    return false;
  }
  if (it->second.size() > max_bytes) {
    error = "note is larger than the limit of " + std::to_string(max_bytes) + " bytes";
    return false;
  }
  out = it->second;
  return true;
}

int KnowledgeBase::find_path(std::string_view path) const {
  auto it = std::lower_bound(notes.begin(), notes.end(), path,
                             [](const Note& n, std::string_view p) { return n.path < p; });
  if (it == notes.end() || it->path != path) return -1;
  return static_cast<int>(it - notes.begin());
}

namespace {

// One note read and parsed, or why it could not be read.
struct Loaded {
  std::optional<Note> note;
  std::optional<Diagnostic> failure;
};

// `path` is moved into the note (the list of paths is not needed afterwards).
Loaded read_and_parse(FileSystem& fs, std::string& path, const LoadOptions& options,
                      std::string& text, std::string& error) {
  Loaded out;
  if (fs.read_into(path, options.max_note_bytes, text, error)) {
    out.note = parse_note(text, std::move(path), options.parse);
  } else {
    out.failure =
        Diagnostic{path, {}, Severity::error, "unreadable-file", "cannot read note: " + error};
  }
  return out;
}

// One read buffer per thread, reused for every note it reads.
std::string& thread_buffer() {
  thread_local std::string text;
  return text;
}

}  // namespace

void for_each_note(FileSystem& fs, const LoadOptions& options,
                   const std::function<std::string(const Note&)>& render,
                   const std::function<void(Note&, std::string&)>& visit,
                   std::vector<Diagnostic>& problems) {
  std::vector<std::string> paths = fs.list_notes(problems);
  // Notes go to the workers in batches (handing each note over alone cost more in waking
  // threads than in parsing), and workers run at most kWindow batches ahead of the one being
  // visited.
  constexpr std::size_t kBatch = 16, kWindow = 32;
  struct Rendered {
    Loaded loaded;
    std::string text;
  };
  const std::size_t batches = (paths.size() + kBatch - 1) / kBatch;
  ordered_parallel<std::vector<Rendered>>(
      batches, options.jobs, kWindow,
      [&](std::size_t b) {
        std::vector<Rendered> out;
        for (std::size_t i = b * kBatch; i < std::min(paths.size(), (b + 1) * kBatch); ++i) {
          std::string error;
          Rendered& r = out.emplace_back(
              Rendered{read_and_parse(fs, paths[i], options, thread_buffer(), error), {}});
          if (r.loaded.note && render) r.text = render(*r.loaded.note);
        }
        return out;
      },
      [&](std::size_t, std::vector<Rendered>& batch) {
        for (Rendered& r : batch) {
          if (r.loaded.failure) problems.push_back(std::move(*r.loaded.failure));
          if (r.loaded.note) visit(*r.loaded.note, r.text);
        }
      });
}

void for_each_note(FileSystem& fs, const LoadOptions& options,
                   const std::function<void(Note&)>& visit, std::vector<Diagnostic>& problems) {
  for_each_note(
      fs, options, nullptr, [&](Note& n, std::string&) { visit(n); }, problems);
}

namespace {

// With `settle` (and options.compact_links), links are settled by the paths listed: false
// when one of them could not be read, and the result is then not to be used.
bool load(FileSystem& fs, const LoadOptions& given, bool settle, KnowledgeBase& kb) {
  LoadOptions options = given;
  // Compacted right after parsing, on the same thread, with the text still there: the pool
  // is made once, of what compacting keeps.
  if (options.compact_links) options.parse.pack = false;
  std::vector<std::string> paths = fs.list_notes(kb.diagnostics);
  std::optional<PathResolver> by_path;
  if (settle) by_path.emplace(paths);
  // Each note is parsed straight into its place; the ones that could not be read are dropped
  // afterwards, keeping the order.
  kb.notes.resize(paths.size());
  std::vector<char> failed(paths.size(), 0);
  std::vector<std::pair<std::size_t, Diagnostic>> failures;
  std::mutex mutex;
  // Each thread shares the link text of the notes it parses; a text two threads meet is kept
  // twice, which costs less than a lock per link.
  std::vector<TextInterner> interners(
      options.compact_links ? thread_count(options.jobs, paths.size()) : 0);
  parallel_for_workers(paths.size(), options.jobs, [&](std::size_t i, unsigned worker) {
    std::string error;
    Loaded loaded = read_and_parse(fs, paths[i], options, thread_buffer(), error);
    if (loaded.note && options.compact_links) {
      compact_links(*loaded.note, static_cast<int>(i), by_path ? &*by_path : nullptr,
                    interners[worker]);
    }
    if (loaded.note) kb.notes[i] = std::move(*loaded.note);
    if (loaded.failure) {
      std::lock_guard lock(mutex);
      failed[i] = 1;
      failures.emplace_back(i, std::move(*loaded.failure));
    }
  });
  for (TextInterner& interner : interners) {
    for (auto& block : interner.take_blocks()) kb.shared_text.push_back(std::move(block));
  }
  if (settle && !failures.empty()) return false;
  std::sort(failures.begin(), failures.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  for (auto& [i, d] : failures) kb.diagnostics.push_back(std::move(d));
  std::size_t kept = 0;
  for (std::size_t i = 0; i < paths.size(); ++i) {
    if (failed[i]) continue;
    if (kept != i) kb.notes[kept] = std::move(kb.notes[i]);
    ++kept;
  }
  kb.notes.resize(kept);
  return true;
}

}  // namespace

KnowledgeBase load_knowledge_base(FileSystem& fs, const LoadOptions& options) {
  KnowledgeBase kb;
  if (load(fs, options, options.compact_links, kb)) return kb;
  // A note that could not be read is no link's target, but links were settled by the paths
  // listed, which had it: read them all again without settling. (Rare: an unreadable file, or
  // one over the size limit.)
  kb = KnowledgeBase();
  load(fs, options, false, kb);
  return kb;
}

}  // namespace tkb
