// Unit tests for tkb/output.hpp: escaping, formula neutralisation, and every record format.
#include <catch2/catch.hpp>
#include <cstdint>

#include <nlohmann/json.hpp>

#include <sstream>
#include <string>
#include <vector>

#include "tkb/output.hpp"
#include "tkb/text.hpp"

using namespace tkb;

namespace {

std::string write(Format f, std::vector<std::string> columns, const std::vector<std::vector<Cell>>& rows,
                  const OutputOptions& o = {}) {
  std::ostringstream out;
  std::unique_ptr<RecordWriter> w = make_writer(f, out, columns, o);
  REQUIRE(w != nullptr);
  for (const auto& r : rows) w->row(r);
  w->finish();
  // The same rows appended to a string must give the same bytes, after what it held.
  std::string text = "before|";
  std::unique_ptr<RecordWriter> t = make_text_writer(f, text, columns, o);
  if (f == Format::csv || f == Format::tsv || f == Format::json) {
    REQUIRE(t != nullptr);
    for (const auto& r : rows) t->row(r);
    t->finish();
    t.reset();
    if (f != Format::json) CHECK(text == "before|" + out.str());  // JSON: rows alone
    // The rows formatted in two parts (on other threads, say) and handed over in order, an
    // empty part between them: the same output.
    OutputOptions rows_only = o;
    rows_only.header = false;
    std::string first, second;
    auto a = make_text_writer(f, first, columns, rows_only);
    auto b = make_text_writer(f, second, columns, rows_only);
    for (std::size_t i = 0; i < rows.size(); ++i) (i < rows.size() / 2 ? a : b)->row(rows[i]);
    a->finish();
    b->finish();
    std::ostringstream joined;
    auto j = make_writer(f, joined, columns, o);
    j->formatted_rows(first);
    j->formatted_rows("");
    j->formatted_rows(second);
    j->finish();
    CHECK(joined.str() == out.str());
  } else {
    CHECK(t == nullptr);
  }
  return out.str();
}

// A strict RFC 4180 reader: records end with CRLF, quoted fields double their quotes.
std::vector<std::vector<std::string>> read_csv(const std::string& s) {
  std::vector<std::vector<std::string>> records;
  std::vector<std::string> record;
  std::string field;
  std::size_t i = 0;
  bool quoted = false, any = false;
  while (i < s.size()) {
    char c = s[i];
    if (quoted) {
      if (c == '"' && i + 1 < s.size() && s[i + 1] == '"') field += '"', i += 2;
      else if (c == '"') quoted = false, ++i;
      else field += c, ++i;
    } else if (c == '"' && field.empty()) {
      quoted = true, any = true, ++i;
    } else if (c == ',') {
      record.push_back(field), field.clear(), ++i;
    } else if (c == '\r' && i + 1 < s.size() && s[i + 1] == '\n') {
      record.push_back(field), field.clear();
      records.push_back(record), record.clear();
      i += 2;
    } else {
      REQUIRE(c != '"');   // a bare quote inside an unquoted field is not RFC 4180
      REQUIRE(c != '\n');  // so is a bare line feed
      field += c, ++i;
    }
  }
  (void)any;
  REQUIRE(field.empty());  // the last record ended with CRLF
  REQUIRE(record.empty());
  return records;
}

}  // namespace

