// The one place tkb reads and writes the disk.
#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tkb/knowledge_base.hpp"
#include "tkb/parallel.hpp"

namespace fs = std::filesystem;

namespace tkb {

namespace {

class DiskFileSystem : public FileSystem {
 public:
  explicit DiskFileSystem(fs::path root)
      : m_root(std::move(root)),
        m_made(now_ns()),
        // Notes are opened relative to the root's descriptor: the kernel then looks up only
        // the folder and the file, not every component of the root's path, 100,000 times.
        m_root_fd(::open(m_root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC)) {}
  ~DiskFileSystem() override {
    ThreadRoot& mine = thread_root();
    if (mine.owner == m_id) mine.reset();
    if (m_root_fd >= 0) ::close(m_root_fd);
  }
  DiskFileSystem(const DiskFileSystem&) = delete;
  DiskFileSystem& operator=(const DiskFileSystem&) = delete;

  std::vector<std::string> list_notes(std::vector<Diagnostic>& problems, unsigned jobs) override {
    std::vector<std::string> out;
    int fd = ::open(m_root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) {
      problems.push_back({"",
                          {},
                          Severity::error,
                          "unreadable-file",
                          "cannot read folder " + m_root.string() + ": " + std::strerror(errno)});
      return out;
    }
    // `fd` stays open for the subfolders to be opened from; the listing takes a copy.
    const int top = ::dup(fd);
    if (top < 0) {
      problems.push_back({"",
                          {},
                          Severity::error,
                          "unreadable-file",
                          "cannot read folder " + m_root.string() + ": " + errno_text()});
    } else {
      out = list_root(fd, top, jobs, problems);
    }
    ::close(fd);
    return out;
  }

  std::optional<FileStamp> stamp(const std::string& path) override {
    struct stat st;
    const int root = root_fd();
    const int rc = root >= 0 ? ::fstatat(root, path.c_str(), &st, AT_SYMLINK_NOFOLLOW)
                             : ::lstat((m_root / fs::path(path)).c_str(), &st);
    if (rc != 0) return std::nullopt;
    return stamp_of(st);
  }

  bool read_stamped(const std::string& path, std::uint64_t max_bytes, std::string& out,
                    std::string& error, std::optional<FileStamp>& stamp) override {
    return read(path, max_bytes, out, error, &stamp);
  }

  bool read_into(const std::string& path, std::uint64_t max_bytes, std::string& out,
                 std::string& error) override {
    return read(path, max_bytes, out, error, nullptr);
  }

  bool read(const std::string& path, std::uint64_t max_bytes, std::string& out, std::string& error,
            std::optional<FileStamp>* stamp) {
    if (stamp) stamp->reset();
    // O_NONBLOCK: a FIFO put in a note's place after listing must not block the open.
    constexpr int kFlags = O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK;
    const int root = root_fd();
    int fd = root >= 0 ? ::openat(root, path.c_str(), kFlags)
                       : ::open((m_root / fs::path(path)).c_str(), kFlags);
    if (fd < 0) {
      error = std::strerror(errno);
      return false;
    }
    struct stat st;
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
      error = ::fstat(fd, &st) != 0 ? std::strerror(errno) : "not a regular file";
      ::close(fd);
      return false;
    }
    if (stamp) *stamp = stamp_of(st);
    // Read what fstat announced and then to the end: a file may grow while it is read. The
    // buffer has room for one byte more than announced, so that a read coming back short
    // ends the file in one call (a regular file's read is short only at its end); a file
    // that grew fills it and is read on.
    std::size_t want = static_cast<std::size_t>(
        std::min<std::uint64_t>(static_cast<std::uint64_t>(st.st_size) + 1, max_bytes + 1));
    // Only the bytes past what the buffer held are zeroed: its capacity is reused note after
    // note, so most notes cost no clearing at all.
    if (out.size() < want) out.resize(std::max<std::size_t>(want, 4096));
    std::size_t have = 0;
    while (true) {
      if (have == out.size()) {
        if (have > max_bytes) break;
        out.resize(std::min<std::size_t>(out.size() * 2, static_cast<std::size_t>(max_bytes) + 1));
      }
      const std::size_t room = out.size() - have;
      ssize_t n = ::read(fd, out.data() + have, room);
      if (n < 0) {
        if (errno == EINTR) continue;
        error = std::strerror(errno);
        ::close(fd);
        return false;
      }
      if (n == 0) break;
      have += static_cast<std::size_t>(n);
      if (static_cast<std::size_t>(n) < room && have >= want - 1) break;  // short: the end
    }
    ::close(fd);
    out.resize(have);
    if (have > max_bytes) {
      error = "note is larger than the limit of " + std::to_string(max_bytes) + " bytes";
      return false;
    }
    return true;
  }

