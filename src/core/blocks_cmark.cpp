// The only translation unit that uses cmark-gfm.
#include <cmark-gfm.h>

#include <algorithm>
#include <memory>

#include "tkb/blocks.hpp"

namespace tkb {

namespace {

struct NodeDeleter {
  void operator()(cmark_node* n) const { cmark_node_free(n); }
};
struct IterDeleter {
  void operator()(cmark_iter* i) const { cmark_iter_free(i); }
};

bool is_space(char c) {
  return c == ' ' || c == '\t';
}

// cmark-gfm's time grows with the square of how many block quotes and list items one line
// opens: 20,000 `> ` on a line take seconds, 20,000 `- ` tens of seconds (found by the
// hostile-input tests). On a line that opens more than kMaxContainers, the marker past the
// limit is made a letter, so the rest of the line is paragraph text. The copy given to cmark
// keeps every offset; only the block structure of such a line changes (a heading or code
// fence nested that deep is not seen).
constexpr int kMaxContainers = 16;

void limit_containers(std::string& body) {
  for (std::size_t ls = 0; ls < body.size();) {
    std::size_t le = body.find('\n', ls);
    if (le == std::string::npos) le = body.size();
    int depth = 0;
    for (std::size_t i = ls; i < le;) {
      while (i < le && is_space(body[i])) ++i;
      std::size_t marker = 0;
      if (i < le && body[i] == '>') {
        marker = 1;
      } else if (i + 1 < le && (body[i] == '-' || body[i] == '*' || body[i] == '+') &&
                 is_space(body[i + 1])) {
        marker = 1;
      } else {
        std::size_t d = i;
        while (d < le && d - i < 9 && body[d] >= '0' && body[d] <= '9') ++d;
        if (d > i && d + 1 < le && (body[d] == '.' || body[d] == ')') && is_space(body[d + 1])) {
          marker = d + 1 - i;
        }
      }
      if (marker == 0) break;
      if (++depth > kMaxContainers) {
        body[i] = 'x';
        break;
      }
      i += marker;
    }
    ls = le + 1;
  }
}

}  // namespace

BlockStructure scan_blocks_full(std::string_view text, std::size_t body_offset,
                                const LineIndex& lines) {
  BlockStructure out;
  std::string body(text.substr(body_offset));
  // cmark ends a line at a lone CR too; tkb counts lines by '\n' only. Blank lone CRs so the
  // two agree on line numbers.
  for (std::size_t i = 0; i < body.size(); ++i) {
    if (body[i] == '\r' && (i + 1 == body.size() || body[i + 1] != '\n')) body[i] = ' ';
  }
  limit_containers(body);
  std::unique_ptr<cmark_node, NodeDeleter> doc(
      cmark_parse_document(body.data(), body.size(), CMARK_OPT_DEFAULT));
  if (!doc) return out;
  const std::uint32_t first_line = lines.at(body_offset).line;
  auto line_begin = [&](int cm_line) -> std::size_t {
    std::size_t line = first_line + static_cast<std::size_t>(cm_line) - 1;
    if (line > lines.line_count()) return text.size();
    return lines.line_start(line);
  };
  auto line_end = [&](int cm_line) -> std::size_t {  // after the line's '\n'
    std::size_t line = first_line + static_cast<std::size_t>(cm_line);
    if (line > lines.line_count()) return text.size();
    return lines.line_start(line);
  };

  std::unique_ptr<cmark_iter, IterDeleter> it(cmark_iter_new(doc.get()));
  for (cmark_event_type ev; (ev = cmark_iter_next(it.get())) != CMARK_EVENT_DONE;) {
    if (ev != CMARK_EVENT_ENTER) continue;
    cmark_node* node = cmark_iter_get_node(it.get());
    cmark_node_type type = cmark_node_get_type(node);
    int sl = cmark_node_get_start_line(node), el = cmark_node_get_end_line(node);
    if (sl <= 0) continue;
    // cmark-gfm ends a block that the next line closed (an open fence in a quote or list
    // item, a setext heading) one line late; no block ends after its container.
    for (cmark_node* up = cmark_node_parent(node); up; up = cmark_node_parent(up)) {
      int pl = cmark_node_get_end_line(up);
      if (pl > 0 && cmark_node_get_type(up) != CMARK_NODE_DOCUMENT) el = std::min(el, pl);
    }
    if (el < sl) el = sl;
    if (type == CMARK_NODE_CODE_BLOCK) {
      CodeBlock block;
      block.begin = static_cast<std::uint32_t>(line_begin(sl));
      block.end = static_cast<std::uint32_t>(line_end(el));
      int length = 0, offset = 0;
      char fence_char = 0;
      block.fenced = cmark_node_get_fenced(node, &length, &offset, &fence_char) != 0;
      if (block.fenced) {
        if (const char* info = cmark_node_get_fence_info(node)) block.info = info;
        // Closed when the block's last line is a closing fence: only container markers and
        // spaces before a run of at least `length` fence chars, within three columns of the
        // opening fence, and nothing after it.
        std::string_view last = text.substr(line_begin(el), line_end(el) - line_begin(el));
        std::size_t k = last.find(fence_char);
        bool prefix_ok = k != std::string_view::npos &&
                         last.substr(0, k).find_first_not_of(" >") == std::string_view::npos;
        int run = 0;
        while (k != std::string_view::npos && k < last.size() && last[k] == fence_char) ++run, ++k;
        int column = static_cast<int>(k) - run + 1;
        int opener = cmark_node_get_start_column(node);
        block.closed = el > sl && prefix_ok && run >= length && trim(last.substr(k)).empty() &&
                       column - opener <= 3;
      }
      out.code.push_back(std::move(block));
    } else if (type == CMARK_NODE_HEADING) {
      HeadingBlock h;
      h.level = cmark_node_get_heading_level(node);
      std::size_t col = static_cast<std::size_t>(std::max(cmark_node_get_start_column(node), 1));
      std::size_t p = line_begin(sl) + col - 1;
      if (p < text.size() && text[p] == '#') {
        auto [b, e] = atx_heading_text(text, p);
        h.begin = static_cast<std::uint32_t>(b), h.end = static_cast<std::uint32_t>(e);
      } else {  // setext: the text lines above the underline
        int underline = sl + 1;
        while (underline < el) {
          std::string_view l =
              trim(text.substr(line_begin(underline), line_end(underline) - line_begin(underline)));
          if (!l.empty() && (l.find_first_not_of('=') == std::string_view::npos ||
                             l.find_first_not_of('-') == std::string_view::npos)) {
            break;
          }
          ++underline;
        }
        std::size_t b = std::min(p, text.size());
        std::size_t e = line_end(underline - 1);
        while (e > b && (text[e - 1] == '\n' || text[e - 1] == '\r' || is_space(text[e - 1]))) --e;
        h.begin = static_cast<std::uint32_t>(b), h.end = static_cast<std::uint32_t>(e);
      }
      out.headings.push_back(h);
    }
  }
  return out;
}

}  // namespace tkb
