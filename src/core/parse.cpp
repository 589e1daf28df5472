#include "tkb/parse.hpp"

#include <algorithm>
#include <cstring>

#include "tkb/blocks.hpp"
#include "tkb/front_matter.hpp"
#include "tkb/scan.hpp"
#include "tkb/text.hpp"

namespace tkb {

namespace {

void split_path(Note& note) {
  std::size_t slash = note.path.rfind('/');
  note.folder = slash == std::string::npos ? "" : note.path.substr(0, slash);
  std::string file = slash == std::string::npos ? note.path : note.path.substr(slash + 1);
  if (file.size() > 3 && file.compare(file.size() - 3, 3, ".md") == 0) file.resize(file.size() - 3);
  note.id = file;
}

std::size_t first_invalid_utf8(std::string_view text) {
  // Fast path: pure ASCII needs no decoding.
  std::size_t i = 0;
  while (i < text.size() && static_cast<unsigned char>(text[i]) < 0x80) ++i;
  if (i == text.size()) return std::string_view::npos;
  // Walk line by line so the reported offset is precise without decoding twice.
  std::size_t line_start = text.rfind('\n', i);
  line_start = line_start == std::string_view::npos ? 0 : line_start + 1;
  for (std::size_t p = line_start; p < text.size();) {
    std::size_t nl = text.find('\n', p);
    std::size_t e = nl == std::string_view::npos ? text.size() : nl;
    std::string_view line = text.substr(p, e - p);
    if (!is_valid_utf8(line)) {
      for (std::size_t k = 0; k < line.size(); ++k) {
        std::size_t len = 1;
        while (k + len <= line.size() && len <= 4 && !is_valid_utf8(line.substr(k, len))) ++len;
        if (len > 4 || k + len > line.size()) return p + k;
        k += len - 1;
      }
      return p;
    }
    p = e + 1;
  }
  return std::string_view::npos;
}

// Line prefixes that are structure, not sentence: quote markers, list markers, heading marks.
std::size_t skip_line_markers(std::string_view line) {
  std::size_t i = 0;
  while (true) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t' || line[i] == '>')) ++i;
    if (i < line.size() && (line[i] == '-' || line[i] == '*' || line[i] == '+') &&
        i + 1 < line.size() && line[i + 1] == ' ') {
      i += 2;
      continue;
    }
    std::size_t d = i;
    while (d < line.size() && line[d] >= '0' && line[d] <= '9') ++d;
    if (d > i && d + 1 < line.size() && (line[d] == '.' || line[d] == ')') && line[d + 1] == ' ') {
      i = d + 2;
      continue;
    }
    if (i < line.size() && line[i] == '#') {
      while (i < line.size() && line[i] == '#') ++i;
      continue;
    }
    return i;
  }
}

// The sentence an anchor at `offset` closes, as plain text.
std::string sentence_before(std::string_view text, std::size_t offset) {
  std::size_t ls = text.rfind('\n', offset == 0 ? 0 : offset - 1);
  ls = (ls == std::string_view::npos || offset == 0) ? 0 : ls + 1;
  std::string_view seg = text.substr(ls, offset - ls);
  seg.remove_prefix(skip_line_markers(seg));
  // Drop the anchors (and their separators) right before this one: they close the same
  // sentence.
  while (true) {
    while (!seg.empty() && (seg.back() == ' ' || seg.back() == ',' || seg.back() == ';' ||
                            seg.back() == '\t')) {
      seg.remove_suffix(1);
    }
    if (seg.size() >= 4 && seg.substr(seg.size() - 4) == "</a>") {
      std::size_t open = seg.rfind("<a ");
      if (open == std::string_view::npos) break;
      seg = seg.substr(0, open);
      continue;
    }
    break;
  }
  // The sentence starts after an earlier anchor on the line (the text between two anchors is
  // what the later one cites), or after the last ". ", "! " or "? " outside a wikilink.
  std::size_t start = 0;
  if (std::size_t close = seg.rfind("</a>"); close != std::string_view::npos) {
    start = close + 4;
    while (start < seg.size() && std::strchr(" \t.,;:!?", seg[start])) ++start;
  }
  int depth = 0;
  for (std::size_t i = start; i + 1 < seg.size(); ++i) {
    if (seg[i] == '[' && seg[i + 1] == '[') ++depth, ++i;
    else if (seg[i] == ']' && seg[i + 1] == ']') depth = std::max(0, depth - 1), ++i;
    else if (depth == 0 && (seg[i] == '.' || seg[i] == '!' || seg[i] == '?') && seg[i + 1] == ' ')
      start = i + 2;
  }
  return plain_text(seg.substr(start));
}

}  // namespace