TEST_CASE("output: csv_escape", "[output]") {
  struct Case {
    std::string cell;
    bool neutralize;
    std::string want;
  };
  const std::vector<Case> cases = {
      {"plain", true, "plain"},
      {"", true, ""},
      {"a=b", true, "a=b"},  // only a leading character makes a formula
      {"=1+1", true, "'=1+1"},
      {"=1+1", false, "=1+1"},
      {"-abc", true, "'-abc"},
      {"+", true, "'+"},
      {"@SUM(A1)", true, "'@SUM(A1)"},
      {"\tx", true, "'\tx"},  // a tab needs no quoting in CSV
      {"\rx", true, "\"'\rx\""},
      {"a,b", true, "\"a,b\""},
      {"a,b", false, "\"a,b\""},
      {"say \"hi\"", true, "\"say \"\"hi\"\"\""},
      {"\"", true, "\"\"\"\""},
      {"line1\nline2", true, "\"line1\nline2\""},
      {"line1\r\nline2", true, "\"line1\r\nline2\""},
      {"=HYPERLINK(\"x\",\"y\")", true, "\"'=HYPERLINK(\"\"x\"\",\"\"y\"\")\""},
      {"caf\xC3\xA9", true, "caf\xC3\xA9"},
  };
  for (const Case& c : cases) {
    INFO("cell: " << c.cell << " neutralize: " << c.neutralize);
    CHECK(csv_escape(c.cell, c.neutralize) == c.want);
  }
}

TEST_CASE("output: tsv_escape", "[output]") {
  struct Case {
    std::string cell;
    bool neutralize;
    std::string want;
  };
  const std::vector<Case> cases = {
      {"plain", true, "plain"},
      {"", true, ""},
      {"a\tb", true, "a\\tb"},
      {"a\nb", true, "a\\nb"},
      {"a\rb", true, "a\\rb"},
      {"a\\b", true, "a\\\\b"},
      {"a,b \"q\"", true, "a,b \"q\""},  // nothing to quote in TSV
      {"=1+1", true, "'=1+1"},
      {"=1+1", false, "=1+1"},
      {"-abc", true, "'-abc"},
      {"+x", true, "'+x"},
      {"@x", true, "'@x"},
      {"\tx", true, "'\\tx"},
      {"\tx", false, "\\tx"},
      {"\rx", true, "'\\rx"},
  };
  for (const Case& c : cases) {
    INFO("cell: " << c.cell << " neutralize: " << c.neutralize);
    CHECK(tsv_escape(c.cell, c.neutralize) == c.want);
  }
}

TEST_CASE("output: CSV writer", "[output]") {
  const std::vector<std::vector<Cell>> rows = {
      {std::string("a,b"), std::int64_t{-5}, true, std::vector<std::string>{"x", "=y"}, std::monostate{}},
      {std::string("=cmd"), std::int64_t{0}, false, std::vector<std::string>{"-z"}, std::string("")},
  };
  const std::vector<std::string> columns = {"path", "count", "ok", "tags", "none"};

  CHECK(write(Format::csv, columns, rows) ==
        "path,count,ok,tags,none\r\n"
        "\"a,b\",-5,true,x;=y,\r\n"  // numbers are never neutralised
        "'=cmd,0,false,'-z,\r\n");

  OutputOptions raw;
  raw.neutralize_formulas = false;
  raw.header = false;
  CHECK(write(Format::csv, columns, rows, raw) ==
        "\"a,b\",-5,true,x;=y,\r\n"
        "=cmd,0,false,-z,\r\n");

  CHECK(write(Format::csv, columns, {}) == "path,count,ok,tags,none\r\n");
}

TEST_CASE("output: CSV and TSV find special bytes anywhere in a cell", "[output]") {
  // Sixteen bytes at a time, then the tail one by one: a special byte in either part, and
  // at each end, must be escaped; the largest integers print whole.
  OutputOptions raw;
  raw.neutralize_formulas = false;
  raw.header = false;
  const std::string sixteen = "0123456789abcdef";
  const std::vector<std::vector<Cell>> rows = {
      {sixteen + ",", sixteen + "x", std::string(","), std::string("ab\"c")},
      {std::string(",") + sixteen, sixteen + sixteen + "\n", std::string("tail\r"),
       std::string("")},
      {std::int64_t{INT64_MIN}, std::int64_t{INT64_MAX}, std::int64_t{0}, std::int64_t{-1}},
  };
  CHECK(write(Format::csv, {"a", "b", "c", "d"}, rows, raw) ==
        "\"0123456789abcdef,\",0123456789abcdefx,\",\",\"ab\"\"c\"\r\n"
        "\",0123456789abcdef\",\"0123456789abcdef0123456789abcdef\n\",\"tail\r\",\r\n"
        "-9223372036854775808,9223372036854775807,0,-1\r\n");
  const std::vector<std::vector<Cell>> tsv_rows = {
      {sixteen + "\t", sixteen + "\\", std::string("a\tb"), std::int64_t{42}},
  };
  CHECK(write(Format::tsv, {"a", "b", "c", "d"}, tsv_rows, raw) ==
        "0123456789abcdef\\t\t0123456789abcdef\\\\\ta\\tb\t42\n");
}

