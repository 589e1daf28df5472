#include "tkb/output.hpp"

#include <algorithm>
#include <array>
#include <cstdlib>
#include <cstring>
#include <string_view>

#include "simd.hpp"
#include "tkb/text.hpp"

namespace tkb {

namespace {

bool formula_like(std::string_view s) {
  return !s.empty() &&
         (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' || s[0] == '\t' || s[0] == '\r');
}

std::string cell_text(const Cell& c, std::string_view list_sep, std::string_view null_text) {
  struct Visitor {
    std::string_view sep, null_text;
    std::string operator()(std::monostate) const { return std::string(null_text); }
    std::string operator()(bool b) const { return b ? "true" : "false"; }
    std::string operator()(std::int64_t v) const { return std::to_string(v); }
    std::string operator()(const std::string& s) const { return s; }
    std::string operator()(std::string_view s) const { return std::string(s); }
    std::string operator()(const std::vector<std::string>& v) const {
      std::string out;
      for (const std::string& s : v) {
        if (!out.empty()) out += sep;
        out += s;
      }
      return out;
    }
  };
  return std::visit(Visitor{list_sep, null_text}, c);
}

// Whether `cell` holds one of the four bytes that make a cell need quoting (CSV) or escapes
// (TSV); sixteen bytes at a time where SSE2 is there (every x86-64): cells are most of a
// gigabyte of output.
bool has_special(std::string_view cell, bool csv) {
  const char s0 = csv ? ',' : '\t', s1 = csv ? '"' : '\n', s2 = '\r', s3 = csv ? '\n' : '\\';
  std::size_t i = 0;
#if defined(TKB_HAVE_AVX2)
  if (simd::wide() && simd::find_any_wide(cell.data(), i, cell.size(), s0, s1, s2, s3)) {
    return true;
  }
#endif
#if defined(__SSE2__)
  const __m128i a = _mm_set1_epi8(s0), b = _mm_set1_epi8(s1), c = _mm_set1_epi8(s2),
                d = _mm_set1_epi8(s3);
  if (simd::find_first(i, cell.size(), [&](std::size_t q) {
        const __m128i v = simd::load16(cell.data() + q);
        return simd::mask_of(_mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, a), _mm_cmpeq_epi8(v, b)),
                                          _mm_or_si128(_mm_cmpeq_epi8(v, c), _mm_cmpeq_epi8(v, d))));
      })) {
    return i < cell.size();
  }
#endif
  // A cell shorter than sixteen bytes, byte by byte, against the four bytes directly:
  // string_view::find here was a memchr call per byte, an eighth of `timestamps`' time.
  for (; i < cell.size(); ++i) {
    const char ch = cell[i];
    if (ch == s0 || ch == s1 || ch == s2 || ch == s3) return true;
  }
  return false;
}

}  // namespace

bool delimited_cell_is_plain(std::string_view cell, bool csv, bool neutralize) {
  return !(neutralize && formula_like(cell)) && !has_special(cell, csv);
}

void append_delimited_cell(std::string& out, std::string_view cell, bool csv, bool neutralize) {
  if (delimited_cell_is_plain(cell, csv, neutralize)) {
    out.append(cell);
  } else {
    const std::size_t at = out.size();
    out.resize(at + delimited_cell_bound(cell.size()));
    char* end = write_delimited_cell(out.data() + at, cell, csv, neutralize);
    out.resize(static_cast<std::size_t>(end - out.data()));
  }
}