Note parse_note(std::string_view text, std::string path, const ParseOptions& options) {
  Note note;
  note.path = std::move(path);
  note.size = text.size();
  split_path(note);
  LineIndex lines(text);
  auto add = [&](Diagnostic d) {
    d.path = note.path;
    note.diagnostics.push_back(std::move(d));
  };

  if (const void* nul = std::memchr(text.data(), '\0', text.size())) {
    std::size_t at = static_cast<const char*>(nul) - text.data();
    add({"", lines.at(at), Severity::error, "binary-content",
         "file holds NUL bytes; it looks like a binary file, not a note, and is not read"});
    return note;
  }
  if (std::size_t bad = first_invalid_utf8(text); bad != std::string_view::npos) {
    add({"", lines.at(bad), Severity::warning, "invalid-utf8",
         "bytes that are not valid UTF-8; names and text around them may show wrongly"});
  }

  FrontMatterResult fm = parse_front_matter(text, lines, options.always_full_markdown);
  note.front_matter = std::move(fm.front_matter);
  for (Diagnostic& d : fm.diagnostics) add(std::move(d));
  if (const FrontMatterEntry* e = note.front_matter.find("title")) note.title = e->value;
  if (const FrontMatterEntry* e = note.front_matter.find("videoId")) note.video_id = e->value;
  if (const FrontMatterEntry* e = note.front_matter.find("aliases")) {
    note.aliases = e->is_scalar ? std::vector<std::string>{e->value} : e->items;
  }

  std::optional<BlockStructure> fast;
  if (!options.always_full_markdown) fast = scan_blocks_fast(text, fm.body_offset, lines);
  BlockStructure blocks = fast ? std::move(*fast) : scan_blocks_full(text, fm.body_offset, lines);
  for (const HeadingBlock& h : blocks.headings) {
    note.headings.push_back(Heading{h.level, std::string(text.substr(h.begin, h.end - h.begin)),
                                    lines.at(h.begin)});
  }

  ScanOutput scan = scan_inline(text, fm.body_offset, text.size(), blocks.code, lines);
  note.links = std::move(scan.links);
  note.code_links = std::move(scan.code_links);
  note.anchors = std::move(scan.anchors);
  for (Diagnostic& d : scan.diagnostics) add(std::move(d));

  for (TimestampAnchor& a : note.anchors) {
    auto it = std::upper_bound(
        note.headings.begin(), note.headings.end(), a.pos.offset,
        [](std::uint32_t off, const Heading& h) { return off < h.pos.offset; });
    a.heading = static_cast<int>(it - note.headings.begin()) - 1;
    // An anchor inside a heading line belongs to that heading.
    if (it != note.headings.end() && it->pos.line == a.pos.line) {
      a.heading = static_cast<int>(it - note.headings.begin());
    }
    if (options.anchor_text) a.text = sentence_before(text, a.pos.offset);
  }

  // The `From: [[channel]]` line: the first body line before any heading that starts so.
  std::uint32_t limit_line = note.headings.empty() ? UINT32_MAX : note.headings.front().pos.line;
  for (std::size_t i = 0; i < note.links.size(); ++i) {
    const WikiLink& l = note.links[i];
    if (l.pos.line >= limit_line) break;
    std::size_t ls = lines.line_start(l.pos.line);
    std::string_view before = trim(text.substr(ls, l.pos.offset - ls));
    if (before == "From:") {
      note.channel = l.target;
      note.channel_link = static_cast<int>(i);
      break;
    }
  }
  return note;
}

const FrontMatterEntry* FrontMatter::find(std::string_view key) const {
  for (const FrontMatterEntry& e : entries) {
    if (e.key == key) return &e;
  }
  return nullptr;
}

}  // namespace tkb
