#include "tkb/scan.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <map>

#include "simd.hpp"
#include "tkb/timestamp.hpp"

namespace tkb {

namespace {

bool is_space(char c) {
  return c == ' ' || c == '\t';
}
bool is_ascii_punct(char c) {
  return (c >= '!' && c <= '/') || (c >= ':' && c <= '@') || (c >= '[' && c <= '`') ||
         (c >= '{' && c <= '~');
}
char lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

std::size_t line_end(std::string_view text, std::size_t p, std::size_t limit) {
  const void* nl = std::memchr(text.data() + p, '\n', limit - p);
  return nl ? static_cast<const char*>(nl) - text.data() : limit;
}

// Start of the first blank line at or after `p` (a paragraph ends there), or `limit`.
std::size_t next_blank_line(std::string_view text, std::size_t p, std::size_t limit) {
  while (p < limit) {
    std::size_t nl = line_end(text, p, limit);
    if (nl >= limit) return limit;
    std::size_t q = nl + 1;
    while (q < limit && (is_space(text[q]) || text[q] == '\r')) ++q;
    if (q >= limit || text[q] == '\n') return nl + 1;
    p = nl + 1;
  }
  return limit;
}

// `needle` is lower case and starts with a byte that has no case ('<').
std::size_t find_ci(std::string_view hay, std::string_view needle, std::size_t from) {
  if (needle.size() > hay.size()) return std::string_view::npos;
  for (std::size_t i = from; i + needle.size() <= hay.size(); ++i) {
    const void* hit = std::memchr(hay.data() + i, needle[0], hay.size() - i);
    if (!hit) return std::string_view::npos;
    i = static_cast<std::size_t>(static_cast<const char*>(hit) - hay.data());
    if (i + needle.size() > hay.size()) return std::string_view::npos;
    std::size_t k = 0;
    while (k < needle.size() && lower(hay[i + k]) == needle[k]) ++k;
    if (k == needle.size()) return i;
  }
  return std::string_view::npos;
}

struct Attr {
  std::string_view name, value;
};

// Parse `<a attr="v" ...>` attributes. Returns false when the markup is not well formed.
bool parse_attributes(std::string_view tag, std::vector<Attr>& attrs) {
  attrs.clear();
  std::size_t i = 2;  // after "<a"
  while (true) {
    while (i < tag.size() && is_space(tag[i])) ++i;
    if (i >= tag.size()) return false;
    if (tag[i] == '>') return true;
    std::size_t nb = i;
    while (i < tag.size() && (std::isalnum(static_cast<unsigned char>(tag[i])) || tag[i] == '-' ||
                              tag[i] == '_' || tag[i] == ':')) {
      ++i;
    }
    if (i == nb) return false;
    Attr a{tag.substr(nb, i - nb), {}};
    while (i < tag.size() && is_space(tag[i])) ++i;
    if (i < tag.size() && tag[i] == '=') {
      ++i;
      while (i < tag.size() && is_space(tag[i])) ++i;
      if (i >= tag.size()) return false;
      if (tag[i] == '"' || tag[i] == '\'') {
        char q = tag[i++];
        std::size_t vb = i;
        while (i < tag.size() && tag[i] != q) ++i;
        if (i >= tag.size()) return false;
        a.value = tag.substr(vb, i - vb);
        ++i;
        // Attributes must be separated by white space.
        if (i < tag.size() && !is_space(tag[i]) && tag[i] != '>') return false;
      } else {
        std::size_t vb = i;
        while (i < tag.size() && !is_space(tag[i]) && tag[i] != '>') ++i;
        a.value = tag.substr(vb, i - vb);
      }
    }
    attrs.push_back(a);
  }
}

bool has_class(std::string_view classes, std::string_view cls) {
  std::size_t i = 0;
  while (i < classes.size()) {
    while (i < classes.size() && is_space(classes[i])) ++i;
    std::size_t b = i;
    while (i < classes.size() && !is_space(classes[i])) ++i;
    if (classes.substr(b, i - b) == cls) return true;
  }
  return false;
}

// The value of `data-t` found by a plain search, for markup too broken to parse.
std::string_view loose_data_t(std::string_view tag) {
  std::size_t k = tag.find("data-t");
  if (k == std::string_view::npos) return {};
  k += 6;
  while (k < tag.size() && is_space(tag[k])) ++k;
  if (k >= tag.size() || tag[k] != '=') return {};
  ++k;
  while (k < tag.size() && is_space(tag[k])) ++k;
  if (k >= tag.size() || (tag[k] != '"' && tag[k] != '\'')) return {};
  char q = tag[k++];
  std::size_t e = tag.find(q, k);
  if (e == std::string_view::npos) return {};
  return tag.substr(k, e - k);
}

#if defined(TKB_HAVE_AVX2)
// plain_run's search, 32 bytes at a time while 33 remain (a window and the byte after it):
// the offset of the first byte that stops the stretch, or npos with `i` where the search
// must go on.
TKB_AVX2 std::size_t plain_run_avx2(const char* d, std::size_t n, std::size_t& i) {
  const __m256i lb = _mm256_set1_epi8('['), lt = _mm256_set1_epi8('<'), st = _mm256_set1_epi8('*'),
                bt = _mm256_set1_epi8('`'), us = _mm256_set1_epi8('_'), nl = _mm256_set1_epi8('\n'),
                cr = _mm256_set1_epi8('\r'), tb = _mm256_set1_epi8('\t'),
                sp = _mm256_set1_epi8(' ');
  for (; i + 33 <= n; i += 32) {
    const __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(d + i));
    const __m256i next = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(d + i + 1));
    const __m256i markup = _mm256_or_si256(
        _mm256_or_si256(_mm256_or_si256(_mm256_cmpeq_epi8(v, lb), _mm256_cmpeq_epi8(v, lt)),
                        _mm256_or_si256(_mm256_cmpeq_epi8(v, st), _mm256_cmpeq_epi8(v, bt))),
        _mm256_or_si256(_mm256_or_si256(_mm256_cmpeq_epi8(v, us), _mm256_cmpeq_epi8(v, nl)),
                        _mm256_or_si256(_mm256_cmpeq_epi8(v, cr), _mm256_cmpeq_epi8(v, tb))));
    // A double space stops the stretch at its second byte, which may be the next window's
    // first (bit 32).
    const __m256i double_space =
        _mm256_and_si256(_mm256_cmpeq_epi8(v, sp), _mm256_cmpeq_epi8(next, sp));
    const std::uint64_t stop =
        static_cast<std::uint32_t>(_mm256_movemask_epi8(markup)) |
        (std::uint64_t{static_cast<std::uint32_t>(_mm256_movemask_epi8(double_space))} << 1);
    if (stop) return i + static_cast<std::size_t>(__builtin_ctzll(stop));
  }
  return std::string_view::npos;
}
#endif

