#include "tkb/timestamp.hpp"

#include <algorithm>
#include <cstdio>

#include "tkb/text.hpp"

namespace tkb {

TimeParse parse_time(std::string_view text) {
  TimeParse result;
  if (text.empty()) return result;
  // HH:MM:SS, the form nearly every timestamp has, read without the loop below.
  if (text.size() == 8 && text[2] == ':' && text[5] == ':') {
    auto digit = [&](std::size_t k) { return static_cast<unsigned>(text[k]) - '0'; };
    const unsigned h1 = digit(0), h2 = digit(1), m1 = digit(3), m2 = digit(4), s1 = digit(6),
                   s2 = digit(7);
    if (std::max({h1, h2, m1, m2, s1, s2}) < 10) {
      if (m1 >= 6 || s1 >= 6) {
        result.error = TimeError::field_out_of_range;
      } else {
        result.seconds = (h1 * 10 + h2) * 3600 + (m1 * 10 + m2) * 60 + s1 * 10 + s2;
      }
      return result;
    }
  }
  std::int64_t fields[3];
  int count = 0;
  std::size_t i = 0;
  while (true) {
    if (count == 3) {
      result.error = TimeError::too_many_fields;
      return result;
    }
    std::size_t start = i;
    std::int64_t value = 0;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
      if (i - start >= 9) {  // far beyond any video; refuse rather than overflow
        result.error = TimeError::field_out_of_range;
        return result;
      }
      value = value * 10 + (text[i] - '0');
      ++i;
    }
    if (i == start) {
      result.error = TimeError::not_numeric;
      return result;
    }
    fields[count++] = value;
    if (i == text.size()) break;
    if (text[i] != ':') {
      result.error = TimeError::not_numeric;
      return result;
    }
    ++i;
  }
  if (count == 1) {
    result.error = TimeError::not_numeric;  // a bare number is not a timestamp
    return result;
  }
  // The last two fields are minutes and seconds (of an hour-less MM:SS, minutes may exceed 59).
  std::int64_t secs = fields[count - 1], mins = fields[count - 2];
  if (secs >= 60 || (count == 3 && mins >= 60)) {
    result.error = TimeError::field_out_of_range;
    return result;
  }
  std::int64_t hours = count == 3 ? fields[0] : 0;
  result.seconds = hours * 3600 + mins * 60 + secs;
  return result;
}

std::string_view describe(TimeError e) {
  switch (e) {
    case TimeError::empty:
      return "is empty";
    case TimeError::not_numeric:
      return "is not of the form HH:MM:SS or MM:SS";
    case TimeError::too_many_fields:
      return "has more than three fields";
    case TimeError::field_out_of_range:
      return "has a minutes or seconds field of 60 or more";
  }
  return "is invalid";
}

void append_hms(std::string& out, std::int64_t seconds) {
  if (seconds < 0) seconds = 0;
  if (seconds < 36000) out += '0';  // hours in two digits at least
  append_number(out, seconds / 3600);
  auto two = [&](std::int64_t v) {
    out += ':';
    out += static_cast<char>('0' + v / 10);
    out += static_cast<char>('0' + v % 10);
  };
  two(seconds / 60 % 60);
  two(seconds % 60);
}

std::string format_hms(std::int64_t seconds) {
  std::string out;
  append_hms(out, seconds);
  return out;
}

void append_youtube_url(std::string& out, std::string_view video_id,
                        std::optional<std::int64_t> seconds) {
  out += "https://www.youtube.com/watch?v=";
  out += video_id;
  if (seconds) {
    out += "&t=";
    append_number(out, *seconds);
    out += 's';
  }
}

std::string youtube_url(std::string_view video_id, std::optional<std::int64_t> seconds) {
  std::string url;
  url.reserve(64);
  append_youtube_url(url, video_id, seconds);
  return url;
}

bool time_shaped(std::string_view s) {
  int fields = 1;
  bool digit = false;
  for (char c : s) {
    if (c == ':') {
      if (!digit) return false;
      ++fields, digit = false;
    } else if (c >= '0' && c <= '9') {
      digit = true;
    } else {
      return false;
    }
  }
  return digit && fields >= 2 && fields <= 3;
}

}  // namespace tkb