TEST_CASE("output: CSV round-trips through an RFC 4180 reader", "[output]") {
  const std::vector<std::string> nasty = {"plain", "a,b", "say \"hi\"", "two\nlines", "crlf\r\nend",
                                          "", "\"", "tab\there", "caf\xC3\xA9"};
  std::vector<std::vector<Cell>> rows;
  for (const std::string& s : nasty) rows.push_back({s, std::int64_t{7}});
  std::string csv = write(Format::csv, {"text", "n"}, rows);
  auto records = read_csv(csv);
  REQUIRE(records.size() == nasty.size() + 1);
  CHECK(records[0] == std::vector<std::string>{"text", "n"});
  for (std::size_t i = 0; i < nasty.size(); ++i) {
    INFO("cell " << i);
    CHECK(records[i + 1] == std::vector<std::string>{nasty[i], "7"});
  }
}

TEST_CASE("output: TSV writer", "[output]") {
  const std::vector<std::vector<Cell>> rows = {
      {std::string("a\tb"), std::int64_t{-5}, std::vector<std::string>{"x", "y"}, std::monostate{}},
      {std::string("@me"), std::int64_t{3}, std::vector<std::string>{}, true},
  };
  CHECK(write(Format::tsv, {"name", "n", "list", "flag"}, rows) ==
        "name\tn\tlist\tflag\n"
        "a\\tb\t-5\tx;y\t\n"
        "'@me\t3\t\ttrue\n");
  OutputOptions no_header;
  no_header.header = false;
  CHECK(write(Format::tsv, {"name"}, {{std::string("x")}}, no_header) == "x\n");
}

TEST_CASE("output: table writer aligns columns", "[output]") {
  const std::vector<std::vector<Cell>> rows = {
      {std::string("a.md"), std::int64_t{1}, std::vector<std::string>{"x", "y"}},
      {std::string("longer/path.md"), std::int64_t{12345}, std::monostate{}},
      {std::string("caf\xC3\xA9.md"), true, std::string("two\nlines\tand\rmore")},
      {std::string("e.md"), std::int64_t{2}, std::string("")},
  };
  CHECK(write(Format::table, {"path", "n", "tags"}, rows) ==
        "path            n      tags\n"
        "a.md            1      x, y\n"
        "longer/path.md  12345  -\n"
        "caf\xC3\xA9.md         true   two lines and more\n"  // width in code points
        "e.md            2\n");                               // no trailing blanks

  OutputOptions no_header;
  no_header.header = false;
  CHECK(write(Format::table, {"path", "n"}, {{std::string("a"), std::int64_t{1}}}, no_header) ==
        "a  1\n");
  CHECK(write(Format::table, {"path", "n"}, {}) == "path  n\n");
}