class Scanner {
 public:
  Scanner(std::string_view text, const LineIndex& lines, ScanOutput& out, bool lint)
      : m_text(text), m_lines(lines), m_out(out), m_lint(lint) {}

  // Scan [b, e) of ordinary Markdown text.
  void text_segment(std::size_t b, std::size_t e) {
    m_failed_span.fill(0);
    std::size_t p = b;
    while (p < e) {
      char c = m_text[p];
      if (c == '\\') {
        p += (p + 1 < e && is_ascii_punct(m_text[p + 1])) ? 2 : 1;
      } else if (c == '`') {
        p = code_span(p, e);
      } else if (c == '[' && p + 1 < e && m_text[p + 1] == '[') {
        p = wikilink(p, e, false);
      } else if (c == '[') {
        p = bracket(p, e);
      } else if (c == '<') {
        p = angle(p, e);
      } else {
        p = skip_plain(p + 1, e);
      }
    }
  }

  // Links inside code: recorded as code links, never as links. Anchors there are ignored.
  void code_segment(std::size_t b, std::size_t e) {
    std::size_t p = b;
    while (p + 1 < e) {
      const void* hit = std::memchr(m_text.data() + p, '[', e - p);
      if (!hit) break;
      p = static_cast<const char*>(hit) - m_text.data();
      if (p + 1 < e && m_text[p + 1] == '[') {
        p = wikilink(p, e, true);
      } else {
        ++p;
      }
    }
  }

 private:
  static bool is_special(char c) { return c == '\\' || c == '`' || c == '[' || c == '<'; }

  // The next offset in [p, e) holding a byte that can start something, or e. 32 bytes at a
  // time with AVX2 where the processor has it, then sixteen with SSE2 (every x86-64).
  std::size_t skip_plain(std::size_t p, std::size_t e) const {
    const char* d = m_text.data();
#if defined(TKB_HAVE_AVX2)
    if (simd::wide() && simd::find_any_wide(d, p, e, '\\', '`', '[', '<')) return p;
#endif
#if defined(__SSE2__)
    const __m128i bs = _mm_set1_epi8('\\'), bt = _mm_set1_epi8('`'), br = _mm_set1_epi8('['),
                  lt = _mm_set1_epi8('<');
    if (simd::find_first(p, e, [&](std::size_t q) {
          const __m128i v = simd::load16(d + q);
          return simd::mask_of(
              _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, bs), _mm_cmpeq_epi8(v, bt)),
                           _mm_or_si128(_mm_cmpeq_epi8(v, br), _mm_cmpeq_epi8(v, lt))));
        })) {
      return p;
    }