void append_json_string(std::string& out, std::string_view s) {
  static const char* const kHex = "0123456789abcdef";
  out += '"';
  std::size_t plain = 0;  // the first byte not yet copied
  auto copy_to = [&](std::size_t to) { out.append(s.data() + plain, to - plain); };
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
      ++i;
      continue;
    }
    if (c < 0x80) {
      copy_to(i);
      switch (c) {
        case '"':
          out += "\\\"";
          break;
        case '\\':
          out += "\\\\";
          break;
        case '\b':
          out += "\\b";
          break;
        case '\t':
          out += "\\t";
          break;
        case '\n':
          out += "\\n";
          break;
        case '\f':
          out += "\\f";
          break;
        case '\r':
          out += "\\r";
          break;
        default:
          out += "\\u00";
          out += kHex[c >> 4];
          out += kHex[c & 15];
      }
      plain = ++i;
      continue;
    }
    // A UTF-8 sequence: its length and the range of its second byte (which rules out
    // overlong forms, surrogates and code points above U+10FFFF); any other first byte is
    // invalid.
    std::size_t length = 0;
    unsigned char low = 0x80, high = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
      length = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      length = 3;
      if (c == 0xE0) low = 0xA0;
      if (c == 0xED) high = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      length = 4;
      if (c == 0xF0) low = 0x90;
      if (c == 0xF4) high = 0x8F;
    }
    std::size_t good = length > 0 ? 1 : 0;  // bytes of the sequence that are right so far
    while (good > 0 && good < length && i + good < s.size()) {
      const auto next = static_cast<unsigned char>(s[i + good]);
      if (next < (good == 1 ? low : 0x80) || next > (good == 1 ? high : 0xBF)) break;
      ++good;
    }
    if (length > 0 && good == length) {
      i += length;
      continue;
    }
    // Invalid: one U+FFFD for the bytes taken so far (a bad first byte alone), and the byte
    // that broke the sequence is read again, as nlohmann-json's `replace` does; a sequence
    // the end of the text cuts short is one U+FFFD.
    copy_to(i);
    out += "\xEF\xBF\xBD";
    i += std::max<std::size_t>(good, 1);
    plain = i;
  }
  copy_to(s.size());
  out += '"';
}

namespace {

// Where a writer's rows go: a stream, 64 KiB at a time (`timestamps` writes a gigabyte of
// rows on a large knowledge base); or, with `out` null, a caller's text, appended to and
// never flushed (rows formatted on the threads that parse, see make_text_writer).
class RowSink {
 public:
  RowSink(std::ostream* out, std::string* text) : m_out(out), m_text(text ? *text : m_own) {}
  // m_text may refer to m_own: a copy would write into the original's buffer.
  RowSink(const RowSink&) = delete;
  RowSink& operator=(const RowSink&) = delete;
  ~RowSink() { flush(); }
  std::string& text() { return m_text; }
  bool to_stream() const { return m_out != nullptr; }
  void append(std::string_view rows) {
    m_text += rows;
    row_done();
  }
  void row_done() {
    if (m_text.size() >= kChunk) flush();
  }
  void finish() {
    flush();
    if (m_out) m_out->flush();
  }

 private:
  static constexpr std::size_t kChunk = 1 << 16;
  void flush() {
    if (!m_out) return;
    m_out->write(m_text.data(), static_cast<std::streamsize>(m_text.size()));
    m_text.clear();
  }
  std::ostream* m_out;
  std::string m_own;
  std::string& m_text;
};

class DelimitedWriter : public RecordWriter {
 public:
  DelimitedWriter(std::ostream* out, std::string* text, const std::vector<std::string>& columns,
                  bool csv, const OutputOptions& o)
      : m_sink(out, text), m_line(m_sink.text()), m_csv(csv), m_neutralize(o.neutralize_formulas) {
    if (o.header) {
      std::vector<Cell> header(columns.begin(), columns.end());
      write(header, false);
    }
  }
  void row(const std::vector<Cell>& cells) override { write(cells, m_neutralize); }
  void formatted_rows(std::string_view text) override { m_sink.append(text); }
  void finish() override { m_sink.finish(); }

