// Wires the command line to the process: exit codes and the last line of defence.
#include <iostream>

#include "cli/app.hpp"
#include "tkb/error.hpp"

int main(int argc, char** argv) {
  std::ios::sync_with_stdio(false);
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