#endif
    while (p < e && !is_special(d[p])) ++p;
    return p;
  }

  // The next offset in [p, e) holding '>' or '\n', or e.
  std::size_t find_gt_or_newline(std::size_t p, std::size_t e) const {
    const char* d = m_text.data();
#if defined(__SSE2__)
    const __m128i gt = _mm_set1_epi8('>'), nl = _mm_set1_epi8('\n');
    if (simd::find_first(p, e, [&](std::size_t q) {
          const __m128i v = simd::load16(d + q);
          return simd::mask_of(_mm_or_si128(_mm_cmpeq_epi8(v, gt), _mm_cmpeq_epi8(v, nl)));
        })) {
      return p;
    }
#endif
    while (p < e && d[p] != '>' && d[p] != '\n') ++p;
    return p;
  }

  // The next offset in [p, e) holding '[', ']' or '\n', or e.
  std::size_t find_bracket_or_newline(std::size_t p, std::size_t e) const {
    const char* d = m_text.data();
#if defined(__SSE2__)
    const __m128i open = _mm_set1_epi8('['), close = _mm_set1_epi8(']'), nl = _mm_set1_epi8('\n');
    if (simd::find_first(p, e, [&](std::size_t q) {
          const __m128i v = simd::load16(d + q);
          return simd::mask_of(
              _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, open), _mm_cmpeq_epi8(v, close)),
                           _mm_cmpeq_epi8(v, nl)));
        })) {
      return p;
    }
