// Unit tests for tkb/export.hpp: the timestamps table's fast CSV/TSV rows are byte for byte
// what the general writers make of the same cells.
#include <catch2/catch.hpp>

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "tkb/export.hpp"
#include "tkb/parse.hpp"

using namespace tkb;

namespace {

std::string anchor(const std::string& data_t, const std::string& label) {
  return "<a class=\"yt-timestamp\" data-t=\"" + data_t + "\">[" + label + "]</a>";
}

// Through the general writer: the reference.
std::string via_writer(const Note& n, Format format, const OutputOptions& options) {
  std::string out;
  auto w = make_text_writer(format, out, timestamp_columns(), options);
  write_timestamp_rows(n, *w);
  w->finish();
  return out;
}

}  // namespace

TEST_CASE("append_timestamp_rows: the writers' bytes, hostile cells included", "[export]") {
  const std::vector<std::pair<std::string, std::string>> notes = {
      {"chan/plain.md",
       "---\ntitle: Plain title\nvideoId: abcdefghijk\n---\n\n## Intro\n"
       "First point. Second " +
           anchor("00:00:05", "00:00:05") +
           ".\n"
           "## Next\nMore " +
           anchor("1:02:03", "1:02:03") + " and " + anchor("bad", "bad") + "\n"},
      {"chan/a,b \"q\".md",
       "---\ntitle: \"=SUM(1), \\\"quoted\\\"\\ttab\"\nvideoId: \"-id,with\\\"x\"\n---\n"
       "## +Heading, with \"quotes\"\n@at start " +
           anchor("00:01:00", "00:01:00") +
           "\n"
           "back\\slash\ttab " +
           anchor("00:02:00", "00:02:00") + "\n## Heading\nNo id " +
           anchor("00:03:00", "00:03:00") + "\n"},
      {"chan/none.md", "---\ntitle: No anchors\nvideoId: abcdefghijk\n---\nText.\n"},
      {"root.md", "Before any heading " + anchor("00:00:01", "00:00:01") + "\n"},
  };
  int rows = 0;
  for (const auto& [path, text] : notes) {
    Note n = parse_note(text, path);
    for (Format format : {Format::csv, Format::tsv}) {
      for (bool neutralize : {true, false}) {
        OutputOptions options;
        options.header = false;
        options.neutralize_formulas = neutralize;
        std::string fast = "kept";  // appended to, not replaced
        append_timestamp_rows(fast, n, format, options);
        INFO(path << (format == Format::csv ? " csv" : " tsv") << " neutralize " << neutralize);
        CHECK(fast == "kept" + via_writer(n, format, options));
      }
    }
    rows += static_cast<int>(n.anchors.size());
  }
  CHECK(rows == 7);
  // One exact row, for the record: quoted title, guarded cells, the escaped id in its URL.
  Note n = parse_note(notes[1].second, notes[1].first);
  std::string out;
  append_timestamp_rows(out, n, Format::csv, {});
  CHECK(out.substr(0, out.find("\r\n")) ==
        "\"'-id,with\"\"x\",60,00:01:00,\"https://www.youtube.com/watch?v=-id,with\"\"x&t=60s\","
        "\"chan/a,b \"\"q\"\".md\",\"'=SUM(1), \"\"quoted\"\"\ttab\",\"'+Heading, with "
        "\"\"quotes\"\"\",6,'@at start");
}

TEST_CASE("TimestampRows: several notes' rows written into room made once", "[export]") {
  const std::vector<std::pair<std::string, std::string>> notes = {
      {"chan/plain.md", "---\ntitle: Plain\nvideoId: abcdefghijk\n---\n## Intro\nOne " +
                            anchor("00:00:05", "00:00:05") + "\nTwo " +
                            anchor("01:00:00", "01:00:00") + "\n"},
      {"chan/none.md", "---\ntitle: No anchors\n---\nText.\n"},
      {"chan/q.md", "---\ntitle: \"A, b\"\nvideoId: x\n---\n=Sum, \"quoted\" " +
                        anchor("00:00:07", "00:00:07") + "\n"},
  };
  std::vector<Note> parsed;
  for (const auto& [path, text] : notes) parsed.push_back(parse_note(text, path));
  for (Format format : {Format::csv, Format::tsv}) {
    OutputOptions options;
    options.header = false;
    std::vector<TimestampRows> rows;
    std::size_t room = 0;
    std::string expected;
    for (const Note& n : parsed) {
      room += rows.emplace_back(n, format, options).room();
      expected += via_writer(n, format, options);
    }
    // Plain cells are counted exactly; the note with nothing to show needs no room.
    CHECK(rows[0].room() == via_writer(parsed[0], format, options).size());
    CHECK(rows[1].room() == 0);
    std::string buffer(room + 4, '#');  // the bytes past the room must stay as they are
    char* end = buffer.data();
    for (const TimestampRows& r : rows) end = r.write(end);
    INFO((format == Format::csv ? "csv" : "tsv"));
    CHECK(std::string(buffer.data(), end) == expected);
    CHECK(buffer.substr(room) == "####");
  }
}

TEST_CASE("append_timestamp_rows: numbers at their longest fit the room counted", "[export]") {
  // A model made by hand: times and lines no note gives, up to the ends of int64. The rows
  // are written into room counted beforehand; a miscount would overrun it.
  Note n;
  n.path = "chan/n.md";
  n.title = "Title";
  n.video_id = "abcdefghijk";
  n.headings.push_back(Heading{"Only, heading", {}, 2});
  const std::int64_t most = std::numeric_limits<std::int64_t>::max();
  const std::int64_t least = std::numeric_limits<std::int64_t>::min();
  const std::vector<std::int64_t> values = {0,      9,     10,     99,    100,   9999,
                                            10000,  99999, 100000, 35999, 36000, 359999,
                                            360000, -1,    -3600,  most,  least};
  std::vector<std::optional<std::int64_t>> times = {std::nullopt};
  times.insert(times.end(), values.begin(), values.end());
  for (std::size_t k = 0; k < times.size(); ++k) {
    TimestampAnchor a;
    a.seconds = times[k];
    const std::uint32_t lines[] = {1, 9, 10, 99999, 100000, 12345};
    a.pos.line = k % 2 ? 4294967295u : lines[k / 2 % 6];
    a.heading = k % 3 == 0 ? -1 : 0;
    a.text = k % 2 ? "a, \"quoted\" text" : "";
    n.anchors.push_back(a);
  }
  for (Format format : {Format::csv, Format::tsv}) {
    OutputOptions options;
    options.header = false;
    std::string fast;
    append_timestamp_rows(fast, n, format, options);
    CHECK(fast == via_writer(n, format, options));
  }
  std::string out;
  append_timestamp_rows(out, n, Format::csv, {});
  const std::size_t second = out.find("\r\n") + 2;
  CHECK(out.substr(second, out.find("\r\n", second) - second) ==
        "abcdefghijk,0,00:00:00,https://www.youtube.com/watch?v=abcdefghijk&t=0s,chan/n.md,Title,"
        "\"Only, heading\",4294967295,\"a, \"\"quoted\"\" text\"");
  CHECK(out.find("9223372036854775807,2562047788015215:30:07,") != std::string::npos);
}
