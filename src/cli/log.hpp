#pragma once
// Verbose logging to stderr (-v). Wraps spdlog so that only log.cpp includes it.

#include <time.h>

#include <chrono>
#include <string>
#include <string_view>

namespace tkb::cli::log {

void init(int verbosity, bool quiet);
void debug(std::string_view message);
void info(std::string_view message);

// Times a step for -vv: wall time and the CPU time of every thread of the process, which
// tells how well a step used the cores it was given (-j).
class Stopwatch {
 public:
  Stopwatch() : m_wall(std::chrono::steady_clock::now()), m_cpu(cpu_ns()) {}
  // Milliseconds since the stopwatch was made.
  long long wall_ms() const {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                                 m_wall)
        .count();
  }
  // "123 ms (230 ms CPU)" since the stopwatch was made.
  std::string text() const {
    const long long cpu = (cpu_ns() - m_cpu) / 1000000;
    return std::to_string(wall_ms()) + " ms (" + std::to_string(cpu) + " ms CPU)";
  }

 private:
  static long long cpu_ns() {
    timespec t{};
    ::clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return static_cast<long long>(t.tv_sec) * 1000000000 + t.tv_nsec;
  }
  std::chrono::steady_clock::time_point m_wall;
  long long m_cpu;
};

}  // namespace tkb::cli::log