#endif
    while (p < e && d[p] != '[' && d[p] != ']' && d[p] != '\n') ++p;
    return p;
  }

  void diag(std::size_t offset, Severity s, const char* rule, std::string message) {
    // A hostile note can hold millions of broken constructs: report the first few per rule
    // and count the rest (see ScanOutput / scan_inline).
    if (!m_lint) return;
    std::size_t& n = m_per_rule[rule];
    if (++n > kMaxPerRule) return;
    m_out.diagnostics.push_back(Diagnostic{"", m_lines.at(offset), s, rule, std::move(message)});
  }

 public:
  // Add "and N more" findings for rules that hit the cap.
  void finish() {
    for (const auto& [rule, n] : m_per_rule) {
      if (n <= kMaxPerRule) continue;
      Diagnostic last;
      for (const Diagnostic& d : m_out.diagnostics) {
        if (d.rule == rule) last = d;
      }
      last.message = "... and " + std::to_string(n - kMaxPerRule) +
                     " more findings of this rule in the note, not shown";
      m_out.diagnostics.push_back(std::move(last));
    }
  }

 private:
  static constexpr std::size_t kMaxPerRule = 200;
  std::map<std::string_view, std::size_t> m_per_rule;

  // `[00:12:34]` outside an anchor: a time the reader cannot click.
  std::size_t bracket(std::size_t p, std::size_t e) {
    std::size_t q = p + 1;
    while (q < e && q - p <= 12 && ((m_text[q] >= '0' && m_text[q] <= '9') || m_text[q] == ':'))
      ++q;
    if (q >= e || m_text[q] != ']' || q == p + 1) return p + 1;
    std::string_view t = m_text.substr(p + 1, q - p - 1);
    if (t.find(':') == std::string_view::npos || !parse_time(t).seconds) return p + 1;
    bool md_link = q + 1 < e && m_text[q + 1] == '(';
    diag(p, Severity::warning, "bare-timestamp",
         md_link ? "timestamp [" + std::string(t) +
                       "] is a Markdown link, not a yt-timestamp link to the video"
                 : "timestamp [" + std::string(t) +
                       "] is plain text, not a yt-timestamp link to the video");
    return q + 1;
  }

  // Is offset p on a table row (a line starting with '|')?
  bool in_table_row(std::size_t p) const {
    std::size_t ls = p - (m_lines.at(p).column - 1);  // the line index knows where lines start
    while (ls < p && (m_text[ls] == ' ' || m_text[ls] == '\t' || m_text[ls] == '>')) ++ls;
    return ls < p && m_text[ls] == '|';
  }

  void check_link_text(std::size_t p, std::string_view inner, const WikiLink& link) {
    std::size_t pipes = static_cast<std::size_t>(std::count(inner.begin(), inner.end(), '|'));
    bool escaped = inner.find("\\|") != std::string_view::npos;
    if (pipes >= 1 && !escaped && in_table_row(p)) {
      diag(p, Severity::warning, "malformed-link",
           "an unescaped '|' inside a table row ends the table cell; write [[target\\|text]]");
    } else if (pipes >= 2) {
      diag(p, Severity::warning, "malformed-link",
           "link has " + std::to_string(pipes) +
               " '|'; only the first separates the target from the text");
    }
    static constexpr std::string_view kPromptMarkers[] = {"link name:", "link text:", "backlink:"};
    // Every marker holds a ':'; nearly no target does, and then nothing needs lowering.
    if (link.target().find(':') == std::string_view::npos) return;
    std::string lowered = to_lower_ascii(link.target());
    for (std::string_view marker : kPromptMarkers) {
      if (lowered.find(marker) != std::string::npos) {
        diag(p, Severity::warning, "malformed-link",
             "link target holds text left over from a generator prompt (\"" + std::string(marker) +
                 "\")");
        break;
      }
    }
  }

  // `<!-- tkb-ignore RULE, RULE -->` and `<!-- tkb-ignore-file RULE -->`.
  void suppression(std::size_t p, std::string_view content, std::size_t close) {
    content = trim(content);
    bool file = content.substr(0, 15) == "tkb-ignore-file";
    if (!file && content.substr(0, 10) != "tkb-ignore") return;
    content.remove_prefix(file ? 15 : 10);
    if (!content.empty() && content[0] != ' ' && content[0] != '\t' && content[0] != '\n') return;
    Suppression sup;
    std::string current;
    for (char c : content) {
      if (c == ',' || c == ' ' || c == '\t' || c == '\n' || c == '\r') {
        if (!current.empty()) sup.rules.push_back(std::move(current));
        current.clear();
      } else {
        current += c;
      }
    }
    if (!current.empty()) sup.rules.push_back(std::move(current));
    if (!file) {
      Position at = m_lines.at(p);
      sup.line = at.line;
      // Alone on its line: it speaks of the next line too.
      std::size_t ls = p - (at.column - 1);
      std::size_t le = line_end(m_text, close, m_text.size());
      if (trim(m_text.substr(ls, p - ls)).empty() &&
          trim(m_text.substr(close + 3, le - close - 3)).empty()) {
        sup.also_line = m_lines.at(close).line + 1;
      }
    }
    m_out.suppressions.push_back(std::move(sup));
  }

  std::size_t code_span(std::size_t p, std::size_t e) {
    std::size_t n = 0;
    while (p + n < e && m_text[p + n] == '`') ++n;
    // The paragraph ends at the next blank line; remember it, as every backtick run in the
    // paragraph asks again.
    if (!(p >= m_para_from && p < m_para_end && e == m_para_limit)) {
      m_para_from = p;
      m_para_end = next_blank_line(m_text, p, e);
      m_para_limit = e;
    }
    std::size_t limit = m_para_end;
    std::size_t slot = std::min<std::size_t>(n, m_failed_span.size() - 1);
    if (n < m_failed_span.size() && m_failed_span[slot] > p) return p + n;
    for (std::size_t q = p + n; q < limit;) {
      const void* hit = std::memchr(m_text.data() + q, '`', limit - q);
      if (!hit) break;
      q = static_cast<const char*>(hit) - m_text.data();
      std::size_t m = 0;
      while (q + m < limit && m_text[q + m] == '`') ++m;
      if (m == n) {
        code_segment(p + n, q);
        return q + m;
      }
      q += m;
    }
    if (n < m_failed_span.size()) m_failed_span[slot] = limit;
    return p + n;  // no closing run: the backticks are literal
  }

  std::size_t wikilink(std::size_t p, std::size_t e, bool in_code) {
    // Links are short: look for the first "]]", "[[" or end of line.
    std::size_t close = std::string_view::npos, inner = std::string_view::npos;
    for (std::size_t q = p + 2; (q = find_bracket_or_newline(q, e)) < e; ++q) {
      char c = m_text[q];
      if (c == '\n') break;
      if (q + 1 >= e) break;  // a lone bracket at the end closes nothing
      if (c == ']' && m_text[q + 1] == ']') {
        close = q;
        break;
      }
      if (c == '[' && m_text[q + 1] == '[') {
        inner = q;
        break;
      }
    }
    if (inner != std::string_view::npos) {
      if (!in_code) {
        diag(p, Severity::warning, "malformed-link",
             "'[[' is not closed before the next '[[' (a link inside a link, or a missing "
             "']]'); only the inner link is read");
      }
      return inner;
    }
    if (close == std::string_view::npos) {
      if (!in_code)
        diag(p, Severity::warning, "malformed-link", "'[[' is never closed on its line");
      return p + 2;
    }
    if (!m_lint) return close + 2;  // passed over whole, as below, but not kept
    bool embed = p > 0 && m_text[p - 1] == '!' && !(p > 1 && m_text[p - 2] == '\\');
    std::size_t start = embed ? p - 1 : p;
    std::string_view inner_text = m_text.substr(p + 2, close - p - 2);
    WikiLink link = split_wikilink(inner_text);
    if (!in_code) check_link_text(p, inner_text, link);
    link.embed = embed;
    link.widen_raw(m_text.substr(start, close + 2 - start));
    link.pos = m_lines.at(start);
    (in_code ? m_out.code_links : m_out.links).push_back(std::move(link));
    return close + 2;
  }

  std::size_t angle(std::size_t p, std::size_t e) {
    if (m_text.size() - p >= 4 && m_text[p + 1] == '!' && m_text[p + 2] == '-' &&
        m_text[p + 3] == '-') {  // "<!--"
      std::size_t close = m_text.substr(0, e).find("-->", p + 4);
      if (close == std::string_view::npos) return p + 4;  // not a comment: literal text
      suppression(p, m_text.substr(p + 4, close - p - 4), close);
      code_segment(p + 4, close);
      return close + 3;
    }
    if (p + 2 < e && (m_text[p + 1] == 'a' || m_text[p + 1] == 'A') && is_space(m_text[p + 2])) {
      return anchor(p, e);
    }
    return p + 1;
  }

  // The form nearly every anchor has, <a class="yt-timestamp" data-t="T">[T]</a> with T of
  // digits and ':', settled by comparing bytes: the anchor and the offset past it that the
  // general reading in anchor() finds, or 0 when the text at `p` is not in that form.
  std::size_t canonical_anchor(std::size_t p, std::size_t e) {
    static constexpr std::string_view kStart = "<a class=\"yt-timestamp\" data-t=\"";
    static constexpr std::size_t kMaxTime = 15;
    const char* d = m_text.data();
    if (e - p < kStart.size() || std::memcmp(d + p, kStart.data(), kStart.size()) != 0) return 0;
    const std::size_t v = p + kStart.size();
    std::size_t q = v;
    while (q < e && q - v <= kMaxTime && ((d[q] >= '0' && d[q] <= '9') || d[q] == ':')) ++q;
    const std::size_t n = q - v;
    // `">[` T `]</a>` follows T.
    if (n == 0 || n > kMaxTime || e - q < n + 8 || d[q] != '"' || d[q + 1] != '>' ||
        d[q + 2] != '[' || std::memcmp(d + q + 3, d + v, n) != 0 ||
        std::memcmp(d + q + 3 + n, "]</a>", 5) != 0) {
      return 0;
    }
    TimestampAnchor a;
    a.pos = m_lines.at(p);
    a.data_t = m_text.substr(v, n);
    a.label = m_text.substr(q + 3, n);
    check_times(a, p);
    m_out.anchors.push_back(std::move(a));
    return q + n + 8;
  }

  std::size_t anchor(std::size_t p, std::size_t e) {
    if (std::size_t after = canonical_anchor(p, e)) return after;
    // The tag ends at the first '>' (a tag may wrap onto the next lines, but not across a
    // blank line); the label at the first "</a>" after it.
    // One search for '>' or a line break; only a tag that wraps needs the blank-line test.
    const std::size_t tag_limit = p + std::min(e - p, kMaxTag);
    std::size_t gt = find_gt_or_newline(p, tag_limit);
    if (gt < tag_limit && m_text[gt] == '\n') {
      const void* hit = std::memchr(m_text.data() + gt, '>', tag_limit - gt);
      if (!hit) return p + 1;
      gt = static_cast<std::size_t>(static_cast<const char*>(hit) - m_text.data());
      if (next_blank_line(m_text, p, gt) < gt) return p + 1;
    } else if (gt >= tag_limit) {
      return p + 1;
    }
    std::string_view tag = m_text.substr(p, gt + 1 - p);
    static constexpr std::string_view kCanonical = "<a class=\"yt-timestamp\" data-t=\"";
    const bool canonical_start = tag.substr(0, kCanonical.size()) == kCanonical;
    if (!canonical_start && tag.find("yt-timestamp") == std::string_view::npos) return gt + 1;

    std::string_view cls, data_t;
    bool has_data_t = false;
    bool well_formed;
    if (canonical_start && tag.size() >= kCanonical.size() + 2 &&
        tag.substr(tag.size() - 2) == "\">" && tag.find('"', kCanonical.size()) == tag.size() - 2) {
      // The form nearly every anchor has: no attribute parsing needed.
      well_formed = true;
      cls = "yt-timestamp";
      data_t = tag.substr(kCanonical.size(), tag.size() - 2 - kCanonical.size());
      has_data_t = true;
    } else if ((well_formed = parse_attributes(tag, m_attrs))) {
      for (const Attr& a : m_attrs) {
        if (a.name == "class") cls = a.value;
        if (a.name == "data-t") data_t = a.value, has_data_t = true;
      }
    }
    if (!well_formed || !has_class(cls, "yt-timestamp")) {
      data_t = loose_data_t(tag);
      has_data_t = !data_t.empty();
      diag(p, Severity::warning, "malformed-anchor",
           has_data_t ? "timestamp link markup is not in the usual form "
                        "<a class=\"yt-timestamp\" data-t=\"...\">; it may not render as a link"
                      : "timestamp link has no readable data-t attribute; it is ignored");
      if (!has_data_t) return skip_label(gt, e);
    } else if (!has_data_t) {
      diag(p, Severity::warning, "malformed-anchor",
           "timestamp link has no data-t attribute; it is ignored");
      return skip_label(gt, e);
    }

    TimestampAnchor a;
    a.pos = m_lines.at(p);
    a.data_t = data_t;
    std::size_t after;
    // The first "</a>" within reach, if no line break comes before its end (the label stays
    // on the tag's line): the labels are short, so this beats finding the line end first.
    const std::size_t label_limit = std::min(e, gt + 1 + kMaxLabel);
    std::size_t close = find_ci(m_text.substr(0, label_limit), "</a>", gt + 1);
    if (close != std::string_view::npos &&
        std::find(m_text.begin() + gt, m_text.begin() + close + 4, '\n') !=
            m_text.begin() + close + 4) {
      close = std::string_view::npos;
    }
    std::string_view label;
    if (close == std::string_view::npos) {
      const std::size_t le = line_end(m_text, gt, label_limit);
      // Take a bracketed label if there is one; the link never closes.
      std::size_t lb = gt + 1;
      std::size_t rb = lb < le && m_text[lb] == '[' ? m_text.substr(0, le).find(']', lb) : lb;
      if (rb == std::string_view::npos) rb = lb;
      after = rb == lb ? lb : rb + 1;
      label = m_text.substr(lb, after - lb);
      diag(p, Severity::warning, "malformed-anchor", "timestamp link is not closed with </a>");
    } else {
      label = m_text.substr(gt + 1, close - gt - 1);
      after = close + 4;
    }
    label = trim(label);
    if (label.size() >= 2 && label.front() == '[' && label.back() == ']') {
      label = trim(label.substr(1, label.size() - 2));
      if (label.size() >= 2 && label.front() == '[' && label.back() == ']') {
        label = trim(label.substr(1, label.size() - 2));
        diag(p, Severity::warning, "malformed-anchor",
             "timestamp label [[" + std::string(label) +
                 "]] is written as a wikilink inside the timestamp link");
      }
    }
    a.label = label;
    check_times(a, p);
    m_out.anchors.push_back(std::move(a));
    return after;
  }

  // Past the label and `</a>` of an ignored timestamp link, so its label is not read again
  // as a bare timestamp.
  std::size_t skip_label(std::size_t gt, std::size_t e) const {
    std::size_t le = line_end(m_text, gt, std::min(e, gt + 1 + kMaxLabel));
    std::size_t close = find_ci(m_text.substr(0, le), "</a>", gt + 1);
    return close == std::string_view::npos ? gt + 1 : close + 4;
  }

  void check_times(TimestampAnchor& a, std::size_t p) {
    std::string_view dt = trim(a.data_t);
    TimeParse t = parse_time(dt);
    const bool time_form = t.seconds.has_value();  // not the bare-seconds fallback below
    if (!t.seconds && !dt.empty() &&
        std::all_of(dt.begin(), dt.end(), [](char c) { return c >= '0' && c <= '9'; }) &&
        dt.size() <= 9) {
      t.seconds = std::stoll(std::string(dt));  // bare seconds: unusual but unambiguous
    }
    if (!t.seconds) {
      diag(p, Severity::error, "invalid-timestamp",
           "data-t \"" + std::string(a.data_t) + "\" " + std::string(describe(t.error)));
      return;
    }
    a.seconds = t.seconds;
    if (time_form && a.label == dt) return;  // the usual case: the same time, written alike
    if (a.label.empty()) {
      diag(p, Severity::warning, "malformed-anchor",
           "timestamp link has an empty label, so nothing shows in the rendered note");
      return;
    }
    TimeParse l = parse_time(a.label);
    if (!l.seconds) {
      diag(p, Severity::warning, "timestamp-label-mismatch",
           "label \"" + std::string(a.label) + "\" is not a time, but data-t is " +
               format_hms(*t.seconds));
    } else if (*l.seconds != *t.seconds) {
      diag(p, Severity::warning, "timestamp-label-mismatch",
           "label " + std::string(a.label) + " is not data-t " + std::string(a.data_t) + " (" +
               format_hms(*l.seconds) + " shown, " + format_hms(*t.seconds) + " linked)");
    } else if (a.label != dt) {
      diag(p, Severity::info, "timestamp-label-mismatch",
           "label " + std::string(a.label) + " and data-t " + std::string(a.data_t) +
               " are the same instant written differently");
    }
  }

  std::string_view m_text;
  const LineIndex& m_lines;
  ScanOutput& m_out;
  const bool m_lint;  // keep links and make findings (see scan_inline)
  static constexpr std::size_t kMaxTag = 400;    // a tag is searched this far for '>'
  static constexpr std::size_t kMaxLabel = 200;  // a label is searched this far for "</a>"
  std::size_t m_para_from = 1, m_para_end = 0, m_para_limit = 0;  // cached paragraph end
  std::vector<Attr> m_attrs;                                      // reused across anchors
  // m_failed_span[n]: no closing backtick run of length n exists before this offset.
  std::array<std::size_t, 16> m_failed_span{};
};

}  // namespace

