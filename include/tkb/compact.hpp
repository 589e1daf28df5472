#pragma once
// Loading for `check` in less memory (LoadOptions::compact_links): most links settled as they
// are parsed, the rest sharing one copy of each distinct target (1.4 million links at 100,000
// notes name about 230,000 targets).

#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "tkb/model.hpp"
#include "tkb/resolve.hpp"
#include "tkb/text.hpp"

namespace tkb {

// Stores texts in large blocks, each distinct text once. Views it returns stay valid while the
// blocks live: in the interner, or wherever take_blocks() moved them. Not for sharing between
// threads: each loading thread has its own.
class TextInterner {
 public:
  TextInterner() = default;
  TextInterner(const TextInterner&) = delete;
  TextInterner& operator=(const TextInterner&) = delete;

  // The stored copy of `text` (the same view for equal texts).
  std::string_view intern(std::string_view text);
  std::string_view intern(std::string_view text, std::uint64_t hash);  // hash: NameIndex::hash
  std::size_t size() const { return m_count; }                         // distinct texts stored
  // The blocks holding every text stored; the interner is empty afterwards.
  std::vector<std::unique_ptr<char[]>> take_blocks();

 private:
  struct Slot {
    const char* data = nullptr;  // nullptr: empty slot
    std::uint32_t size = 0;
    std::uint32_t hash = 0;  // upper half of the 64-bit hash
  };
  void grow();

  std::vector<Slot> m_slots;  // a power of two in size, at most half full
  std::size_t m_count = 0;
  TextArena m_text;
};

// Whether `target`, written in a link of `note`, might resolve to `note` itself: true for
// every target that does by some rule (path, stem, case, file-name rule, loose key, alias),
// and for every target with a '/'; false for most others. A quick test on the target's ASCII
// letters and digits, for deciding which links `check` may quote whole (a self-link).
bool may_name_note(const Note& note, std::string_view target);

// Keep of `note`'s links only what `check` reads (LoadOptions::compact_links), `self` being
// the note's index among `paths`' notes:
// - with `paths`, a link that it sends by the path or stem rule to one other note, without a
//   #fragment, is taken out of `links` and its target's index appended to `settled_links`:
//   all that check needs of it is that one note links to the other (it finds nothing to say
//   about such a link). The `From: [[channel]]` link stays.
// - of the others, the target and fragment are stored once in `interner`, without the alias
//   (see WikiLink::compact), unless a finding may quote the link whole: an empty or
//   time-shaped target, or one that may name its own note.
// - headings become heading_keys (and anchors' `heading` -1).
// Links in code stay as they are. The note's pool is made anew of what its views still show
// (the note may come unpacked: ParseOptions::pack).
void compact_links(Note& note, int self, const PathResolver* paths, TextInterner& interner);

// The first step of compact_links() with `paths`, for a note compacted without them (as the
// cache keeps notes, see note_cache.hpp): the links `paths` settles are taken out of `links`
// into `settled_links`, exactly as compact_links(note, self, &paths, ...) would have.
void settle_links(Note& note, int self, const PathResolver& paths);

// Store the text of `note`'s compact links in `interner` and point them there: for a note
// whose compact links point somewhere short-lived (a scratch interner, a cache record).
void share_compact_links(Note& note, TextInterner& interner);

}  // namespace tkb
