#pragma once
// Diagnostics: findings and problems as values, printed by the CLI.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace tkb {

// A place in a note. Byte offset into the file, and the 1-based line and byte column
// computed from it when the note was parsed (the note text is not kept afterwards).
struct Position {
  std::uint32_t offset = 0;
  std::uint32_t line = 1;
  std::uint32_t column = 1;
  friend bool operator==(const Position&, const Position&) = default;
};

enum class Severity { info, warning, error };

std::string_view to_string(Severity s);

// One finding. `rule` is a stable kebab-case name (see rules.hpp).
struct Diagnostic {
  std::string path;  // relative to the knowledge-base root, '/'-separated; empty for global
  Position pos;
  Severity severity = Severity::error;
  std::string rule;
  std::string message;
};

// Render as `path:line:col: severity: message [rule]`, always on one line: control
// characters in the path and the message (a file name or a YAML value may hold a newline)
// are written as `printable` does.
std::string format_diagnostic(const Diagnostic& d);

// `s` with each ASCII control character written as an escape: `\n`, `\r`, `\t`, else
// `\xNN`. Text output uses it so that a hostile file name or value cannot forge lines.
std::string printable(std::string_view s);
void append_printable(std::string& out, std::string_view s);  // printable(s), appended

// Order by path, then offset, then rule: the order every command prints in.
bool diagnostic_less(const Diagnostic& a, const Diagnostic& b);
// The same order for two diagnostics of one file (their paths are not compared).
bool diagnostic_less_in_file(const Diagnostic& a, const Diagnostic& b);

}  // namespace tkb