WikiLink split_wikilink(std::string_view inner) {
  WikiLink link;
  link.raw = inner;  // until the caller widens it to the whole link
  std::size_t bar = inner.find('|');
  std::string_view target_part = inner, fragment, alias;
  if (bar != std::string_view::npos) {
    std::size_t cut = bar > 0 && inner[bar - 1] == '\\' ? bar - 1 : bar;
    target_part = inner.substr(0, cut);
    alias = trim(inner.substr(bar + 1));
    link.has_alias = true;
  }
  std::size_t hash = target_part.find('#');
  if (hash != std::string_view::npos) {
    fragment = trim(target_part.substr(hash + 1));
    target_part = target_part.substr(0, hash);
  }
  link.set_parts(trim(target_part), fragment, alias);
  return link;
}

ScanOutput scan_inline(std::string_view text, std::size_t begin, std::size_t end,
                       const std::vector<CodeBlock>& code, const LineIndex& lines) {
  ScanOutput out;
  scan_inline(text, begin, end, code, lines, out);
  return out;
}

void scan_inline(std::string_view text, std::size_t begin, std::size_t end,
                 const std::vector<CodeBlock>& code, const LineIndex& lines, ScanOutput& out,
                 bool lint) {
  out.links.clear();
  out.code_links.clear();
  out.anchors.clear();
  out.diagnostics.clear();
  out.suppressions.clear();
  Scanner scanner(text, lines, out, lint);
  std::size_t p = begin;
  for (const CodeBlock& block : code) {
    if (block.end <= p) continue;
    if (block.begin > p) scanner.text_segment(p, std::min<std::size_t>(block.begin, end));
    scanner.code_segment(std::max<std::size_t>(block.begin, p),
                         std::min<std::size_t>(block.end, end));
    p = block.end;
    if (p >= end) break;
  }
  if (p < end) scanner.text_segment(p, end);
  scanner.finish();
}

