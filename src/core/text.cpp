#include "tkb/text.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstring>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#include "simd.hpp"

namespace tkb {

std::string_view TextArena::store(std::string_view text) {
  constexpr std::size_t kLargest = 256 * 1024;
  if (text.empty()) return std::string_view("", 0);  // never a null pointer
  if (text.size() > kLargest / 4) {                  // a long text gets a block of its own
    m_blocks.push_back(std::make_unique<char[]>(text.size()));
    std::memcpy(m_blocks.back().get(), text.data(), text.size());
    return {m_blocks.back().get(), text.size()};
  }
  if (text.size() > m_room) {
    m_blocks.push_back(std::make_unique<char[]>(m_next));
    m_free = m_blocks.back().get();
    m_room = m_next;
    m_next = std::min(m_next * 2, kLargest);
  }
  char* at = m_free;
  std::memcpy(at, text.data(), text.size());
  m_free += text.size();
  m_room -= text.size();
  return {at, text.size()};
}

std::vector<std::unique_ptr<char[]>> TextArena::take_blocks() {
  std::vector<std::unique_ptr<char[]>> blocks = std::move(m_blocks);
  m_blocks.clear();
  m_free = nullptr;
  m_room = 0;
  m_next = 4096;
  return blocks;
}

LineIndex::LineIndex(std::string_view text) {
  m_starts.reserve(text.size() / 64 + 1);
  index(text);
}

void LineIndex::index(std::string_view text) {
  m_starts.push_back(0);
  const char* d = text.data();
  const std::size_t n = text.size();
  std::size_t i = 0;
#if defined(__SSE2__)
  // Sixteen bytes at a time: lines are short, and a memchr call per line costs more than
  // the search itself.
  const __m128i nl = _mm_set1_epi8('\n');
  for (; i + 16 <= n; i += 16) {
    __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(d + i));
    for (unsigned mask = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, nl))); mask;
         mask &= mask - 1) {
      m_starts.push_back(
          static_cast<std::uint32_t>(i + static_cast<std::size_t>(__builtin_ctz(mask)) + 1));
    }
  }
#endif
  for (; i < n; ++i) {
    if (d[i] == '\n') m_starts.push_back(static_cast<std::uint32_t>(i + 1));
  }
}

Position LineIndex::at(std::size_t offset) const {
  std::size_t i = m_hint;
  if (m_starts[i] <= offset) {
    // Walk forward a few lines from the last answer; fall back to a binary search.
    std::size_t steps = 0;
    while (i + 1 < m_starts.size() && m_starts[i + 1] <= offset && ++steps < 8) ++i;
    if (i + 1 < m_starts.size() && m_starts[i + 1] <= offset) {
      i = static_cast<std::size_t>(std::upper_bound(m_starts.begin(), m_starts.end(), offset) -
                                   m_starts.begin()) -
          1;
    }
  } else {
    i = static_cast<std::size_t>(std::upper_bound(m_starts.begin(), m_starts.end(), offset) -
                                 m_starts.begin()) -
        1;
  }
  m_hint = i;
  auto line = static_cast<std::uint32_t>(i + 1);
  return Position{static_cast<std::uint32_t>(offset), line,
                  static_cast<std::uint32_t>(offset - m_starts[line - 1] + 1)};
}

std::string_view trim(std::string_view s) {
  auto ws = [](char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
  };
  std::size_t b = 0, e = s.size();
  while (b < e && ws(s[b])) ++b;
  while (e > b && ws(s[e - 1])) --e;
  return s.substr(b, e - b);
}

