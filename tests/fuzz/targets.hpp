#pragma once
// The bodies of the fuzz targets, shared by the libFuzzer entry points (tests/fuzz/fuzz_*.cpp,
// built with -DTKB_FUZZ=ON by scripts/fuzz) and by the unit test that replays every input in
// tests/fuzz/regressions/ (tests/unit/test_hostile.cpp).
//
// Each target takes any bytes. Besides not crashing, leaking or hanging (the sanitizers and
// libFuzzer watch that), it checks invariants the rest of tkb relies on; a broken one aborts,
// which libFuzzer reports as a crash and saves the input.

#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "tkb/blocks.hpp"
#include "tkb/check.hpp"
#include "tkb/compact.hpp"
#include "tkb/diagnostic.hpp"
#include "tkb/export.hpp"
#include "tkb/front_matter.hpp"
#include "tkb/knowledge_base.hpp"
#include "tkb/note_cache.hpp"
#include "tkb/output.hpp"
#include "tkb/parse.hpp"
#include "tkb/report.hpp"
#include "tkb/resolve.hpp"
#include "tkb/scan.hpp"
#include "tkb/text.hpp"

namespace tkb::fuzz {

[[noreturn]] inline void fail(const char* what, const char* file, int line) {
  std::fprintf(stderr, "%s:%d: fuzz invariant violated: %s\n", file, line, what);
  std::fflush(stderr);
  std::abort();
}

#define TKB_FUZZ_ASSERT(c) ((c) ? (void)0 : ::tkb::fuzz::fail(#c, __FILE__, __LINE__))

// A position is inside the text and its line and column name the same byte as its offset.
inline void check_position(std::string_view text, const LineIndex& lines, const Position& p) {
  TKB_FUZZ_ASSERT(p.offset <= text.size());
  TKB_FUZZ_ASSERT(p.line >= 1 && p.line <= lines.line_count());
  TKB_FUZZ_ASSERT(p.column >= 1);
  TKB_FUZZ_ASSERT(lines.line_start(p.line) + p.column - 1 == p.offset);
}

// `part` lies inside `whole` (an empty view may point anywhere).
inline bool inside(std::string_view part, std::string_view whole) {
  if (part.empty()) return true;
  return part.data() >= whole.data() && part.data() + part.size() <= whole.data() + whole.size();
}

// ---- The front-matter parser ----------------------------------------------------------------
// The fast `key: value` reader and yaml-cpp must agree wherever the fast reader answers: with
// always_yaml the same text must give the same keys, values, positions and findings.
inline void front_matter(std::string_view data) {
  LineIndex lines(data);
  FrontMatterResult fast = parse_front_matter(data, lines, false);
  FrontMatterResult yaml = parse_front_matter(data, lines, true);
  for (const FrontMatterResult* r : {&fast, &yaml}) {
    TKB_FUZZ_ASSERT(r->body_offset <= data.size());
    TKB_FUZZ_ASSERT(r->body_offset == 0 || data[r->body_offset - 1] == '\n' ||
                    r->body_offset == data.size());
    for (const Diagnostic& d : r->diagnostics) {
      check_position(data, lines, d.pos);
      TKB_FUZZ_ASSERT(d.rule == "yaml-error");
    }
    for (const FrontMatterEntry& e : r->front_matter.entries) check_position(data, lines, e.pos);
    if (!r->front_matter.present) TKB_FUZZ_ASSERT(r->front_matter.entries.empty());
  }
  TKB_FUZZ_ASSERT(fast.body_offset == yaml.body_offset);
  TKB_FUZZ_ASSERT(fast.front_matter == yaml.front_matter);
  TKB_FUZZ_ASSERT(fast.diagnostics.size() == yaml.diagnostics.size());
}

// ---- The link and anchor scanner ------------------------------------------------------------
inline void scan(std::string_view data) {
  LineIndex lines(data);
  std::optional<BlockStructure> fast = scan_blocks_fast(data, 0, lines);
  BlockStructure blocks = fast ? std::move(*fast) : scan_blocks_full(data, 0, lines);
  for (const CodeBlock& b : blocks.code) {
    TKB_FUZZ_ASSERT(b.begin <= b.end && b.end <= data.size());
  }
  for (const HeadingBlock& h : blocks.headings) {
    TKB_FUZZ_ASSERT(h.begin <= h.end && h.end <= data.size());
  }
  ScanOutput out = scan_inline(data, 0, data.size(), blocks.code, lines);
  for (const auto* list : {&out.links, &out.code_links}) {
    for (const WikiLink& l : *list) {
      check_position(data, lines, l.pos);
      TKB_FUZZ_ASSERT(inside(l.raw, data));
      TKB_FUZZ_ASSERT(l.raw.data() == data.data() + l.pos.offset);
      TKB_FUZZ_ASSERT(l.raw.substr(0, l.embed ? 3 : 2) == (l.embed ? "![[" : "[["));
      TKB_FUZZ_ASSERT(l.raw.size() >= 4 && l.raw.substr(l.raw.size() - 2) == "]]");
      TKB_FUZZ_ASSERT(l.raw.find('\n') == std::string_view::npos);
      TKB_FUZZ_ASSERT(inside(l.target(), l.raw) && inside(l.fragment(), l.raw) &&
                      inside(l.alias(), l.raw));
    }
  }
  for (const TimestampAnchor& a : out.anchors) {
    check_position(data, lines, a.pos);
    TKB_FUZZ_ASSERT(inside(a.data_t, data) && inside(a.label, data));
  }
  for (const Diagnostic& d : out.diagnostics) check_position(data, lines, d.pos);
  // The pieces the parser uses on stretches of the text (bounded as in parse.cpp).
  (void)split_wikilink(data);
  (void)plain_text(data.substr(0, 2000));
  // A JSON string as tkb writes it is nlohmann-json's dump of it, byte for byte.
  const std::string part(data.substr(0, 4096));
  std::string ours;
  append_json_string(ours, part);
  TKB_FUZZ_ASSERT(ours == nlohmann::json(part).dump(-1, ' ', false,
                                                    nlohmann::json::error_handler_t::replace));
}

// ---- Whole notes ------------------------------------------------------------------------------
inline void check_note(std::string_view data, const Note& n) {
  LineIndex lines(data);
  TKB_FUZZ_ASSERT(n.size == data.size());
  for (const auto* list : {&n.links, &n.code_links}) {
    for (const WikiLink& l : *list) {
      check_position(data, lines, l.pos);
      TKB_FUZZ_ASSERT(inside(l.raw, n.pool));
      TKB_FUZZ_ASSERT(l.raw == data.substr(l.pos.offset, l.raw.size()));
    }
  }
  for (const TimestampAnchor& a : n.anchors) {
    check_position(data, lines, a.pos);
    TKB_FUZZ_ASSERT(inside(a.data_t, n.pool) && inside(a.label, n.pool) && inside(a.text, n.pool));
    TKB_FUZZ_ASSERT(a.heading >= -1 && a.heading < static_cast<int>(n.headings.size()));
  }
  for (const Heading& h : n.headings) {
    check_position(data, lines, h.pos);
    TKB_FUZZ_ASSERT(inside(h.text, n.pool));
    TKB_FUZZ_ASSERT(h.level >= 1 && h.level <= 6);
  }
  for (std::string_view b : n.block_ids) TKB_FUZZ_ASSERT(inside(b, n.pool));
  for (const Diagnostic& d : n.diagnostics) {
    check_position(data, lines, d.pos);
    TKB_FUZZ_ASSERT(d.path == n.path);
  }
  TKB_FUZZ_ASSERT(n.channel_link >= -1 && n.channel_link < static_cast<int>(n.links.size()));
}

inline void note(std::string_view data) {
  for (bool full : {false, true}) {
    ParseOptions o;
    o.always_full_markdown = full;
    Note n = parse_note(data, "chan/fuzz_note.md", o);
    check_note(data, n);
    Note moved = std::move(n);  // views point into the pool, which moves with the note
    check_note(data, moved);
  }

  // The note in a knowledge base with an index page: every check, every link resolved, the
  // findings with their source excerpts, and JSON output that must parse back.
  std::string text(data);
  MemoryFileSystem fs({{"chan/fuzz_note.md", text},
                       {"chan/chan.md", "---\ntitle: Chan\n---\n[[fuzz_note]] [[x#y]]\n"},
                       {"chan/other.md", "---\ntitle: Other Note\n---\n## Part *one*\nx ^b1\n"}});
  LoadOptions lo;
  lo.jobs = 1;
  KnowledgeBase kb = load_knowledge_base(fs, lo);
  Resolver resolver(kb);
  std::vector<Diagnostic> findings = run_checks(kb, resolver);
  {
    // The compact model `tkb check` loads gives the same findings.
    LoadOptions compact = lo;
    compact.compact_links = true;
    KnowledgeBase small = load_knowledge_base(fs, compact);
    Resolver small_resolver(small);
    std::vector<Diagnostic> again = run_checks(small, small_resolver);
    TKB_FUZZ_ASSERT(again.size() == findings.size());
    for (std::size_t k = 0; k < again.size(); ++k) {
      TKB_FUZZ_ASSERT(format_diagnostic(again[k]) == format_diagnostic(findings[k]));
    }
    // And so does the cache, stored by one load and reused by the next; every note encodes
    // to the bytes it was decoded from.
    MemoryCacheStore store;
    compact.cache = &store;
    for (int run = 0; run < 2; ++run) {
      KnowledgeBase cached = load_knowledge_base(fs, compact);
      TKB_FUZZ_ASSERT(cached.cache.reused == (run == 0 ? 0 : cached.notes.size()));
      Resolver cached_resolver(cached);
      std::vector<Diagnostic> from_cache = run_checks(cached, cached_resolver);
      TKB_FUZZ_ASSERT(from_cache.size() == findings.size());
      for (std::size_t k = 0; k < from_cache.size(); ++k) {
        TKB_FUZZ_ASSERT(format_diagnostic(from_cache[k]) == format_diagnostic(findings[k]));
      }
    }
    for (bool full : {false, true}) {
      ParseOptions po;
      po.always_full_markdown = full;
      Note n = parse_note(data, "chan/fuzz_note.md", po);
      TextInterner interner;
      if (!full) compact_links(n, 0, nullptr, interner);  // as the cache keeps it; else whole
      std::string bytes, again_bytes;
      encode_note(n, bytes);
      Note decoded;
      TKB_FUZZ_ASSERT(decode_note(bytes, decoded, interner));
      encode_note(decoded, again_bytes);
      TKB_FUZZ_ASSERT(again_bytes == bytes);
      TKB_FUZZ_ASSERT(
          !decode_note(std::string_view(bytes).substr(0, bytes.size() - 1), decoded, interner));
    }
  }
  // The timestamps table's fast rows are the writers' bytes.
  for (const Note& n : kb.notes) {
    for (Format f : {Format::csv, Format::tsv}) {
      for (bool guard : {true, false}) {
        OutputOptions oo;
        oo.header = false;
        oo.neutralize_formulas = guard;
        std::string fast, slow;
        append_timestamp_rows(fast, n, f, oo);
        auto w = make_text_writer(f, slow, timestamp_columns(), oo);
        write_timestamp_rows(n, *w);
        w->finish();
        TKB_FUZZ_ASSERT(fast == slow);
      }
    }
  }
  for (int i = 0; i < static_cast<int>(kb.notes.size()); ++i) {
    for (const auto& [src, k] : backlinks(kb, resolver, i)) {
      const Note& from = kb.notes[static_cast<std::size_t>(src)];
      TKB_FUZZ_ASSERT(static_cast<std::size_t>(k) < from.links.size());
      TKB_FUZZ_ASSERT(resolver.resolve_link(from.links[static_cast<std::size_t>(k)], src).note ==
                      i);
    }
  }
  (void)missing_targets(kb, resolver, 10);
  std::ostringstream json_out;
  {
    auto w = make_writer(Format::json, json_out,
                         {"path", "title", "channel", "links", "rule", "message", "excerpt"});
    for (const Note& n : kb.notes) {
      std::vector<std::string> targets;
      for (const WikiLink& l : n.links) targets.emplace_back(l.raw);
      for (const TimestampAnchor& a : n.anchors) targets.emplace_back(a.text);
      w->row({n.path, n.title, n.channel, targets, std::monostate{}, std::monostate{},
              std::monostate{}});
    }
    for (const Diagnostic& d : findings) {
      (void)format_diagnostic(d);
      (void)github_annotation(d);
      std::string excerpt;
      if (d.path == "chan/fuzz_note.md") {
        std::string_view line = line_of(data, d.pos.line);
        SourceExcerpt e = source_excerpt(line, d.pos.column);
        (void)code_point_column(line, d.pos.column);
        TKB_FUZZ_ASSERT(is_valid_utf8(e.text));
        excerpt = e.text;
      }
      w->row({d.path, std::monostate{}, std::monostate{}, std::monostate{}, d.rule, d.message,
              excerpt});
    }
    w->finish();
  }
  TKB_FUZZ_ASSERT(nlohmann::json::accept(json_out.str()));
  for (Format f : {Format::csv, Format::tsv, Format::table}) {
    std::ostringstream out;
    auto w = make_writer(f, out, {"path", "title"});
    for (const Note& n : kb.notes) w->row({n.path, n.title});
    w->finish();
  }
}

}  // namespace tkb::fuzz
