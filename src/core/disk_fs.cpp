// The one place tkb reads the disk.
#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tkb/knowledge_base.hpp"

namespace fs = std::filesystem;

namespace tkb {

namespace {

bool hidden(const fs::path& p) {
  std::string name = p.filename().string();
  return !name.empty() && name[0] == '.';
}

class DiskFileSystem : public FileSystem {
 public:
  explicit DiskFileSystem(fs::path root) : m_root(std::move(root)) {}

  std::vector<std::string> list_notes(std::vector<Diagnostic>& problems) override {
    std::vector<std::string> out;
    std::error_code ec;
    fs::recursive_directory_iterator it(m_root, fs::directory_options::none, ec);
    if (ec) {
      problems.push_back({"",
                          {},
                          Severity::error,
                          "unreadable-file",
                          "cannot read folder " + m_root.string() + ": " + ec.message()});
      return out;
    }
    for (fs::recursive_directory_iterator end; it != end;) {
      const fs::directory_entry& entry = *it;
      std::error_code sec;
      std::string rel = entry.path().lexically_relative(m_root).generic_string();
      if (hidden(entry.path())) {
        if (entry.is_directory(sec) && !entry.is_symlink(sec)) it.disable_recursion_pending();
      } else if (entry.is_symlink(sec)) {
        // Never followed: a link may point outside the knowledge base or into a loop.
        if (rel.size() > 3 && rel.compare(rel.size() - 3, 3, ".md") == 0) {
          problems.push_back(
              {rel, {}, Severity::info, "skipped-file", "symbolic link is not followed"});
        }
      } else if (entry.is_regular_file(sec) && entry.path().extension() == ".md") {
        out.push_back(std::move(rel));
      }
      it.increment(ec);
      if (ec) {
        problems.push_back(
            {rel, {}, Severity::error, "unreadable-file", "cannot read folder: " + ec.message()});
        ec.clear();
        // A folder we cannot enter: step past it instead of stopping the walk.
        it.disable_recursion_pending();
        it.increment(ec);
        if (ec) break;
      }
    }
    std::sort(out.begin(), out.end());
    return out;
  }

  bool read_into(const std::string& path, std::uint64_t max_bytes, std::string& out,
                 std::string& error) override {
    fs::path full = m_root / fs::path(path);
    int fd = ::open(full.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
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
    // Read what fstat announced and then to the end: a file may grow while it is read.
    out.clear();
    std::size_t want = static_cast<std::size_t>(
        std::min<std::uint64_t>(static_cast<std::uint64_t>(st.st_size), max_bytes + 1));
    out.resize(std::max<std::size_t>(want, 4096));
    std::size_t have = 0;
    while (true) {
      if (have == out.size()) {
        if (have > max_bytes) break;
        out.resize(std::min<std::size_t>(out.size() * 2, static_cast<std::size_t>(max_bytes) + 1));
      }
      ssize_t n = ::read(fd, out.data() + have, out.size() - have);
      if (n < 0) {
        if (errno == EINTR) continue;
        error = std::strerror(errno);
        ::close(fd);
        return false;
      }
      if (n == 0) break;
      have += static_cast<std::size_t>(n);
    }
    ::close(fd);
    out.resize(have);
    if (have > max_bytes) {
      error = "note is larger than the limit of " + std::to_string(max_bytes) + " bytes";
      return false;
    }
    return true;
  }

 private:
  fs::path m_root;
};

}  // namespace

std::unique_ptr<FileSystem> make_disk_file_system(const std::string& root) {
  return std::make_unique<DiskFileSystem>(fs::path(root));
}

}  // namespace tkb
