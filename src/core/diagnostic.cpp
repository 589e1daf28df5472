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

void append_printable(std::string& out, std::string_view s) {
  auto control = [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7F; };
  for (std::size_t i = 0; i < s.size();) {
    std::size_t run = i;
    while (run < s.size() && !control(s[run])) ++run;
    out.append(s.substr(i, run - i));  // the common case: the whole text at once
    if (run == s.size()) break;
    char c = s[run];
    if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else {
      static constexpr char kHex[] = "0123456789ABCDEF";
      out += "\\x";
      out += kHex[static_cast<unsigned char>(c) >> 4];
      out += kHex[static_cast<unsigned char>(c) & 0xF];
    }
    i = run + 1;
  }
}

std::string printable(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  append_printable(out, s);
  return out;
}

std::string format_diagnostic(const Diagnostic& d) {
  // A file name or a YAML value may hold a newline: keep every finding on one line.
  std::string out = d.path.empty() ? std::string("tkb") : printable(d.path);
  if (!d.path.empty()) {
    out += ':' + std::to_string(d.pos.line) + ':' + std::to_string(d.pos.column);
  }
  out += ": ";
  out += to_string(d.severity);
  out += ": ";
  out += printable(d.message);
  out += " [";
  out += d.rule;
  out += ']';
  return out;
}

bool diagnostic_less(const Diagnostic& a, const Diagnostic& b) {
  // Each field compared once, three-way: std::tie's `<` compared the (mostly equal) paths
  // twice, and sorting findings was a tenth of check's work on a large knowledge base.
  if (int c = a.path.compare(b.path)) return c < 0;
  return diagnostic_less_in_file(a, b);
}

bool diagnostic_less_in_file(const Diagnostic& a, const Diagnostic& b) {
  if (a.pos.offset != b.pos.offset) return a.pos.offset < b.pos.offset;
  if (int c = a.rule.compare(b.rule)) return c < 0;
  return a.message < b.message;
}

}  // namespace tkb
