#pragma once
// `tkb check --format sarif`: SARIF 2.1.0, the format code-scanning tools read.

#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "tkb/diagnostic.hpp"

namespace tkb {

// A relative path as a URI reference (RFC 3986): every byte but the unreserved characters
// (`A-Z a-z 0-9 - . _ ~`) and `/` percent-encoded, so spaces and non-ASCII names survive.
std::string sarif_uri(std::string_view path);

// One SARIF 2.1.0 log with one run: the tool (`tkb`, `tool_version`, every rule of
// all_rules() with its default level) and one result per finding. Levels: error, warning,
// note (for info). Locations are relative to `%SRCROOT%`; a finding without a path has none.
// Columns are written as given and declared as `unicodeCodePoints` (see code_point_column in
// tkb/report.hpp). Defined in the translation unit that uses the JSON library.
void write_sarif(std::ostream& out, const std::vector<Diagnostic>& findings,
                 std::string_view tool_version);

}  // namespace tkb