void to_lower_ascii(std::string_view s, std::string& out) {
  out.assign(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
}

std::string to_lower_ascii(std::string_view s) {
  std::string out;
  to_lower_ascii(s, out);
  return out;
}

namespace {

// Length of the UTF-8 sequence starting at s[i] when it is one of the invisible characters
// that loose keys drop, else 0.
std::size_t invisible_length(std::string_view s, std::size_t i) {
  auto u = [&](std::size_t k) { return static_cast<unsigned char>(s[i + k]); };
  if (u(0) == 0xC2 && i + 1 < s.size() && u(1) == 0xAD) return 2;  // soft hyphen
  if (u(0) == 0xE2 && i + 2 < s.size() && u(1) == 0x80) {
    unsigned c = u(2);
    if ((c >= 0x8B && c <= 0x8F) || (c >= 0xAA && c <= 0xAE)) return 3;  // ZW*, LRM, bidi
  }
  if (u(0) == 0xE2 && i + 2 < s.size() && u(1) == 0x81) {
    unsigned c = u(2);
    if (c == 0xA0 || (c >= 0xA6 && c <= 0xA9)) return 3;  // word joiner, bidi isolates
  }
  if (u(0) == 0xEF && i + 2 < s.size() && u(1) == 0xBB && u(2) == 0xBF) return 3;  // BOM
  return 0;
}

}  // namespace

namespace {

// What each byte becomes in a loose key's ASCII part and in letters_and_digits: an ASCII
// letter lower-cased, a digit itself, anything else nothing (0).
constexpr auto kLetterOrDigit = [] {
  std::array<char, 256> t{};
  for (int c = 'a'; c <= 'z'; ++c) t[static_cast<std::size_t>(c)] = static_cast<char>(c);
  for (int c = 'A'; c <= 'Z'; ++c)
    t[static_cast<std::size_t>(c)] = static_cast<char>(c - 'A' + 'a');
  for (int c = '0'; c <= '9'; ++c) t[static_cast<std::size_t>(c)] = static_cast<char>(c);
  return t;
}();

}  // namespace

void append_number(std::string& out, std::int64_t n) {
  char digits[24];
  auto result = std::to_chars(digits, digits + sizeof digits, n);
  out.append(digits, static_cast<std::size_t>(result.ptr - digits));
}

void letters_and_digits(std::string_view s, std::string& out) {
  out.resize(s.size());
  char* o = out.data();
  for (char c : s) {
    const char k = kLetterOrDigit[static_cast<unsigned char>(c)];
    *o = k;
    o += k != 0;
  }
  out.resize(static_cast<std::size_t>(o - out.data()));
}

void loose_key(std::string_view s, std::string& out) {
  // Written into room made first and cut to length after: resolution and check make a key
  // for most names and links.
  out.resize(s.size());
  char* const begin = out.data();
  char* o = begin;
  for (std::size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      const char k = kLetterOrDigit[c];
      *o = k;
      o += k != 0;
      ++i;
      continue;
    }
    if (std::size_t n = invisible_length(s, i)) {
      i += n;
      continue;
    }
    *o++ = static_cast<char>(c);
    ++i;
  }
  out.resize(static_cast<std::size_t>(o - begin));
}

std::string loose_key(std::string_view s) {
  std::string out;
  loose_key(s, out);
  return out;
}

void slugify(std::string_view title, std::string& out) {
  out.clear();
  out.reserve(title.size());
  for (char c : title) {
    if (c >= 'A' && c <= 'Z')
      out += static_cast<char>(c - 'A' + 'a');
    else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
      out += c;
    else if (c == ' ')
      out += '_';
  }
}

std::string slugify(std::string_view title) {
  std::string out;
  slugify(title, out);
  return out;
}

namespace {

// The length of the valid UTF-8 sequence starting at s[i] (s[i] >= 0x80), or 0 when it is not
// one (bad lead or continuation byte, cut short, overlong, surrogate, above U+10FFFF).
std::size_t utf8_sequence(std::string_view s, std::size_t i) {
  auto c = static_cast<unsigned char>(s[i]);
  std::size_t len;
  std::uint32_t cp;
  if ((c & 0xE0) == 0xC0)
    len = 2, cp = c & 0x1F;
  else if ((c & 0xF0) == 0xE0)
    len = 3, cp = c & 0x0F;
  else if ((c & 0xF8) == 0xF0)
    len = 4, cp = c & 0x07;
  else
    return 0;
  if (i + len > s.size()) return 0;
  for (std::size_t k = 1; k < len; ++k) {
    auto cc = static_cast<unsigned char>(s[i + k]);
    if ((cc & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (cc & 0x3F);
  }
  if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
      cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
    return 0;
  }
  return len;
}

// Check the UTF-8 in s[i, end) (a sequence may run past `end`), noting each 0xE2 and 0xEF lead
// byte. Returns where checking stopped, or npos at the first invalid sequence.
std::size_t check_utf8(std::string_view s, std::size_t i, std::size_t end,
                       std::vector<std::uint32_t>& e2_ef) {
  while (i < end) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t len = utf8_sequence(s, i);
    if (len == 0) return std::string_view::npos;
    if (c == 0xE2 || c == 0xEF) e2_ef.push_back(static_cast<std::uint32_t>(i));
    i += len;
  }
  return i;
}

}  // namespace

bool is_valid_utf8(std::string_view s) {
  std::size_t i = 0, n = s.size();
  while (i < n) {
    // Eight ASCII bytes at a time: most of a note is ASCII.
    while (i + 8 <= n) {
      std::uint64_t word;
      std::memcpy(&word, s.data() + i, 8);
      if (word & 0x8080808080808080ull) break;
      i += 8;
    }
    if (i >= n) break;
    if (static_cast<unsigned char>(s[i]) < 0x80) {
      ++i;
      continue;
    }
    std::size_t len = utf8_sequence(s, i);
    if (len == 0) return false;
    i += len;
  }
  return true;
}

namespace {

// What scan_text finds as it goes, a window of bytes at a time.
struct TextScanner {
  std::string_view text;
  std::vector<std::uint32_t>& line_starts;
  std::vector<std::uint32_t>& e2_ef;
  TextScan r;
  std::size_t checked = 0;  // UTF-8 is checked up to here (a sequence may cross a window)

