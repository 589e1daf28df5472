#include "tkb/knowledge_base.hpp"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

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

void for_each_note(FileSystem& fs, const LoadOptions& options,
                   const std::function<void(Note&)>& visit, std::vector<Diagnostic>& problems) {
  std::vector<std::string> paths = fs.list_notes(problems);
  const std::size_t n = paths.size();
  // Workers fill slots at most kWindow notes ahead of the one being visited.
  constexpr std::size_t kWindow = 512;
  std::vector<std::optional<Note>> slots(n);
  std::vector<std::optional<Diagnostic>> failures(n);
  std::vector<char> ready(n, 0);
  std::mutex mutex;
  std::condition_variable filled, drained;
  std::size_t next = 0, visiting = 0;

  auto work = [&] {
    std::string text, error;  // one buffer per thread, reused for every note
    while (true) {
      std::size_t i;
      {
        std::unique_lock lock(mutex);
        drained.wait(lock, [&] { return next >= n || next < visiting + kWindow; });
        if (next >= n) return;
        i = next++;
      }
      std::optional<Note> note;
      std::optional<Diagnostic> failure;
      if (fs.read_into(paths[i], options.max_note_bytes, text, error)) {
        note = parse_note(text, paths[i], options.parse);
      } else {
        failure = Diagnostic{
            paths[i], {}, Severity::error, "unreadable-file", "cannot read note: " + error};
      }
      {
        std::lock_guard lock(mutex);
        slots[i] = std::move(note);
        failures[i] = std::move(failure);
        ready[i] = 1;
      }
      filled.notify_all();
    }
  };
  unsigned jobs = options.jobs ? options.jobs : std::max(1u, std::thread::hardware_concurrency());
  jobs = static_cast<unsigned>(std::min<std::size_t>(jobs, std::max<std::size_t>(n, 1)));
  std::vector<std::thread> threads;
  for (unsigned t = 0; t < jobs; ++t) threads.emplace_back(work);
  for (std::size_t i = 0; i < n; ++i) {
    std::optional<Note> note;
    {
      std::unique_lock lock(mutex);
      filled.wait(lock, [&] { return ready[i] != 0; });
      note = std::move(slots[i]);
      if (failures[i]) problems.push_back(std::move(*failures[i]));
      visiting = i + 1;
    }
    drained.notify_all();
    if (note) visit(*note);
  }
  for (std::thread& t : threads) t.join();
}

KnowledgeBase load_knowledge_base(FileSystem& fs, const LoadOptions& options) {
  KnowledgeBase kb;
  std::vector<std::string> paths = fs.list_notes(kb.diagnostics);
  std::vector<std::optional<Note>> slots(paths.size());
  std::vector<std::optional<Diagnostic>> failures(paths.size());

  std::atomic<std::size_t> next{0};
  auto work = [&] {
    std::string text, error;  // one buffer per thread, reused for every note
    for (std::size_t i; (i = next.fetch_add(1)) < paths.size();) {
      if (!fs.read_into(paths[i], options.max_note_bytes, text, error)) {
        failures[i] = Diagnostic{
            paths[i], {}, Severity::error, "unreadable-file", "cannot read note: " + error};
        continue;
      }
      slots[i] = parse_note(text, paths[i], options.parse);
    }
  };
  unsigned jobs = options.jobs ? options.jobs : std::max(1u, std::thread::hardware_concurrency());
  jobs = static_cast<unsigned>(std::min<std::size_t>(jobs, std::max<std::size_t>(paths.size(), 1)));
  std::vector<std::thread> threads;
  for (unsigned t = 1; t < jobs; ++t) threads.emplace_back(work);
  work();
  for (std::thread& t : threads) t.join();

  kb.notes.reserve(paths.size());
  for (std::size_t i = 0; i < paths.size(); ++i) {
    if (slots[i]) kb.notes.push_back(std::move(*slots[i]));
    if (failures[i]) kb.diagnostics.push_back(std::move(*failures[i]));
  }
  return kb;
}

}  // namespace tkb
