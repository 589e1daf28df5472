#pragma once
// Record output shared by every command: table, TSV, CSV, JSON, paths.

#include <cstdint>
#include <memory>
#include <ostream>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace tkb {

// A cell: null, boolean, integer, text (owned, or a view of text that outlives the row() call
// it is passed to), or a list of texts.
using Cell = std::variant<std::monostate, bool, std::int64_t, std::string, std::string_view,
                          std::vector<std::string>>;

// A text cell from a view (model text fields are views into their note): not copied, so a
// row of a million-row export costs no allocation for it.
inline Cell text_cell(std::string_view s) {
  return s;
}

enum class Format { table, tsv, csv, json, paths };

struct OutputOptions {
  // Prefix CSV/TSV cells that a spreadsheet would run as a formula with `'` (OWASP).
  bool neutralize_formulas = true;
  bool header = true;  // column names as the first line of table/tsv/csv
};

// Streams rows of one shape. `table` buffers to align columns; the others write as they go.
class RecordWriter {
 public:
  virtual ~RecordWriter() = default;
  virtual void row(const std::vector<Cell>& cells) = 0;
  // Rows that make_text_writer formatted for this writer's format and columns (on another
  // thread, say), written as if row() had been called for each, in order; for a measured
  // table, make_table_text_writer's rows with the same widths. Only CSV, TSV, JSON and
  // measured-table writers take them; any other aborts (a caller's error).
  virtual void formatted_rows(std::string_view text);
  virtual void finish() = 0;  // closes the JSON array, flushes the table
};

// `columns` names the cells of every row. For `paths`, the first column is written alone.
std::unique_ptr<RecordWriter> make_writer(Format format, std::ostream& out,
                                          std::vector<std::string> columns,
                                          const OutputOptions& options = {});

// CSV, TSV or JSON rows appended to `text` as they come, with no stream in between (null for
// the other formats), without header or brackets: for rows formatted on many threads and
// handed in order to the formatted_rows() of a make_writer writer of the same format.
std::unique_ptr<RecordWriter> make_text_writer(Format format, std::string& text,
                                               const std::vector<std::string>& columns,
                                               const OutputOptions& options = {});

// An aligned table in two passes, for rows that can be made twice, so that no table is held
// in memory: every row measured with add() (the header too, by the constructor, when the
// options ask for one), then written with make_table_writer as it comes, byte for byte what
// make_writer(Format::table) writes. A row wider than its measure is a programming error
// (abort), never a misaligned table.
class TableWidths {
 public:
  TableWidths(const std::vector<std::string>& columns, const OutputOptions& options = {});
  void add(const std::vector<Cell>& cells);
  // Widen to `other`'s measures: the rows measured in parts (on several threads) and merged
  // measure what measuring them all in one would.
  void merge(const TableWidths& other);
  const std::vector<std::size_t>& widths() const { return m_widths; }

 private:
  std::vector<std::size_t> m_widths;
  std::string m_text;  // reused for each cell
};

std::unique_ptr<RecordWriter> make_table_writer(std::ostream& out,
                                                const std::vector<std::string>& columns,
                                                const TableWidths& widths,
                                                const OutputOptions& options = {});

// The same rows appended to `text` (and never flushed), for rows formatted on many threads and
// written in order afterwards; with options.header false, the rows alone.
std::unique_ptr<RecordWriter> make_table_text_writer(std::string& text,
                                                     const std::vector<std::string>& columns,
                                                     const TableWidths& widths,
                                                     const OutputOptions& options = {});

// make_writer(Format::json, ...): `[`, one `{"column":value,...}` object a line, `]`.
std::unique_ptr<RecordWriter> make_json_writer(std::ostream& out,
                                               const std::vector<std::string>& columns);

// `s` as a JSON string, quotes included, appended to `out`: byte for byte what nlohmann-json
// dumps with ensure_ascii off and invalid UTF-8 replaced by U+FFFD (one for each bad first
// byte or broken sequence), so the output is always valid JSON.
void append_json_string(std::string& out, std::string_view s);

// One CSV (`csv`) or TSV cell appended to `out` exactly as the writers write a text cell:
// escaped, and with `neutralize` guarded against formulas. For rows assembled by hand, whose
// repeated cells can then be escaped once.
void append_delimited_cell(std::string& out, std::string_view cell, bool csv, bool neutralize);

// Whether append_delimited_cell appends `cell` unchanged (nearly every cell: no separator,
// quote, line break or backslash, and no formula to guard).
bool delimited_cell_is_plain(std::string_view cell, bool csv, bool neutralize);

// The same cell written at `out`, which has room for delimited_cell_bound(cell.size())
// bytes; returns the end of what was written. For rows assembled in room made beforehand.
char* write_delimited_cell(char* out, std::string_view cell, bool csv, bool neutralize);

// The most bytes a cell of `size` bytes can take escaped: every byte doubled, two quotes
// and a formula guard.
constexpr std::size_t delimited_cell_bound(std::size_t size) {
  return 2 * size + 3;
}

// Escape helpers used by the writers (exposed for tests).
std::string csv_escape(std::string_view cell, bool neutralize);
std::string tsv_escape(std::string_view cell, bool neutralize);

}  // namespace tkb
