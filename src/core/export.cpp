#include "tkb/export.hpp"

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

void append_timestamp_rows(std::string& out, const Note& n, Format format,
                           const OutputOptions& options) {
  if (n.anchors.empty()) return;
  const bool csv = format == Format::csv;
  const bool guard = options.neutralize_formulas;
  const char sep = csv ? ',' : '\t';
  const std::string_view end = csv ? "\r\n" : "\n";
  auto cell = [&](std::string& to, std::string_view text) {
    append_delimited_cell(to, text, csv, guard);
  };
  // The cells every row of the note repeats, escaped once. The video id is escaped inside
  // the URL too, as a whole cell with it.
  std::string video_id, path_title, url;
  cell(video_id, n.video_id);
  // The URL needs escaping only for what the id holds (it starts with 'h', never a formula).
  std::string unguarded;
  append_delimited_cell(unguarded, n.video_id, csv, false);
  const bool url_plain = unguarded == n.video_id;
  cell(path_title, n.path);
  path_title += sep;
  cell(path_title, n.title);
  std::vector<std::string> headings(n.headings.size());
  std::vector<char> heading_done(n.headings.size(), 0);
  for (const TimestampAnchor& a : n.anchors) {
    out += video_id;
    out += sep;
    if (a.seconds) append_number(out, *a.seconds);
    out += sep;
    if (a.seconds) append_hms(out, *a.seconds);  // digits and ':': never escaped
    out += sep;
    if (url_plain) {
      append_youtube_url(out, n.video_id, a.seconds);
    } else {
      url.clear();
      append_youtube_url(url, n.video_id, a.seconds);
      cell(out, url);
    }
    out += sep;
    out += path_title;
    out += sep;
    if (a.heading >= 0) {
      const auto h = static_cast<std::size_t>(a.heading);
      if (!heading_done[h]) cell(headings[h], n.headings[h].text), heading_done[h] = 1;
      out += headings[h];
    }
    out += sep;
    append_number(out, static_cast<std::int64_t>(a.pos.line));
    out += sep;
    cell(out, a.text);
    out += end;
  }
}

}  // namespace tkb
