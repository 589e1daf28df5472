#pragma once

#include <ostream>

namespace tkb::cli {

// Parse the command line and run the command. Returns the exit code; throws tkb::Error for
// usage or fatal errors found by a command.
int run(int argc, char** argv, std::ostream& out, std::ostream& err);

}  // namespace tkb::cli