  std::string write_atomic(const std::string& path, std::string_view content,
                           const std::optional<std::string>& expected) override {
    const fs::path full = m_root / fs::path(path);
    struct stat st {};
    if (expected) {
      if (std::string e = check_holds(full, *expected, &st); !e.empty()) return e;
    } else {
      if (::lstat(full.c_str(), &st) == 0) return "it already exists";
      if (std::string e = make_folders(full.parent_path()); !e.empty()) return e;
    }
    // A hidden temporary file beside the target: same file system, so the rename is atomic,
    // and a run killed before the rename leaves nothing tkb reads as a note.
    std::string tmp = (full.parent_path() / ("." + full.filename().string() + ".tkb-XXXXXX"));
    int fd = ::mkostemp(tmp.data(), O_CLOEXEC);
    if (fd < 0) return "cannot create a temporary file beside it: " + errno_text();
    auto fail = [&](std::string why) {
      if (fd >= 0) ::close(fd);
      ::unlink(tmp.c_str());
      return why;
    };
    for (std::size_t done = 0; done < content.size();) {
      ssize_t n = ::write(fd, content.data() + done, content.size() - done);
      if (n < 0) {
        if (errno == EINTR) continue;
        return fail("cannot write: " + errno_text());
      }
      done += static_cast<std::size_t>(n);
    }
    const mode_t mode = expected ? (st.st_mode & 07777) : (0666 & ~current_umask());
    if (::fchmod(fd, mode) != 0) return fail("cannot set permissions: " + errno_text());
    if (expected && ::geteuid() == 0 && ::fchown(fd, st.st_uid, st.st_gid) != 0) {
      return fail("cannot keep the owner: " + errno_text());
    }
    if (::fsync(fd) != 0) return fail("cannot sync: " + errno_text());
    int closed = ::close(fd);
    fd = -1;
    if (closed != 0) return fail("cannot write: " + errno_text());
    if (expected) {
      // Once more, as late as possible: a change made while the new text was written wins.
      if (std::string e = check_holds(full, *expected, nullptr); !e.empty()) return fail(e);
      if (::rename(tmp.c_str(), full.c_str()) != 0) return fail("cannot replace: " + errno_text());
    } else if (std::string e = move_no_replace(tmp, full.string()); !e.empty()) {
      return fail(e);
    }
    sync_folder(full.parent_path());
    return {};
  }

  std::string rename(const std::string& from, const std::string& to) override {
    const fs::path src = m_root / fs::path(from), dst = m_root / fs::path(to);
    struct stat st {};
    if (::lstat(src.c_str(), &st) != 0) return "cannot move: " + errno_text();
    if (::lstat(dst.c_str(), &st) == 0) return to + " already exists";
    if (std::string e = make_folders(dst.parent_path()); !e.empty()) return e;
    if (std::string e = move_no_replace(src.string(), dst.string()); !e.empty()) return e;
    sync_folder(dst.parent_path());
    if (src.parent_path() != dst.parent_path()) sync_folder(src.parent_path());
    return {};
  }

  std::string remove(const std::string& path, const std::string& expected) override {
    const fs::path full = m_root / fs::path(path);
    if (std::string e = check_holds(full, expected, nullptr); !e.empty()) return e;
    if (::unlink(full.c_str()) != 0) return "cannot remove: " + errno_text();
    sync_folder(full.parent_path());
    return {};
  }

  bool exists(const std::string& path) override {
    struct stat st {};
    return ::lstat((m_root / fs::path(path)).c_str(), &st) == 0;
  }

 private:
  static std::string errno_text() { return std::strerror(errno); }

  static mode_t current_umask() {
    static const mode_t mask = [] {
      mode_t m = ::umask(0);
      ::umask(m);
      return m;
    }();
    return mask;
  }