TEST_CASE("output: JSON writer output parses back", "[output]") {
  const std::vector<std::vector<Cell>> rows = {
      {std::string("a.md"), std::int64_t{-5}, true, std::vector<std::string>{"x", "y"}, std::monostate{}},
      {std::string("quote \" and \\ and\ttab"), std::int64_t{0}, false, std::vector<std::string>{},
       std::string("caf\xC3\xA9")},
  };
  std::string text = write(Format::json, {"path", "n", "ok", "tags", "none"}, rows);
  CHECK(text ==
        "[\n"
        "{\"path\":\"a.md\",\"n\":-5,\"ok\":true,\"tags\":[\"x\",\"y\"],\"none\":null},\n"
        "{\"path\":\"quote \\\" and \\\\ and\\ttab\",\"n\":0,\"ok\":false,\"tags\":[],"
        "\"none\":\"caf\xC3\xA9\"}\n"
        "]\n");
  nlohmann::json j = nlohmann::json::parse(text);
  REQUIRE(j.is_array());
  REQUIRE(j.size() == 2);
  CHECK(j[0]["path"] == "a.md");
  CHECK(j[0]["n"] == -5);
  CHECK(j[0]["ok"] == true);
  CHECK(j[0]["tags"] == nlohmann::json::array({"x", "y"}));
  CHECK(j[0]["none"].is_null());
  CHECK(j[1]["path"] == "quote \" and \\ and\ttab");
  CHECK(j[1]["tags"].empty());
  CHECK(j[1]["none"] == "caf\xC3\xA9");
}

TEST_CASE("output: JSON writer replaces invalid UTF-8 so the output stays valid", "[output]") {
  std::string text = write(Format::json, {"text", "list"},
                           {{std::string("bad \xFF byte"), std::vector<std::string>{"ok", "\xC3"}}});
  nlohmann::json j;
  REQUIRE_NOTHROW(j = nlohmann::json::parse(text));
  REQUIRE(j.size() == 1);
  CHECK(j[0]["text"] == "bad \xEF\xBF\xBD byte");  // U+FFFD
  CHECK(j[0]["list"][1] == "\xEF\xBF\xBD");
}

TEST_CASE("output: JSON writer edge cases", "[output]") {
  CHECK(write(Format::json, {"a"}, {}) == "[]\n");
  CHECK(nlohmann::json::parse(write(Format::json, {"a"}, {})).empty());
  // Cells beyond the named columns are dropped.
  CHECK(write(Format::json, {"a"}, {{std::int64_t{1}, std::int64_t{2}}}) == "[\n{\"a\":1}\n]\n");
  // make_json_writer is the same writer.
  std::ostringstream out;
  auto w = make_json_writer(out, {"x"});
  w->row({std::string("y")});
  w->finish();
  CHECK(out.str() == "[\n{\"x\":\"y\"}\n]\n");
  // Rows formatted apart: each begins with ",\n"; the writer drops the array's first comma.
  std::string text;
  auto t = make_text_writer(Format::json, text, {"x", "n"});
  t->row({std::string("a"), std::int64_t{1}});
  t->row({std::string("b"), std::monostate{}});
  t->finish();
  CHECK(text == ",\n{\"x\":\"a\",\"n\":1},\n{\"x\":\"b\",\"n\":null}");
  std::ostringstream joined;
  auto j = make_json_writer(joined, {"x", "n"});
  j->formatted_rows(text);
  j->row({std::string("c"), true});
  j->finish();
  CHECK(joined.str() ==
        "[\n{\"x\":\"a\",\"n\":1},\n{\"x\":\"b\",\"n\":null},\n{\"x\":\"c\",\"n\":true}\n]\n");
}

