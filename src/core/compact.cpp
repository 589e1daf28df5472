#include "tkb/compact.hpp"

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
  if ((m_count + 1) * 2 > m_slots.size()) grow();
  const std::uint64_t h = NameIndex::hash(text);
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

// The ASCII letters and digits of `s`, lower-cased, into `out`: what the resolution rules
// that reach a note by name keep of a target (each rule ignores at most case, punctuation,
// spaces and other characters, and none ignores a letter or digit).
void letters_and_digits(std::string_view s, std::string& out) {
  out.clear();
  for (char c : s) {
    if (c >= 'A' && c <= 'Z')
      out += static_cast<char>(c - 'A' + 'a');
    else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
      out += c;
  }
}

}  // namespace

bool may_name_note(const Note& note, std::string_view target) {
  target = trim(target);
  if (target.find('/') != std::string_view::npos) return true;  // a path: not worth the care
  if (target.size() > 3 && target.substr(target.size() - 3) == ".md") {
    target.remove_suffix(3);  // exactly as the resolver takes it: `[[.md]]` stays `.md`
  }
  thread_local std::string want, name;
  letters_and_digits(target, want);
  auto same = [&](std::string_view s) {
    letters_and_digits(s, name);
    return name == want;
  };
  if (same(note.id) || same(note.title)) return true;
  for (const std::string& a : note.aliases) {
    if (same(a)) return true;
  }
  return false;
}

void compact_links(Note& note, int self, const PathResolver* paths, TextInterner& interner) {
  thread_local std::string stored;
  bool changed = false;
  std::size_t kept = 0;
  for (std::size_t k = 0; k < note.links.size(); ++k) {
    WikiLink& l = note.links[k];
    const std::string_view target = l.target(), fragment = l.fragment();
    const bool channel = static_cast<int>(k) == note.channel_link;
    if (paths && fragment.empty() && !channel) {
      if (int to = paths->sole_match(target); to >= 0 && to != self) {
        note.settled_links.push_back(to);
        changed = true;
        continue;
      }
    }
    if (channel) note.channel_link = static_cast<int>(kept);
    if (!(l.compact || target.empty() || time_shaped(target) || may_name_note(note, target))) {
      // Else a finding may quote it whole: empty-link, timestamp-as-link, self-link.
      stored.assign(target);
      if (!fragment.empty()) stored.append(1, '#').append(fragment);
      l.make_compact(interner.intern(stored), target.size());
      changed = true;
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
      if (h.text.find_first_of("[<*`_") == std::string_view::npos) continue;
      plain.clear();
      append_plain_text(plain, h.text);
      loose_key(plain, plain_key);
      if (plain_key != key) keys.append(plain_key).append(1, '\n');
    }
    note.heading_keys = keys;  // into the pool below
    std::vector<Heading>().swap(note.headings);
    for (TimestampAnchor& a : note.anchors) a.heading = -1;  // under no heading kept
    changed = true;
  }
  if (changed) pack_pool(note);
}

}  // namespace tkb
