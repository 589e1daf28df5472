#pragma once
// Timestamps as written in notes: `HH:MM:SS`, `H:MM:SS`, `MM:SS`, `M:SS`.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tkb {

struct ParsedTime {
  std::int64_t seconds = 0;
};

// Why a timestamp text is not a valid time, or nullopt when it is.
enum class TimeError { empty, not_numeric, too_many_fields, field_out_of_range };

struct TimeParse {
  std::optional<std::int64_t> seconds;  // set when valid
  TimeError error = TimeError::empty;   // meaningful when !seconds
};

// Parse `[H]H:MM:SS` or `[M]M:SS` (1 to 3 fields of digits). Minutes and seconds must be
// below 60 when an hour field is present; with two fields the seconds must be below 60.
TimeParse parse_time(std::string_view text);

std::string_view describe(TimeError e);

// Shaped like a time, `12:34` or `01:02:03`, whatever the values: digits in two or three
// fields. (A wikilink so written is a timestamp written as a link.)
bool time_shaped(std::string_view s);

// `seconds` as HH:MM:SS (hours at least two digits).
std::string format_hms(std::int64_t seconds);
// The same, appended to `out`: no string of its own (`timestamps` formats millions).
void append_hms(std::string& out, std::int64_t seconds);

// https://www.youtube.com/watch?v=ID&t=Ns
std::string youtube_url(std::string_view video_id, std::optional<std::int64_t> seconds = {});
void append_youtube_url(std::string& out, std::string_view video_id,
                        std::optional<std::int64_t> seconds = {});

}  // namespace tkb