// How many bytes from `i` on need no decision in plain_text: no markup byte, no tab or line
// break, and no space that follows a space (a space may start the stretch; the caller
// decides that one). Sixteen bytes at a time with SSE2.
std::size_t plain_run(std::string_view md, std::size_t i) {
  const std::size_t from = i;
  const char* d = md.data();
#if defined(TKB_HAVE_AVX2)
  if (simd::wide()) {
    if (std::size_t stop = plain_run_avx2(d, md.size(), i); stop != std::string_view::npos) {
      return stop - from;
    }
  }
#endif
#if defined(__SSE2__)
  const __m128i lb = _mm_set1_epi8('['), lt = _mm_set1_epi8('<'), st = _mm_set1_epi8('*'),
                bt = _mm_set1_epi8('`'), us = _mm_set1_epi8('_'), nl = _mm_set1_epi8('\n'),
                cr = _mm_set1_epi8('\r'), tb = _mm_set1_epi8('\t'), sp = _mm_set1_epi8(' ');
  // The bytes of `v` that are markup (all but the double space).
  auto markup_of = [&](__m128i v) {
    return _mm_or_si128(_mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, lb), _mm_cmpeq_epi8(v, lt)),
                                     _mm_or_si128(_mm_cmpeq_epi8(v, st), _mm_cmpeq_epi8(v, bt))),
                        _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, us), _mm_cmpeq_epi8(v, nl)),
                                     _mm_or_si128(_mm_cmpeq_epi8(v, cr), _mm_cmpeq_epi8(v, tb))));
  };
  while (i + 17 <= md.size()) {
    __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(d + i));
    __m128i next = _mm_loadu_si128(reinterpret_cast<const __m128i*>(d + i + 1));
    const __m128i markup = markup_of(v);
    // A space whose next byte is a space stops the stretch at the second one, which may be
    // the first byte of the next window (bit 16).
    __m128i double_space = _mm_and_si128(_mm_cmpeq_epi8(v, sp), _mm_cmpeq_epi8(next, sp));
    unsigned stop = simd::mask_of(markup) | (simd::mask_of(double_space) << 1);
    if (stop) return i + static_cast<std::size_t>(__builtin_ctz(stop)) - from;
    i += 16;
  }
  // The last bytes: one window that ends with the text, overlapping the one before. Here a
  // double space is seen at its second byte against the byte before it; a double space
  // whose second byte is `i` itself was seen above (bit 16), or i is `from`, where a space
  // does not stop the stretch.
  if (i < md.size() && md.size() >= 17) {
    const std::size_t base = md.size() - 16;  // i - base is 0 .. 15
    __m128i v = simd::load16(d + base);
    __m128i prev = simd::load16(d + base - 1);
    const __m128i markup = markup_of(v);
    __m128i double_space = _mm_and_si128(_mm_cmpeq_epi8(v, sp), _mm_cmpeq_epi8(prev, sp));
    const unsigned stop = (simd::mask_of(markup) & (~0u << (i - base))) |
                          (simd::mask_of(double_space) & (~0u << (i - base + 1)));
    return (stop ? base + static_cast<std::size_t>(__builtin_ctz(stop)) : md.size()) - from;
  }
