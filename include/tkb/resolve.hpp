#pragma once
// Wikilink resolution: where `[[target]]` goes.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "tkb/knowledge_base.hpp"
#include "tkb/text.hpp"

namespace tkb {

// The rules, tried in this order; the first that finds candidates decides.
enum class MatchRule : std::uint8_t {
  path,     // relative path from the root, with or without `.md`
  stem,     // exact file stem
  stem_ci,  // file stem, ignoring ASCII case
  slug,     // the generator's slug of the target (keep [A-Za-z0-9 ], spaces to '_', lower
            // case) is a file stem: `[[AI in film making]]` -> ai_in_film_making.md
  loose,    // loose key of the target equals the loose key of a stem or a title
  alias,    // front-matter `aliases`, ignoring ASCII case
  self,     // `[[#Heading]]`: an empty target names the linking note itself
  none,
};

std::string_view to_string(MatchRule r);

struct Resolution {
  MatchRule rule = MatchRule::none;
  // Every note the deciding rule found, ascending. A view into the Resolver's index: valid
  // while the Resolver lives (one per loaded knowledge base), and costs no allocation.
  std::span<const int> candidates;
  int note = -1;  // the chosen note: the only candidate, or the only one in the source's folder
  bool resolved() const { return note >= 0; }
  bool ambiguous() const { return note < 0 && candidates.size() > 1; }
};

// Names to the notes that carry them, for resolution: an open-addressing table of 64-bit
// hashes over flat arrays of keys and note numbers. A lookup that misses (most of them: the
// rules are tried in turn) touches one slot; std::unordered_map chased two or three pointers.
class NameIndex {
 public:
  // Room for about `keys` keys, so that building does not grow the table step by step.
  void reserve(std::size_t keys);
  // Building: keys come with ascending note numbers (a note adding a key twice is kept once).
  void add(std::string_view key, int note);
  // The same for a key whose text outlives the index (a note's own name): it is not copied.
  void add_view(std::string_view key, int note);
  // Lay the note lists out flat; find() and for_each() work only after this.
  void finish();
  // The notes named `key`, ascending; empty when none. `hash` is hash(key), for a caller that
  // looks the same key up in several indexes.
  std::span<const int> find(std::string_view key) const { return find(key, hash(key)); }
  std::span<const int> find(std::string_view key, std::uint64_t hash) const;
  static std::uint64_t hash(std::string_view key);
  // Ask the processor to start loading what find(key, hash) reads: its slot (step 1), then,
  // once that has arrived, the entry and key the slot names (step 2). A caller resolving a
  // run of links issues these a few links ahead, so that their cache misses overlap instead
  // of coming one after another.
  void prefetch_slot(std::uint64_t hash) const;
  void prefetch_entry(std::uint64_t hash) const;
  template <typename Visit>
  void for_each(Visit&& visit) const {  // visit(std::string_view key, std::span<const int>)
    for (const Entry& e : m_entries) visit(key_of(e), notes_of(e));
  }

 private:
  struct Entry {
    std::uint64_t hash;
    const char* key;  // in m_keys, or where add_view's key lives
    std::uint32_t key_size;
    std::uint32_t notes_begin, notes_size;  // in m_notes, after finish()
    int first_note;
  };
  std::string_view key_of(const Entry& e) const { return {e.key, e.key_size}; }
  void insert(std::string_view key, int note, bool copy);
  std::span<const int> notes_of(const Entry& e) const {
    return std::span<const int>(m_notes).subspan(e.notes_begin, e.notes_size);
  }
  std::size_t slot_of(std::uint64_t hash, std::string_view key) const;  // its slot or an empty one
  void grow();

