#pragma once
// The one exception type tkb throws on purpose: a usage or fatal error (exit code 2).

#include <stdexcept>
#include <string>

namespace tkb {

class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& message) : std::runtime_error(message) {}
};

}  // namespace tkb
