#pragma once
// Presenting `check` findings: source excerpts with a caret, GitHub workflow annotations, the
// --summary counts, and the --durations file. Plain text in and out; no terminal, no colour
// (the CLI adds those).

#include <array>
#include <cstdint>
#include <map>
#include <ostream>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "tkb/check.hpp"
#include "tkb/diagnostic.hpp"

namespace tkb {

// ---- Source excerpts ----------------------------------------------------------------------

// Line `line` (1-based) of `text`, without its `\n` or `\r\n`; empty when there is no such
// line. Only `\n` ends a line, as everywhere in tkb.
std::string_view line_of(std::string_view text, std::uint32_t line);

// The 1-based column, in code points, of the byte column `byte_column` of `line`. Bytes that
// are not valid UTF-8 count one each; a column beyond the line counts one per missing byte.
std::uint32_t code_point_column(std::string_view line, std::uint32_t byte_column);

// One source line made safe to print, and the blanks that put a caret under a byte column:
// a tab becomes spaces to the next multiple of 4, control characters their visible pictures
// (U+2400...), invisible characters (zero-width, bidi controls, BOM, soft hyphen) `<U+XXXX>`,
// bytes that are not UTF-8 U+FFFD. Each code point before the column gives the caret one
// space (two for East Asian wide characters, none for combining marks). A line wider than
// `max_width` is cut around the column, with `…` where text was left out.
struct SourceExcerpt {
  std::string text;   // the printable line
  std::string caret;  // spaces to print before the `^`
};
SourceExcerpt source_excerpt(std::string_view line, std::uint32_t byte_column,
                             std::size_t max_width = 120);

// ---- GitHub workflow commands -------------------------------------------------------------

// GitHub's escaping of a command's message (`%`, CR, LF) and of its properties (also `:`
// and `,`).
std::string github_escape_data(std::string_view s);
std::string github_escape_property(std::string_view s);

// `::error file=PATH,line=L,col=C,title=RULE::MESSAGE` (warning: `::warning`, info:
// `::notice`); a finding without a path has only `title`.
std::string github_annotation(const Diagnostic& d);
void write_github(std::ostream& out, const std::vector<Diagnostic>& findings);

// ---- --summary ----------------------------------------------------------------------------

struct CheckSummary {
  std::size_t notes = 0;                            // notes checked
  std::array<int, 3> totals{};                      // findings by Severity (info, warning, error)
  std::map<std::string, std::array<int, 3>> rules;  // per rule, by Severity
  std::vector<MissingTarget> missing;               // most-linked missing targets
};

CheckSummary summarize(const std::vector<Diagnostic>& findings, std::size_t notes);
// Add `findings` to the counts of `s` (for findings that come in batches).
void count_findings(CheckSummary& s, const std::vector<Diagnostic>& findings);
// Add the counts of `more` (notes, totals and per-rule counts) to those of `s`.
void add_counts(CheckSummary& s, const CheckSummary& more);

// `checked N notes: ...`, then a table of rules and one of missing targets (see README).
void write_summary_text(std::ostream& out, const CheckSummary& s);
// One JSON object; defined in the translation unit that uses the JSON library.
void write_summary_json(std::ostream& out, const CheckSummary& s);

// `checked 32 notes: 2 errors, 1 warning, 0 info` (and the per-rule counts when `per_rule`).
std::string summary_line(const CheckSummary& s, bool per_rule);

// ---- Names --------------------------------------------------------------------------------

// ` (did you mean 'x'?)` naming the known name nearest to `word` when one is near enough (an
// edit distance of at most a third of its length, and at least 2), else "".
std::string did_you_mean(std::string_view word, const std::vector<std::string_view>& known);

// ---- --durations FILE ---------------------------------------------------------------------

// A CSV of `video_id,seconds`: an optional header row (first cell `video_id`, `videoId` or
// `id`), then one video per row; seconds as a whole number or `[H]H:MM:SS` / `M:SS`. Blank
// lines are skipped, CRLF and a BOM are fine, cells may be quoted, and a leading `'` on a
// video id (as tkb's own CSV writes ids that start with `-`) is dropped. Throws tkb::Error
// naming `path:line` for a bad row or an id given twice with different lengths.
std::unordered_map<std::string, std::int64_t> parse_durations(std::string_view text,
                                                              const std::string& path);

}  // namespace tkb
