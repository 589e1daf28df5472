#pragma once
// Verbose logging to stderr (-v). Wraps spdlog so that only log.cpp includes it.

#include <string_view>

namespace tkb::cli::log {

void init(int verbosity, bool quiet);
void debug(std::string_view message);
void info(std::string_view message);

}  // namespace tkb::cli::log