  // "" when `full` is a regular file holding exactly `expected` (its stat in `st`).
  static std::string check_holds(const fs::path& full, const std::string& expected,
                                 struct stat* st) {
    int fd = ::open(full.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
    if (fd < 0) {
      if (errno == ENOENT) return "it no longer exists";
      if (errno == ELOOP) return "it is now a symbolic link";
      return "cannot read it again: " + errno_text();
    }
    struct stat own {};
    if (!st) st = &own;
    if (::fstat(fd, st) != 0 || !S_ISREG(st->st_mode)) {
      ::close(fd);
      return "it is no longer a regular file";
    }
    std::string now;
    now.resize(expected.size() + 1);  // one byte more tells a file that grew
    std::size_t have = 0;
    while (have < now.size()) {
      ssize_t n = ::read(fd, now.data() + have, now.size() - have);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) {
        ::close(fd);
        return "cannot read it again: " + errno_text();
      }
      if (n == 0) break;
      have += static_cast<std::size_t>(n);
    }
    ::close(fd);
    now.resize(have);
    if (now != expected) return "it changed on disk after it was read";
    return {};
  }

  static std::string make_folders(const fs::path& folder) {
    std::error_code ec;
    fs::create_directories(folder, ec);
    if (ec) return "cannot create folder " + folder.string() + ": " + ec.message();
    return {};
  }

  // rename(2) that never replaces `to`: renameat2 with RENAME_NOREPLACE, or link and unlink
  // where the file system does not support it.
  static std::string move_no_replace(const std::string& from, const std::string& to) {
    if (::renameat2(AT_FDCWD, from.c_str(), AT_FDCWD, to.c_str(), RENAME_NOREPLACE) == 0) return {};
    if (errno == EEXIST) return "it already exists";
    if (errno != EINVAL && errno != ENOSYS && errno != ENOTSUP) return errno_text();
    if (::link(from.c_str(), to.c_str()) != 0) {
      return errno == EEXIST ? std::string("it already exists") : errno_text();
    }
    ::unlink(from.c_str());
    return {};
  }

  // Make a rename in `folder` durable.
  static void sync_folder(const fs::path& folder) {
    int fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return;
    ::fsync(fd);
    ::close(fd);
  }

  struct Entry {
    std::string path;
    unsigned char type;
  };

