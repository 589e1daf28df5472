// Wires the command line to the process: exit codes and the last line of defence.
#include <fcntl.h>
#include <sys/stat.h>

#include <iostream>

#include "cli/app.hpp"
#include "tkb/error.hpp"

namespace {

// When stdout is a pipe, ask for a 1 MiB pipe buffer instead of 64 KiB: `timestamps` can
// write a gigabyte, and with the default size the writer and the reader take turns every
// 64 KiB (1.24 GB into `wc -c`: 1.4 s with 64 KiB, 0.6 s with 1 MiB). A refusal (a limit
// set by the administrator) leaves the pipe as it was.
void widen_stdout_pipe() {
#if defined(F_SETPIPE_SZ)
  struct stat st;
  if (::fstat(1, &st) == 0 && S_ISFIFO(st.st_mode)) (void)::fcntl(1, F_SETPIPE_SZ, 1 << 20);
#endif
}

}  // namespace

int main(int argc, char** argv) {
  std::ios::sync_with_stdio(false);
  widen_stdout_pipe();
  try {
    return tkb::cli::run(argc, argv, std::cout, std::cerr);
  } catch (const tkb::Error& e) {
    std::cout.flush();
    std::cerr << "tkb: error: " << e.what() << '\n';
    return 2;
  } catch (const std::exception& e) {
    std::cout.flush();
    std::cerr << "tkb: internal error: " << e.what() << '\n';
    return 2;
  }
}
