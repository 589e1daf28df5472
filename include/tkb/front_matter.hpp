#pragma once
// Front matter: the `---` YAML block that opens a note.

#include <cstddef>
#include <string_view>
#include <vector>

#include "tkb/model.hpp"
#include "tkb/text.hpp"

namespace tkb {

// Limits that keep hostile front matter from costing unbounded work. Past any of them the
// front matter gets a `yaml-error` finding and is skipped (present and closed, but no keys):
// - its YAML is larger than kMaxFrontMatterBytes;
// - it nests deeper than kMaxFrontMatterDepth (flow `[`/`{` plus block levels: yaml-cpp
//   recurses once per level, and a deep enough `[[[[...` would overflow the stack);
// - its values, with every alias (`*a`) expanded, add up to more than kMaxFrontMatterValueBytes
//   (YAML anchors let a few bytes stand for a lot of text: "billion laughs").
inline constexpr std::size_t kMaxFrontMatterBytes = 64 * 1024;
inline constexpr std::size_t kMaxFrontMatterDepth = 64;
inline constexpr std::size_t kMaxFrontMatterValueBytes = 1024 * 1024;

struct FrontMatterResult {
  FrontMatter front_matter;
  std::size_t body_offset = 0;          // where the Markdown body starts
  std::vector<Diagnostic> diagnostics;  // path left empty; positions in `text`
};

// Parse the front matter at the start of `text` (a UTF-8 BOM before it is allowed).
// Never throws: YAML errors become `yaml-error` diagnostics with the position yaml-cpp gives.
// Front matter made only of `key: plain value` lines is read without yaml-cpp (the common
// case, and much faster); anything else, or `always_yaml`, goes through yaml-cpp. Both give
// the same result where the fast reader answers (tested on fixtures and the corpus).
FrontMatterResult parse_front_matter(std::string_view text, const LineIndex& lines,
                                     bool always_yaml = false);

}  // namespace tkb
