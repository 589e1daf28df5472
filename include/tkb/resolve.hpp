#pragma once
// Wikilink resolution: where `[[target]]` goes.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "tkb/knowledge_base.hpp"

namespace tkb {

// The rules, tried in this order; the first that finds candidates decides.
enum class MatchRule {
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

class Resolver {
 public:
  explicit Resolver(const KnowledgeBase& kb);

  // Resolve `target` as written in a link of note `from` (-1: no source note).
  Resolution resolve(std::string_view target, int from = -1) const;

  // Resolve a parsed link: like resolve(), but a link with neither target nor #fragment
  // (`[[ | text]]`) goes nowhere.
  Resolution resolve_link(const WikiLink& link, int from) const;

  // Up to `n` note paths whose names are nearest to `target`, nearest first.
  std::vector<std::string> suggest(std::string_view target, std::size_t n = 3) const;

 private:
  // Looked up by string_view without building a std::string.
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  using Index = std::unordered_map<std::string, std::vector<int>, Hash, std::equal_to<>>;
  const KnowledgeBase& m_kb;
  std::vector<int> m_identity;  // 0..n-1: the candidates of a self link
  Index m_path, m_stem, m_stem_ci, m_loose, m_alias;
};

// Every link of every note, resolved once: links[note][i] is the resolution of
// kb.notes[note].links[i].
struct LinkTable {
  std::vector<std::vector<Resolution>> links;
  std::vector<std::vector<std::pair<int, int>>> backlinks;  // note -> (source note, link index)
};

LinkTable resolve_all(const KnowledgeBase& kb, const Resolver& resolver);

}  // namespace tkb