 private:
  // Rows gather in one reused buffer, cells escaped straight into it.
  void write(const std::vector<Cell>& cells, bool neutralize) {
    for (std::size_t i = 0; i < cells.size(); ++i) {
      if (i) m_line += m_csv ? ',' : '\t';
      // Numbers are never formulas; only text cells are neutralised.
      bool guard = neutralize && !std::holds_alternative<std::int64_t>(cells[i]);
      if (const auto* text = std::get_if<std::string>(&cells[i])) {
        append_escaped(*text, guard);
      } else if (const auto* view = std::get_if<std::string_view>(&cells[i])) {
        append_escaped(*view, guard);
      } else if (const auto* number = std::get_if<std::int64_t>(&cells[i])) {
        append_number(m_line, *number);  // digits and '-' need no escape
      } else {
        append_escaped(cell_text(cells[i], ";", ""), guard);
      }
    }
    m_line += m_csv ? "\r\n" : "\n";
    m_sink.row_done();
  }
  void append_escaped(std::string_view cell, bool guard) {
    append_delimited_cell(m_line, cell, m_csv, guard);
  }
  RowSink m_sink;
  std::string& m_line;  // m_sink's text
  bool m_csv, m_neutralize;
};

// A table cell's text appended to `out`: lists joined with ", ", null as "-", and line breaks
// and tabs as spaces (a row is one line).
void append_table_text(std::string& out, const Cell& c) {
  const std::size_t begin = out.size();
  out += cell_text(c, ", ", "-");
  for (std::size_t k = begin; k < out.size(); ++k) {
    if (out[k] == '\n' || out[k] == '\r' || out[k] == '\t') out[k] = ' ';
  }
}

// Code points, not bytes, so that accented names line up.
std::size_t display_width(std::string_view s) {
  return static_cast<std::size_t>(std::count_if(
      s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

// One table line: the cells of a row padded to `widths` with two spaces between columns, the
// last cell not padded, trailing spaces dropped. A cell wider than its column (widths
// measured for other rows: a caller's error) stops the program rather than misalign.
void append_table_line(std::string& line, const std::vector<std::string_view>& cells,
                       const std::vector<std::size_t>& widths) {
  for (std::size_t i = 0; i < cells.size(); ++i) {
    line += cells[i];
    if (i + 1 == cells.size()) break;
    const std::size_t width = display_width(cells[i]);
    if (i >= widths.size() || width > widths[i]) std::abort();
    line.append(widths[i] - width + 2, ' ');
  }
  while (!line.empty() && line.back() == ' ') line.pop_back();
  line += '\n';
}

// Columns aligned with two spaces; the last column is not padded. Every row waits for the
// widest cell, so rows are kept compactly: their cells' text in one buffer.
class TableWriter : public RecordWriter {
 public:
  TableWriter(std::ostream& out, std::vector<std::string> columns, const OutputOptions& o)
      : m_out(out) {
    if (o.header) {
      std::vector<Cell> header(columns.begin(), columns.end());
      row(header);
    }
  }
  void row(const std::vector<Cell>& cells) override {
    for (const Cell& c : cells) {
      append_table_text(m_text, c);
      m_cell_end.push_back(m_text.size());
    }
    const std::size_t first = m_row_end.empty() ? 0 : m_row_end.back();
    for (std::size_t i = 0; i < m_cell_end.size() - first; ++i) {
      if (m_width.size() <= i) m_width.push_back(0);
      m_width[i] = std::max(m_width[i], display_width(cell(first + i)));
    }
    m_row_end.push_back(m_cell_end.size());
  }
  void finish() override {
    std::string line;
    std::vector<std::string_view> cells;
    std::size_t first = 0;
    for (std::size_t end : m_row_end) {
      line.clear();
      cells.clear();
      for (std::size_t k = first; k < end; ++k) cells.push_back(cell(k));
      append_table_line(line, cells, m_width);
      m_out << line;
      first = end;
    }
    m_out.flush();
  }

 private:
  std::string_view cell(std::size_t k) const {
    std::size_t begin = k == 0 ? 0 : m_cell_end[k - 1];
    return std::string_view(m_text).substr(begin, m_cell_end[k] - begin);
  }
  std::ostream& m_out;
  std::string m_text;                   // every cell's text, one after another
  std::vector<std::size_t> m_cell_end;  // where each cell's text ends in m_text
  std::vector<std::size_t> m_row_end;   // where each row's cells end in m_cell_end
  std::vector<std::size_t> m_width;     // widest cell of each column
};

// The same table with its widths known beforehand (TableWidths): each row written as it comes,
// to a stream 64 KiB at a time, or, with `out` null, appended to `text` and never flushed
// (rows formatted on many threads, see make_table_text_writer).
class MeasuredTableWriter : public RecordWriter {
 public:
  MeasuredTableWriter(std::ostream* out, std::string* text, const std::vector<std::string>& columns,
                      const TableWidths& widths, const OutputOptions& o)
      : m_sink(out, text), m_width(widths.widths()) {
    if (o.header) {
      std::vector<Cell> header(columns.begin(), columns.end());
      row(header);
    }
  }
  void row(const std::vector<Cell>& cells) override {
    m_text.clear();
    m_ends.clear();
    for (const Cell& c : cells) {
      append_table_text(m_text, c);
      m_ends.push_back(m_text.size());
    }
    m_cells.clear();
    for (std::size_t k = 0, begin = 0; k < m_ends.size(); begin = m_ends[k++]) {
      m_cells.push_back(std::string_view(m_text).substr(begin, m_ends[k] - begin));
    }
    append_table_line(m_sink.text(), m_cells, m_width);
    m_sink.row_done();
  }
  void formatted_rows(std::string_view text) override { m_sink.append(text); }
  void finish() override { m_sink.finish(); }

 private:
  RowSink m_sink;
  std::vector<std::size_t> m_width;
  std::string m_text;
  std::vector<std::size_t> m_ends;
  std::vector<std::string_view> m_cells;
};

// A JSON array of objects, one per row, written as rows arrive: one object per line,
// `{"column":value,...}`, strings escaped by append_json_string (what nlohmann-json's dump
// gives, tested byte for byte). To a stream, 64 KiB at a time, with the brackets; or, with
// `out` null, the rows alone appended to `text`, each as ",\n{...}", for formatted_rows().
class JsonWriter : public RecordWriter {
 public:
  JsonWriter(std::ostream* out, std::string* text, const std::vector<std::string>& columns)
      : m_sink(out, text), m_line(m_sink.text()) {
    for (const std::string& c : columns) {
      std::string key;
      append_json_string(key, c);
      key += ':';
      m_keys.push_back(std::move(key));
    }
    if (m_sink.to_stream()) m_line += '[';
  }
  void row(const std::vector<Cell>& cells) override {
    m_line += m_first && m_sink.to_stream() ? "\n{" : ",\n{";
    m_first = false;
    for (std::size_t i = 0; i < cells.size() && i < m_keys.size(); ++i) {
      if (i) m_line += ',';
      m_line += m_keys[i];
      append_value(cells[i]);
    }
    m_line += '}';
    m_sink.row_done();
  }
  void formatted_rows(std::string_view text) override {
    if (text.empty()) return;
    if (m_first) text.remove_prefix(1);  // the first row's ',': it begins the array
    m_first = false;
    m_sink.append(text);
  }
  void finish() override {
    if (m_sink.to_stream()) m_line += m_first ? "]\n" : "\n]\n";
    m_sink.finish();
  }

 private:
  void append_value(const Cell& c) {
    if (const auto* text = std::get_if<std::string>(&c)) {
      append_json_string(m_line, *text);
    } else if (const auto* view = std::get_if<std::string_view>(&c)) {
      append_json_string(m_line, *view);
    } else if (const auto* number = std::get_if<std::int64_t>(&c)) {
      append_number(m_line, *number);
    } else if (const auto* flag = std::get_if<bool>(&c)) {
      m_line += *flag ? "true" : "false";
    } else if (const auto* list = std::get_if<std::vector<std::string>>(&c)) {
      m_line += '[';
      for (std::size_t k = 0; k < list->size(); ++k) {
        if (k) m_line += ',';
        append_json_string(m_line, (*list)[k]);
      }
      m_line += ']';
    } else {
      m_line += "null";
    }
  }
  RowSink m_sink;
  std::string& m_line;              // m_sink's text
  std::vector<std::string> m_keys;  // each column's name, escaped, with its ':'
  bool m_first = true;
};

class PathsWriter : public RecordWriter {
 public:
  explicit PathsWriter(std::ostream& out) : m_out(out) {}
  void row(const std::vector<Cell>& cells) override {
    if (!cells.empty()) m_out << cell_text(cells[0], ", ", "") << '\n';
  }
  void finish() override { m_out.flush(); }

 private:
  std::ostream& m_out;
};

}  // namespace

char* write_delimited_cell(char* out, std::string_view cell, bool csv, bool neutralize) {
  const bool guard = neutralize && formula_like(cell);
  if (!guard && !has_special(cell, csv)) {
    std::memcpy(out, cell.data(), cell.size());
    return out + cell.size();
  }
  if (csv) {
    const bool quote = cell.find_first_of(",\"\r\n") != std::string_view::npos;
    if (quote) *out++ = '"';
    if (guard) *out++ = '\'';
    if (!quote) {
      std::memcpy(out, cell.data(), cell.size());
      return out + cell.size();
    }
    // Quotes doubled: the text between them copied whole.
    for (std::size_t i = 0; i <= cell.size();) {
      const void* hit = std::memchr(cell.data() + i, '"', cell.size() - i);
      const std::size_t q =
          hit ? static_cast<std::size_t>(static_cast<const char*>(hit) - cell.data()) : cell.size();
      std::memcpy(out, cell.data() + i, q - i);
      out += q - i;
      if (q == cell.size()) break;
      *out++ = '"';
      *out++ = '"';
      i = q + 1;
    }
    *out++ = '"';
    return out;
  }
  if (guard) *out++ = '\'';
  for (char c : cell) {
    switch (c) {
      case '\t':
        *out++ = '\\', *out++ = 't';
        break;
      case '\n':
        *out++ = '\\', *out++ = 'n';
        break;
      case '\r':
        *out++ = '\\', *out++ = 'r';
        break;
      case '\\':
        *out++ = '\\', *out++ = '\\';
        break;
      default:
        *out++ = c;
    }
  }
  return out;
}

namespace {

std::string escaped(std::string_view cell, bool csv, bool neutralize) {
  std::string out(delimited_cell_bound(cell.size()), '\0');
  out.resize(static_cast<std::size_t>(write_delimited_cell(out.data(), cell, csv, neutralize) -
                                      out.data()));
  return out;
}

}  // namespace

std::string csv_escape(std::string_view cell, bool neutralize) {
  return escaped(cell, true, neutralize);
}

std::string tsv_escape(std::string_view cell, bool neutralize) {
  return escaped(cell, false, neutralize);
}

std::unique_ptr<RecordWriter> make_writer(Format format, std::ostream& out,
                                          std::vector<std::string> columns,
                                          const OutputOptions& options) {
  switch (format) {
    case Format::table:
      return std::make_unique<TableWriter>(out, std::move(columns), options);
    case Format::tsv:
    case Format::csv:
      return std::make_unique<DelimitedWriter>(&out, nullptr, columns, format == Format::csv,
                                               options);
    case Format::json:
      return std::make_unique<JsonWriter>(&out, nullptr, columns);
    case Format::paths:
      return std::make_unique<PathsWriter>(out);
  }
  return nullptr;
}

TableWidths::TableWidths(const std::vector<std::string>& columns, const OutputOptions& options) {
  if (options.header) add(std::vector<Cell>(columns.begin(), columns.end()));
}

void TableWidths::add(const std::vector<Cell>& cells) {
  if (m_widths.size() < cells.size()) m_widths.resize(cells.size(), 0);
  for (std::size_t i = 0; i < cells.size(); ++i) {
    m_text.clear();
    append_table_text(m_text, cells[i]);
    m_widths[i] = std::max(m_widths[i], display_width(m_text));
  }
}

void TableWidths::merge(const TableWidths& other) {
  if (m_widths.size() < other.m_widths.size()) m_widths.resize(other.m_widths.size(), 0);
  for (std::size_t i = 0; i < other.m_widths.size(); ++i) {
    m_widths[i] = std::max(m_widths[i], other.m_widths[i]);
  }
}

std::unique_ptr<RecordWriter> make_table_writer(std::ostream& out,
                                                const std::vector<std::string>& columns,
                                                const TableWidths& widths,
                                                const OutputOptions& options) {
  return std::make_unique<MeasuredTableWriter>(&out, nullptr, columns, widths, options);
}

std::unique_ptr<RecordWriter> make_table_text_writer(std::string& text,
                                                     const std::vector<std::string>& columns,
                                                     const TableWidths& widths,
                                                     const OutputOptions& options) {
  return std::make_unique<MeasuredTableWriter>(nullptr, &text, columns, widths, options);
}

std::unique_ptr<RecordWriter> make_text_writer(Format format, std::string& text,
                                               const std::vector<std::string>& columns,
                                               const OutputOptions& options) {
  if (format == Format::json) return std::make_unique<JsonWriter>(nullptr, &text, columns);
  if (format != Format::csv && format != Format::tsv) return nullptr;
  return std::make_unique<DelimitedWriter>(nullptr, &text, columns, format == Format::csv, options);
}

std::unique_ptr<RecordWriter> make_json_writer(std::ostream& out,
                                               const std::vector<std::string>& columns) {
  return std::make_unique<JsonWriter>(&out, nullptr, columns);
}

void RecordWriter::formatted_rows(std::string_view) {
  std::abort();  // a writer that takes no formatted rows: a caller's error
}

}  // namespace tkb
