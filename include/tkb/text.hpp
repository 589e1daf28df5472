#pragma once
// Small text helpers shared by the parser, the resolver and the exporters.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "tkb/diagnostic.hpp"

namespace tkb {

// Maps byte offsets of one text to 1-based line and column. Only '\n' ends a line.
// Not for sharing between threads: at() remembers where it last looked, because callers
// mostly ask in increasing order.
class LineIndex {
 public:
  explicit LineIndex(std::string_view text);
  // Adopt line starts already found by scan_text; release() hands them back, so that a
  // buffer can be reused from note to note.
  static LineIndex from_starts(std::vector<std::uint32_t>&& starts) {
    return LineIndex(std::move(starts));
  }
  std::vector<std::uint32_t> release() && { return std::move(m_starts); }
  Position at(std::size_t offset) const;
  std::size_t line_count() const { return m_starts.size(); }
  std::size_t line_start(std::size_t line) const { return m_starts[line - 1]; }  // 1-based

 private:
  explicit LineIndex(std::vector<std::uint32_t>&& starts) : m_starts(std::move(starts)) {}
  void index(std::string_view text);

  std::vector<std::uint32_t> m_starts;
  mutable std::size_t m_hint = 0;  // index of the line last found
};

// Texts copied into blocks that never move: a view of a stored text stays valid as long as
// the arena (or the blocks take_blocks() handed on) lives. Blocks start small and grow.
class TextArena {
 public:
  std::string_view store(std::string_view text);
  std::vector<std::unique_ptr<char[]>> take_blocks();  // the arena is empty afterwards

 private:
  std::vector<std::unique_ptr<char[]>> m_blocks;
  char* m_free = nullptr;                 // unused room in the last block
  std::size_t m_room = 0, m_next = 4096;  // the next block's size
};

std::string_view trim(std::string_view s);
std::string to_lower_ascii(std::string_view s);

// The loose key used by resolution: ASCII letters lower-cased, ASCII digits kept, every other
// ASCII byte dropped, invisible Unicode (zero-width, bidi controls, BOM, soft hyphen) dropped,
// other non-ASCII UTF-8 kept as is. `AI's Impact`, `ais_impact` and `AIs-impact` all give
// `aisimpact`.
std::string loose_key(std::string_view s);

// The knowledge base generator's file-name rule: keep [A-Za-z0-9 ], spaces to '_', lower-case.
std::string slugify(std::string_view title);

// The decimal digits of `n` (with '-' when negative), appended to `out` without a string of
// their own: exports and findings write millions of numbers.
void append_number(std::string& out, std::int64_t n);

// The ASCII letters (lower-cased) and digits of `s` alone, into `out` (cleared first): what
// every resolution rule keeps of a name, none of them ignoring a letter or digit.
void letters_and_digits(std::string_view s, std::string& out);

// The three above written into `out` (cleared first), whose capacity a caller reuses:
// resolution makes these keys for every link that misses its first rule.
void to_lower_ascii(std::string_view s, std::string& out);
void loose_key(std::string_view s, std::string& out);
void slugify(std::string_view title, std::string& out);

// True when `s` is valid UTF-8 (no overlongs, no surrogates).
bool is_valid_utf8(std::string_view s);

// What scan_text finds besides the lines.
struct TextScan {
  bool has_nul = false;
  bool valid_utf8 = true;  // as is_valid_utf8 says
};

// One pass over a note for what the parser needs of every byte: the start of each line into
// `line_starts` (cleared first; for LineIndex::from_starts), whether it holds a NUL byte,
// whether it is valid UTF-8, and, when it is, the offsets of every 0xE2 and 0xEF byte (the
// lead bytes of the invisible characters) into `e2_ef` (cleared first).
TextScan scan_text(std::string_view text, std::vector<std::uint32_t>& line_starts,
                   std::vector<std::uint32_t>& e2_ef);
// The longest searches of the parser (scan_text, the inline scanner, plain_text) take 32
// bytes at a time where the processor has AVX2, else 16. For tests, which compare the two:
// off, the 16-byte steps are taken everywhere (not thread-safe; on by default).
void use_wide_steps(bool on);
// Steps of the given width for as long as it lives, wide ones afterwards (for tests).
struct WideSteps {
  explicit WideSteps(bool on) { use_wide_steps(on); }
  ~WideSteps() { use_wide_steps(true); }
  WideSteps(const WideSteps&) = delete;
  WideSteps& operator=(const WideSteps&) = delete;
};

// Levenshtein distance, giving up (returning max + 1) once it must exceed `max`.
std::size_t edit_distance(std::string_view a, std::string_view b, std::size_t max);

}  // namespace tkb
