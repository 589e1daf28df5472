#pragma once
// Exports of the model: the timestamps table (`tkb timestamps`).

#include <string>
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

}  // namespace tkb
