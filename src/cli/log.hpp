#pragma once
// Verbose logging to stderr (-v). Wraps spdlog so that only log.cpp includes it.

#include <chrono>
#include <string>
#include <string_view>

namespace tkb::cli::log {

void init(int verbosity, bool quiet);
void debug(std::string_view message);
void info(std::string_view message);

// "123 ms" since `start`, for timing messages.
inline std::string elapsed_ms(std::chrono::steady_clock::time_point start) {
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                                  start);
  return std::to_string(ms.count()) + " ms";
}

}  // namespace tkb::cli::log
