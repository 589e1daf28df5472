// Parser throughput (MB/s) on a typical note and on adversarial ones.
// Run: build/release/tests/tkb_microbench (scripts/bench --micro runs it too).
#include <benchmark/benchmark.h>

#include <string>

#include "tkb/parse.hpp"

namespace {

std::string typical_note() {
  std::string s =
      "---\ntitle: Why bread goes stale\nvideoId: Qm3vR8xKp2A\n---\n\nFrom: [[kitchen]] <br/>\n\n";
  for (int section = 0; section < 8; ++section) {
    s += "## Section " + std::to_string(section) + "\n\n";
    for (int p = 0; p < 4; ++p) {
      s += "Starch molecules realign as bread cools, and the crumb firms up over a day or two, "
           "which [[starch_retrogradation | retrogradation]] explains in detail <a "
           "class=\"yt-timestamp\" "
           "data-t=\"00:0" +
           std::to_string(p) + ":1" + std::to_string(section) + "\">[00:0" + std::to_string(p) +
           ":1" + std::to_string(section) +
           "]</a>. A warm oven reverses some of "
           "it, as [[Reviving stale bread]] shows.\n\n";
    }
    if (section == 3) s += "> [!TIP] Keep it wrapped\n> Airtight storage slows drying.\n\n";
  }
  return s;
}

// The typical note as the real corpus writes it: dashes, curly quotes and accents in the
// text (each an 0xE2 or 0xC3 lead byte the invisible-character and UTF-8 checks must pass).
std::string typical_unicode_note() {
  std::string s = typical_note();
  std::string out;
  out.reserve(s.size() * 11 / 10);
  int words = 0;
  for (char c : s) {
    if (c == ' ' && ++words % 9 == 0) {
      out += words % 27 == 0   ? " \xE2\x80\x94 "
             : words % 18 == 0 ? " na\xC3\xAFve "
                               : " \xE2\x80\x9Cso\xE2\x80\x9D ";
    } else {
      out += c;
    }
  }
  return out;
}

void run(benchmark::State& state, const std::string& text, tkb::ParseOptions options = {}) {
  for (auto _ : state) {
    tkb::Note n = tkb::parse_note(text, "chan/note.md", options);
    benchmark::DoNotOptimize(n);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) *
                          static_cast<int64_t>(text.size()));
}

void BM_TypicalNote(benchmark::State& state) {
  run(state, typical_note());
}
void BM_TypicalUnicodeNote(benchmark::State& state) {
  run(state, typical_unicode_note());
}
void BM_TypicalNoteFullMarkdown(benchmark::State& state) {
  tkb::ParseOptions o;
  o.always_full_markdown = true;
  run(state, typical_note(), o);
}
void BM_OneMegabyteLine(benchmark::State& state) {
  std::string s = "---\ntitle: T\n---\n";
  while (s.size() < (1u << 20))
    s += "word [[link]] <a class=\"yt-timestamp\" data-t=\"00:00:01\">[00:00:01]</a> ";
  run(state, s);
}
void BM_TenThousandLinksOnALine(benchmark::State& state) {
  std::string s = "---\ntitle: T\n---\n";
  for (int i = 0; i < 10000; ++i) s += "[[note_" + std::to_string(i) + " | alias]] ";
  run(state, s);
}
void BM_HundredThousandOpenBrackets(benchmark::State& state) {
  std::string s = "---\ntitle: T\n---\n";
  for (int i = 0; i < 100000; ++i) s += "[[";
  run(state, s);
}
void BM_UnmatchedBackticks(benchmark::State& state) {
  std::string s = "---\ntitle: T\n---\n";
  for (int i = 0; i < 20000; ++i) s += "` ``x ";
  run(state, s);
}
void BM_DeepNesting(benchmark::State& state) {
  std::string s = "---\ntitle: T\n---\n";
  for (int i = 0; i < 2000; ++i)
    s += std::string(static_cast<std::size_t>(i % 200), '>') + " - [[x]] item\n";
  run(state, s);
}

}  // namespace

BENCHMARK(BM_TypicalNote);
BENCHMARK(BM_TypicalUnicodeNote);
BENCHMARK(BM_TypicalNoteFullMarkdown);
BENCHMARK(BM_OneMegabyteLine);
BENCHMARK(BM_TenThousandLinksOnALine);
BENCHMARK(BM_HundredThousandOpenBrackets);
BENCHMARK(BM_UnmatchedBackticks);
BENCHMARK(BM_DeepNesting);
BENCHMARK_MAIN();
