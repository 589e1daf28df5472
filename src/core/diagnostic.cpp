#include "tkb/diagnostic.hpp"

#include <tuple>

namespace tkb {

std::string_view to_string(Severity s) {
  switch (s) {
    case Severity::info:
      return "info";
    case Severity::warning:
      return "warning";
    case Severity::error:
      return "error";
  }
  return "error";
}

std::string format_diagnostic(const Diagnostic& d) {
  std::string out = d.path.empty() ? std::string("tkb") : d.path;
  if (!d.path.empty()) {
    out += ':' + std::to_string(d.pos.line) + ':' + std::to_string(d.pos.column);
  }
  out += ": ";
  out += to_string(d.severity);
  out += ": ";
  out += d.message;
  out += " [";
  out += d.rule;
  out += ']';
  return out;
}

bool diagnostic_less(const Diagnostic& a, const Diagnostic& b) {
  return std::tie(a.path, a.pos.offset, a.rule, a.message) <
         std::tie(b.path, b.pos.offset, b.rule, b.message);
}

}  // namespace tkb