TEST_CASE("output: JSON strings are escaped as nlohmann-json dumps them", "[output]") {
  auto dumped = [](const std::string& s) {
    return nlohmann::json(s).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  };
  auto ours = [](const std::string& s) {
    std::string out;
    append_json_string(out, s);
    return out;
  };
  CHECK(ours("caf\xC3\xA9 \"q\" \\ \x01\x1F\x7F\t\n\r\b\f") ==
        "\"caf\xC3\xA9 \\\"q\\\" \\\\ \\u0001\\u001f\x7F\\t\\n\\r\\b\\f\"");
  // A bad first byte, a broken sequence (E0 80: the 80 read again, bad alone), a cut one.
  CHECK(ours("a\xFF\xE0\x80"
             "b\xF0\x9F\x98") == "\"a\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"
                                 "b\xEF\xBF\xBD\"");
  // Every string of up to three bytes drawn from the bytes that decide UTF-8's edges, then
  // random strings of those bytes, letters and escapes: the same bytes as nlohmann-json.
  const std::string edges("\x00\x09\x1F\x22\x5C\x41\x7F\x80\x8F\x90\x9F\xA0\xBF\xC0\xC1\xC2"
                          "\xDF\xE0\xE1\xEC\xED\xEE\xEF\xF0\xF1\xF3\xF4\xF5\xFF",
                          29);
  std::size_t mismatches = 0;
  for (char x : edges) {
    for (char y : edges) {
      for (char z : edges) {
        for (const std::string& s : {std::string{x}, std::string{x, y}, std::string{x, y, z}}) {
          if (ours(s) != dumped(s)) ++mismatches;
        }
      }
    }
  }
  std::uint32_t seed = 12345;
  auto next = [&] { return seed = seed * 1664525u + 1013904223u; };
  for (int n = 0; n < 20000; ++n) {
    std::string s(next() % 24, 'a');
    for (char& c : s) c = next() % 4 == 0 ? 'x' : edges[next() % edges.size()];
    if (ours(s) != dumped(s)) {
      INFO("mismatch for a string of " << s.size() << " bytes");
      ++mismatches;
    }
  }
  // Valid text: multi-byte characters of every length, kept as they are.
  const std::string text = "\xC3\xA9\xE2\x80\x94\xF0\x9F\x98\x80 \xEF\xBB\xBF\xE2\x80\x8B";
  CHECK(ours(text) == dumped(text));
  CHECK(ours(text) == "\"" + text + "\"");
  CHECK(mismatches == 0);
}

TEST_CASE("output: paths writer prints the first column alone", "[output]") {
  CHECK(write(Format::paths, {"path", "n"},
              {{std::string("a.md"), std::int64_t{1}}, {std::string("=b.md"), std::int64_t{2}}}) ==
        "a.md\n=b.md\n");  // no header, no neutralisation
  CHECK(write(Format::paths, {"path"}, {}) == "");
  CHECK(write(Format::paths, {"list"}, {{std::vector<std::string>{"a", "b"}}}) == "a, b\n");
}

TEST_CASE("delimited cells: a special byte at every offset of cells up to 72 bytes", "[output]") {
  // The search for special bytes goes 32 or sixteen bytes at a time and ends with one window
  // that overlaps the one before: the byte must be found wherever it falls, at either width.
  for (bool wide : {true, false}) {
    const tkb::WideSteps steps(wide);
    for (bool csv : {true, false}) {
      for (char special : csv ? std::string(",\"\r\n") : std::string("\t\n\r\\")) {
        for (std::size_t len = 1; len <= 72; ++len) {
          CHECK(tkb::delimited_cell_is_plain(std::string(len, 'a'), csv, true));
          for (std::size_t at = 0; at < len; ++at) {
            std::string cell(len, 'a');
            cell[at] = special;
            INFO((csv ? "csv" : "tsv") << " len " << len << " at " << at << " wide " << wide);
            REQUIRE_FALSE(tkb::delimited_cell_is_plain(cell, csv, true));
            std::string out;
            tkb::append_delimited_cell(out, cell, csv, true);
            REQUIRE(out == (csv ? tkb::csv_escape(cell, true) : tkb::tsv_escape(cell, true)));
            REQUIRE(out.size() > cell.size());
          }
        }
      }
    }
  }
}

