#pragma once
// The inline scanner: wikilinks and timestamp anchors, with exact byte positions.

#include <string_view>
#include <vector>

#include "tkb/blocks.hpp"
#include "tkb/model.hpp"
#include "tkb/text.hpp"

namespace tkb {

// Split the inside of `[[...]]` (brackets removed) into target, fragment and alias.
// The alias starts after the first '|' (or `\|`, as written inside tables); each part is
// trimmed. `raw` is `inner` (a caller that has the whole link widens it); `pos` is left for
// the caller.
WikiLink split_wikilink(std::string_view inner);

struct ScanOutput {
  std::vector<WikiLink> links;            // outside code and comments
  std::vector<WikiLink> code_links;       // inside code spans, code blocks or HTML comments
  std::vector<TimestampAnchor> anchors;   // heading and text left for the caller
  std::vector<Diagnostic> diagnostics;    // path left empty
  std::vector<Suppression> suppressions;  // from `<!-- tkb-ignore ... -->` comments
};

// Scan text[begin, end) for wikilinks and anchors. `code` lists the code blocks (sorted);
// code spans and HTML comments are found here.
ScanOutput scan_inline(std::string_view text, std::size_t begin, std::size_t end,
                       const std::vector<CodeBlock>& code, const LineIndex& lines);
// The same into `out`, whose lists are cleared first and keep their capacity: a caller that
// parses many notes reuses one ScanOutput instead of growing new lists for each. Without
// `lint`, links are passed over but not kept and no finding is made: only the anchors (and
// the suppressions) come out, the same anchors as with it.
void scan_inline(std::string_view text, std::size_t begin, std::size_t end,
                 const std::vector<CodeBlock>& code, const LineIndex& lines, ScanOutput& out,
                 bool lint = true);

// The plain text of a stretch of Markdown: wikilinks become their visible text, HTML tags
// and anchors are removed, emphasis markers dropped, white space collapsed.
std::string plain_text(std::string_view markdown);
// The same, appended to `out`.
void append_plain_text(std::string& out, std::string_view markdown);
// Whether `markdown` holds a byte that starts markup plain_text takes away ('[', '<', '*',
// '`', '_'). Without one, plain_text changes only white space.
bool has_plain_text_markup(std::string_view markdown);
// How many bytes from `i` on plain_text copies without a decision: up to the first markup
// byte ('[', '<', '*', '`', '_'), tab or line break, or the second space of two (a space at
// `i` itself never stops it). Exposed for tests.
std::size_t plain_run(std::string_view markdown, std::size_t i);

}  // namespace tkb
