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

KnowledgeBase load_knowledge_base(FileSystem& fs, const LoadOptions& given) {
  LoadOptions options = given;
  // Compacted right after parsing, on the same thread, with the text still there: the pool
  // is made once, of what compacting keeps.
  if (options.compact_links) options.parse.pack = false;
  KnowledgeBase kb;
  std::vector<std::string> paths = fs.list_notes(kb.diagnostics);
  std::optional<PathResolver> by_path;
  if (options.compact_links) by_path.emplace(paths);
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
  // Read and parse note i from `path` (moved into the note); links are settled by the listed
  // paths when `settle`.
  auto load_note = [&](std::size_t i, std::string& path, unsigned worker, bool settle) {
    std::string error;
    Loaded loaded = read_and_parse(fs, path, options, thread_buffer(), error);
    if (loaded.note && options.compact_links) {
      compact_links(*loaded.note, static_cast<int>(i), settle ? &*by_path : nullptr,
                    interners[worker]);
    }
    if (loaded.note) kb.notes[i] = std::move(*loaded.note);
    if (loaded.failure) {
      std::lock_guard lock(mutex);
      failed[i] = 1;
      failures.emplace_back(i, std::move(*loaded.failure));
    }
  };
  parallel_for_workers(paths.size(), options.jobs, [&](std::size_t i, unsigned worker) {
    load_note(i, paths[i], worker, true);
  });
  if (options.compact_links) {
    // A note that could not be read is no link's target, but links to it may have been
    // settled by the listed paths: the notes holding such links are read again without
    // settling (where that fails too, the round repeats for links to that note). Rare: an
    // unreadable file, or one over the size limit.
    while (true) {
      std::vector<std::size_t> again;
      for (std::size_t i = 0; i < paths.size(); ++i) {
        const std::vector<int>& to = kb.notes[i].settled_links;
        if (!failed[i] && std::any_of(to.begin(), to.end(), [&](int t) { return failed[t]; })) {
          again.push_back(i);
        }
      }
      if (again.empty()) break;
      std::vector<std::string> again_paths;
      for (std::size_t i : again) again_paths.push_back(kb.notes[i].path);
      parallel_for_workers(again.size(), options.jobs, [&](std::size_t k, unsigned worker) {
        load_note(again[k], again_paths[k], worker, false);
      });
    }
    for (TextInterner& interner : interners) {
      for (auto& block : interner.take_blocks()) kb.shared_text.push_back(std::move(block));
    }
  }
  std::sort(failures.begin(), failures.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  for (auto& [i, d] : failures) kb.diagnostics.push_back(std::move(d));
  // The notes that were read, in order; settled links name notes by their place among them.
  std::vector<int> place(paths.size(), -1);
  std::size_t kept = 0;
  for (std::size_t i = 0; i < paths.size(); ++i) {
    if (failed[i]) continue;
    place[i] = static_cast<int>(kept);
    if (kept != i) kb.notes[kept] = std::move(kb.notes[i]);
    ++kept;
  }
  kb.notes.resize(kept);
  if (kept != paths.size()) {
    for (Note& n : kb.notes) {
      for (int& t : n.settled_links) t = place[static_cast<std::size_t>(t)];
    }
  }
  return kb;
}

}  // namespace tkb
