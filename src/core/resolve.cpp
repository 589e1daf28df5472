#include "tkb/resolve.hpp"

#include <algorithm>
#include <functional>

#include "tkb/parallel.hpp"
#include "tkb/text.hpp"

namespace tkb {

std::string_view to_string(MatchRule r) {
  switch (r) {
    case MatchRule::path:
      return "path";
    case MatchRule::stem:
      return "stem";
    case MatchRule::stem_ci:
      return "stem-ci";
    case MatchRule::slug:
      return "slug";
    case MatchRule::loose:
      return "loose";
    case MatchRule::alias:
      return "alias";
    case MatchRule::self:
      return "self";
    case MatchRule::none:
      return "none";
  }
  return "none";
}

namespace {

void add(NameIndex& index, std::string_view key, int note) {
  if (!key.empty()) index.add(key, note);
}

// A key that is a note's own name, which outlives the index: not copied.
void add_view(NameIndex& index, std::string_view key, int note) {
  if (!key.empty()) index.add_view(key, note);
}

// Normalise a path-like target against the root: drop `.`, resolve `..`, refuse to leave the
// root. Returns false when the target climbs above the root.
bool normalise_path(std::string_view target, std::string& out) {
  std::vector<std::string_view> parts;
  std::size_t i = 0;
  while (i <= target.size()) {
    std::size_t slash = target.find('/', i);
    if (slash == std::string_view::npos) slash = target.size();
    std::string_view part = target.substr(i, slash - i);
    if (part == "..") {
      if (parts.empty()) return false;
      parts.pop_back();
    } else if (!part.empty() && part != ".") {
      parts.push_back(part);
    }
    i = slash + 1;
  }
  out.clear();
  for (std::string_view p : parts) {
    if (!out.empty()) out += '/';
    out += p;
  }
  return true;
}

std::string_view without_md(std::string_view s) {
  if (s.size() > 3 && s.substr(s.size() - 3) == ".md") s.remove_suffix(3);
  return s;
}

}  // namespace

namespace {

// A slot holds the upper half of its key's hash beside the entry number, so that a lookup
// that misses rarely reads an entry.
constexpr std::uint64_t slot_value(std::uint64_t hash, std::size_t entry) {
  return (hash & 0xFFFFFFFF00000000ull) | static_cast<std::uint64_t>(entry + 1);
}

}  // namespace

void NameIndex::reserve(std::size_t keys) {
  m_entries.reserve(keys);
  m_last_note.reserve(keys);
  while (m_slots.size() < keys * 2) grow();
}

void NameIndex::add(std::string_view key, int note) {
  insert(key, note, true);
}

void NameIndex::add_view(std::string_view key, int note) {
  insert(key, note, false);
}

void NameIndex::insert(std::string_view key, int note, bool copy) {
  if (m_slots.empty() || (m_entries.size() + 1) * 2 > m_slots.size()) grow();
  const std::uint64_t hash = NameIndex::hash(key);
  const std::size_t slot = slot_of(hash, key);
  if (m_slots[slot] == 0) {
    const char* text = copy ? m_keys.store(key).data() : key.data();
    m_entries.push_back({hash, text, static_cast<std::uint32_t>(key.size()), 0, 0, note});
    m_last_note.push_back(note);
    m_slots[slot] = slot_value(hash, m_entries.size() - 1);
    return;
  }
  const auto entry = static_cast<std::uint32_t>((m_slots[slot] & 0xFFFFFFFFu) - 1);
  if (m_last_note[entry] == note) return;
  m_last_note[entry] = note;
  m_more.emplace_back(entry, note);
}

std::size_t NameIndex::slot_of(std::uint64_t hash, std::string_view key) const {
  const std::size_t mask = m_slots.size() - 1;
  for (std::size_t i = hash & mask;; i = (i + 1) & mask) {
    const std::uint64_t at = m_slots[i];
    if (at == 0) return i;
    if ((at ^ hash) >> 32 != 0) continue;  // another key's hash
    const Entry& e = m_entries[(at & 0xFFFFFFFFu) - 1];
    if (e.hash == hash && key_of(e) == key) return i;
  }
}

void NameIndex::grow() {
  std::vector<std::uint64_t> slots(std::max<std::size_t>(64, m_slots.size() * 2), 0);
  const std::size_t mask = slots.size() - 1;
  for (std::size_t k = 0; k < m_entries.size(); ++k) {
    std::size_t i = m_entries[k].hash & mask;
    while (slots[i] != 0) i = (i + 1) & mask;
    slots[i] = slot_value(m_entries[k].hash, k);
  }
  m_slots = std::move(slots);
}

void NameIndex::finish() {
  // Each entry's notes: its first, then the others in the order they came (ascending).
  std::vector<std::uint32_t> extra(m_entries.size() + 1, 0);
  for (const auto& [entry, note] : m_more) ++extra[entry + 1];
  std::uint32_t at = 0;
  for (std::size_t k = 0; k < m_entries.size(); ++k) {
    m_entries[k].notes_begin = at;
    m_entries[k].notes_size = 1 + extra[k + 1];
    at += m_entries[k].notes_size;
  }
  m_notes.assign(at, 0);
  std::vector<std::uint32_t> fill(m_entries.size());
  for (std::size_t k = 0; k < m_entries.size(); ++k) {
    m_notes[m_entries[k].notes_begin] = m_entries[k].first_note;
    fill[k] = m_entries[k].notes_begin + 1;
  }
  for (const auto& [entry, note] : m_more) m_notes[fill[entry]++] = note;
  std::vector<std::pair<std::uint32_t, int>>().swap(m_more);
  std::vector<int>().swap(m_last_note);
}

std::uint64_t NameIndex::hash(std::string_view key) {
  return std::hash<std::string_view>{}(key);
}

void NameIndex::prefetch_slot(std::uint64_t hash) const {
  if (!m_slots.empty()) __builtin_prefetch(&m_slots[hash & (m_slots.size() - 1)]);
}

void NameIndex::prefetch_entry(std::uint64_t hash) const {
  if (m_slots.empty()) return;
  const std::uint64_t at = m_slots[hash & (m_slots.size() - 1)];
  if (at == 0 || (at ^ hash) >> 32 != 0) return;  // a miss, or another key: nothing to load
  const Entry& e = m_entries[(at & 0xFFFFFFFFu) - 1];
  __builtin_prefetch(&e);
  __builtin_prefetch(e.key);
}

std::span<const int> NameIndex::find(std::string_view key, std::uint64_t hash) const {
  if (m_slots.empty()) return {};
  const std::uint64_t at = m_slots[slot_of(hash, key)];
  if (at == 0) return {};
  return notes_of(m_entries[(at & 0xFFFFFFFFu) - 1]);
}

Resolver::Resolver(const KnowledgeBase& kb, unsigned jobs) : m_notes(kb.notes) {
  const int n = static_cast<int>(kb.notes.size());
  m_identity.resize(kb.notes.size());
  for (int i = 0; i < n; ++i) m_identity[static_cast<std::size_t>(i)] = i;
  // The indexes are independent: each is built on a thread of its own. Notes come in order,
  // so every key's note list is ascending.
  auto build = [&](NameIndex& index, auto&& add_keys, std::size_t expected_keys) {
    index.reserve(expected_keys);
    for (int i = 0; i < n; ++i) add_keys(kb.notes[static_cast<std::size_t>(i)], i);
    index.finish();
  };
  // The loose index, the largest (two keys a note, each made), comes first: taken last by
  // a free thread, it kept the other waiting at the end.
  std::string stem, title, lower;  // keys made in reused buffers (one builder each)
  const std::function<void()> builders[] = {
      [&] {
        build(
            m_loose,
            [&](const Note& note, int i) {
              loose_key(note.id, stem);
              add(m_loose, stem, i);
              if (!note.title.empty()) {
                loose_key(note.title, title);
                if (title != stem) add(m_loose, title, i);
              }
            },
            kb.notes.size() * 2);
      },
      [&] {
        build(
            m_path,
            [&](const Note& note, int i) {
              if (!note.folder.empty()) add_view(m_path, without_md(note.path), i);
            },
            kb.notes.size());
        build(
            m_root_path,
            [&](const Note& note, int i) {
              if (note.folder.empty()) add_view(m_root_path, without_md(note.path), i);
            },
            0);
      },
      [&] {
        build(
            m_stem, [&](const Note& note, int i) { add_view(m_stem, note.id, i); },
            kb.notes.size());
      },
      [&] {
        build(
            m_stem_ci,
            [&](const Note& note, int i) {
              to_lower_ascii(note.id, lower);
              if (lower == note.id)
                add_view(m_stem_ci, note.id, i);  // most names are lower-case already
              else
                add(m_stem_ci, lower, i);
            },
            kb.notes.size());
      },
      [&] {
        build(
            m_alias,
            [&](const Note& note, int i) {
              for (const std::string& a : note.aliases) add(m_alias, to_lower_ascii(trim(a)), i);
            },
            0);
      },
  };
  parallel_for(std::size(builders), jobs, [&](std::size_t k) { builders[k](); });
}

PathResolver::PathResolver(const std::vector<std::string>& paths) {
  m_stem.reserve(paths.size());
  for (std::size_t i = 0; i < paths.size(); ++i) {
    // The keys the Resolver gives the note: a root note's path, every note's id.
    const std::string_view path = paths[i];
    if (path.find('/') == std::string_view::npos) {
      add(m_root_path, without_md(path), static_cast<int>(i));
    }
    add(m_stem, note_id_of(path), static_cast<int>(i));
  }
  m_root_path.finish();
  m_stem.finish();
}

PathResolver::Key PathResolver::key(std::string_view raw_target) const {
  // Resolver::resolve's first steps for a target without '/'.
  const std::string_view target = without_md(trim(raw_target));
  if (target.empty() || target.find('/') != std::string_view::npos) return {};
  return {target, NameIndex::hash(target)};
}

int PathResolver::sole_match(const Key& k) const {
  if (k.target.empty()) return -1;
  std::span<const int> notes = m_root_path.find(k.target, k.hash);
  if (notes.empty()) notes = m_stem.find(k.target, k.hash);
  return notes.size() == 1 ? notes[0] : -1;
}

Resolution Resolver::resolve(std::string_view raw_target, int from) const {
  return resolve(lookahead(raw_target), from);
}

Resolution Resolver::resolve(const Lookahead& a, int from) const {
  Resolution r;
  const std::string_view target = a.target;
  const std::uint64_t hash = a.hash;  // for the root path and the stem
  if (target.empty()) {
    if (from >= 0) {
      r.rule = MatchRule::self;
      r.candidates = std::span<const int>(m_identity).subspan(static_cast<std::size_t>(from), 1);
      r.note = from;
    }
    return r;
  }
  auto take = [&](std::span<const int> notes, MatchRule rule) {
    if (notes.empty()) return false;
    r.rule = rule;
    r.candidates = notes;
    return true;
  };
  auto lookup = [&](const Index& index, std::string_view key, MatchRule rule) {
    return take(index.find(key), rule);
  };
  bool found = false;
  if (target.find('/') != std::string_view::npos) {
    std::string path;
    if (!normalise_path(target, path)) return r;  // climbs out of the root: never resolves
    found =
        lookup(path.find('/') == std::string::npos ? m_root_path : m_path, path, MatchRule::path);
  } else {
    // small: a miss costs little
    found = take(m_root_path.find(target, hash), MatchRule::path);
  }
  if (!found && !take(m_stem.find(target, hash), MatchRule::stem)) {
    // The other rules' keys go into buffers each thread keeps: no allocation per link.
    thread_local std::string lower, key;
    to_lower_ascii(target, lower);
    found = lookup(m_stem_ci, lower, MatchRule::stem_ci);
    if (!found) {
      slugify(target, key);
      // A slug equal to the target was just looked up as a stem.
      found = key != target && lookup(m_stem, key, MatchRule::slug);
    }
    if (!found) {
      loose_key(target, key);
      found = lookup(m_loose, key, MatchRule::loose) || lookup(m_alias, lower, MatchRule::alias);
    }
  } else {
    found = true;
  }
  if (!found) return r;
  if (r.candidates.size() == 1) {
    r.note = r.candidates[0];
  } else if (from >= 0) {
    const std::string& folder = m_notes[from].folder;
    int chosen = -1, count = 0;
    for (int c : r.candidates) {
      if (m_notes[c].folder == folder) chosen = c, ++count;
    }
    if (count == 1) r.note = chosen;
  }
  return r;
}

Resolver::Lookahead Resolver::lookahead(std::string_view raw_target) const {
  Lookahead a;
  a.target = without_md(trim(raw_target));
  if (!a.target.empty()) a.hash = NameIndex::hash(a.target);
  return a;
}

void Resolver::prefetch_slot(const Lookahead& a) const {
  if (!a.target.empty()) m_stem.prefetch_slot(a.hash);
}

void Resolver::prefetch_entry(const Lookahead& a) const {
  if (!a.target.empty()) m_stem.prefetch_entry(a.hash);
}

Resolution Resolver::resolve_link(const WikiLink& link, int from) const {
  return resolve_link(link, from, lookahead(link.target()));
}

Resolution Resolver::resolve_link(const WikiLink& link, int from, const Lookahead& a) const {
  if (a.target.empty() && link.fragment().empty()) return {};
  return resolve(a, from);
}

std::vector<std::string> Resolver::suggest(std::string_view target, std::size_t n) const {
  std::string key = loose_key(target);
  if (key.empty() || n == 0) return {};
  std::size_t max = std::max<std::size_t>(2, key.size() / 3);
  std::vector<std::pair<std::size_t, int>> best;  // (distance, note)
  m_loose.for_each([&](std::string_view k, std::span<const int> notes) {
    std::size_t d = edit_distance(key, k, max);
    if (d > max) return;
    for (int note : notes) best.emplace_back(d, note);
  });
  std::sort(best.begin(), best.end(), [&](const auto& a, const auto& b) {
    return a.first != b.first ? a.first < b.first : m_notes[a.second].path < m_notes[b.second].path;
  });
  std::vector<std::string> out;
  for (const auto& [d, note] : best) {
    const std::string& p = m_notes[note].path;
    if (std::find(out.begin(), out.end(), p) == out.end()) out.push_back(p);
    if (out.size() == n) break;
  }
  return out;
}

std::vector<std::pair<int, int>> backlinks(const KnowledgeBase& kb, const Resolver& resolver,
                                           int target) {
  std::vector<std::pair<int, int>> out;
  for (int i = 0; i < static_cast<int>(kb.notes.size()); ++i) {
    const auto& links = kb.notes[static_cast<std::size_t>(i)].links;
    for (int k = 0; k < static_cast<int>(links.size()); ++k) {
      if (resolver.resolve_link(links[static_cast<std::size_t>(k)], i).note == target) {
        out.emplace_back(i, k);
      }
    }
  }
  return out;
}

}  // namespace tkb