  // The window of `width` bytes at `i`: `newlines` marks its line breaks, `high` its bytes
  // >= 0x80 (only a window with one goes to the UTF-8 check).
  void window(std::size_t i, std::size_t width, unsigned newlines, unsigned high) {
    for (; newlines; newlines &= newlines - 1) {
      line_starts.push_back(
          static_cast<std::uint32_t>(i + static_cast<unsigned>(__builtin_ctz(newlines)) + 1));
    }
    if (high && r.valid_utf8) {
      std::size_t from = std::max(checked, i + static_cast<unsigned>(__builtin_ctz(high)));
      checked = check_utf8(text, from, i + width, e2_ef);
      if (checked == std::string_view::npos) r.valid_utf8 = false;
    }
  }
};

#if defined(TKB_HAVE_AVX2)
// scan_text's windows of 32 bytes, for processors with AVX2 (asked at run time: the binary
// runs on any x86-64), from `i` up to the last whole 32 bytes; returns where they stopped.
TKB_AVX2 std::size_t scan_text_avx2(TextScanner& s, std::size_t i) {
  const char* d = s.text.data();
  const __m256i nl = _mm256_set1_epi8('\n'), zero = _mm256_setzero_si256();
  __m256i nul = zero;
  for (; i + 32 <= s.text.size(); i += 32) {
    const __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(d + i));
    s.window(i, 32, static_cast<unsigned>(_mm256_movemask_epi8(_mm256_cmpeq_epi8(v, nl))),
             static_cast<unsigned>(_mm256_movemask_epi8(v)));
    nul = _mm256_or_si256(nul, _mm256_cmpeq_epi8(v, zero));
  }
  if (!_mm256_testz_si256(nul, nul)) s.r.has_nul = true;
  return i;
}
#endif

}  // namespace

TextScan scan_text(std::string_view text, std::vector<std::uint32_t>& line_starts,
                   std::vector<std::uint32_t>& e2_ef) {
  line_starts.clear();
  e2_ef.clear();
  line_starts.push_back(0);
  TextScanner s{text, line_starts, e2_ef, {}};
  const char* d = text.data();
  const std::size_t n = text.size();
  std::size_t i = 0;
#if defined(TKB_HAVE_AVX2)
  if (simd::wide()) i = scan_text_avx2(s, i);
#endif
#if defined(__SSE2__)
  // Sixteen bytes at a time (after the wide windows, or all of them).
  const __m128i nl = _mm_set1_epi8('\n'), zero = _mm_setzero_si128();
  __m128i nul = zero;
  for (; i + 16 <= n; i += 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(d + i));
    s.window(i, 16, static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, nl))),
             static_cast<unsigned>(_mm_movemask_epi8(v)));
    nul = _mm_or_si128(nul, _mm_cmpeq_epi8(v, zero));
  }
  s.r.has_nul = s.r.has_nul || _mm_movemask_epi8(nul) != 0;
#endif
  TextScan& r = s.r;
  if (r.valid_utf8 && std::max(s.checked, i) < n) {
    r.valid_utf8 = check_utf8(text, std::max(s.checked, i), n, e2_ef) != std::string_view::npos;
  }
  for (; i < n; ++i) {
    if (d[i] == '\n') line_starts.push_back(static_cast<std::uint32_t>(i + 1));
    if (d[i] == '\0') r.has_nul = true;
  }
  if (!r.valid_utf8) e2_ef.clear();
  return r;
}

namespace {
bool has_avx2() {
#if defined(TKB_HAVE_AVX2)
  __builtin_cpu_init();  // this may run before the constructor that would call it
  return __builtin_cpu_supports("avx2");
#else
  return false;
#endif
}
const bool g_has_avx2 = has_avx2();
}  // namespace

bool simd::g_wide = g_has_avx2;

void use_wide_steps(bool on) {
  simd::g_wide = on && g_has_avx2;
}

std::size_t edit_distance(std::string_view a, std::string_view b, std::size_t max) {
  if (a.size() > b.size()) std::swap(a, b);
  if (b.size() - a.size() > max) return max + 1;
  // Only cells within `max` of the diagonal can stay within `max` (Ukkonen's band).
  const std::size_t n = a.size(), inf = max + 1;
  std::vector<std::size_t> row(n + 1);
  for (std::size_t i = 0; i <= n; ++i) row[i] = i <= max ? i : inf;
  for (std::size_t j = 1; j <= b.size(); ++j) {
    std::size_t lo = j > max ? j - max : 1, hi = std::min(n, j + max);
    std::size_t diag = row[lo - 1];
    row[lo - 1] = lo == 1 && j <= max ? j : inf;
    std::size_t best = row[lo - 1];
    for (std::size_t i = lo; i <= hi; ++i) {
      std::size_t up = row[i];
      std::size_t v = std::min({up + 1, row[i - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
      row[i] = std::min(v, inf);
      diag = up;
      best = std::min(best, row[i]);
    }
    if (hi < n) row[hi + 1] = inf;
    if (best > max) return inf;
  }
  return std::min(row[n], inf);
}

}  // namespace tkb
