#include "tkb/compact.hpp"

#include <algorithm>
#include <array>
#include <cstring>
#include <string>

#include "tkb/parse.hpp"
#include "tkb/resolve.hpp"  // NameIndex::hash
#include "tkb/scan.hpp"
#include "tkb/text.hpp"
#include "tkb/timestamp.hpp"

namespace tkb {

void TextInterner::grow() {
  std::vector<Slot> old = std::move(m_slots);
  m_slots.assign(old.empty() ? 1024 : old.size() * 2, Slot{});
  const std::size_t mask = m_slots.size() - 1;
  for (const Slot& s : old) {
    if (!s.data) continue;
    std::size_t i = NameIndex::hash(std::string_view(s.data, s.size)) & mask;
    while (m_slots[i].data) i = (i + 1) & mask;
    m_slots[i] = s;
  }
}

std::string_view TextInterner::intern(std::string_view text) {
  return intern(text, NameIndex::hash(text));
}

std::string_view TextInterner::intern(std::string_view text, std::uint64_t h) {
  if ((m_count + 1) * 2 > m_slots.size()) grow();
  const auto upper = static_cast<std::uint32_t>(h >> 32);
  const std::size_t mask = m_slots.size() - 1;
  for (std::size_t i = h & mask;; i = (i + 1) & mask) {
    Slot& s = m_slots[i];
    if (!s.data) {
      // An empty text has no stored bytes, but its slot must not look empty.
      s = {text.empty() ? "" : m_text.store(text).data(), static_cast<std::uint32_t>(text.size()),
           upper};
      ++m_count;
      return {s.data, s.size};
    }
    if (s.hash == upper && s.size == text.size() &&
        std::memcmp(s.data, text.data(), text.size()) == 0) {
      return {s.data, s.size};
    }
  }
}

std::vector<std::unique_ptr<char[]>> TextInterner::take_blocks() {
  m_slots.clear();
  m_count = 0;
  return m_text.take_blocks();
}

namespace {

// A note's names as may_name_note compares them, made once for all its links.
class OwnNames {
 public:
  explicit OwnNames(const Note& note) : m_note(note) {}
  bool may_be_named_by(std::string_view target) {
    target = trim(target);
    if (target.find('/') != std::string_view::npos) return true;  // a path: not worth the care
    if (target.size() > 3 && target.substr(target.size() - 3) == ".md") {
      target.remove_suffix(3);  // exactly as the resolver takes it: `[[.md]]` stays `.md`
    }
    if (m_names.empty()) {  // on first need: most notes have no link that needs it
      m_names.emplace_back();
      letters_and_digits(m_note.id, m_names.back());
      m_names.emplace_back();
      letters_and_digits(m_note.title, m_names.back());
      for (const std::string& a : m_note.aliases) {
        m_names.emplace_back();
        letters_and_digits(a, m_names.back());
      }
    }
    letters_and_digits(target, m_want);
    return std::find(m_names.begin(), m_names.end(), m_want) != m_names.end();
  }

 private:
  const Note& m_note;
  std::vector<std::string> m_names;  // of the id, the title, each alias
  std::string m_want;
};

}  // namespace

bool may_name_note(const Note& note, std::string_view target) {
  return OwnNames(note).may_be_named_by(target);
}

void compact_links(Note& note, int self, const PathResolver* paths, TextInterner& interner) {
  thread_local std::string stored;
  thread_local std::vector<PathResolver::Key> link_keys;
  if (paths) {
    // Every link's key first, its slot asked for: the lookups' cache misses then overlap.
    link_keys.clear();
    for (const WikiLink& l : note.links) {
      link_keys.push_back(paths->key(l.target()));
      paths->prefetch(link_keys.back());
    }
  }
  OwnNames own(note);
  std::size_t kept = 0;
  for (std::size_t k = 0; k < note.links.size(); ++k) {
    WikiLink& l = note.links[k];
    const std::string_view target = l.target(), fragment = l.fragment();
    const bool channel = static_cast<int>(k) == note.channel_link;
    if (paths && fragment.empty() && !channel) {
      if (int to = paths->sole_match(link_keys[k]); to >= 0 && to != self) {
        note.settled_links.push_back(to);
        continue;
      }
    }
    if (channel) note.channel_link = static_cast<int>(kept);
    if (!(l.compact || target.empty() || time_shaped(target) || own.may_be_named_by(target))) {
      // Else a finding may quote it whole: empty-link, timestamp-as-link, self-link.
      stored.assign(target);
      if (!fragment.empty()) stored.append(1, '#').append(fragment);
      // Most often the text is the key just hashed for the path rule: not hashed again.
      const bool hashed = paths && link_keys[k].target == std::string_view(stored);
      l.make_compact(hashed ? interner.intern(stored, link_keys[k].hash) : interner.intern(stored),
                     target.size());
    }
    if (kept != k) note.links[kept] = l;
    ++kept;
  }
  note.links.resize(kept);
  note.links.shrink_to_fit();
  note.settled_links.shrink_to_fit();
  // Headings: only the keys check compares fragments with, in a third of the room. The text
  // without markup has the same key unless the heading holds markup.
  if (!note.headings.empty()) {
    thread_local std::string keys, key, plain, plain_key;
    keys.clear();
    for (const Heading& h : note.headings) {
      loose_key(h.text, key);
      keys.append(key).append(1, '\n');
      if (!has_plain_text_markup(h.text)) continue;  // same key without markup
      plain.clear();
      append_plain_text(plain, h.text);
      loose_key(plain, plain_key);
      if (plain_key != key) keys.append(plain_key).append(1, '\n');
    }
    note.heading_keys = keys;  // into the pool below
    std::vector<Heading>().swap(note.headings);
    for (TimestampAnchor& a : note.anchors) a.heading = -1;  // under no heading kept
  }
  pack_pool(note);  // always: the note may come unpacked (ParseOptions::pack)
}

void settle_links(Note& note, int self, const PathResolver& paths) {
  thread_local std::vector<PathResolver::Key> link_keys;
  link_keys.clear();
  for (const WikiLink& l : note.links) {
    link_keys.push_back(paths.key(l.target()));
    paths.prefetch(link_keys.back());
  }
  std::size_t kept = 0;
  for (std::size_t k = 0; k < note.links.size(); ++k) {
    const WikiLink& l = note.links[k];
    const bool channel = static_cast<int>(k) == note.channel_link;
    if (l.fragment().empty() && !channel) {
      if (int to = paths.sole_match(link_keys[k]); to >= 0 && to != self) {
        note.settled_links.push_back(to);
        continue;
      }
    }
    if (channel) note.channel_link = static_cast<int>(kept);
    if (kept != k) note.links[kept] = l;
    ++kept;
  }
  note.links.resize(kept);
  note.links.shrink_to_fit();
  note.settled_links.shrink_to_fit();
}

void share_compact_links(Note& note, TextInterner& interner) {
  for (auto* list : {&note.links, &note.code_links}) {
    for (WikiLink& l : *list) {
      if (!l.compact) continue;
      const std::string_view stored = interner.intern(l.raw);
      const auto place = [&](std::string_view part) {
        if (part.empty()) return part;
        return stored.substr(static_cast<std::size_t>(part.data() - l.raw.data()), part.size());
      };
      const std::string_view target = place(l.target()), fragment = place(l.fragment()),
                             alias = place(l.alias());
      l.raw = stored;
      l.set_parts(target, fragment, alias);
    }
  }
}

}  // namespace tkb
