// FdOutput, tkb's standard output: every byte arrives in order whichever way it goes out
// (copied by write(2), or blocks handed to a pipe by vmsplice(2)), flushes in between
// included; a failed write is kept; a reader gone away is not an error.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <iterator>
#include <ostream>
#include <string>
#include <thread>
#include <utility>

#include "cli/fd_output.hpp"

namespace {
// Set, vmsplice fails as a sandbox that forbids it would make it fail.
bool g_refuse_vmsplice = false;
}  // namespace

// This test program's vmsplice, which FdOutput calls in place of the C library's: the
// system's own unless a test has it refuse.
extern "C" ssize_t vmsplice(int fd, const struct iovec* iov, std::size_t count,
                            unsigned int flags) {
  if (g_refuse_vmsplice) {
    errno = ENOSYS;
    return -1;
  }
  return ::syscall(SYS_vmsplice, fd, iov, count, flags);
}

namespace {

// Bytes that show a lost, doubled or moved piece: each position's byte depends on it.
std::string pattern(std::size_t n, unsigned seed) {
  std::string s(n, '\0');
  std::uint32_t x = seed * 2654435761u + 1;
  for (std::size_t i = 0; i < n; ++i) {
    x = x * 1103515245u + 12345u;
    s[i] = static_cast<char>('a' + (x >> 16) % 26);
  }
  return s;
}

// Where two outputs first differ (or the shorter one ends), or npos: megabytes are not
// worth printing whole.
std::size_t first_difference(const std::string& a, const std::string& b) {
  const auto m = std::mismatch(a.begin(), a.end(), b.begin(), b.end());
  return m.first == a.end() && m.second == b.end() ? std::string::npos
                                                   : static_cast<std::size_t>(m.first - a.begin());
}

// Writes through an FdOutput in every way a command does: small pieces, single bytes, pieces
// longer than any buffer, and flushes.
void write_mixed(std::ostream& out, const std::string& data) {
  std::size_t i = 0, step = 0;
  const std::size_t sizes[] = {1, 7, 300, 5000, 70000, 300000, 3, 2'500'000, 64 * 1024};
  while (i < data.size()) {
    const std::size_t n = std::min(sizes[step % std::size(sizes)], data.size() - i);
    if (n == 1) {
      out.put(data[i]);
    } else {
      out.write(data.data() + i, static_cast<std::streamsize>(n));
    }
    i += n;
    if (++step % 5 == 0) out.flush();
  }
  out.flush();
}

// What `write` sends through a pipe, as the reader gets it, and the bytes handed over.
std::pair<std::string, std::size_t> through_pipe(std::size_t block, const std::string& data) {
  int fds[2];
  REQUIRE(::pipe(fds) == 0);
  std::string got;
  std::thread reader([&] {
    char buf[65536];
    for (ssize_t n; (n = ::read(fds[0], buf, sizeof buf)) != 0;) {
      if (n > 0)
        got.append(buf, static_cast<std::size_t>(n));
      else if (errno != EINTR)
        break;
    }
  });
  std::size_t handed = 0;
  {
    tkb::cli::FdOutput buffer(fds[1], block);
    std::ostream out(&buffer);
    write_mixed(out, data);
    CHECK(buffer.error() == 0);
    handed = buffer.handed_over();
  }
  ::close(fds[1]);
  reader.join();
  ::close(fds[0]);
  return {got, handed};
}

}  // namespace

TEST_CASE("FdOutput hands blocks to a pipe and every byte arrives in order", "[fd_output]") {
  const std::string data = pattern(9'000'000, 1);
  const auto page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
  for (std::size_t block : {page, 16 * page, std::size_t{1} << 20}) {
    INFO("block " << block);
    auto [got, handed] = through_pipe(block, data);
    REQUIRE(got.size() == data.size());
    CHECK(first_difference(got, data) == std::string::npos);
    // Blocks start once a block's worth has gone out. A flush copies the block's bytes so
    // far: small blocks are handed over nearly whole, 1 MiB ones between two flushes only.
    CHECK(handed >= (block < (std::size_t{1} << 20) ? data.size() / 2 : block));
    CHECK(handed <= data.size() - block);
  }
}

