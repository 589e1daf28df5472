// The only translation unit that uses spdlog.
#include "log.hpp"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

namespace tkb::cli::log {

void init(int verbosity, bool quiet) {
  auto logger = spdlog::stderr_logger_st("tkb");
  logger->set_pattern("tkb: %l: %v");
  spdlog::level::level_enum level = spdlog::level::warn;
  if (quiet) level = spdlog::level::err;
  if (verbosity == 1) level = spdlog::level::info;
  if (verbosity >= 2) level = spdlog::level::debug;
  logger->set_level(level);
  spdlog::set_default_logger(logger);
}

void debug(std::string_view message) {
  spdlog::debug("{}", message);
}
void info(std::string_view message) {
  spdlog::info("{}", message);
}

}  // namespace tkb::cli::log
