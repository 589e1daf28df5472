// The one place tkb reads the disk.
#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

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
      problems.push_back({"", {}, Severity::error, "unreadable-file",
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
          problems.push_back({rel, {}, Severity::info, "skipped-file",
                              "symbolic link is not followed"});
        }
      } else if (entry.is_regular_file(sec) && entry.path().extension() == ".md") {
        out.push_back(std::move(rel));
      }
      it.increment(ec);
      if (ec) {
        problems.push_back({rel, {}, Severity::error, "unreadable-file",
                            "cannot read folder: " + ec.message()});
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

  std::optional<std::string> read(const std::string& path, std::uint64_t max_bytes,
                                  std::string& error) override {
    fs::path full = m_root / fs::path(path);
    std::FILE* f = std::fopen(full.c_str(), "rb");
    if (!f) {
      error = std::strerror(errno);
      return std::nullopt;
    }
    std::string data;
    char buf[1 << 16];
    bool too_big = false;
    for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, f)) > 0;) {
      if (data.size() + n > max_bytes) {
        too_big = true;
        break;
      }
      data.append(buf, n);
    }
    bool failed = std::ferror(f) != 0;
    int err = errno;
    std::fclose(f);
    if (too_big) {
      error = "note is larger than the limit of " + std::to_string(max_bytes) + " bytes";
      return std::nullopt;
    }
    if (failed) {
      error = std::strerror(err);
      return std::nullopt;
    }
    return data;
  }

 private:
  fs::path m_root;
};

}  // namespace

std::unique_ptr<FileSystem> make_disk_file_system(const std::string& root) {
  return std::make_unique<DiskFileSystem>(fs::path(root));
}

}  // namespace tkb
