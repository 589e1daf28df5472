#pragma once
// The in-memory model of a transcript knowledge base. Plain data; no I/O.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tkb/diagnostic.hpp"

namespace tkb {

// One top-level front-matter key, in document order.
struct FrontMatterEntry {
  std::string key;
  std::string value;  // scalar text; for a sequence, its scalar items joined by ", "
  bool is_scalar = true;
  std::vector<std::string> items;  // a sequence's scalar items
  Position pos;                    // of the key
  friend bool operator==(const FrontMatterEntry&, const FrontMatterEntry&) = default;
};

struct FrontMatter {
  bool present = false;  // a `---` block opens the file
  bool closed = false;   // ... and a closing `---` or `...` line was found
  std::vector<FrontMatterEntry> entries;
  const FrontMatterEntry* find(std::string_view key) const;
  // Equal front matter: the fast reader and yaml-cpp must agree (tests and fuzzers check).
  friend bool operator==(const FrontMatter&, const FrontMatter&) = default;
};

// Text fields of headings, links and anchors are views into their Note's `pool`: they stay
// valid as long as the Note lives, wherever it is moved. (Compact links, below, point into
// their KnowledgeBase's shared text instead, valid as long as the KnowledgeBase lives.)

struct Heading {
  std::string_view text;  // as written, markers and surrounding spaces removed
  Position pos;           // of the text
  int level = 0;          // 1..6 (last: 32 bytes, not 40, for 700,000 headings)
};

// `[[target#fragment|alias]]` or `![[...]]`. Its parts are kept as places in `raw`, so that
// moving the link's text moves them too, and a link costs 56 bytes whatever it holds (a
// 100,000-note knowledge base has about 1.5 million).
struct WikiLink {
  std::string_view raw;  // the whole link as written, brackets included (see `compact`)
  Position pos;          // of the first '[' (or the '!' of an embed)
  bool has_alias = false;
  bool embed = false;
  // Loaded with LoadOptions::compact_links, which keeps of most links only what `check` reads:
  // `raw` is then `target` or `target#fragment`, shared by every link so written, and the
  // alias is not kept (alias() is empty; has_alias still tells whether there was one).
  bool compact = false;

  std::string_view target() const { return part(m_target); }  // trimmed; empty for `[[#Heading]]`
  // After '#', trimmed; starts with '^' for a block reference.
  std::string_view fragment() const { return part(m_fragment); }
  std::string_view alias() const { return part(m_alias); }  // after the first '|', trimmed

  // Set the parts: views into `raw` (or empty).
  void set_parts(std::string_view target, std::string_view fragment, std::string_view alias) {
    m_target = place(target);
    m_fragment = place(fragment);
    m_alias = place(alias);
  }
  // Point the link at `stored`, which holds its target followed, when it has a fragment, by
  // '#' and the fragment: the compact form (see `compact`).
  void make_compact(std::string_view stored, std::size_t target_size) {
    raw = stored;
    m_target = {0, static_cast<std::uint32_t>(target_size)};
    m_fragment = stored.size() > target_size
                     ? Part{static_cast<std::uint32_t>(target_size + 1),
                            static_cast<std::uint32_t>(stored.size() - target_size - 1)}
                     : Part{};
    m_alias = {};
    compact = true;
  }
  // Make `raw` the larger `outer`, which contains the current raw: the parts keep their text.
  void widen_raw(std::string_view outer) {
    const auto shift = static_cast<std::uint32_t>(raw.data() - outer.data());
    for (Part* p : {&m_target, &m_fragment, &m_alias}) {
      if (p->size != 0) p->at += shift;
    }
    raw = outer;
  }

 private:
  struct Part {
    std::uint32_t at = 0, size = 0;
  };
  Part place(std::string_view s) const {
    if (s.empty()) return {};
    return {static_cast<std::uint32_t>(s.data() - raw.data()),
            static_cast<std::uint32_t>(s.size())};
  }
  std::string_view part(Part p) const { return raw.substr(p.at, p.size); }
  Part m_target, m_fragment, m_alias;
};

// `<a class="yt-timestamp" data-t="00:01:02">[00:01:02]</a>`.
struct TimestampAnchor {
  std::string_view data_t;              // the attribute as written
  std::optional<std::int64_t> seconds;  // parsed data-t, when valid
  std::string_view label;               // the link text, brackets removed
  Position pos;                         // of the '<'
  int heading = -1;                     // index into Note::headings it sits under, or -1
  std::string_view text;                // the sentence the anchor closes, as plain text
};

// `<!-- tkb-ignore RULE, RULE -->`: silences those rules (every rule when none is named) on
// its own line, and on the next line when the comment stands alone on its line.
// `<!-- tkb-ignore-file RULE -->` silences them in the whole note.
struct Suppression {
  std::uint32_t line = 0;          // the line whose findings are silenced; 0 for the whole note
  std::uint32_t also_line = 0;     // a second line (the next one), or 0
  std::vector<std::string> rules;  // empty: every rule
};

struct Note {
  Note() = default;
  Note(Note&&) = default;
  Note& operator=(Note&&) = default;
  Note(const Note&) = delete;  // views point into `pool`: a copy would share the old one
  Note& operator=(const Note&) = delete;

  std::string path;    // relative to the root, '/'-separated, with `.md`
  std::string id;      // file stem
  std::string folder;  // relative folder, "" at the root
  FrontMatter front_matter;
  std::string title;                 // front-matter `title`, or "" when absent
  std::string video_id;              // front-matter `videoId`, or "" when absent
  std::vector<std::string> aliases;  // front-matter `aliases`
  std::string channel;               // target of the `From: [[channel]]` link, or ""
  int channel_link = -1;             // index into links of that link, or -1
  std::vector<Heading> headings;
  // Loaded with LoadOptions::compact_links: `headings` is empty, and this holds what a
  // [[note#Heading]] link is compared with instead: for each heading, the loose key of its
  // text and, when different, that of its text without markup, each followed by '\n' (which
  // no loose key holds). A view into `pool`.
  std::string_view heading_keys;
  std::vector<WikiLink> links;       // outside code and comments
  std::vector<WikiLink> code_links;  // inside code or comments: not links, kept for `check`
  // Loaded with LoadOptions::compact_links: the notes (indexes into KnowledgeBase::notes)
  // reached by the links taken out of `links` because nothing more than that is to be said
  // of them (see compact_links), in link order. Empty otherwise.
  std::vector<int> settled_links;
  // Every anchor, unless parsed with ParseOptions::keep_anchors off; the summary below is
  // kept either way.
  std::vector<TimestampAnchor> anchors;
  std::uint32_t anchor_count = 0;
  std::optional<std::int64_t> first_seconds, last_seconds;  // over anchors with a valid data-t
  std::vector<std::string_view> block_ids;  // `^id` markers ending a line, without the '^'
  std::vector<Suppression> suppressions;
  bool wrapped_in_fence = false;         // the article sits inside one ```markdown fence
  std::optional<std::int64_t> duration;  // front-matter `duration`, in seconds, when valid
  std::vector<Diagnostic> diagnostics;   // problems found while parsing this note
  std::uint64_t size = 0;                // bytes read
  std::string pool;                      // the characters the views above point into
};

}  // namespace tkb
