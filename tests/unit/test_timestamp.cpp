// Unit tests for tkb/timestamp.hpp: parse_time, describe, format_hms, youtube_url.
#include <catch2/catch.hpp>

#include <optional>
#include <string>
#include <string_view>

#include "tkb/timestamp.hpp"

using namespace tkb;

TEST_CASE("timestamp: parse_time accepts HH:MM:SS, H:MM:SS, MM:SS and M:SS", "[timestamp]") {
  struct Case {
    std::string_view text;
    std::int64_t seconds;
  };
  const Case cases[] = {
      {"00:00:00", 0},
      {"00:01:02", 62},
      {"0:01:02", 62},
      {"1:00:00", 3600},
      {"01:01:01", 3661},
      {"10:59:59", 39599},
      {"123:00:00", 442800},  // hours are not capped
      {"01:02", 62},
      {"1:02", 62},
      {"0:00", 0},
      {"59:59", 3599},
      {"75:00", 4500},  // without an hour field the minutes may exceed 59
      {"00:59", 59},
      {"000000001:00", 60},  // nine digits are still read
  };
  for (const Case& c : cases) {
    INFO("text: " << c.text);
    TimeParse p = parse_time(c.text);
    REQUIRE(p.seconds.has_value());
    CHECK(*p.seconds == c.seconds);
  }
}

TEST_CASE("timestamp: parse_time rejects with the right TimeError", "[timestamp]") {
  struct Case {
    std::string_view text;
    TimeError error;
  };
  const Case cases[] = {
      {"", TimeError::empty},
      {"abc", TimeError::not_numeric},
      {"a:bc", TimeError::not_numeric},
      {"12", TimeError::not_numeric},  // a bare number is not a timestamp
      {"3647", TimeError::not_numeric},
      {"1:", TimeError::not_numeric},
      {":30", TimeError::not_numeric},
      {"1::30", TimeError::not_numeric},
      {" 1:00", TimeError::not_numeric},
      {"1:00 ", TimeError::not_numeric},
      {"-1:00", TimeError::not_numeric},
      {"1.5:00", TimeError::not_numeric},
      {"01:02:03:04", TimeError::too_many_fields},
      {"1:2:3:", TimeError::too_many_fields},
      {"00:60", TimeError::field_out_of_range},
      {"00:61:00", TimeError::field_out_of_range},
      {"00:00:60", TimeError::field_out_of_range},
      {"1:60:00", TimeError::field_out_of_range},
      {"1234567890:00", TimeError::field_out_of_range},  // ten digits: refused, no overflow
      {"00:00:99999999999999999999", TimeError::field_out_of_range},
  };
  for (const Case& c : cases) {
    INFO("text: \"" << c.text << "\"");
    TimeParse p = parse_time(c.text);
    CHECK_FALSE(p.seconds.has_value());
    CHECK(p.error == c.error);
  }
}

TEST_CASE("timestamp: HH:MM:SS read at once as the general reading does", "[timestamp]") {
  // Every HH:MM:SS with digits from this set, and bytes other than digits in each place. A
  // leading zero on the hours changes neither the value nor the verdict, and "0" + text is
  // nine bytes long, so it is read by the general loop: the two readings must agree (when
  // the text starts with a digit; before any other byte the leading zero is a field).
  const std::string_view bytes = "0159/:a6";
  const std::size_t places[] = {0, 1, 3, 4, 6, 7};
  std::string text = "00:00:00";
  int read = 0, refused = 0;
  for (std::size_t k = 0; k < 1u << 18; ++k) {  // 8 choices in each of the 6 places
    for (std::size_t i = 0; i < 6; ++i) text[places[i]] = bytes[(k >> (3 * i)) & 7];
    if (text[0] < '0' || text[0] > '9') continue;  // "0" + text would read another way
    TimeParse fast = parse_time(text), general = parse_time("0" + text);
    INFO("text: " << text);
    REQUIRE(fast.seconds == general.seconds);
    if (!fast.seconds) REQUIRE(fast.error == general.error);
    (fast.seconds ? read : refused)++;
  }
  // Five digits in `bytes`; the tens of minutes and of seconds only 0, 1 or 5.
  CHECK(read == 5 * 5 * 3 * 5 * 3 * 5);
  CHECK(refused == 5 * (1 << 15) - read);
  CHECK(parse_time("12:34:56").seconds == 45296);
}

TEST_CASE("timestamp: describe gives each TimeError its message", "[timestamp]") {
  CHECK(describe(TimeError::empty) == "is empty");
  CHECK(describe(TimeError::not_numeric) == "is not of the form HH:MM:SS or MM:SS");
  CHECK(describe(TimeError::too_many_fields) == "has more than three fields");
  CHECK(describe(TimeError::field_out_of_range) == "has a minutes or seconds field of 60 or more");
}

TEST_CASE("timestamp: format_hms", "[timestamp]") {
  CHECK(format_hms(0) == "00:00:00");
  CHECK(format_hms(5) == "00:00:05");
  CHECK(format_hms(62) == "00:01:02");
  CHECK(format_hms(3599) == "00:59:59");
  CHECK(format_hms(3600) == "01:00:00");
  CHECK(format_hms(3661) == "01:01:01");
  CHECK(format_hms(3647) == "01:00:47");
  CHECK(format_hms(359999) == "99:59:59");
  CHECK(format_hms(360000) == "100:00:00");  // hours at least two digits, more when needed
}

TEST_CASE("timestamp: format_hms round-trips through parse_time", "[timestamp]") {
  for (std::int64_t s : {0, 1, 59, 60, 61, 3599, 3600, 86399, 86400, 360001}) {
    INFO("seconds: " << s);
    TimeParse p = parse_time(format_hms(s));
    REQUIRE(p.seconds.has_value());
    CHECK(*p.seconds == s);
  }
}

TEST_CASE("timestamp: append_hms and append_youtube_url append to what is there", "[timestamp]") {
  std::string out = "at ";
  append_hms(out, 3661);
  CHECK(out == "at 01:01:01");
  append_hms(out, -5);  // negative: clamped to zero, as format_hms does
  CHECK(out == "at 01:01:0100:00:00");
  out = "<";
  append_youtube_url(out, "dQw4w9WgXcQ", 62);
  append_youtube_url(out, "dQw4w9WgXcQ");
  CHECK(out ==
        "<https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=62s"
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ");
}

TEST_CASE("timestamp: youtube_url", "[timestamp]") {
  CHECK(youtube_url("dQw4w9WgXcQ") == "https://www.youtube.com/watch?v=dQw4w9WgXcQ");
  CHECK(youtube_url("dQw4w9WgXcQ", std::nullopt) == "https://www.youtube.com/watch?v=dQw4w9WgXcQ");
  CHECK(youtube_url("dQw4w9WgXcQ", 62) == "https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=62s");
  CHECK(youtube_url("dQw4w9WgXcQ", 0) == "https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=0s");
  CHECK(youtube_url("-BBBBBBBBB2", 3647) == "https://www.youtube.com/watch?v=-BBBBBBBBB2&t=3647s");
}