  // The entries of folder `rel` ("" for the root), open as `fd` (closed here), in the order
  // the folder gives them, hidden ones left out. Their types come with them (d_type; a stat
  // only where a file system leaves it unknown): the kernel is asked for nothing else.
  static std::vector<Entry> read_folder(int fd, const std::string& rel,
                                        std::vector<Diagnostic>& problems) {
    std::vector<Entry> entries;
    DIR* dir = ::fdopendir(fd);
    if (!dir) {
      problems.push_back(
          {rel, {}, Severity::error, "unreadable-file", "cannot read folder: " + errno_text()});
      ::close(fd);
      return entries;
    }
    while (true) {
      errno = 0;
      const dirent* e = ::readdir(dir);
      if (!e) {
        if (errno != 0) {
          problems.push_back(
              {rel, {}, Severity::error, "unreadable-file", "cannot read folder: " + errno_text()});
        }
        break;
      }
      const std::string_view name = e->d_name;
      if (name.empty() || name[0] == '.') continue;  // hidden (and `.`, `..`): not entered
      unsigned char type = e->d_type;
      if (type == DT_UNKNOWN) {
        struct stat st;
        type = ::fstatat(::dirfd(dir), e->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0
                   ? static_cast<unsigned char>(IFTODT(st.st_mode))
                   : static_cast<unsigned char>(DT_UNKNOWN);
      }
      std::string path = rel;
      if (!path.empty()) path += '/';
      path += name;
      entries.push_back({std::move(path), type});
    }
    ::closedir(dir);
    return entries;
  }

  // One entry of a folder: a subfolder is walked (`root` is the root's descriptor, which
  // subfolders are opened from), a note goes to `out`, anything else named like a note is
  // reported and skipped.
  static void visit(int root, Entry& e, std::vector<std::string>& out,
                    std::vector<Diagnostic>& problems) {
    const bool md = e.path.size() > 3 && e.path.compare(e.path.size() - 3, 3, ".md") == 0;
    if (e.type == DT_DIR) {
      const int sub =
          ::openat(root, e.path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
      if (sub < 0) {
        problems.push_back({e.path,
                            {},
                            Severity::error,
                            "unreadable-file",
                            "cannot read folder: " + errno_text()});
      } else {
        walk(root, sub, e.path, out, problems);
      }
    } else if (!md) {
      return;
    } else if (e.type == DT_LNK) {
      // Never followed: a link may point outside the knowledge base or into a loop.
      problems.push_back(
          {e.path, {}, Severity::info, "skipped-file", "symbolic link is not followed"});
    } else if (e.type == DT_REG) {
      out.push_back(std::move(e.path));
    } else {
      // A FIFO, socket or device named like a note: reading it could block forever.
      problems.push_back({e.path,
                          {},
                          Severity::info,
                          "skipped-file",
                          "not a regular file (a FIFO, socket or device)"});
    }
  }

  // List folder `rel`, open as `fd` (closed here), into `out`, depth first in the order the
  // folder gives its entries. std::filesystem's recursive walk, which did the same, made a
  // path object and several stats per entry and took 150-240 ms for 100,000 notes. A folder's
  // entries are read before any subfolder is entered, so a walk holds one descriptor at a time
  // however deep the tree (list_root runs one walk per thread).
  static void walk(int root, int fd, const std::string& rel, std::vector<std::string>& out,
                   std::vector<Diagnostic>& problems) {
    std::vector<Entry> entries = read_folder(fd, rel, problems);
    for (Entry& e : entries) visit(root, e, out, problems);
  }

  // Every note below the root (open as `fd`, closed here), sorted, and the problems in the
  // order a walk on one thread meets them. The root's subfolders are walked on `jobs`
  // threads (reading folders is most of the listing's time, and it runs in parallel in the
  // kernel: 78 -> 45 ms for 100,000 notes in 1,000 folders on two cores), each into lists of
  // its own that are sorted there.
  static std::vector<std::string> list_root(int root, int fd, unsigned jobs,
                                            std::vector<Diagnostic>& problems) {
    std::vector<Entry> entries = read_folder(fd, "", problems);
    struct Part {
      std::vector<std::string> notes;
      std::vector<Diagnostic> problems;
    };
    std::vector<Part> parts(entries.size());
    std::vector<std::string> top;  // the root's own notes
    std::vector<std::size_t> folders;
    for (std::size_t k = 0; k < entries.size(); ++k) {
      if (entries[k].type == DT_DIR) {
        folders.push_back(k);
      } else {
        visit(root, entries[k], top, parts[k].problems);
      }
    }
    parallel_for(folders.size(), jobs, [&](std::size_t f) {
      Part& part = parts[folders[f]];
      visit(root, entries[folders[f]], part.notes, part.problems);
      std::sort(part.notes.begin(), part.notes.end());
    });
    for (Part& part : parts) {
      for (Diagnostic& d : part.problems) problems.push_back(std::move(d));
    }
    // A folder's notes, all beginning with its name and a '/', are a run of the sorted list
    // that no other path falls into: the runs and the root's notes are put in the order of
    // their first paths.
    std::sort(top.begin(), top.end());
    struct Run {
      std::string* first;
      std::size_t size;
    };
    std::vector<Run> runs;
    for (std::string& path : top) runs.push_back({&path, 1});
    for (std::size_t k : folders) {
      if (!parts[k].notes.empty()) runs.push_back({parts[k].notes.data(), parts[k].notes.size()});
    }
    std::sort(runs.begin(), runs.end(),
              [](const Run& a, const Run& b) { return *a.first < *b.first; });
    std::vector<std::string> out;
    std::size_t total = 0;
    for (const Run& r : runs) total += r.size;
    out.reserve(total);
    for (const Run& r : runs) std::move(r.first, r.first + r.size, std::back_inserter(out));
    return out;
  }

  static std::int64_t ns_of(const struct timespec& t) {
    return static_cast<std::int64_t>(t.tv_sec) * 1000000000 + t.tv_nsec;
  }
  static std::int64_t now_ns() {
    struct timespec t {};
    ::clock_gettime(CLOCK_REALTIME, &t);
    return ns_of(t);
  }
  // A file changed less than two seconds before this file system was made (or later) has no
  // stamp: a change right after it was read could fall in the same tick of the file system's
  // clock (up to two seconds on some file systems) and leave every time as it was.
  std::optional<FileStamp> stamp_of(const struct stat& st) const {
    if (!S_ISREG(st.st_mode)) return std::nullopt;
    FileStamp s{static_cast<std::uint64_t>(st.st_size), ns_of(st.st_mtim), ns_of(st.st_ctim),
                static_cast<std::uint64_t>(st.st_ino), static_cast<std::uint64_t>(st.st_dev)};
    constexpr std::int64_t kTick = 2'000'000'000;
    if (s.modified_ns > m_made - kTick || s.changed_ns > m_made - kTick) return std::nullopt;
    return s;
  }

  // A thread's own descriptor of a file system's root, closed when the thread ends.
  struct ThreadRoot {
    std::uint64_t owner = 0;  // the file system's m_id; 0: none
    int fd = -1;
    ThreadRoot() = default;
    ThreadRoot(const ThreadRoot&) = delete;
    ThreadRoot& operator=(const ThreadRoot&) = delete;
    ~ThreadRoot() { reset(); }
    void reset(std::uint64_t new_owner = 0, int new_fd = -1) {
      if (fd >= 0) ::close(fd);
      owner = new_owner;
      fd = new_fd;
    }
  };
  static ThreadRoot& thread_root() {
    thread_local ThreadRoot mine;
    return mine;
  }

  // The root's descriptor for the calling thread (-1: none; full paths then). Each thread
  // opens the root for itself (openat(root, ".") opens the same folder): every call through
  // a descriptor that threads share counts a reference on their one open file, and two
  // threads stamping 100,000 notes passed that count between their cores at every call.
  int root_fd() const {
    if (m_root_fd < 0) return -1;
    ThreadRoot& mine = thread_root();
    if (mine.owner != m_id) {
      mine.reset(m_id, ::openat(m_root_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    }
    return mine.fd >= 0 ? mine.fd : m_root_fd;
  }

  static std::uint64_t next_id() {
    static std::atomic<std::uint64_t> last{0};
    return ++last;
  }

  fs::path m_root;
  std::int64_t m_made = 0;  // when this file system was made, in ns since the epoch
  int m_root_fd = -1;       // -1 when the root cannot be opened: full paths then
  const std::uint64_t m_id = next_id();  // tells the threads' own root descriptors apart
};

class DiskCacheStore : public CacheStore {
 public:
  explicit DiskCacheStore(std::string path)
      : m_path(std::move(path)), m_fd(::open(m_path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) {
    struct stat st;
    if (m_fd >= 0 && (::fstat(m_fd, &st) != 0 || !S_ISREG(st.st_mode))) {
      ::close(m_fd);
      m_fd = -1;
    }
    if (m_fd >= 0) m_size = static_cast<std::uint64_t>(st.st_size);
  }
  ~DiskCacheStore() override {
    abandon();
    if (m_fd >= 0) ::close(m_fd);
  }
  DiskCacheStore(const DiskCacheStore&) = delete;
  DiskCacheStore& operator=(const DiskCacheStore&) = delete;

  std::uint64_t size() const override { return m_size; }

  bool read_at(std::uint64_t offset, std::size_t size, std::string& out) const override {
    out.resize(size);
    std::size_t have = 0;
    while (have < size) {
      ssize_t n = ::pread(m_fd, out.data() + have, size - have, static_cast<off_t>(offset + have));
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return false;
      have += static_cast<std::size_t>(n);
    }
    return true;
  }

  bool begin() override {
    abandon();
    const fs::path folder = fs::path(m_path).parent_path();
    std::error_code ec;
    if (!folder.empty()) fs::create_directories(folder, ec);
    m_temp = m_path + ".tmp" + std::to_string(::getpid());
    m_out = ::open(m_temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (m_out < 0) m_temp.clear();
    return m_out >= 0;
  }

  bool append(std::string_view bytes) override {
    if (m_out < 0) return false;
    while (!bytes.empty()) {
      ssize_t n = ::write(m_out, bytes.data(), bytes.size());
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        abandon();
        return false;
      }
      bytes.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
  }

  bool commit() override {
    if (m_out < 0) return false;
    const bool closed = ::close(m_out) == 0;
    m_out = -1;
    if (!closed || ::rename(m_temp.c_str(), m_path.c_str()) != 0) {
      ::unlink(m_temp.c_str());
      m_temp.clear();
      return false;
    }
    m_temp.clear();
    return true;
  }

  void abandon() override {
    if (m_out >= 0) ::close(m_out);
    m_out = -1;
    if (!m_temp.empty()) ::unlink(m_temp.c_str());
    m_temp.clear();
  }

  void remove() override { ::unlink(m_path.c_str()); }
  std::string name() const override { return m_path; }

 private:
  std::string m_path, m_temp;
  int m_fd = -1, m_out = -1;
  std::uint64_t m_size = 0;
};

}  // namespace

std::unique_ptr<FileSystem> make_disk_file_system(const std::string& root) {
  return std::make_unique<DiskFileSystem>(fs::path(root));
}

std::unique_ptr<CacheStore> make_disk_cache_store(const std::string& path) {
  return std::make_unique<DiskCacheStore>(path);
}

std::string executable_identity() {
  struct stat st;
  if (::stat("/proc/self/exe", &st) != 0) return {};
  return std::to_string(st.st_size) + ":" + std::to_string(st.st_mtim.tv_sec) + "." +
         std::to_string(st.st_mtim.tv_nsec);
}

}  // namespace tkb
