#include "tkb/knowledge_base.hpp"

#include <algorithm>
#include <atomic>
#include <mutex>
#include <optional>

#include "tkb/compact.hpp"
#include "tkb/note_cache.hpp"
#include "tkb/parallel.hpp"

namespace tkb {

std::vector<std::string> MemoryFileSystem::list_notes(std::vector<Diagnostic>&, unsigned) {
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

// `path` is moved into the note (the list of paths is not needed afterwards). With `stamp`,
// the file's stamp from right before it was read goes there.
Loaded read_and_parse(FileSystem& fs, std::string& path, const LoadOptions& options,
                      std::string& text, std::string& error,
                      std::optional<FileStamp>* stamp = nullptr) {
  Loaded out;
  if (stamp ? fs.read_stamped(path, options.max_note_bytes, text, error, *stamp)
            : fs.read_into(path, options.max_note_bytes, text, error)) {
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

// Loading for check with LoadOptions::cache (see note_cache.hpp). Made before the notes are
// read: it reads the stored index and stamps the files it names, which tells the notes to
// reuse; then, on the loading threads, reuse() gives a note from the cache and keep() records
// a freshly parsed one; finish() stores a new cache when anything changed: the fresh notes'
// records, then the reused ones' copied from the old cache, then the index.
class CacheRun {
 public:
  // The stored index, read before the notes are listed (the two can run side by side).
  struct Index {
    std::vector<CacheEntry> entries;
    bool found = false;
  };
  static Index read_index(const LoadOptions& options) {
    Index index;
    index.found = read_cache_index(*options.cache, options.cache_key, index.entries);
    return index;
  }

  CacheRun(FileSystem& fs, const std::vector<std::string>& paths, const LoadOptions& options,
           unsigned threads, Index stored)
      : m_store(*options.cache),
        m_key(options.cache_key),
        m_old(paths.size()),
        m_reuse(paths.size(), 0),
        m_workers(threads),
        m_block(parallel_block(paths.size(), threads)) {
    const bool found = stored.found;
    std::vector<CacheEntry>& index = stored.entries;
    m_damaged = !found && m_store.size() > 0;  // damaged, or another build's: replaced
    std::size_t matched = 0;
    for (std::size_t i = 0, e = 0; i < paths.size() && e < index.size();) {
      if (paths[i] == index[e].path) {
        const CacheEntry& c = index[e++];
        m_old[i] = {c.stamp, c.offset, c.size, c.checksum};
        m_reuse[i++] = 1;  // while its file's stamp is still this one (below)
        ++matched;
      } else if (paths[i] < index[e].path) {
        ++i;
      } else {
        ++e;
      }
    }
    m_dirty = m_damaged || matched < index.size();  // notes removed: their records go
    std::vector<CacheEntry>().swap(index);          // freed before the notes are read
    parallel_for(paths.size(), options.jobs, [&](std::size_t i) {
      if (!m_reuse[i]) return;
      std::optional<FileStamp> now = fs.stamp(paths[i]);
      m_reuse[i] = now && *now == m_old[i].stamp && now->size <= options.max_note_bytes;
    });
  }

  // Note i from the cache, its links settled by `paths`; false when it is not there to reuse
  // (it is then to be parsed).
  bool reuse(std::size_t i, const std::string& path, Note& note, TextInterner& interner,
             const PathResolver* paths, unsigned worker) {
    if (!m_reuse[i]) return false;
    const Old& e = m_old[i];
    std::optional<std::string_view> bytes = record(i, m_workers[worker]);
    if (!bytes || cache_checksum(*bytes) != e.checksum ||
        !decode_note(*bytes, note, interner, paths, static_cast<int>(i)) || note.path != path) {
      m_reuse[i] = 0;
      m_damaged = m_dirty = true;
      return false;
    }
    ++m_workers[worker].reused;
    return true;
  }

  // Note i as parsed (compacted, links not yet settled), from a file that had `stamp`.
  void keep(std::size_t i, const Note& note, const std::optional<FileStamp>& stamp,
            unsigned worker) {
    ++m_workers[worker].parsed;
    if (!stamp) return;  // it could not vouch for the contents: not stored
    if (!m_dirty.load(std::memory_order_relaxed)) m_dirty = true;  // not written at every note
    Worker& w = m_workers[worker];
    std::string& bytes = w.record;
    bytes.clear();
    encode_note(note, bytes);
    w.entries.push_back({i, *stamp, w.pending.size(), static_cast<std::uint32_t>(bytes.size()),
                         cache_checksum(bytes)});
    w.pending += bytes;
    if (w.pending.size() >= kFlushBytes) flush(w);
  }

  // Store the new cache (when anything changed), and say what was done. `notes` are the
  // loaded notes, in the order of the listed paths.
  CacheReport finish(const std::vector<Note>& notes) {
    CacheReport report{0, 0, false, false, m_damaged.load()};
    for (const Worker& w : m_workers) {
      report.reused += w.reused;
      report.parsed += w.parsed;
    }
    if (!m_dirty) return report;
    for (Worker& w : m_workers) flush(w);
    // The reused notes' records, copied from the old cache a run of neighbours at a time.
    Worker& run = m_workers[0];
    std::uint64_t run_from = 0, run_size = 0;
    auto copy_run = [&] {
      if (run_size == 0) return;
      if (!m_store.read_at(run_from, static_cast<std::size_t>(run_size), run.pending)) {
        m_failed = true;
      }
      flush(run);
      run_size = 0;
    };
    for (std::size_t i = 0; i < m_reuse.size(); ++i) {
      if (!m_reuse[i]) continue;
      const Old& e = m_old[i];
      if (run_size > 0 && (run_from + run_size != e.offset || run_size >= kFlushBytes)) copy_run();
      if (run_size == 0) run_from = e.offset;
      run.entries.push_back({i, e.stamp, run_size, e.size, e.checksum});
      run_size += e.size;
    }
    copy_run();
    // In path order, as the index must be (the notes are in path order).
    std::sort(m_stored.begin(), m_stored.end(),
              [](const Stored& a, const Stored& b) { return a.note < b.note; });
    if (!m_begun && !m_failed) m_failed = !(m_begun = m_store.begin());  // no notes at all
    auto append = [&](std::string_view piece) { return m_store.append(piece); };
    auto entry = [&](std::size_t k) {
      const Stored& e = m_stored[k];
      return CacheEntryView{notes[e.note].path, e.stamp, e.offset, e.size, e.checksum};
    };
    if (m_failed || !write_cache_index(append, m_key, m_stored.size(), entry, m_written) ||
        !m_store.commit()) {
      m_store.abandon();
      report.unwritten = true;
      return report;
    }
    report.written = true;
    return report;
  }

 private:
  static constexpr std::size_t kFlushBytes = 1u << 20;
  static constexpr std::uint64_t kChunkBytes = 1u << 18;
  // An entry of the new cache; the path is the note's.
  struct Stored {
    std::size_t note;
    FileStamp stamp;
    std::uint64_t offset;
    std::uint32_t size;
    std::uint64_t checksum;
  };
  // Each thread's own, a cache line apart from the others': it gathers records before
  // appending them to the new cache in one call, and counts the notes it loaded.
  struct alignas(64) Worker {
    std::string record;  // the record being made
    std::string chunk;   // stored records being read: those from chunk_from
    std::uint64_t chunk_from = 0;
    std::string pending;          // records not yet appended
    std::vector<Stored> entries;  // theirs, offsets in `pending`
    std::size_t reused = 0, parsed = 0;
  };

  // Note i's stored record, from `w`'s chunk. A chunk is read in one call: the record and
  // those of the notes after it that lie next to it in the cache and are to be reused, up to
  // the end of the block of notes that the worker was handed (parallel_for_workers hands a
  // thread neighbours, so the next calls find their records there) or kChunkBytes. Read a
  // record at a time, 100,000 notes made 100,000 calls into the kernel, each also counting a
  // reference to the one open file that both threads shared.
  std::optional<std::string_view> record(std::size_t i, Worker& w) {
    const Old& e = m_old[i];
    if (e.offset < w.chunk_from || e.offset + e.size > w.chunk_from + w.chunk.size()) {
      std::uint64_t end = e.offset + e.size;
      const std::size_t block_end = std::min(m_old.size(), (i / m_block + 1) * m_block);
      for (std::size_t j = i + 1; j < block_end && m_reuse[j] && m_old[j].offset == end &&
                                  end - e.offset + m_old[j].size <= kChunkBytes;
           ++j) {
        end += m_old[j].size;
      }
      w.chunk_from = e.offset;
      // Where the chunk cannot be read whole (a damaged index may name bytes past the end),
      // the record alone may still be.
      if (!m_store.read_at(e.offset, static_cast<std::size_t>(end - e.offset), w.chunk) &&
          (end == e.offset + e.size || !m_store.read_at(e.offset, e.size, w.chunk))) {
        w.chunk.clear();
        return std::nullopt;
      }
    }
    return std::string_view(w.chunk).substr(static_cast<std::size_t>(e.offset - w.chunk_from),
                                            e.size);
  }

  // Append `w`'s records to the new cache, begun on the first call.
  void flush(Worker& w) {
    if (w.entries.empty()) return;
    std::lock_guard lock(m_mutex);
    if (!m_begun) {
      m_begun = true;
      m_failed = m_failed || !m_store.begin();
    }
    if (!m_failed && !m_store.append(w.pending)) m_failed = true;
    for (Stored& e : w.entries) {
      e.offset += m_written;
      m_stored.push_back(e);
    }
    m_written += w.pending.size();
    w.pending.clear();
    w.entries.clear();
  }

  CacheStore& m_store;
  const std::string m_key;
  // Per note: its entry in the stored index, when m_reuse says whether its file's stamp is
  // still the entry's (and, once read, that its record decoded).
  struct Old {
    FileStamp stamp;
    std::uint64_t offset = 0;
    std::uint32_t size = 0;
    std::uint64_t checksum = 0;
  };
  std::vector<Old> m_old;
  std::vector<char> m_reuse;
  std::vector<Stored> m_stored;  // the new cache's entries
  std::vector<Worker> m_workers;
  const std::size_t m_block;  // the notes parallel_for_workers hands a thread at a time
  std::mutex m_mutex;  // for appending
  bool m_begun = false, m_failed = false;
  std::uint64_t m_written = 0;  // bytes of records appended
  std::atomic<bool> m_damaged{false}, m_dirty{false};
};

}  // namespace

void for_each_note(FileSystem& fs, const LoadOptions& options,
                   const std::function<RenderedText(std::span<const Note* const>)>& render,
                   const std::function<void(Note&)>& visit,
                   const std::function<void(std::string_view)>& write,
                   std::vector<Diagnostic>& problems) {
  std::vector<std::string> paths = fs.list_notes(problems, options.jobs);
  // Notes go to the workers in batches (handing each note over alone cost more in waking
  // threads than in parsing), and workers run at most kWindow batches ahead of the one being
  // visited.
  constexpr std::size_t kBatch = 16, kWindow = 32;
  struct Batch {
    std::vector<Loaded> loaded;
    RenderedText text;
  };
  const std::size_t batches = (paths.size() + kBatch - 1) / kBatch;
  ordered_parallel<Batch>(
      batches, options.jobs, kWindow,
      [&](std::size_t b) {
        Batch out;
        for (std::size_t i = b * kBatch; i < std::min(paths.size(), (b + 1) * kBatch); ++i) {
          std::string error;
          out.loaded.push_back(read_and_parse(fs, paths[i], options, thread_buffer(), error));
        }
        if (render) {
          std::vector<const Note*> notes;
          for (const Loaded& l : out.loaded) {
            if (l.note) notes.push_back(&*l.note);
          }
          out.text = render(notes);
        }
        return out;
      },
      [&](std::size_t, Batch& batch) {
        for (Loaded& l : batch.loaded) {
          if (l.failure) problems.push_back(std::move(*l.failure));
          if (l.note) visit(*l.note);
        }
        if (!batch.text.view().empty()) write(batch.text.view());
      });
}

void for_each_note(FileSystem& fs, const LoadOptions& options,
                   const std::function<void(Note&)>& visit, std::vector<Diagnostic>& problems) {
  for_each_note(fs, options, nullptr, visit, nullptr, problems);
}

KnowledgeBase load_knowledge_base(FileSystem& fs, const LoadOptions& given) {
  LoadOptions options = given;
  // Compacted right after parsing, on the same thread, with the text still there: the pool
  // is made once, of what compacting keeps.
  if (options.compact_links) options.parse.pack = false;
  KnowledgeBase kb;
  const bool use_cache = options.compact_links && options.cache;
  // What does not depend on the other runs side by side (on two threads when there are two):
  // listing the notes and reading the cache's index, then indexing the paths and making room
  // for the notes while the cache's files are stamped. On one thread they took 200 of the
  // 700 ms that check reusing its cache spent loading 100,000 notes.
  std::vector<std::string> paths;
  CacheRun::Index stored;
  run_both(
      options.jobs,
      [&] {
        if (use_cache) stored = CacheRun::read_index(options);
      },
      [&] { paths = fs.list_notes(kb.diagnostics, options.jobs); });
  const unsigned threads = thread_count(options.jobs, paths.size());
  std::optional<PathResolver> by_path;
  std::optional<CacheRun> cache;
  run_both(
      options.jobs,
      [&] {
        if (options.compact_links) by_path.emplace(paths);
        // Each note is parsed straight into its place; the ones that could not be read are
        // dropped afterwards, keeping the order.
        kb.notes.resize(paths.size());
      },
      [&] {
        if (use_cache) cache.emplace(fs, paths, options, threads, std::move(stored));
      });
  std::vector<char> failed(paths.size(), 0);
  std::vector<std::pair<std::size_t, Diagnostic>> failures;
  std::mutex mutex;
  // Each thread shares the link text of the notes it parses; a text two threads meet is kept
  // twice, which costs less than a lock per link.
  std::vector<TextInterner> interners(options.compact_links ? threads : 0);
  // Read and parse note i from `path` (moved into the note), or take it from the cache; links
  // are settled by the listed paths when `settle` (in the first round; see below).
  auto load_note = [&](std::size_t i, std::string& path, unsigned worker, bool settle) {
    const int self = static_cast<int>(i);
    if (cache && settle) {  // a note read again (below) is read from its file
      Note note;
      if (cache->reuse(i, path, note, interners[worker], &*by_path, worker)) {
        kb.notes[i] = std::move(note);
        std::string().swap(path);  // the note holds its own
        return;
      }
    }
    std::string error;
    std::optional<FileStamp> stamp;
    Loaded loaded =
        read_and_parse(fs, path, options, thread_buffer(), error, cache ? &stamp : nullptr);
    if (loaded.note && cache) {
      // Kept in the cache before settling: a cached note does not depend on the other notes.
      // Its links' text goes to a scratch interner first, and only the links that stay
      // unsettled are then shared: as much text is kept as without the cache. The scratch
      // texts are dropped now and then, a few hundred kilobytes at a time.
      thread_local TextInterner scratch;
      if (scratch.size() > 20000) (void)scratch.take_blocks();
      compact_links(*loaded.note, self, nullptr, scratch);
      if (settle) {
        cache->keep(i, *loaded.note, stamp, worker);
        settle_links(*loaded.note, self, *by_path);
      }
      share_compact_links(*loaded.note, interners[worker]);
    } else if (loaded.note && options.compact_links) {
      compact_links(*loaded.note, self, settle ? &*by_path : nullptr, interners[worker]);
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
    while (!failures.empty()) {
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
    if (cache) kb.cache = cache->finish(kb.notes);
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