TEST_CASE("FdOutput copies when blocks are off, or not a page multiple", "[fd_output]") {
  const std::string data = pattern(3'000'000, 2);
  for (std::size_t block : {std::size_t{0}, std::size_t{1000}}) {
    INFO("block " << block);
    auto [got, handed] = through_pipe(block, data);
    CHECK(first_difference(got, data) == std::string::npos);
    CHECK(handed == 0);
  }
}

TEST_CASE("FdOutput copies the rest when the pipe refuses blocks", "[fd_output]") {
  const std::string data = pattern(3'000'000, 7);
  g_refuse_vmsplice = true;
  auto [got, handed] = through_pipe(4096, data);
  g_refuse_vmsplice = false;
  CHECK(first_difference(got, data) == std::string::npos);
  CHECK(handed == 0);
}

TEST_CASE("FdOutput with its default blocks loses no byte", "[fd_output]") {
  // Huge pages or not (blocks are off without them), the bytes are the same.
  const std::string data = pattern(7'000'000, 3);
  auto [got, handed] = through_pipe(tkb::cli::FdOutput::kHugeBlock, data);
  CHECK(first_difference(got, data) == std::string::npos);
  CHECK(handed <= data.size() - tkb::cli::FdOutput::kHugeBlock);
}

TEST_CASE("FdOutput writes a file by copying", "[fd_output]") {
  const std::string data = pattern(5'000'000, 4);
  std::FILE* f = std::tmpfile();
  REQUIRE(f);
  {
    tkb::cli::FdOutput buffer(::fileno(f), 4096);
    std::ostream out(&buffer);
    write_mixed(out, data);
    CHECK(buffer.error() == 0);
    CHECK(buffer.handed_over() == 0);  // not a pipe
  }
  std::string back(data.size() + 1, '\0');
  std::rewind(f);
  CHECK(std::fread(back.data(), 1, back.size(), f) == data.size());
  back.resize(data.size());
  CHECK(first_difference(back, data) == std::string::npos);
  std::fclose(f);
}

TEST_CASE("FdOutput keeps the error of a failed write", "[fd_output]") {
  const int fd = ::open("/dev/full", O_WRONLY);
  REQUIRE(fd >= 0);
  {
    tkb::cli::FdOutput buffer(fd);
    std::ostream out(&buffer);
    out << "a line\n";
    CHECK(buffer.error() == 0);  // still in the buffer
    out.flush();
    CHECK(buffer.error() == ENOSPC);
    out << pattern(200'000, 5);  // dropped: nothing more is tried
    out.flush();
    CHECK(buffer.error() == ENOSPC);
  }
  ::close(fd);
}

TEST_CASE("FdOutput drops the output of a reader gone away without an error", "[fd_output]") {
  const auto old = std::signal(SIGPIPE, SIG_IGN);  // as a shell's `trap '' PIPE` leaves it
  const std::string data = pattern(6'000'000, 6);
  for (std::size_t block : {std::size_t{0}, std::size_t{4096}}) {
    INFO("block " << block);
    int fds[2];
    REQUIRE(::pipe(fds) == 0);
    // The reader takes the first 100,000 bytes and goes, as `head -c` does.
    std::thread reader([&] {
      char buf[4096];
      std::size_t have = 0;
      for (ssize_t n; have < 100000 && (n = ::read(fds[0], buf, sizeof buf)) > 0;) {
        have += static_cast<std::size_t>(n);
      }
      ::close(fds[0]);
    });
    {
      tkb::cli::FdOutput buffer(fds[1], block);
      std::ostream out(&buffer);
      write_mixed(out, data);
      CHECK(buffer.error() == 0);
      CHECK(buffer.handed_over() < data.size());
    }
    reader.join();
    ::close(fds[1]);
  }
  std::signal(SIGPIPE, old);
}
