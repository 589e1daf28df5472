#pragma once
// Block structure of a note body: where code blocks and headings are.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tkb/text.hpp"

namespace tkb {

struct CodeBlock {
  std::uint32_t begin = 0, end = 0;  // byte range in the note, whole lines
  bool fenced = false;
  bool closed = true;  // a fenced block whose closing fence was found
  std::string info;    // a fenced block's info string (`markdown`, `python`, ...)
};

struct HeadingBlock {
  int level = 0;
  std::uint32_t begin = 0, end = 0;  // the heading's text, markers removed, in the note
};

struct BlockStructure {
  std::vector<CodeBlock> code;  // in document order
  std::vector<HeadingBlock> headings;
};

// Full CommonMark (cmark-gfm) parse of text[body_offset, end).
BlockStructure scan_blocks(std::string_view text, std::size_t body_offset, const LineIndex& lines);

}  // namespace tkb
