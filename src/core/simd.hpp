#pragma once
// Searching text sixteen bytes at a time with SSE2 (every x86-64), the last bytes included;
// the longest searches also go 32 bytes at a time with AVX2 where the processor has it
// (functions marked TKB_AVX2, called only when wide() says so).

#include <cstddef>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define TKB_HAVE_AVX2 1
#define TKB_AVX2 __attribute__((target("avx2")))
#endif

namespace tkb::simd {

// Whether to take the 32-byte steps: the processor has AVX2 and no test turned them off
// (tkb::use_wide_steps). Set once before main() runs (text.cpp).
extern bool g_wide;
inline bool wide() {
  return g_wide;
}

#if defined(TKB_HAVE_AVX2)
// Moves `p` to the first offset in [p, e) holding one of `bytes` and returns true, 32 bytes at
// a time while 32 remain; otherwise returns false with `p` where a narrower search must go on.
// Only when wide() says so.
template <class... Bytes>
TKB_AVX2 inline bool find_any_wide(const char* d, std::size_t& p, std::size_t e, Bytes... bytes) {
  for (; p + 32 <= e; p += 32) {
    const __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(d + p));
    __m256i hits = _mm256_setzero_si256();
    ((hits = _mm256_or_si256(hits, _mm256_cmpeq_epi8(v, _mm256_set1_epi8(bytes)))), ...);
    if (const auto m = static_cast<unsigned>(_mm256_movemask_epi8(hits))) {
      p += static_cast<std::size_t>(__builtin_ctz(m));
      return true;
    }
  }
  return false;
}
#endif

#if defined(__SSE2__)

inline __m128i load16(const char* p) { return _mm_loadu_si128(reinterpret_cast<const __m128i*>(p)); }

inline unsigned mask_of(__m128i hits) { return static_cast<unsigned>(_mm_movemask_epi8(hits)); }

// Moves `p` to the first offset in [p, e) that `mask_at` marks, or to e, and returns true.
// `mask_at(q)` gives the mask of the bytes q .. q + 15 that match (bit k for byte q + k).
// Whole windows first; then, rather than testing the last few bytes one by one, one window
// that ends at e and overlaps the one before, its bits before `p` cleared. That needs
// e >= 16 (the bytes before p are read, so they must be part of the same text); below, it
// returns false with `p` where a byte-by-byte loop must go on.
template <class MaskAt>
inline bool find_first(std::size_t& p, std::size_t e, MaskAt mask_at) {
  for (; p + 16 <= e; p += 16) {
    if (const unsigned m = mask_at(p)) {
      p += static_cast<std::size_t>(__builtin_ctz(m));
      return true;
    }
  }
  if (p >= e) return true;
  if (e < 16) return false;
  const std::size_t base = e - 16;  // p - base is 1 .. 15 here
  const unsigned m = mask_at(base) & (~0u << (p - base));
  p = m ? base + static_cast<std::size_t>(__builtin_ctz(m)) : e;
  return true;
}

#endif

}  // namespace tkb::simd
