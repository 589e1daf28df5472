#pragma once
// Exports of the model: the timestamps table (`tkb timestamps`).

#include <string>
#include <string_view>
#include <vector>

#include "tkb/model.hpp"
#include "tkb/output.hpp"

namespace tkb {

// The columns of the timestamps table, one row per anchor: video_id, seconds, time, url,
// path, title, heading, line, text.
const std::vector<std::string>& timestamp_columns();

// Every anchor of `note` as a row of those columns.
void write_timestamp_rows(const Note& note, RecordWriter& out);

// The same rows as CSV or TSV (`format`) appended to `out`: byte for byte what a
// make_text_writer writer given write_timestamp_rows would append (the header is not
// written), in a fraction of the time: the cells every row of a note repeats (video id,
// path, title, heading) are escaped once, not on every row.
void append_timestamp_rows(std::string& out, const Note& note, Format format,
                           const OutputOptions& options);

// The same rows in two steps, so that many notes' rows can go into room made once, with no
// zeroes written first: room() is at least the rows' length (exactly it when no cell needs
// escaping); write() puts the rows at `at`, which has room() bytes, and returns their end.
// The note must outlive the object.
class TimestampRows {
 public:
  TimestampRows(const Note& note, Format format, const OutputOptions& options);
  std::size_t room() const { return m_room; }
  char* write(char* at) const;

 private:
  std::string_view end() const { return m_csv ? "\r\n" : "\n"; }

  // A piece of m_pieces: where it starts, and its length.
  struct Piece {
    std::size_t at = 0, size = 0;
  };
  std::string_view piece(Piece p) const { return std::string_view(m_pieces).substr(p.at, p.size); }

  const Note& m_note;
  bool m_csv, m_guard, m_url_plain = true;
  // The cells every row of the note repeats, escaped once, one after another (one allocation
  // for a note, not one per piece: a fifth of a million notes' worth of them showed):
  // `lead` is the video id and its separator; `mid`, the path and title between theirs;
  // `url_head`, the URL up to the time; the headings, escaped (empty for one no row shows).
  std::string m_pieces;
  Piece m_lead, m_mid, m_url_head;
  std::vector<Piece> m_headings;
  std::vector<char> m_text_plain;  // per anchor: its text needs no escaping
  std::size_t m_room = 0;
};

}  // namespace tkb
