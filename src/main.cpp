// Wires the command line to the process: exit codes and the last line of defence.
#include <unistd.h>

#include <cstring>
#include <iostream>

#include "cli/app.hpp"
#include "cli/fd_output.hpp"
#include "tkb/error.hpp"

int main(int argc, char** argv) {
  std::ios::sync_with_stdio(false);
  tkb::cli::FdOutput stdout_buffer(STDOUT_FILENO);
  std::ostream out(&stdout_buffer);
  int rc = 2;
  try {
    rc = tkb::cli::run(argc, argv, out, std::cerr);
  } catch (const tkb::Error& e) {
    out.flush();
    std::cerr << "tkb: error: " << e.what() << '\n';
  } catch (const std::exception& e) {
    out.flush();
    std::cerr << "tkb: internal error: " << e.what() << '\n';
  }
  // Output that did not reach its file is a failed run, whatever the command found.
  out.flush();
  if (const int e = stdout_buffer.error()) {
    std::cerr << "tkb: error: cannot write the output: " << std::strerror(e) << '\n';
    return 2;
  }
  return rc;
}
