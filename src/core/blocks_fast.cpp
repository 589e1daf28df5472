#include <cstring>

#include "tkb/blocks.hpp"

namespace tkb {

bool operator==(const CodeBlock& a, const CodeBlock& b) {
  return a.begin == b.begin && a.end == b.end && a.fenced == b.fenced && a.closed == b.closed &&
         a.info == b.info;
}
bool operator==(const HeadingBlock& a, const HeadingBlock& b) {
  return a.level == b.level && a.begin == b.begin && a.end == b.end;
}

namespace {

bool is_space(char c) {
  return c == ' ' || c == '\t';
}

bool blank(std::string_view s) {
  for (char c : s) {
    if (c != ' ' && c != '\t' && c != '\r') return false;
  }
  return true;
}

// `#` to `######` followed by a space, a tab or the end of the line.
bool atx_start(std::string_view s) {
  std::size_t n = 0;
  while (n < s.size() && s[n] == '#') ++n;
  return n >= 1 && n <= 6 && (n == s.size() || is_space(s[n]) || s[n] == '\r');
}

// A list marker (`-`, `*`, `+`, `1.`, `1)`) followed by a space: the length of marker and
// space, or 0.
std::size_t list_marker(std::string_view s) {
  if (s.size() >= 2 && (s[0] == '-' || s[0] == '*' || s[0] == '+') && is_space(s[1])) return 2;
  std::size_t d = 0;
  while (d < s.size() && d < 9 && s[d] >= '0' && s[d] <= '9') ++d;
  if (d > 0 && d + 1 < s.size() && (s[d] == '.' || s[d] == ')') && is_space(s[d + 1])) return d + 2;
  return 0;
}

// `---`, `***`, `___`, `===` runs (spaces allowed between): setext underlines and thematic
// breaks, whose meaning depends on the line above.
bool rule_line(std::string_view s) {
  char c = 0;
  int count = 0;
  for (char ch : s) {
    if (ch == ' ' || ch == '\t' || ch == '\r') continue;
    if (ch != '-' && ch != '*' && ch != '_' && ch != '=') return false;
    if (c && ch != c) return false;
    c = ch;
    ++count;
  }
  return count >= 1 && (c == '-' || c == '=' || count >= 3);
}

std::size_t fence_run(std::string_view s, char& ch) {
  if (s.empty() || (s[0] != '`' && s[0] != '~')) return 0;
  ch = s[0];
  std::size_t n = 0;
  while (n < s.size() && s[n] == ch) ++n;
  return n >= 3 ? n : 0;
}

// Where `needle` next occurs in the text, for lines asked about in increasing order: each
// search starts past the previous answer, so all lines together cost one pass, not two
// searches per line.
class NextOccurrence {
 public:
  NextOccurrence(std::string_view text, std::string_view needle) : m_text(text), m_needle(needle) {}
  bool within(std::size_t b, std::size_t e) {
    if (!m_known || (m_at != std::string_view::npos && m_at < b)) {
      m_at = m_text.find(m_needle, b);
      m_known = true;
    }
    return m_at != std::string_view::npos && m_at + m_needle.size() <= e;
  }

