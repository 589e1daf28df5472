// Writing through the FileSystem seam: the read-only defaults and the in-memory tree of the
// tests. The disk's writes are in disk_fs.cpp.
#include "tkb/knowledge_base.hpp"

#include <functional>

namespace tkb {

std::string FileSystem::write_atomic(const std::string& path, std::string_view,
                                     const std::optional<std::string>&) {
  return "cannot write " + path + ": this file system is read-only";
}

std::string FileSystem::rename(const std::string& from, const std::string&) {
  return "cannot move " + from + ": this file system is read-only";
}

std::string FileSystem::remove(const std::string& path, const std::string&) {
  return "cannot remove " + path + ": this file system is read-only";
}

std::optional<FileStamp> FileSystem::stamp(const std::string&) {
  return std::nullopt;
}

bool FileSystem::read_stamped(const std::string& path, std::uint64_t max_bytes, std::string& out,
                              std::string& error, std::optional<FileStamp>& stamp) {
  stamp = this->stamp(path);
  return read_into(path, max_bytes, out, error);
}

std::optional<FileStamp> MemoryFileSystem::stamp(const std::string& path) {
  auto it = m_files.find(path);
  if (it == m_files.end()) return std::nullopt;
  return FileStamp{it->second.size(),
                   static_cast<std::int64_t>(std::hash<std::string>{}(it->second)), 0, 0, 0};
}

bool MemoryCacheStore::read_at(std::uint64_t offset, std::size_t size, std::string& out) const {
  if (offset > stored.size() || size > stored.size() - offset) return false;
  out.assign(stored, static_cast<std::size_t>(offset), size);
  return true;
}

bool MemoryCacheStore::begin() {
  m_pending.emplace();
  return true;
}

bool MemoryCacheStore::append(std::string_view bytes) {
  if (!m_pending) return false;
  m_pending->append(bytes);
  return true;
}

bool MemoryCacheStore::commit() {
  if (!m_pending) return false;
  stored = std::move(*m_pending);
  m_pending.reset();
  ++commits;
  return true;
}

bool FileSystem::exists(const std::string&) {
  return false;
}

std::string MemoryFileSystem::write_atomic(const std::string& path, std::string_view content,
                                           const std::optional<std::string>& expected) {
  auto it = m_files.find(path);
  if (!expected) {
    if (it != m_files.end()) return "it already exists";
    m_files.emplace(path, std::string(content));
    return {};
  }
  if (it == m_files.end()) return "it no longer exists";
  if (it->second != *expected) return "it changed on disk after it was read";
  it->second.assign(content);
  return {};
}

std::string MemoryFileSystem::rename(const std::string& from, const std::string& to) {
  auto it = m_files.find(from);
  if (it == m_files.end()) return "it no longer exists";
  if (m_files.count(to)) return to + " already exists";
  std::string content = std::move(it->second);
  m_files.erase(it);
  m_files.emplace(to, std::move(content));
  return {};
}

std::string MemoryFileSystem::remove(const std::string& path, const std::string& expected) {
  auto it = m_files.find(path);
  if (it == m_files.end()) return "it no longer exists";
  if (it->second != expected) return "it changed on disk after it was read";
  m_files.erase(it);
  return {};
}

bool MemoryFileSystem::exists(const std::string& path) {
  if (m_files.count(path)) return true;
  // A folder exists when some file lies below it.
  auto it = m_files.lower_bound(path + "/");
  return it != m_files.end() && it->first.compare(0, path.size() + 1, path + "/") == 0;
}

}  // namespace tkb