  TextArena m_keys;
  std::vector<Entry> m_entries;
  std::vector<int> m_last_note;        // while building: the last note that added each entry
  std::vector<std::uint64_t> m_slots;  // hash's upper half, entry number + 1; 0: empty.
                                       // A power of two in size
  std::vector<int> m_notes;
  std::vector<std::pair<std::uint32_t, int>> m_more;  // while building: (entry, note) beyond
                                                      // each entry's first
};

// The first two rules, path (for a target without '/') and stem, from the notes' paths alone,
// before any note is read: loading with LoadOptions::compact_links settles with it the links
// that these rules send to one note, which is most of them.
class PathResolver {
 public:
  explicit PathResolver(const std::vector<std::string>& paths);  // the notes' paths, in order
  // The note (an index into `paths`) that `target` reaches by the path or stem rule when that
  // rule finds exactly one; -1 when the target has a '/' or is empty, or the rules find none
  // or several. Resolver::resolve then gives the same note by the same rule.
  int sole_match(std::string_view target) const { return sole_match(key(target)); }
  // The same in steps, for many targets in a row: each one's key (trimmed, without `.md`,
  // hashed), a prefetch of what its lookup reads first, and the lookup.
  struct Key {
    std::string_view target;  // empty: no sole match
    std::uint64_t hash = 0;
  };
  Key key(std::string_view target) const;
  void prefetch(const Key& k) const {
    if (!k.target.empty()) m_stem.prefetch_slot(k.hash);
  }
  int sole_match(const Key& k) const;

 private:
  NameIndex m_root_path, m_stem;
};

class Resolver {
 public:
  // Indexes every note's names, on `jobs` threads (0: one per core). The notes must outlive
  // the Resolver, unchanged; the KnowledgeBase object holding them may move.
  explicit Resolver(const KnowledgeBase& kb, unsigned jobs = 0);

  // Resolve `target` as written in a link of note `from` (-1: no source note).
  Resolution resolve(std::string_view target, int from = -1) const;

  // Resolve a parsed link: like resolve(), but a link with neither target nor #fragment
  // (`[[ | text]]`) goes nowhere.
  Resolution resolve_link(const WikiLink& link, int from) const;

  // For resolving many links in a row: the key resolve(target) looks up first (in the
  // root-path and stem indexes) with its hash, made once; prefetch steps 1 and 2 of the stem
  // lookup, issued a few links ahead; and the resolution from it, which is resolve()'s
  // (resolve_link()'s), without hashing again.
  struct Lookahead {
    std::string_view target;  // trimmed, without `.md`; empty for `[[#Heading]]`
    std::uint64_t hash = 0;
  };
  Lookahead lookahead(std::string_view target) const;
  void prefetch_slot(const Lookahead& a) const;
  void prefetch_entry(const Lookahead& a) const;
  Resolution resolve(const Lookahead& a, int from = -1) const;
  Resolution resolve_link(const WikiLink& link, int from, const Lookahead& a) const;

  // The notes whose file stem is `stem`, ascending; those whose stem is `lower` when ASCII
  // case is ignored (`lower` already lower-cased). For check's duplicate-stem and
  // case-collision rules: the indexes already hold these groups.
  std::span<const int> notes_with_stem(std::string_view stem) const { return m_stem.find(stem); }
  std::span<const int> notes_with_lower_stem(std::string_view lower) const {
    return m_stem_ci.find(lower);
  }

  // Up to `n` note paths whose names are nearest to `target`, nearest first.
  std::vector<std::string> suggest(std::string_view target, std::size_t n = 3) const;

 private:
  using Index = NameIndex;
  // The notes themselves, not the KnowledgeBase object: a KnowledgeBase moved after the
  // Resolver was built (returned from a function, say) keeps its notes where they were.
  std::span<const Note> m_notes;
  std::vector<int> m_identity;  // 0..n-1: the candidates of a self link
  // Paths of notes in folders, and of notes at the root (which a target without '/' can
  // name by path: most targets have no '/', and a miss in the small index is cheap).
  Index m_path, m_root_path, m_stem, m_stem_ci, m_loose, m_alias;
};

// The links that reach note `target`: (source note, index into its links), in path order
// and link order. `[[#Heading]]` inside the note itself counts.
std::vector<std::pair<int, int>> backlinks(const KnowledgeBase& kb, const Resolver& resolver,
                                           int target);

}  // namespace tkb