#endif
  for (; i < md.size(); ++i) {
    char c = d[i];
    if (c == '[' || c == '<' || c == '*' || c == '`' || c == '_' || c == '\n' || c == '\r' ||
        c == '\t' || (c == ' ' && i > from && d[i - 1] == ' ')) {
      break;
    }
  }
  return i - from;
}

bool has_plain_text_markup(std::string_view md) {
  for (char c : md) {  // the markup bytes of plain_run and kSpecial below
    if (c == '[' || c == '<' || c == '*' || c == '`' || c == '_') return true;
  }
  return false;
}

std::string plain_text(std::string_view md) {
  std::string out;
  append_plain_text(out, md);
  return out;
}

void append_plain_text(std::string& out, std::string_view md) {
  // Bytes that need a decision; every other byte is copied as it is. The result is never
  // longer than `md` (a link gives way to a part of it), so it is written in place into a
  // buffer of that size and cut to length at the end.
  static constexpr auto kSpecial = [] {
    std::array<bool, 256> t{};
    for (unsigned char c : std::string_view("[<*`_\n\r\t ")) t[c] = true;
    return t;
  }();
  const std::size_t before = out.size();
  out.resize(before + md.size());
  char* const begin = out.data() + before;
  char* o = begin;
  std::size_t i = 0;
  while (i < md.size()) {
    // A stretch of words and single spaces, copied whole (this is most of a sentence).
    if (std::size_t run = plain_run(md, i);
        run > 0 && (md[i] != ' ' || (o != begin && o[-1] != ' '))) {
      std::memcpy(o, md.data() + i, run);
      o += run;
      i += run;
      continue;
    }
    char c = md[i];
    if (!kSpecial[static_cast<unsigned char>(c)]) {
      *o++ = c;
      ++i;
      continue;
    }
    if (c == '[' && md.compare(i, 2, "[[") == 0) {
      std::size_t close = md.find("]]", i + 2);
      if (close != std::string_view::npos) {
        WikiLink l = split_wikilink(md.substr(i + 2, close - i - 2));
        std::string_view shown = l.has_alias && !l.alias().empty() ? l.alias() : l.target();
        std::memcpy(o, shown.data(), shown.size());
        o += shown.size();
        i = close + 2;
        continue;
      }
    }
    if (c == '<') {
      if (md.size() - i >= 3 && (md[i + 1] == 'a' || md[i + 1] == 'A') && is_space(md[i + 2])) {
        std::size_t close = find_ci(md, "</a>", i);
        if (close != std::string_view::npos) {
          i = close + 4;
          continue;
        }
      }
      std::size_t gt = md.find('>', i);
      if (gt != std::string_view::npos && gt > i + 1 &&
          (std::isalpha(static_cast<unsigned char>(md[i + 1])) || md[i + 1] == '/')) {
        i = gt + 1;
        continue;
      }
    }
    if (c == '*' || c == '`' || (c == '_' && md.compare(i, 2, "__") == 0)) {
      i += c == '_' ? 2 : 1;
      continue;
    }
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
    if (c == ' ' && (o == begin || o[-1] == ' ')) {
      ++i;
      continue;
    }
    *o++ = c;
    ++i;
  }
  while (o != begin && (o[-1] == ' ' || o[-1] == ',' || o[-1] == ';')) --o;
  out.resize(before + static_cast<std::size_t>(o - begin));
}

}  // namespace tkb
