#include "fd_output.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>

namespace tkb::cli {

namespace {

constexpr std::size_t kHeapBuffer = 64 * 1024;

// Whether the kernel gives transparent huge pages to a mapping that asks (madvise) for them.
bool huge_pages_on_request() {
  std::ifstream in("/sys/kernel/mm/transparent_hugepage/enabled");
  std::string modes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return modes.find("[always]") != std::string::npos ||
         modes.find("[madvise]") != std::string::npos;
}

// Waits until `fd` takes more bytes (a pipe made non-blocking by whoever gave it); the
// errno of a failed wait, or 0.
int wait_writable(int fd) {
  pollfd p{fd, POLLOUT, 0};
  while (::poll(&p, 1, -1) < 0) {
    if (errno != EINTR) return errno;
  }
  return 0;
}

}  // namespace

FdOutput::FdOutput(int fd, std::size_t block)
    : m_fd(fd), m_block_size(0), m_heap(std::make_unique_for_overwrite<char[]>(kHeapBuffer)) {
  use_heap_buffer();
  struct stat st;
  if (::fstat(fd, &st) != 0 || !S_ISFIFO(st.st_mode)) return;
#if defined(F_SETPIPE_SZ)
  // A 1 MiB pipe buffer instead of 64 KiB: `timestamps` can write a gigabyte, and with the
  // default size the writer and the reader take turns every 64 KiB (1.24 GB into `wc -c`:
  // 1.4 s with 64 KiB, 0.6 s with 1 MiB). A refusal (a limit set by the administrator) leaves
  // the pipe as it was.
  (void)::fcntl(fd, F_SETPIPE_SZ, 1 << 20);
#endif
  const auto page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
  if (block == 0 || block % page != 0) return;
  if (block >= kHugeBlock && !huge_pages_on_request()) return;
  m_block_size = block;
}

FdOutput::~FdOutput() {
  sync();
  unmap_block();
}

void FdOutput::use_heap_buffer() {
  setp(m_heap.get(), m_heap.get() + kHeapBuffer);
}

bool FdOutput::map_block() {
  // A huge page must start at a multiple of its size: map twice the room and keep the
  // aligned part.
  const std::size_t want = m_block_size, room = want >= kHugeBlock ? 2 * want : want;
  void* raw = ::mmap(nullptr, room, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (raw == MAP_FAILED) return false;
  auto* begin = static_cast<char*>(raw);
  char* aligned = begin;
  if (room > want) {
    const auto at = reinterpret_cast<std::uintptr_t>(begin);
    aligned = begin + ((want - at % want) % want);
    if (aligned > begin) ::munmap(begin, static_cast<std::size_t>(aligned - begin));
    if (aligned + want < begin + room) {
      ::munmap(aligned + want, static_cast<std::size_t>(begin + room - (aligned + want)));
    }
#if defined(MADV_HUGEPAGE)
    (void)::madvise(aligned, want, MADV_HUGEPAGE);
#endif
  }
  m_block = aligned;
  m_block_mapped = want;
  setp(m_block, m_block + want);
  return true;
}

void FdOutput::unmap_block() {
  if (m_block) ::munmap(m_block, m_block_mapped);
  m_block = nullptr;
}

int FdOutput::send(const char*& p, std::size_t& n, bool hand_over) {
  while (n > 0 && !m_gone && m_error == 0) {
    ssize_t k;
    if (hand_over) {
      iovec v{const_cast<char*>(p), n};
      k = ::vmsplice(m_fd, &v, 1, 0);
    } else {
      k = ::write(m_fd, p, n);
    }
    if (k > 0) {
      p += k;
      n -= static_cast<std::size_t>(k);
      m_written += static_cast<std::size_t>(k);
      if (hand_over) m_handed_over += static_cast<std::size_t>(k);
    } else if (k < 0 && errno == EINTR) {
      continue;
    } else if (k < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      m_error = wait_writable(m_fd);
    } else if (k < 0 && errno == EPIPE) {
      m_gone = true;
    } else {
      return k < 0 ? errno : EIO;
    }
  }
  return 0;
}

void FdOutput::write_all(const char* p, std::size_t n) {
  if (const int e = send(p, n, false)) m_error = e;
}

void FdOutput::write_pending() {
  write_all(pbase(), static_cast<std::size_t>(pptr() - pbase()));
  setp(pbase(), epptr());  // copied, or dropped: the buffer can be filled again
}

void FdOutput::hand_over_block() {
  // The pipe keeps references to the block's pages, not a copy: the block is unmapped right
  // after and never written again, so what the reader gets cannot change. (Reusing it would
  // change bytes still waiting in the pipe.)
  const char* p = pbase();
  std::size_t n = static_cast<std::size_t>(pptr() - pbase());
  if (send(p, n, true) != 0) {
    // Refused (a kernel or sandbox without vmsplice): the rest is copied, from now on too.
    write_all(p, n);
    m_block_size = 0;
  }
  unmap_block();
  if (m_block_size == 0 || m_gone || m_error != 0 || !map_block()) {
    m_block_size = 0;
    use_heap_buffer();
  }
}

void FdOutput::make_room() {
  if (m_block) {
    hand_over_block();
  } else {
    write_pending();
    start_blocks_when_due();
  }
}

void FdOutput::start_blocks_when_due() {
  // Only once an output is large: a small one is not worth a fresh block's pages.
  if (m_block_size == 0 || m_block || m_written < m_block_size || m_gone || m_error != 0) return;
  if (!map_block()) m_block_size = 0;
}

FdOutput::int_type FdOutput::overflow(int_type c) {
  if (traits_type::eq_int_type(c, traits_type::eof())) return traits_type::not_eof(c);
  if (pptr() == epptr()) make_room();  // dropped or failed, the bytes are not kept either
  *pptr() = traits_type::to_char_type(c);
  pbump(1);
  return c;
}

std::streamsize FdOutput::xsputn(const char* s, std::streamsize n) {
  const std::streamsize given = n;
  while (n > 0) {
    if (m_gone || m_error != 0) return given;  // dropped, or failed: error() tells
    const auto room = static_cast<std::streamsize>(epptr() - pptr());
    if (n <= room) {
      std::memcpy(pptr(), s, static_cast<std::size_t>(n));
      pbump(static_cast<int>(n));
      break;
    }
    if (!m_block && n >= static_cast<std::streamsize>(kHeapBuffer)) {
      // Longer than the buffer, and no block to fill: written as it is, not copied into it.
      write_pending();
      write_all(s, static_cast<std::size_t>(n));
      start_blocks_when_due();
      break;
    }
    std::memcpy(pptr(), s, static_cast<std::size_t>(room));
    pbump(static_cast<int>(room));
    s += room;
    n -= room;
    make_room();
  }
  return given;
}

int FdOutput::sync() {
  // A flush asks for the bytes now, and is often small: copied by write(2), leaving the
  // block to be filled again.
  if (pptr() != pbase()) write_pending();
  return m_error == 0 ? 0 : -1;
}

}  // namespace tkb::cli
