#include "tkb/export.hpp"

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <cstring>

#include "tkb/text.hpp"
#include "tkb/timestamp.hpp"

namespace tkb {

const std::vector<std::string>& timestamp_columns() {
  static const std::vector<std::string> columns = {"video_id", "seconds", "time", "url", "path",
                                                   "title",    "heading", "line", "text"};
  return columns;
}

namespace {

std::string_view heading_of(const Note& n, const TimestampAnchor& a) {
  return a.heading >= 0 ? n.headings[static_cast<std::size_t>(a.heading)].text : "";
}

}  // namespace

void write_timestamp_rows(const Note& n, RecordWriter& w) {
  std::vector<Cell> cells(9);  // reused for every row of the note
  std::string hms, url;        // likewise: the cells below are views of them
  for (const TimestampAnchor& a : n.anchors) {
    cells[0] = text_cell(n.video_id);
    cells[1] = a.seconds ? Cell(*a.seconds) : Cell(std::monostate{});
    hms.clear();
    if (a.seconds) append_hms(hms, *a.seconds);
    cells[2] = a.seconds ? text_cell(hms) : Cell(std::monostate{});
    url.clear();
    append_youtube_url(url, n.video_id, a.seconds);
    cells[3] = text_cell(url);
    cells[4] = text_cell(n.path);
    cells[5] = text_cell(n.title);
    cells[6] = text_cell(heading_of(n, a));
    cells[7] = static_cast<std::int64_t>(a.pos.line);
    cells[8] = text_cell(a.text);
    w.row(cells);
  }
}

namespace {

// Writers into room made beforehand (see append_timestamp_rows): each returns the new end.
char* put(char* p, std::string_view s) {
  std::memcpy(p, s.data(), s.size());
  return p + s.size();
}

char* put_number(char* p, std::int64_t v) {
  // Times and line numbers are nearly always below 100,000: written without the general
  // conversion's work.
  if (v >= 0 && v < 100000) {
    auto u = static_cast<unsigned>(v);
    const std::size_t len = u < 10 ? 1 : u < 100 ? 2 : u < 1000 ? 3 : u < 10000 ? 4 : 5;
    char* d = p + len;
    do {
      *--d = static_cast<char>('0' + u % 10);
      u /= 10;
    } while (u != 0);
    return p + len;
  }
  return std::to_chars(p, p + 20, v).ptr;  // 20: the digits and sign of any int64
}

// As append_hms: HH:MM:SS, hours in two digits at least, a negative time as 0.
char* put_hms(char* p, std::int64_t seconds) {
  if (seconds < 0) seconds = 0;
  if (seconds < 36000) *p++ = '0';
  p = put_number(p, seconds / 3600);
  auto two = [&](std::int64_t v) {
    *p++ = ':';
    *p++ = static_cast<char>('0' + v / 10);
    *p++ = static_cast<char>('0' + v % 10);
  };
  two(seconds / 60 % 60);
  two(seconds % 60);
  return p;
}

}  // namespace

TimestampRows::TimestampRows(const Note& n, Format format, const OutputOptions& options)
    : m_note(n), m_csv(format == Format::csv), m_guard(options.neutralize_formulas) {
  if (n.anchors.empty()) return;
  const char sep = m_csv ? ',' : '\t';
  auto cell = [&](std::string_view text) { append_delimited_cell(m_pieces, text, m_csv, m_guard); };
  auto mark = [&](Piece& p, std::size_t from) { p = {from, m_pieces.size() - from}; };
  // The URL's start is copied as it is when the id needs no escaping (the URL starts with
  // 'h', never a formula); otherwise each URL is escaped whole.
  std::size_t from = 0;
  cell(n.video_id);
  m_pieces += sep;
  mark(m_lead, from);
  from = m_pieces.size();
  m_pieces += "https://www.youtube.com/watch?v=";
  m_pieces += n.video_id;
  mark(m_url_head, from);
  m_url_plain = delimited_cell_is_plain(n.video_id, m_csv, false);
  from = m_pieces.size();
  m_pieces += sep;
  cell(n.path);
  m_pieces += sep;
  cell(n.title);
  m_pieces += sep;
  mark(m_mid, from);
  m_headings.resize(n.headings.size());
  std::vector<char> heading_done(n.headings.size(), 0);
  // Room for every row, counted exactly (the zeroes a resize writes first cost as much as
  // the rows): the rows are then written with plain copies, not an append (and its capacity
  // check) per piece. A cell that needs escaping, which few do, gets room for its longest
  // escaped form.
  auto number_length = [](std::int64_t v) {
    std::size_t len = v < 0 ? 2 : 1;
    for (auto u = v < 0 ? 0 - static_cast<std::uint64_t>(v) : static_cast<std::uint64_t>(v);
         u >= 10; u /= 10) {
      ++len;
    }
    return len;
  };
  const std::size_t fixed =
      m_lead.size + m_mid.size + end().size() + 4 +  // 4 separators more
      (m_url_plain ? m_url_head.size : delimited_cell_bound(m_url_head.size + 24));
  m_text_plain.resize(n.anchors.size());
  for (std::size_t k = 0; k < n.anchors.size(); ++k) {
    const TimestampAnchor& a = n.anchors[k];
    m_room += fixed + number_length(a.pos.line);
    if (a.seconds) {
      const std::size_t digits = number_length(*a.seconds);
      m_room +=
          digits +
          std::max<std::size_t>(2, number_length(std::max<std::int64_t>(0, *a.seconds) / 3600)) + 6;
      if (m_url_plain) m_room += 3 + digits + 1;  // "&t=" seconds "s"
    }
    m_text_plain[k] = delimited_cell_is_plain(a.text, m_csv, m_guard);
    m_room += m_text_plain[k] ? a.text.size() : delimited_cell_bound(a.text.size());
    if (a.heading >= 0) {
      const auto h = static_cast<std::size_t>(a.heading);
      if (!heading_done[h]) {
        from = m_pieces.size();
        cell(n.headings[h].text);
        mark(m_headings[h], from);
        heading_done[h] = 1;
      }
      m_room += m_headings[h].size;
    }
  }
}

char* TimestampRows::write(char* const begin) const {
  const Note& n = m_note;
  const char sep = m_csv ? ',' : '\t';
  const std::string_view lead = piece(m_lead), mid = piece(m_mid), url_head = piece(m_url_head);
  std::string url;
  char* p = begin;
  for (std::size_t k = 0; k < n.anchors.size(); ++k) {
    const TimestampAnchor& a = n.anchors[k];
    p = put(p, lead);
    if (a.seconds) p = put_number(p, *a.seconds);
    *p++ = sep;
    if (a.seconds) p = put_hms(p, *a.seconds);  // digits and ':': never escaped
    *p++ = sep;
    if (m_url_plain) {
      p = put(p, url_head);
      if (a.seconds) {
        p = put(p, "&t=");
        p = put_number(p, *a.seconds);
        *p++ = 's';
      }
    } else {
      url.clear();
      append_youtube_url(url, n.video_id, a.seconds);
      p = write_delimited_cell(p, url, m_csv, false);
    }
    p = put(p, mid);
    if (a.heading >= 0) p = put(p, piece(m_headings[static_cast<std::size_t>(a.heading)]));
    *p++ = sep;
    p = put_number(p, static_cast<std::int64_t>(a.pos.line));
    *p++ = sep;
    p = m_text_plain[k] ? put(p, a.text) : write_delimited_cell(p, a.text, m_csv, m_guard);
    p = put(p, end());
  }
  // Past the room counted is past the buffer: stop rather than go on with memory overwritten.
  if (p > begin + m_room) std::abort();
  return p;
}

void append_timestamp_rows(std::string& out, const Note& n, Format format,
                           const OutputOptions& options) {
  const TimestampRows rows(n, format, options);
  const std::size_t start = out.size();
  out.resize(start + rows.room());
  char* end = rows.write(out.data() + start);
  out.resize(static_cast<std::size_t>(end - out.data()));
}

}  // namespace tkb
