// Presenting `check` findings as text: source excerpts, GitHub annotations, the summary, and
// reading the --durations CSV.
#include "tkb/report.hpp"

#include <algorithm>
#include <cstdio>

#include "tkb/error.hpp"
#include "tkb/text.hpp"
#include "tkb/timestamp.hpp"

namespace tkb {

namespace {

// The code point of the valid UTF-8 sequence at s[i] and its length; length 0 when the bytes
// there are not valid UTF-8 (overlong forms and surrogates included).
std::size_t decode_utf8(std::string_view s, std::size_t i, char32_t& cp) {
  auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char b0 = byte(i);
  if (b0 < 0x80) {
    cp = b0;
    return 1;
  }
  std::size_t len;
  char32_t min;
  if ((b0 & 0xE0) == 0xC0) {
    len = 2, cp = b0 & 0x1F, min = 0x80;
  } else if ((b0 & 0xF0) == 0xE0) {
    len = 3, cp = b0 & 0x0F, min = 0x800;
  } else if ((b0 & 0xF8) == 0xF0) {
    len = 4, cp = b0 & 0x07, min = 0x10000;
  } else {
    return 0;
  }
  if (i + len > s.size()) return 0;
  for (std::size_t k = 1; k < len; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (byte(i + k) & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return len;
}

void append_utf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// Characters that show nothing but change what the reader sees: zero-width characters,
// bidirectional controls (which can reorder the rest of the line), the BOM, the soft hyphen.
bool invisible(char32_t c) {
  return c == 0x00AD || c == 0x061C || c == 0x180E || (c >= 0x200B && c <= 0x200F) ||
         (c >= 0x2028 && c <= 0x202E) || (c >= 0x2060 && c <= 0x2069) || c == 0xFEFF;
}

bool combining(char32_t c) {
  return (c >= 0x0300 && c <= 0x036F) || (c >= 0x1AB0 && c <= 0x1AFF) ||
         (c >= 0x1DC0 && c <= 0x1DFF) || (c >= 0x20D0 && c <= 0x20FF) ||
         (c >= 0xFE20 && c <= 0xFE2F) || (c >= 0xFE00 && c <= 0xFE0F);
}

// East Asian wide and fullwidth characters, and emoji: two columns in a terminal.
bool wide(char32_t c) {
  return (c >= 0x1100 && c <= 0x115F) || (c >= 0x2E80 && c <= 0x303E) ||
         (c >= 0x3041 && c <= 0x33FF) || (c >= 0x3400 && c <= 0x4DBF) ||
         (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0xA000 && c <= 0xA4CF) ||
         (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0xF900 && c <= 0xFAFF) ||
         (c >= 0xFE30 && c <= 0xFE4F) || (c >= 0xFF00 && c <= 0xFF60) ||
         (c >= 0xFFE0 && c <= 0xFFE6) || (c >= 0x1F300 && c <= 0x1F64F) ||
         (c >= 0x1F900 && c <= 0x1F9FF) || (c >= 0x20000 && c <= 0x3FFFD);
}

// One printed character of a source line: what to print, how wide it is, and the bytes of
// the line it stands for.
struct Glyph {
  std::string text;
  std::size_t width = 1;
  std::size_t end = 0;  // one past its last byte in the line
};

std::vector<Glyph> glyphs(std::string_view line) {
  std::vector<Glyph> out;
  std::size_t column = 0;  // display column so far, for tab stops
  for (std::size_t i = 0; i < line.size();) {
    Glyph g;
    char32_t cp = 0;
    std::size_t len = decode_utf8(line, i, cp);
    if (len == 0) {
      append_utf8(g.text, 0xFFFD);  // not UTF-8
      len = 1;
    } else if (cp == '\t') {
      g.width = 4 - column % 4;
      g.text.assign(g.width, ' ');
    } else if (cp < 0x20 || cp == 0x7F) {
      append_utf8(g.text, cp == 0x7F ? 0x2421 : 0x2400 + cp);  // ␀ ␁ ... ␡
    } else if (cp >= 0x80 && cp <= 0x9F) {
      append_utf8(g.text, 0xFFFD);  // C1 controls
    } else if (invisible(cp)) {
      char buf[16];
      std::snprintf(buf, sizeof buf, "<U+%04X>", static_cast<unsigned>(cp));
      g.text = buf;
      g.width = g.text.size();
    } else {
      g.text.assign(line.substr(i, len));
      g.width = combining(cp) ? 0 : wide(cp) ? 2 : 1;
    }
    i += len;
    g.end = i;
    column += g.width;
    out.push_back(std::move(g));
  }
  return out;
}

std::string plural(std::size_t n, const char* word) {
  return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

std::string pad_left(const std::string& s, std::size_t width) {
  return s.size() >= width ? s : std::string(width - s.size(), ' ') + s;
}

}  // namespace

std::string_view line_of(std::string_view text, std::uint32_t line) {
  std::size_t begin = 0;
  for (std::uint32_t l = 1; l < line; ++l) {
    std::size_t nl = text.find('\n', begin);
    if (nl == std::string_view::npos) return {};
    begin = nl + 1;
  }
  if (line == 0 || begin > text.size()) return {};
  std::size_t nl = text.find('\n', begin);
  std::string_view out = text.substr(begin, nl == std::string_view::npos ? nl : nl - begin);
  if (!out.empty() && out.back() == '\r') out.remove_suffix(1);
  return out;
}

std::uint32_t code_point_column(std::string_view line, std::uint32_t byte_column) {
  std::size_t target = byte_column > 0 ? byte_column - 1 : 0;
  std::uint32_t column = 1;
  std::size_t i = 0;
  while (i < target && i < line.size()) {
    char32_t cp;
    std::size_t len = decode_utf8(line, i, cp);
    i += len == 0 ? 1 : len;
    ++column;
  }
  if (target > line.size()) column += static_cast<std::uint32_t>(target - line.size());
  return column;
}

SourceExcerpt source_excerpt(std::string_view line, std::uint32_t byte_column,
                             std::size_t max_width) {
  std::vector<Glyph> gs = glyphs(line);
  const std::size_t byte = byte_column > 0 ? byte_column - 1 : 0;
  // The glyph the column falls in (or one past the last, for a column beyond the line).
  std::size_t t = 0;
  while (t < gs.size() && gs[t].end <= byte) ++t;

  std::size_t total = 0;
  for (const Glyph& g : gs) total += g.width;
  std::size_t left = 0, right = gs.size();
  if (total > max_width) {
    // Keep up to half the room before the column, as much as fits after it, then fill any
    // room left before it. Two columns are kept for the `…` marks.
    const std::size_t budget = max_width > 2 ? max_width - 2 : 0;
    std::size_t used = 0;
    left = t;
    while (left > 0 && used + gs[left - 1].width <= budget / 2) used += gs[--left].width;
    right = t;
    while (right < gs.size() && used + gs[right].width <= budget) used += gs[right++].width;
    while (left > 0 && used + gs[left - 1].width <= budget) used += gs[--left].width;
  }
  SourceExcerpt out;
  if (left > 0) {
    out.text = "\xE2\x80\xA6";  // …
    out.caret = " ";
  }
  for (std::size_t k = left; k < right; ++k) {
    out.text += gs[k].text;
    if (k < t) out.caret.append(gs[k].width, ' ');
  }
  if (right < gs.size()) out.text += "\xE2\x80\xA6";
  return out;
}

// ---- GitHub ---------------------------------------------------------------------------------

std::string github_escape_data(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    if (c == '%') {
      out += "%25";
    } else if (c == '\r') {
      out += "%0D";
    } else if (c == '\n') {
      out += "%0A";
    } else {
      out += c;
    }
  }
  return out;
}

std::string github_escape_property(std::string_view s) {
  std::string out;
  for (char c : github_escape_data(s)) {
    if (c == ':') {
      out += "%3A";
    } else if (c == ',') {
      out += "%2C";
    } else {
      out += c;
    }
  }
  return out;
}

std::string github_annotation(const Diagnostic& d) {
  std::string out = "::";
  out += d.severity == Severity::error     ? "error"
         : d.severity == Severity::warning ? "warning"
                                           : "notice";
  out += ' ';
  if (!d.path.empty()) {
    out += "file=" + github_escape_property(d.path) + ",line=" + std::to_string(d.pos.line) +
           ",col=" + std::to_string(d.pos.column) + ",";
  }
  out += "title=" + github_escape_property(d.rule) + "::" + github_escape_data(d.message);
  return out;
}

void write_github(std::ostream& out, const std::vector<Diagnostic>& findings) {
  std::string buffer;
  for (const Diagnostic& d : findings) buffer += github_annotation(d) + '\n';
  out << buffer;
  out.flush();
}

// ---- Summary --------------------------------------------------------------------------------

void count_findings(CheckSummary& s, const std::vector<Diagnostic>& findings) {
  for (const Diagnostic& d : findings) {
    auto k = static_cast<std::size_t>(d.severity);
    ++s.totals[k];
    ++s.rules[d.rule][k];
  }
}

void add_counts(CheckSummary& s, const CheckSummary& more) {
  s.notes += more.notes;
  for (std::size_t k = 0; k < s.totals.size(); ++k) s.totals[k] += more.totals[k];
  for (const auto& [rule, counts] : more.rules) {
    std::array<int, 3>& to = s.rules[rule];
    for (std::size_t k = 0; k < to.size(); ++k) to[k] += counts[k];
  }
}

CheckSummary summarize(const std::vector<Diagnostic>& findings, std::size_t notes) {
  CheckSummary s;
  s.notes = notes;
  count_findings(s, findings);
  return s;
}

std::string summary_line(const CheckSummary& s, bool per_rule) {
  std::string out = "checked " + plural(s.notes, "note") + ": " +
                    plural(static_cast<std::size_t>(s.totals[2]), "error") + ", " +
                    plural(static_cast<std::size_t>(s.totals[1]), "warning") + ", " +
                    std::to_string(s.totals[0]) + " info";
  if (per_rule && !s.rules.empty()) {
    out += " (";
    bool first = true;
    for (const auto& [rule, n] : s.rules) {
      out += (first ? "" : ", ") + rule + " " + std::to_string(n[0] + n[1] + n[2]);
      first = false;
    }
    out += ")";
  }
  return out;
}

void write_summary_text(std::ostream& out, const CheckSummary& s) {
  std::string text = summary_line(s, false) + '\n';
  if (!s.rules.empty()) {
    std::size_t w = std::string_view("total").size();
    for (const auto& [rule, n] : s.rules) w = std::max(w, rule.size());
    auto row = [&](const std::string& name, const std::array<std::string, 4>& cells) {
      std::string line = name + std::string(w - name.size(), ' ');
      const std::size_t widths[4] = {5, 7, 4, 5};
      for (std::size_t k = 0; k < 4; ++k) line += "  " + pad_left(cells[k], widths[k]);
      text += line + '\n';
    };
    auto counts = [](const std::array<int, 3>& n) {
      return std::array<std::string, 4>{std::to_string(n[2]), std::to_string(n[1]),
                                        std::to_string(n[0]), std::to_string(n[0] + n[1] + n[2])};
    };
    text += '\n';
    row("rule", {"error", "warning", "info", "total"});
    for (const auto& [rule, n] : s.rules) row(rule, counts(n));
    row("total", counts(s.totals));
  }
  if (!s.missing.empty()) {
    text += "\nlinks  notes  missing target\n";
    for (const MissingTarget& m : s.missing) {
      // A target is text from a note: shown with the same care as a source line.
      text += pad_left(std::to_string(m.links), 5) + "  " + pad_left(std::to_string(m.notes), 5) +
              "  " + source_excerpt(m.target, 1, 200).text + '\n';
    }
  }
  out << text;
  out.flush();
}

// ---- Names ------------------------------------------------------------------------------------

std::string did_you_mean(std::string_view word, const std::vector<std::string_view>& known) {
  std::string_view best;
  std::size_t best_distance = std::max<std::size_t>(2, word.size() / 3) + 1;
  for (std::string_view k : known) {
    std::size_t d = edit_distance(word, k, best_distance - 1);
    if (d < best_distance) best = k, best_distance = d;
  }
  return best.empty() ? "" : " (did you mean '" + std::string(best) + "'?)";
}

// ---- Durations ------------------------------------------------------------------------------

namespace {

// The cells of one CSV line (RFC 4180 quoting within the line); false on a broken quote.
bool split_csv(std::string_view line, std::vector<std::string>& cells) {
  cells.clear();
  std::size_t i = 0;
  while (true) {
    std::string cell;
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    if (i < line.size() && line[i] == '"') {
      ++i;
      while (true) {
        if (i >= line.size()) return false;
        if (line[i] == '"') {
          if (i + 1 < line.size() && line[i + 1] == '"') {
            cell += '"';
            i += 2;
            continue;
          }
          ++i;
          break;
        }
        cell += line[i++];
      }
      while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
      if (i < line.size() && line[i] != ',') return false;
    } else {
      std::size_t comma = line.find(',', i);
      std::size_t end = comma == std::string_view::npos ? line.size() : comma;
      cell = std::string(trim(line.substr(i, end - i)));
      i = end;
    }
    cells.push_back(std::move(cell));
    if (i >= line.size()) return true;
    ++i;  // the comma
  }
}

}  // namespace

std::unordered_map<std::string, std::int64_t> parse_durations(std::string_view text,
                                                              const std::string& path) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  std::unordered_map<std::string, std::int64_t> out;
  std::unordered_map<std::string, std::size_t> where;  // id -> line
  std::vector<std::string> cells;
  bool first_row = true;
  std::size_t number = 0;
  for (std::size_t pos = 0; pos < text.size();) {
    ++number;
    std::size_t nl = text.find('\n', pos);
    std::string_view line =
        text.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
    pos = nl == std::string_view::npos ? text.size() : nl + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (trim(line).empty()) continue;
    const std::string at = path + ":" + std::to_string(number) + ": ";
    if (!split_csv(line, cells)) throw Error(at + "a quoted cell is not closed properly");
    if (first_row) {
      first_row = false;
      std::string head = to_lower_ascii(cells[0]);
      if (head == "video_id" || head == "videoid" || head == "id") continue;
    }
    if (cells.size() != 2) {
      throw Error(at + "expected 2 cells, video_id,seconds; found " + std::to_string(cells.size()));
    }
    std::string id = cells[0];
    if (!id.empty() && id[0] == '\'') id.erase(0, 1);
    if (id.empty()) throw Error(at + "the video id is empty");
    const std::string& value = cells[1];
    std::int64_t seconds = -1;
    if (!value.empty() && value.size() <= 12 &&
        std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      seconds = std::stoll(value);
    } else if (TimeParse t = parse_time(value); t.seconds) {
      seconds = *t.seconds;
    } else {
      throw Error(at + "'" + value + "' is not a number of seconds or a time such as 1:02:03");
    }
    auto [it, inserted] = out.emplace(id, seconds);
    if (!inserted && it->second != seconds) {
      throw Error(at + "video id '" + id + "' has another length on line " +
                  std::to_string(where[id]));
    }
    if (inserted) where[id] = number;
  }
  return out;
}

}  // namespace tkb