TEST_CASE("output: a measured table writes what the table writer writes, row by row", "[output]") {
  using namespace tkb;
  const std::vector<std::string> columns = {"name", "n", "list", "note"};
  const std::vector<std::vector<Cell>> rows = {
      {std::string("a.md"), std::int64_t{1}, std::vector<std::string>{"x", "y"}, std::monostate{}},
      {std::string("naïve café.md"), std::int64_t{-12345}, std::vector<std::string>{},
       std::string("two\nlines\tand tab")},
      {std::string_view("short"), true},  // fewer cells than columns
      {std::string(""), std::int64_t{0}, std::string("wide list cell here"), std::string("")},
      {std::string("last"), std::monostate{}, std::monostate{}, std::string("trailing   ")},
  };
  for (bool header : {true, false}) {
    OutputOptions o;
    o.header = header;
    std::ostringstream held, measured;
    auto w = make_writer(Format::table, held, columns, o);
    TableWidths widths(columns, o);
    for (const auto& r : rows) {
      w->row(r);
      widths.add(r);
    }
    w->finish();
    auto m = make_table_writer(measured, columns, widths, o);
    for (const auto& r : rows) m->row(r);
    m->finish();
    INFO("header " << header);
    CHECK(measured.str() == held.str());
  }
  // One exact table, for the record.
  std::ostringstream out;
  TableWidths widths(columns);
  widths.add(rows[0]);
  widths.add(rows[1]);
  auto m = make_table_writer(out, columns, widths);
  m->row(rows[0]);
  m->row(rows[1]);
  m->finish();
  CHECK(out.str() ==
        "name           n       list  note\n"
        "a.md           1       x, y  -\n"
        "naïve café.md  -12345        two lines and tab\n");
  CHECK(widths.widths() == std::vector<std::size_t>{13, 6, 4, 17});
  // The header is measured too, unless there is none.
  TableWidths with_header({"a long header"}),
      without({"a long header"}, OutputOptions{true, false});
  with_header.add({std::string("x")});
  without.add({std::string("x")});
  CHECK(with_header.widths() == std::vector<std::size_t>{13});
  CHECK(without.widths() == std::vector<std::size_t>{1});
}

TEST_CASE("output: a table measured and formatted in parts is the table made in one",
          "[output]") {
  using namespace tkb;
  const std::vector<std::string> columns = {"name", "n", "note"};
  const std::vector<std::vector<Cell>> rows = {
      {std::string("a.md"), std::int64_t{1}, std::string("x")},
      {std::string("naïve café.md"), std::int64_t{-12345}, std::monostate{}},
      {std::string("b.md"), std::int64_t{7}, std::string("a longer note")},
      {std::string_view("short"), true},
  };
  std::ostringstream whole;
  auto w = make_writer(Format::table, whole, columns);
  for (const auto& r : rows) w->row(r);
  w->finish();
  // Two parts, [0, 2) and [2, 4), measured apart (without the header) and merged.
  OutputOptions rows_only;
  rows_only.header = false;
  TableWidths first(columns, rows_only), second(columns, rows_only);
  first.add(rows[0]);
  first.add(rows[1]);
  second.add(rows[2]);
  second.add(rows[3]);
  CHECK(first.widths() == std::vector<std::size_t>{13, 6, 1});
  CHECK(second.widths() == std::vector<std::size_t>{5, 4, 13});
  TableWidths widths(columns);
  widths.merge(first);
  widths.merge(second);
  CHECK(widths.widths() == std::vector<std::size_t>{13, 6, 13});
  std::ostringstream parts;
  make_table_writer(parts, columns, widths)->finish();  // the header alone
  for (std::size_t begin : {0, 2}) {
    std::string text;
    auto t = make_table_text_writer(text, columns, widths, rows_only);
    t->row(rows[begin]);
    t->row(rows[begin + 1]);
    t->finish();
    parts << text;
  }
  CHECK(parts.str() == whole.str());
  CHECK(parts.str() ==
        "name           n       note\n"
        "a.md           1       x\n"
        "naïve café.md  -12345  -\n"
        "b.md           7       a longer note\n"
        "short          true\n");
}