 private:
  std::string_view m_text, m_needle;
  std::size_t m_at = 0;
  bool m_known = false;
};

// Does the line [b, e) hold "```" or "~~~"?
struct FenceFinder {
  NextOccurrence backticks, tildes;
  explicit FenceFinder(std::string_view text) : backticks(text, "```"), tildes(text, "~~~") {}
  bool in_line(std::size_t b, std::size_t e) {
    return backticks.within(b, e) || tildes.within(b, e);
  }
};

std::string_view trim_right(std::string_view s) {
  while (!s.empty() && (is_space(s.back()) || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

}  // namespace

std::pair<std::size_t, std::size_t> atx_heading_text(std::string_view text, std::size_t p) {
  std::size_t eol = text.find('\n', p);
  if (eol == std::string_view::npos) eol = text.size();
  std::size_t b = p;
  while (b < eol && text[b] == '#') ++b;
  while (b < eol && is_space(text[b])) ++b;
  std::size_t e = eol;
  while (e > b && (is_space(text[e - 1]) || text[e - 1] == '\r')) --e;
  // An optional closing sequence of '#' preceded by a space.
  std::size_t h = e;
  while (h > b && text[h - 1] == '#') --h;
  if (h < e && (h == b || is_space(text[h - 1]))) {
    e = h;
    while (e > b && is_space(text[e - 1])) --e;
  }
  return {b, e};
}

std::optional<BlockStructure> scan_blocks_fast(std::string_view text, std::size_t body_offset,
                                               const LineIndex& lines) {
  BlockStructure out;
  // What the previous line was decides whether an indented line is code.
  enum class Prev { none, paragraph } prev = Prev::none;
  bool in_fence = false;
  char fence_char = 0;
  std::size_t fence_len = 0;
  CodeBlock fence;

  FenceFinder fences(text);
  std::size_t line_no = lines.at(body_offset).line;  // body_offset starts a line
  for (std::size_t ls = body_offset; ls < text.size(); ++line_no) {
    bool last = line_no >= lines.line_count();
    std::size_t next = last ? text.size() : lines.line_start(line_no + 1);
    std::size_t le = last ? text.size() : next - 1;
    std::string_view line = text.substr(ls, le - ls);
    std::size_t indent = 0;
    while (indent < line.size() && line[indent] == ' ') ++indent;
    if (indent < line.size() && line[indent] == '\t') return std::nullopt;
    std::string_view content = line.substr(indent);

    if (in_fence) {
      char ch = 0;
      std::size_t run = indent <= 3 ? fence_run(content, ch) : 0;
      if (run >= fence_len && ch == fence_char && blank(content.substr(run))) {
        in_fence = false;
        fence.end = static_cast<std::uint32_t>(next);
        out.code.push_back(fence);
        prev = Prev::none;
      }
      ls = next;
      continue;
    }
    if (blank(line)) {
      prev = Prev::none;
      ls = next;
      continue;
    }
    if (indent >= 4) {
      // Indented code, unless it continues a paragraph (code cannot interrupt one).
      if (prev != Prev::paragraph) return std::nullopt;
      std::size_t m = list_marker(content);
      std::string_view rest = content.substr(m);
      if (atx_start(content) || atx_start(rest) || fences.in_line(ls, le) || content[0] == '>' ||
          content[0] == '<' || rule_line(content)) {
        return std::nullopt;  // a nested block whose place depends on list indentation
      }
      ls = next;
      continue;
    }
    char ch = 0;
    if (std::size_t run = fence_run(content, ch)) {
      // An indented fence may belong to a list item, whose end closes it: CommonMark decides.
      if (indent > 0) return std::nullopt;
      std::string_view info = trim_right(content.substr(run));
      if (ch == '`' && info.find('`') != std::string_view::npos) return std::nullopt;
      while (!info.empty() && is_space(info.front())) info.remove_prefix(1);
      in_fence = true;
      fence_char = ch;
      fence_len = run;
      fence = CodeBlock{static_cast<std::uint32_t>(ls), 0, true, true, std::string(info)};
      ls = next;
      continue;
    }
    // Inline code of three backticks, a fence inside a container, a setext underline or a
    // thematic break, an HTML block (a line opening with a tag other than `<a `): CommonMark's
    // answer depends on more context than one line.
    // A line that is only an opening tag (even `<a ...>`) starts an HTML block.
    bool anchor_start =
        content.size() > 2 && (content[1] == 'a' || content[1] == 'A') && is_space(content[2]);
    std::string_view trimmed = trim_right(content);
    bool tag_alone = trimmed.back() == '>' && content.find('>') == trimmed.size() - 1;
    bool html_block = content[0] == '<' && (!anchor_start || tag_alone);
    if (fences.in_line(ls, le) || rule_line(content) || html_block) return std::nullopt;
    if (atx_start(content)) {
      auto [b, e] = atx_heading_text(text, ls + indent);
      std::size_t level = 0;
      // Bounded: the line may be the last of the text, "#" with nothing after it (found by
      // fuzzing: a read past the end of the text).
      while (level < content.size() && content[level] == '#') ++level;
      out.headings.push_back(HeadingBlock{static_cast<int>(level), static_cast<std::uint32_t>(b),
                                          static_cast<std::uint32_t>(e)});
      prev = Prev::none;
      ls = next;
      continue;
    }
    // Block quotes and list items: fine as long as what they hold is a paragraph.
    std::string_view rest = content;
    bool container = false;
    while (true) {
      if (!rest.empty() && rest[0] == '>') {
        rest.remove_prefix(1);
        if (!rest.empty() && rest[0] == ' ') rest.remove_prefix(1);
        container = true;
      } else if (std::size_t m = list_marker(rest)) {
        rest.remove_prefix(m);
        container = true;
      } else {
        break;
      }
    }
    if (container) {
      std::size_t sp = 0;
      while (sp < rest.size() && rest[sp] == ' ') ++sp;
      std::string_view inner = rest.substr(sp);
      if (blank(rest)) {
        prev = Prev::none;  // an empty quote line or list item ends the paragraph
        ls = next;
        continue;
      }
      if (sp >= 3 || inner[0] == '\t' || atx_start(inner) || inner[0] == '<' || rule_line(inner)) {
        return std::nullopt;
      }
    }
    prev = Prev::paragraph;
    ls = next;
  }
  if (in_fence) {
    fence.end = static_cast<std::uint32_t>(text.size());
    fence.closed = false;
    out.code.push_back(fence);
  }
  return out;
}

}  // namespace tkb
