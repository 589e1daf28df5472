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
BlockStructure scan_blocks_full(std::string_view text, std::size_t body_offset,
                                const LineIndex& lines);

// A line scanner for ordinary notes: top-level fences, ATX headings, paragraphs, lists and
// block quotes. Returns nullopt when the body holds anything whose structure it cannot settle
// exactly as CommonMark would (indented code, setext headings and thematic breaks, HTML
// blocks, fences or headings inside containers); the caller then uses scan_blocks_full.
// Where it answers, the answer equals scan_blocks_full's (tested on fixtures and the corpus).
std::optional<BlockStructure> scan_blocks_fast(std::string_view text, std::size_t body_offset,
                                               const LineIndex& lines);

bool operator==(const CodeBlock& a, const CodeBlock& b);
bool operator==(const HeadingBlock& a, const HeadingBlock& b);

// The ATX heading text of the line whose first '#' is at `p`: [begin, end) in `text`.
std::pair<std::size_t, std::size_t> atx_heading_text(std::string_view text, std::size_t p);

}  // namespace tkb
