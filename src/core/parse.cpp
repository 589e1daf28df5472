#include "tkb/parse.hpp"

#include <algorithm>
#include <cstring>
#include <functional>
#include <optional>
#include <string>

#include "simd.hpp"
#include "tkb/blocks.hpp"
#include "tkb/front_matter.hpp"
#include "tkb/scan.hpp"
#include "tkb/text.hpp"
#include "tkb/timestamp.hpp"

namespace tkb {

namespace {

void split_path(Note& note) {
  std::size_t slash = note.path.rfind('/');
  note.folder = slash == std::string::npos ? "" : note.path.substr(0, slash);
  note.id = note_id_of(note.path);
}

std::size_t first_invalid_utf8(std::string_view text) {
  if (is_valid_utf8(text)) return std::string_view::npos;  // the common case, in one pass
  // Find the first bad line, then the first bad byte in it.
  for (std::size_t p = 0; p < text.size();) {
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

// Where the paragraph holding `pos` starts: earlier lines count while they continue it
// (not blank, not a heading, and the later line does not open a list item, quote or table).
// Never above the body: a paragraph right after the closing `---` does not take in the front
// matter (found by the hostile-input tests: an anchor's text held the YAML).
std::size_t paragraph_start(std::string_view text, const LineIndex& lines, Position pos,
                            std::size_t first_body_line) {
  std::size_t ln = pos.line;
  auto line = [&](std::size_t n) {
    std::size_t b = lines.line_start(n);
    std::size_t e = n < lines.line_count() ? lines.line_start(n + 1) : text.size();
    return text.substr(b, e - b);
  };
  while (ln > first_body_line && pos.offset - lines.line_start(ln - 1) <= 2000) {
    std::string_view here = line(ln);
    std::size_t k = here.find_first_not_of(" \t");
    if (k == std::string_view::npos || skip_line_markers(here) != 0 || here[k] == '|') break;
    std::string_view prev = trim(line(ln - 1));
    if (prev.empty() || prev[0] == '#' || prev.substr(0, 3) == "```" || prev.substr(0, 3) == "~~~")
      break;
    --ln;
  }
  return lines.line_start(ln);
}

// Where the last "</a>" in `seg` starts, or npos. memrchr finds each '<' many bytes at a
// time: the previous anchor can be a paragraph away.
std::size_t last_close_tag(std::string_view seg) {
  if (seg.size() < 4) return std::string_view::npos;
  std::size_t room = seg.size() - 3;  // offsets where four bytes still fit
  while (room > 0) {
    const void* hit = ::memrchr(seg.data(), '<', room);
    if (!hit) break;
    auto at = static_cast<std::size_t>(static_cast<const char*>(hit) - seg.data());
    if (std::memcmp(seg.data() + at, "</a>", 4) == 0) return at;
    room = at;
  }
  return std::string_view::npos;
}

// The first offset at or after `i` holding a byte that can matter to a sentence's start
// ('[', ']', '.', '!', '?'), or seg.size(). 32 or sixteen bytes at a time (AVX2, SSE2).
std::size_t next_sentence_byte(std::string_view seg, std::size_t i) {
  const char* d = seg.data();
#if defined(TKB_HAVE_AVX2)
  if (simd::wide() && simd::find_any_wide(d, i, seg.size(), '[', ']', '.', '!', '?')) return i;
#endif
#if defined(__SSE2__)
  const __m128i a = _mm_set1_epi8('['), b = _mm_set1_epi8(']'), c = _mm_set1_epi8('.'),
                e = _mm_set1_epi8('!'), f = _mm_set1_epi8('?');
  if (simd::find_first(i, seg.size(), [&](std::size_t q) {
        const __m128i v = simd::load16(d + q);
        return simd::mask_of(
            _mm_or_si128(_mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, a), _mm_cmpeq_epi8(v, b)),
                                      _mm_or_si128(_mm_cmpeq_epi8(v, c), _mm_cmpeq_epi8(v, e))),
                         _mm_cmpeq_epi8(v, f)));
      })) {
    return i;
  }
#endif
  while (i < seg.size() && d[i] != '[' && d[i] != ']' && d[i] != '.' && d[i] != '!' &&
         d[i] != '?') {
    ++i;
  }
  return i;
}

// The sentence an anchor at `offset` closes, as plain text, appended to `out`.
void sentence_before(std::string& out, std::string_view text, std::size_t offset,
                     std::size_t line_start) {
  // A sentence is not longer than this; looking further back on a huge line would make
  // many anchors on it quadratic.
  constexpr std::size_t kMaxSentence = 2000;
  std::size_t ls = std::max(line_start, offset > kMaxSentence ? offset - kMaxSentence : 0);
  std::string_view seg = text.substr(ls, offset - ls);
  seg.remove_prefix(skip_line_markers(seg));
  // Drop the anchors (and their separators) right before this one: they close the same
  // sentence.
  while (true) {
    while (!seg.empty() &&
           (seg.back() == ' ' || seg.back() == ',' || seg.back() == ';' || seg.back() == '\t')) {
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
  if (std::size_t close = last_close_tag(seg); close != std::string_view::npos) {
    start = close + 4;
    while (start < seg.size() && std::strchr(" \t.,;:!?", seg[start])) ++start;
  }
  int depth = 0;
  for (std::size_t i = start; i + 1 < seg.size(); ++i) {
    i = next_sentence_byte(seg, i);
    if (i + 1 >= seg.size()) break;
    if (seg[i] == '[' && seg[i + 1] == '[')
      ++depth, ++i;
    else if (seg[i] == ']' && seg[i + 1] == ']')
      depth = std::max(0, depth - 1), ++i;
    else if (depth == 0 && (seg[i] == '.' || seg[i] == '!' || seg[i] == '?') &&
             (seg[i + 1] == ' ' || seg[i + 1] == '\n' || seg[i + 1] == '\r'))
      start = i + 2;
  }
  append_plain_text(out, seg.substr(start));
}

struct InvisibleChar {
  std::size_t length;
  const char* name;
};

// The invisible character starting at t[i], if it is one tkb reports.
std::optional<InvisibleChar> invisible_at(std::string_view t, std::size_t i) {
  auto u = [&](std::size_t k) {
    return i + k < t.size() ? static_cast<unsigned char>(t[i + k]) : 0u;
  };
  if (u(0) == 0xE2 && u(1) == 0x80) {
    switch (u(2)) {
      case 0x8B:
        return InvisibleChar{3, "U+200B ZERO WIDTH SPACE"};
      case 0x8C:
        return InvisibleChar{3, "U+200C ZERO WIDTH NON-JOINER"};
      case 0x8D:
        return InvisibleChar{3, "U+200D ZERO WIDTH JOINER"};
      case 0x8E:
        return InvisibleChar{3, "U+200E LEFT-TO-RIGHT MARK"};
      case 0x8F:
        return InvisibleChar{3, "U+200F RIGHT-TO-LEFT MARK"};
      case 0xAA:
        return InvisibleChar{3, "U+202A LEFT-TO-RIGHT EMBEDDING"};
      case 0xAB:
        return InvisibleChar{3, "U+202B RIGHT-TO-LEFT EMBEDDING"};
      case 0xAC:
        return InvisibleChar{3, "U+202C POP DIRECTIONAL FORMATTING"};
      case 0xAD:
        return InvisibleChar{3, "U+202D LEFT-TO-RIGHT OVERRIDE"};
      case 0xAE:
        return InvisibleChar{3, "U+202E RIGHT-TO-LEFT OVERRIDE"};
      default:
        return std::nullopt;
    }
  }
  if (u(0) == 0xE2 && u(1) == 0x81) {
    switch (u(2)) {
      case 0xA0:
        return InvisibleChar{3, "U+2060 WORD JOINER"};
      case 0xA6:
        return InvisibleChar{3, "U+2066 LEFT-TO-RIGHT ISOLATE"};
      case 0xA7:
        return InvisibleChar{3, "U+2067 RIGHT-TO-LEFT ISOLATE"};
      case 0xA8:
        return InvisibleChar{3, "U+2068 FIRST STRONG ISOLATE"};
      case 0xA9:
        return InvisibleChar{3, "U+2069 POP DIRECTIONAL ISOLATE"};
      default:
        return std::nullopt;
    }
  }
  if (u(0) == 0xEF && u(1) == 0xBB && u(2) == 0xBF && i > 0) {
    return InvisibleChar{3, "U+FEFF ZERO WIDTH NO-BREAK SPACE"};
  }
  return std::nullopt;
}

// Lines such as "Here is the article with the backlinks embedded:" that a text generator
// left in its output.
bool generator_leftover(std::string_view line) {
  line = trim(line);
  if (line.size() < 12 || line.size() > 160 || line.back() != ':') return false;
  std::string lower = to_lower_ascii(line);
  auto starts = [&](std::string_view p) { return lower.compare(0, p.size(), p) == 0; };
  bool opener = starts("here is ") || starts("here's ") || starts("here are ") ||
                starts("below is ") || starts("sure, here") || starts("certainly! here");
  if (!opener) return false;
  return lower.find("article") != std::string::npos ||
         lower.find("backlink") != std::string::npos || lower.find("markdown") != std::string::npos;
}

bool block_id_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
}

using AddFn = std::function<void(Diagnostic)>;

// The first offset at or after `i` holding 0xE2 or 0xEF (the lead bytes of the invisible
// characters), or text.size(). One pass: two memchr calls per hit would rescan the rest of
// a note full of dashes and curly quotes (E2 80 9x) for every one of them.
std::size_t find_e2_or_ef(std::string_view text, std::size_t i) {
  const char* d = text.data();
  const std::size_t n = text.size();
#if defined(__SSE2__)
  const __m128i e2 = _mm_set1_epi8(static_cast<char>(0xE2)),
                ef = _mm_set1_epi8(static_cast<char>(0xEF));
  if (simd::find_first(i, n, [&](std::size_t q) {
        const __m128i v = simd::load16(d + q);
        return simd::mask_of(_mm_or_si128(_mm_cmpeq_epi8(v, e2), _mm_cmpeq_epi8(v, ef)));
      })) {
    return i;
  }
#endif
  while (i < n && d[i] != '\xE2' && d[i] != '\xEF') ++i;
  return i;
}

// Note-level findings that need the text: fences, generator leftovers, invisible
// characters; and the block ids.
// `e2_ef`: every offset of a byte 0xE2 or 0xEF, from scan_text, or null to search for them.
void scan_lines(std::string_view text, std::size_t body_offset, const LineIndex& lines,
                const BlockStructure& blocks, const std::vector<std::uint32_t>* e2_ef, Note& note,
                const AddFn& add) {
  // Invisible characters: one finding per line, at the first one.
  std::uint32_t last_line = 0;
  auto invisible = [&](std::size_t i) {  // the length to skip
    auto inv = invisible_at(text, i);
    if (!inv) return std::size_t{1};
    Position pos = lines.at(i);
    if (pos.line != last_line) {
      add({"", pos, Severity::warning, "invisible-characters",
           std::string("invisible character ") + inv->name + " in the text"});
      last_line = pos.line;
    }
    return inv->length;
  };
  if (e2_ef) {
    // Valid UTF-8: these bytes only lead sequences, so no two overlap.
    for (std::uint32_t i : *e2_ef) invisible(i);
  } else {
    for (std::size_t i = 0; (i = find_e2_or_ef(text, i)) < text.size();) i += invisible(i);
  }

  for (const CodeBlock& b : blocks.code) {
    if (b.fenced && !b.closed) {
      // At the fence itself, past indentation and quote markers.
      std::size_t at = b.begin;
      while (at < text.size() && (text[at] == ' ' || text[at] == '>' || text[at] == '\t')) ++at;
      std::string reach = b.end >= text.size()
                              ? "everything after it, links and timestamps included, shows as code"
                              : "the lines after it, up to line " +
                                    std::to_string(lines.at(b.end - 1).line) +
                                    " where its container ends, show as code";
      add({"", lines.at(at), Severity::error, "unclosed-code-fence",
           "code fence is never closed: " + reach});
    }
  }
  // The whole article inside one markdown fence: the first block of the body after the From
  // line, running to (nearly) the end.
  for (const CodeBlock& b : blocks.code) {
    if (!b.fenced) continue;
    std::string info = to_lower_ascii(b.info);
    if (info != "markdown" && info != "md") break;
    std::string_view before = text.substr(body_offset, b.begin - body_offset);
    std::size_t from = before.find("From:");
    if (from != std::string_view::npos) {
      std::size_t nl = before.find('\n', from);
      before = before.substr(nl == std::string_view::npos ? before.size() : nl + 1);
    }
    std::size_t text_lines_before = 0;
    for (std::size_t k = 0; k < before.size();) {
      std::size_t nl = before.find('\n', k);
      std::string_view l =
          before.substr(k, (nl == std::string_view::npos ? before.size() : nl) - k);
      if (!trim(l).empty()) ++text_lines_before;
      k = nl == std::string_view::npos ? before.size() : nl + 1;
    }
    std::string_view after = text.substr(std::min<std::size_t>(b.end, text.size()));
    if (text_lines_before <= 2 && trim(after).size() < 200) {
      note.wrapped_in_fence = true;
      add({"", lines.at(b.begin), Severity::warning, "wrapped-in-code-fence",
           "the article is wrapped in a " + std::string(3, '`') + b.info +
               " code fence, so its links and timestamps show as code instead of working"});
    }
    break;
  }

  for (std::size_t ln = lines.at(body_offset).line; ln <= lines.line_count(); ++ln) {
    std::size_t ls = lines.line_start(ln);
    std::size_t le = ln < lines.line_count() ? lines.line_start(ln + 1) - 1 : text.size();
    std::string_view line = text.substr(ls, le - ls);
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.remove_suffix(1);
    if (line.empty()) continue;
    if (line.back() == ':') {
      std::size_t first = line.find_first_not_of(" \t>");
      if (first != std::string_view::npos && generator_leftover(line.substr(first))) {
        std::string message = "\"";
        message.append(trim(line.substr(first)));
        message.append("\" looks like text generator chatter left in the note");
        add({"", lines.at(ls + first), Severity::warning, "generator-leftover",
             std::move(message)});
      }
    }
    // `text ^block-id` at the end of a line: walk back over the id only, not the whole line.
    std::size_t id = line.size();
    while (id > 0 && block_id_char(line[id - 1])) --id;
    if (id > 0 && id < line.size() && line[id - 1] == '^' && (id == 1 || line[id - 2] == ' ')) {
      note.block_ids.push_back(line.substr(id));
    }
  }
}

// Timestamps that look like MM:SS written as HH:MM:00: nearly all end in ":00" and some
// pass an hour.
void suspect_minutes(const std::vector<TimestampAnchor>& anchors, const AddFn& add) {
  int three_field = 0, zero = 0;
  const TimestampAnchor* first = nullptr;
  std::int64_t max = 0;
  for (const TimestampAnchor& a : anchors) {
    if (!a.seconds || std::count(a.data_t.begin(), a.data_t.end(), ':') != 2) continue;
    ++three_field;
    if (*a.seconds % 60 == 0) ++zero;
    if (!first) first = &a;
    max = std::max(max, *a.seconds);
  }
  if (three_field >= 3 && zero * 10 >= three_field * 9 && max >= 3600) {
    add({"", first->pos, Severity::warning, "suspect-minutes",
         std::to_string(zero) + " of " + std::to_string(three_field) +
             " timestamps end in :00 and the last is " + format_hms(max) +
             ": they look like MM:SS written as HH:MM:00 (" + format_hms(max) + " would be " +
             format_hms(max / 60) + ")"});
  }
}

// Front-matter `duration` (seconds or HH:MM:SS), and the anchors past it.
void check_duration(Note& note, const std::vector<TimestampAnchor>& anchors, const AddFn& add) {
  const FrontMatterEntry* e = note.front_matter.find("duration");
  if (!e) return;
  std::string_view v = trim(e->value);
  TimeParse t = parse_time(v);
  if (!t.seconds && !v.empty() && v.size() <= 9 &&
      std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    t.seconds = std::stoll(std::string(v));
  }
  if (!t.seconds) {
    add({"", e->pos, Severity::warning, "invalid-duration",
         "front-matter duration \"" + e->value + "\" is not a number of seconds or HH:MM:SS"});
    return;
  }
  note.duration = t.seconds;
  for (const TimestampAnchor& a : anchors) {
    if (a.seconds && *a.seconds > *note.duration) {
      add({"", a.pos, Severity::warning, "timestamp-beyond-duration",
           "timestamp " + format_hms(*a.seconds) + " is past the end of the video (" +
               format_hms(*note.duration) + ")"});
    }
  }
}

// Buffers one thread reuses from note to note, so that each note does not grow its own.
struct Scratch {
  std::vector<std::uint32_t> line_starts;
  std::vector<std::uint32_t> e2_ef;  // from scan_text
  ScanOutput scan;
  std::string sentences;  // the anchors' sentences, until they go to the note's pool
  std::vector<std::pair<std::uint32_t, std::uint32_t>> sentence_places;
};

// Past this size a note's buffers are dropped after it rather than kept for the next one.
constexpr std::size_t kKeepScratchFor = std::size_t{1} << 20;

}  // namespace

Note parse_note(std::string_view text, std::string path, const ParseOptions& options) {
  Note note;
  note.path = std::move(path);
  note.size = text.size();
  split_path(note);
  thread_local Scratch scratch;
  const TextScan facts = scan_text(text, scratch.line_starts, scratch.e2_ef);
  LineIndex lines = LineIndex::from_starts(std::move(scratch.line_starts));
  struct GiveBack {  // on every return
    LineIndex& lines;
    std::size_t size;
    ~GiveBack() {
      if (size <= kKeepScratchFor)
        scratch.line_starts = std::move(lines).release();
      else
        scratch = Scratch{};
    }
  } give_back{lines, text.size()};
  AddFn add = [&](Diagnostic d) {
    d.path = note.path;
    note.diagnostics.push_back(std::move(d));
  };

  if (facts.has_nul) {
    std::size_t at =
        static_cast<const char*>(std::memchr(text.data(), '\0', text.size())) - text.data();
    add({"", lines.at(at), Severity::error, "binary-content",
         "file holds NUL bytes; it looks like a binary file, not a note, and is not read"});
    return note;
  }
  if (std::size_t bad = facts.valid_utf8 ? std::string_view::npos : first_invalid_utf8(text);
      bad != std::string_view::npos) {
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
  note.headings.reserve(blocks.headings.size());
  for (const HeadingBlock& h : blocks.headings) {
    note.headings.push_back(
        Heading{text.substr(h.begin, h.end - h.begin), lines.at(h.begin), h.level});
  }

  ScanOutput& scan = scratch.scan;
  scan_inline(text, fm.body_offset, text.size(), blocks.code, lines, scan, options.lint);
  // Copied at their exact size: a knowledge base keeps them all, so no slack.
  note.links.assign(scan.links.begin(), scan.links.end());
  note.code_links.assign(scan.code_links.begin(), scan.code_links.end());
  note.suppressions = std::move(scan.suppressions);
  for (Diagnostic& d : scan.diagnostics) add(std::move(d));
  std::vector<TimestampAnchor>& anchors = scan.anchors;  // into the note below, if kept
  if (options.lint) {
    scan_lines(text, fm.body_offset, lines, blocks, facts.valid_utf8 ? &scratch.e2_ef : nullptr,
               note, add);
    suspect_minutes(anchors, add);
    check_duration(note, anchors, add);
  }

  const std::size_t body_line = lines.at(fm.body_offset).line;
  // The sentences, computed text, one after another in a buffer the thread reuses until they
  // are moved to the note's pool; each anchor's place in it, for its view once all are in.
  std::string& sentences = scratch.sentences;
  sentences.clear();
  std::vector<std::pair<std::uint32_t, std::uint32_t>>& places = scratch.sentence_places;
  places.clear();
  // The first heading after the anchor: the scanner gives the anchors in the order of the
  // text, so a cursor walks the headings once (a binary search per anchor mispredicted a
  // branch at every step: 1.5% of `timestamps`' time).
  auto it = note.headings.begin();
  std::uint32_t last_offset = 0;
  for (TimestampAnchor& a : anchors) {
    if (a.pos.offset < last_offset) it = note.headings.begin();  // never, but stay right
    last_offset = a.pos.offset;
    while (it != note.headings.end() && it->pos.offset <= a.pos.offset) ++it;
    a.heading = static_cast<int>(it - note.headings.begin()) - 1;
    // An anchor inside a heading line belongs to that heading.
    if (it != note.headings.end() && it->pos.line == a.pos.line) {
      a.heading = static_cast<int>(it - note.headings.begin());
    }
    if (options.anchor_text) {
      const std::size_t at = sentences.size();
      sentence_before(sentences, text, a.pos.offset,
                      paragraph_start(text, lines, a.pos, body_line));
      places.emplace_back(static_cast<std::uint32_t>(at),
                          static_cast<std::uint32_t>(sentences.size() - at));
    }
    ++note.anchor_count;
    if (a.seconds) {
      note.first_seconds = std::min(note.first_seconds.value_or(*a.seconds), *a.seconds);
      note.last_seconds = std::max(note.last_seconds.value_or(*a.seconds), *a.seconds);
    }
  }
  if (options.anchor_text) {
    for (std::size_t k = 0; k < anchors.size(); ++k) {
      anchors[k].text = std::string_view(sentences).substr(places[k].first, places[k].second);
    }
  }
  if (options.keep_anchors) note.anchors.assign(anchors.begin(), anchors.end());

  // The `From: [[channel]]` line: the first body line up to the first heading that starts so.
  std::uint32_t limit_line = note.headings.empty() ? UINT32_MAX : note.headings.front().pos.line;
  for (std::size_t i = 0; i < note.links.size(); ++i) {
    const WikiLink& l = note.links[i];
    if (l.pos.line > limit_line) break;  // `From:` followed by `---` is itself a heading
    std::size_t ls = lines.line_start(l.pos.line);
    std::string_view before = trim(text.substr(ls, l.pos.offset - ls));
    if (before == "From:") {
      note.channel = std::string(l.target());
      note.channel_link = static_cast<int>(i);
      break;
    }
  }
  if (options.pack) pack_pool(note);
  return note;
}

std::string_view note_id_of(std::string_view path) {
  const std::size_t slash = path.rfind('/');
  std::string_view file = slash == std::string_view::npos ? path : path.substr(slash + 1);
  if (file.size() > 3 && file.substr(file.size() - 3) == ".md") file.remove_suffix(3);
  return file;
}

void pack_pool(Note& note) {
  const std::string old = std::move(note.pool);  // the views may point here: kept till the end
  note.pool = std::string();
  std::size_t total = 0;
  for (auto* list : {&note.links, &note.code_links}) {
    // target, fragment and alias lie inside raw: only raw is copied.
    for (const WikiLink& l : *list) total += l.compact ? 0 : l.raw.size();
  }
  for (const TimestampAnchor& a : note.anchors) {
    total += a.data_t.size() + a.label.size() + a.text.size();
  }
  for (const Heading& h : note.headings) total += h.text.size();
  total += note.heading_keys.size();
  for (std::string_view b : note.block_ids) total += b.size();
  // Never in the small-string buffer, whose address changes when the note moves.
  note.pool.reserve(std::max<std::size_t>(total, 32));
  auto rebase = [&](std::string_view& v) {
    std::size_t at = note.pool.size();
    note.pool.append(v);
    v = std::string_view(note.pool.data() + at, v.size());
  };
  for (auto* list : {&note.links, &note.code_links}) {
    for (WikiLink& l : *list) {
      if (!l.compact) rebase(l.raw);  // the parts are places in raw: they follow
    }
  }
  for (TimestampAnchor& a : note.anchors) {
    rebase(a.data_t);
    rebase(a.label);
    rebase(a.text);
  }
  for (Heading& h : note.headings) rebase(h.text);
  rebase(note.heading_keys);
  for (std::string_view& b : note.block_ids) rebase(b);
}

const FrontMatterEntry* FrontMatter::find(std::string_view key) const {
  for (const FrontMatterEntry& e : entries) {
    if (e.key == key) return &e;
  }
  return nullptr;
}

}  // namespace tkb
