#pragma once
// The process's standard output as a stream buffer of tkb's own, for two reasons:
// - a failed write is kept to be reported (std::cout forgets it: `tkb timestamps > /dev/full`
//   ended with exit code 0 and nothing written);
// - a large output into a pipe is handed over a block of memory at a time instead of copied
//   into the pipe (vmsplice(2)): a gigabyte of `timestamps` into `wc -c` took 0.6 s of CPU
//   time with write(2) and 0.15–0.2 s handed over.

#include <cstddef>
#include <memory>
#include <streambuf>

namespace tkb::cli {

class FdOutput final : public std::streambuf {
 public:
  // Blocks handed to a pipe whole: 2 MiB, one transparent huge page each. Smaller blocks are
  // for tests (a multiple of the page size); 0 never hands blocks over.
  static constexpr std::size_t kHugeBlock = std::size_t{2} << 20;

  // Writes to `fd`, which it does not close. When it is a pipe, asks for a 1 MiB pipe buffer
  // (see the constructor), and hands blocks of `block` bytes over once that many bytes have
  // gone out; only with transparent huge pages for the default size (with 4 KiB pages,
  // handing over cost more than copying).
  explicit FdOutput(int fd, std::size_t block = kHugeBlock);
  ~FdOutput() override;  // writes what is left
  FdOutput(const FdOutput&) = delete;
  FdOutput& operator=(const FdOutput&) = delete;

  // The errno of the first write that failed, or 0. A reader gone away (EPIPE, when SIGPIPE is
  // ignored) is not one: what follows is dropped without a word, as `tkb ... | head` wants.
  int error() const { return m_error; }
  // Bytes handed over to the pipe in blocks so far (the rest were copied by write(2)).
  std::size_t handed_over() const { return m_handed_over; }

 protected:
  int_type overflow(int_type c) override;
  std::streamsize xsputn(const char* s, std::streamsize n) override;
  int sync() override;

 private:
  void make_room();              // the buffer is full: empty it
  void start_blocks_when_due();  // fill blocks from now on, once output is large
  // Sends [p, p + n) by write(2), or vmsplice(2) with `hand_over`, moving p and n along,
  // until all is out, the reader is gone or a wait failed; returns the errno of a failed
  // call, 0 if none (the caller decides what it means).
  int send(const char*& p, std::size_t& n, bool hand_over);
  void write_pending();  // write(2) the buffer's bytes (or drop them, see error())
  void write_all(const char* p, std::size_t n);
  void hand_over_block();  // vmsplice(2) the full block, then the next one
  bool map_block();        // a fresh block to fill, or false
  void unmap_block();
  void use_heap_buffer();

  int m_fd;
  std::size_t m_block_size;  // 0: no blocks handed over (not a pipe, or they failed)
  std::unique_ptr<char[]> m_heap;
  char* m_block = nullptr;  // the block being filled, when blocks are handed over
  std::size_t m_block_mapped = 0;  // its size (m_block_size may be 0 by the time it goes)
  std::size_t m_written = 0, m_handed_over = 0;
  int m_error = 0;
  bool m_gone = false;  // the reader went away
};

}  // namespace tkb::cli
