#include "tkb/check.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <cstdio>
#include <iterator>
#include <map>
#include <set>
#include <unordered_map>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "tkb/parallel.hpp"
#include "tkb/scan.hpp"
#include "tkb/text.hpp"
#include "tkb/timestamp.hpp"

namespace tkb {

const std::vector<RuleInfo>& all_rules() {
  static const std::vector<RuleInfo> rules = {
      // Links
      {"broken-link", Severity::error,
       "a wikilink whose target matches no note (with the nearest note names)"},
      {"ambiguous-link", Severity::warning,
       "a wikilink that matches several notes, none of them alone in the linking note's folder"},
      {"empty-link", Severity::warning,
       "a wikilink with nothing to link to, such as [[ ]] or [[ | text]]"},
      {"self-link", Severity::warning, "a wikilink from a note to itself, without a #heading"},
      {"heading-not-found", Severity::warning,
       "a [[note#Heading]] link to a heading the note does not have"},
      {"block-not-found", Severity::warning,
       "a [[note#^id]] link to a block id the note does not have"},
      {"malformed-link", Severity::warning,
       "wikilink markup that does not parse as meant: unclosed '[[', a link inside a link, "
       "several '|', an unescaped '|' in a table row, prompt text left in the target"},
      {"link-in-code", Severity::info,
       "a wikilink inside code or an HTML comment, which shows as text, not as a link"},
      {"non-canonical-link", Severity::info,
       "a wikilink that reaches its note only by ignoring case or punctuation"},
      // Timestamps
      {"invalid-timestamp", Severity::error,
       "a timestamp link whose data-t is not a time (a field of 60 or more, not numeric, a "
       "placeholder)"},
      {"timestamp-label-mismatch", Severity::warning,
       "a timestamp link whose visible label is not the time it links to (info when it is the "
       "same instant written differently)"},
      {"timestamp-as-link", Severity::error,
       "a time written as a wikilink, [[00:12:34]], which links to a note that does not exist"},
      {"bare-timestamp", Severity::warning,
       "a [00:12:34] in the text (or a Markdown link) that is not a link to the video"},
      {"malformed-anchor", Severity::warning,
       "timestamp link markup not in the usual form, unclosed, without data-t or label"},
      {"suspect-minutes", Severity::warning,
       "a note whose timestamps look like MM:SS written as HH:MM:00: nearly all end in :00 and "
       "some pass an hour"},
      {"timestamp-beyond-duration", Severity::warning,
       "a timestamp past the end of the video (front-matter duration or --durations)"},
      {"invalid-duration", Severity::warning,
       "a front-matter duration that is not seconds or HH:MM:SS"},
      // Notes
      {"yaml-error", Severity::error,
       "front matter that is not valid YAML, not a mapping, never closed, or repeats a key"},
      {"no-front-matter", Severity::warning, "a topic note without front matter"},
      {"missing-title", Severity::warning, "a note whose front matter has no title"},
      {"missing-video-id", Severity::error, "a topic note whose front matter has no videoId"},
      {"invalid-video-id", Severity::error,
       "a videoId that is not 11 characters of letters, digits, '-' and '_'"},
      {"missing-key", Severity::warning,
       "a topic note without a front-matter key that .tkb.yaml requires"},
      {"missing-source", Severity::warning, "a topic note without a From: [[channel]] line"},
      {"source-mismatch", Severity::warning,
       "a From: [[channel]] line that names another channel than the note's folder"},
      {"wrapped-in-code-fence", Severity::warning,
       "the whole article inside a ```markdown code fence, so nothing in it renders"},
      {"unclosed-code-fence", Severity::error,
       "a code fence that is never closed: the rest of the note shows as code"},
      {"generator-leftover", Severity::warning,
       "text generator chatter such as \"Here is the article with backlinks:\""},
      {"no-timestamps", Severity::warning, "a topic note that cites no moment of its video"},
      {"invisible-characters", Severity::warning,
       "zero-width characters or bidi controls in a note's text or file path"},
      {"invalid-utf8", Severity::warning, "bytes that are not valid UTF-8"},
      // Knowledge base
      {"duplicate-stem", Severity::warning,
       "the same file name in several folders: links by name reach only one of them"},
      {"case-collision", Severity::warning,
       "paths that differ only by letter case, which collide on macOS and Windows"},
      {"orphan-note", Severity::info, "a topic note that no other note links to"},
      {"unlinked-from-channel", Severity::warning,
       "a topic note that its channel's index page does not list"},
      // Files
      {"binary-content", Severity::error, "a .md file holding NUL bytes: a binary file, not read"},
      {"unreadable-file", Severity::error, "a note or folder that cannot be read"},
      {"skipped-file", Severity::info,
       "a symbolic link, which tkb does not follow, or a .md that is not a regular file"},
  };
  return rules;
}

const RuleInfo* find_rule(std::string_view name) {
  // Every finding looks up its rule: a hash table, not a walk along forty names.
  static const std::unordered_map<std::string_view, const RuleInfo*> by_name = [] {
    std::unordered_map<std::string_view, const RuleInfo*> m;
    for (const RuleInfo& r : all_rules()) m.emplace(r.name, &r);
    return m;
  }();
  auto it = by_name.find(name);
  return it == by_name.end() ? nullptr : it->second;
}

namespace {

bool valid_video_id(std::string_view id) {
  if (id.size() != 11) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_';
  });
}

std::string_view last_component(std::string_view folder) {
  std::size_t slash = folder.rfind('/');
  return slash == std::string_view::npos ? folder : folder.substr(slash + 1);
}

std::string invisible_in(std::string_view s) {
  for (std::size_t i = 0; i + 2 < s.size(); ++i) {
    auto u0 = static_cast<unsigned char>(s[i]), u1 = static_cast<unsigned char>(s[i + 1]),
         u2 = static_cast<unsigned char>(s[i + 2]);
    if (u0 == 0xE2 && ((u1 == 0x80 && ((u2 >= 0x8B && u2 <= 0x8F) || (u2 >= 0xAA && u2 <= 0xAE))) ||
                       (u1 == 0x81 && (u2 == 0xA0 || (u2 >= 0xA6 && u2 <= 0xA9))))) {
      char buf[16];
      unsigned cp = ((u0 & 0x0Fu) << 12) | ((u1 & 0x3Fu) << 6) | (u2 & 0x3Fu);
      std::snprintf(buf, sizeof buf, "U+%04X", cp);
      return buf;
    }
  }
  return {};
}

// The link as written, for a finding that quotes it. compact_links keeps every link such a
// finding can quote whole (an empty, time-shaped or possibly self-naming target); the tests
// that load every check case both ways prove it, an assert would not (NDEBUG in every build).
std::string_view written(const WikiLink& l) {
  return l.raw;
}

// Whether `lines` (each line ended by '\n') has one that is exactly `line`.
bool has_line(std::string_view lines, std::string_view line) {
  for (std::size_t at = 0; at < lines.size();) {
    const std::size_t end = lines.find('\n', at);
    if (end == std::string_view::npos) break;
    if (lines.substr(at, end - at) == line) return true;
    at = end + 1;
  }
  return false;
}

bool is_binary(const Note& n) {
  return std::any_of(n.diagnostics.begin(), n.diagnostics.end(),
                     [](const Diagnostic& d) { return d.rule == "binary-content"; });
}

bool suppressed(const Note& n, const Diagnostic& d) {
  for (const Suppression& s : n.suppressions) {
    bool where = s.line == 0 || s.line == d.pos.line || s.also_line == d.pos.line;
    if (where &&
        (s.rules.empty() || std::find(s.rules.begin(), s.rules.end(), d.rule) != s.rules.end())) {
      return true;
    }
  }
  return false;
}

std::string join(const std::vector<std::string>& v) {
  std::string out;
  for (const std::string& s : v) out += (out.empty() ? "" : ", ") + s;
  return out;
}

char lower_ascii(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

// Byte order of the two strings with ASCII letters lower-cased.
int compare_ignoring_case(std::string_view a, std::string_view b) {
  for (std::size_t i = 0; i < a.size() && i < b.size(); ++i) {
    unsigned char x = static_cast<unsigned char>(lower_ascii(a[i]));
    unsigned char y = static_cast<unsigned char>(lower_ascii(b[i]));
    if (x != y) return x < y ? -1 : 1;
  }
  return a.size() == b.size() ? 0 : a.size() < b.size() ? -1 : 1;
}

// Notes that share something with other notes (a file name, a path but for case): the
// groups of two or more, and each note's group.
struct Groups {
  std::vector<std::vector<int>> groups;  // each ascending
  std::vector<int> group_of;             // note -> index into groups, or -1
  const std::vector<int>* of(int note) const {
    int g = group_of[static_cast<std::size_t>(note)];
    return g < 0 ? nullptr : &groups[static_cast<std::size_t>(g)];
  }
};

// Add the group `members` (ascending, two or more).
void add_group(Groups& g, std::vector<int> members) {
  for (int m : members) g.group_of[static_cast<std::size_t>(m)] = static_cast<int>(g.groups.size());
  g.groups.push_back(std::move(members));
}

// Notes sharing a file stem, and notes whose paths differ only by ASCII case (their stems
// then differ only by case too): groups the resolver's stem indexes already hold, so no
// sorting of every name.
void group_names(const KnowledgeBase& kb, const Resolver& resolver, Groups& same_stem,
                 Groups& same_case) {
  const std::size_t n = kb.notes.size();
  same_stem.group_of.assign(n, -1);
  same_case.group_of.assign(n, -1);
  std::string lower;
  for (std::size_t i = 0; i < n; ++i) {
    const Note& note = kb.notes[i];
    std::span<const int> stem = resolver.notes_with_stem(note.id);
    if (stem.size() > 1 && stem[0] == static_cast<int>(i)) {
      add_group(same_stem, std::vector<int>(stem.begin(), stem.end()));
    }
    if (same_case.group_of[i] >= 0) continue;
    to_lower_ascii(note.id, lower);
    std::span<const int> ci = resolver.notes_with_lower_stem(lower);
    if (ci.size() < 2) continue;
    std::vector<int> members;
    for (int j : ci) {
      if (compare_ignoring_case(note.path, kb.notes[static_cast<std::size_t>(j)].path) == 0) {
        members.push_back(j);
      }
    }
    // i is the first of its group: the ones before it were grouped when they came.
    if (members.size() > 1) add_group(same_case, std::move(members));
  }
}

// A link's resolution as check keeps it, one per link of the knowledge base.
struct Resolved {
  int note = -1;
  MatchRule rule = MatchRule::none;
  bool ambiguous = false;
};

class Checker {
 public:
  struct Scratch;
  Checker(const KnowledgeBase& kb, const Resolver& resolver, const CheckConfig& config,
          unsigned jobs)
      : m_kb(kb),
        m_resolver(resolver),
        m_config(config),
        m_incoming(kb.notes.size()),
        m_listed(kb.notes.size()),
        m_index_page(kb.notes.size(), -1),
        m_link_begin(kb.notes.size() + 1, 0),
        m_is_index(kb.notes.size(), 0) {
    const std::size_t n = kb.notes.size();
    constexpr std::size_t kChunk = 256;
    const std::size_t chunks = (n + kChunk - 1) / kChunk;
    // Channel index pages (`chan/chan.md`, named like their folder) and pages at the root
    // are not topic notes: they carry no videoId. A key per note, made on every core (on one,
    // it left the other idle for 30 ms at 100,000 notes). Notes come in path order, so a
    // folder's notes mostly follow one another: the key of its name is made once per run.
    parallel_for(chunks, jobs, [&](std::size_t chunk) {
      const std::string* folder = nullptr;
      std::string folder_key, stem_key;
      for (std::size_t i = chunk * kChunk; i < std::min(n, (chunk + 1) * kChunk); ++i) {
        const Note& note = kb.notes[i];
        if (note.folder.empty()) {
          m_is_index[i] = 1;
          continue;
        }
        if (!folder || note.folder != *folder) {
          folder = &note.folder;
          loose_key(last_component(note.folder), folder_key);
        }
        loose_key(note.id, stem_key);
        m_is_index[i] = folder_key == stem_key;
      }
    });
    std::unordered_map<std::string_view, int> index_of_folder;
    // A folder's list is looked up once per run of its notes, not once per note.
    const std::string* folder = nullptr;
    std::vector<int>* folder_notes = nullptr;
    for (std::size_t i = 0; i < n; ++i) {
      const Note& note = kb.notes[i];
      if (!folder || note.folder != *folder) {
        folder = &note.folder;
        folder_notes = &m_folder_notes[note.folder];
      }
      folder_notes->push_back(static_cast<int>(i));
      if (!note.folder.empty() && m_is_index[i]) {
        index_of_folder.emplace(note.folder, static_cast<int>(i));
      }
      m_link_begin[i + 1] = m_link_begin[i] + note.links.size();
    }
    folder = nullptr;
    int page = -1;
    for (std::size_t i = 0; i < n; ++i) {
      if (!folder || kb.notes[i].folder != *folder) {
        folder = &kb.notes[i].folder;
        auto it = index_of_folder.find(*folder);
        page = it == index_of_folder.end() ? -1 : it->second;
      }
      m_index_page[i] = page;
    }
    // Every link resolved once, on every core: the knowledge-base rules need all incoming
    // links counted before any note's findings are made. The name groups are one more piece
    // of the same work, first so that it overlaps with the links.
    m_resolved.resize(m_link_begin[n]);
    parallel_for(1 + chunks, jobs, [&](std::size_t piece) {
      if (piece == 0) {
        group_names(kb, resolver, m_same_stem, m_same_case);
        return;
      }
      const std::size_t chunk = piece - 1;
      const std::size_t first = chunk * kChunk, last = std::min(n, (chunk + 1) * kChunk);
      // Links settled while loading (LoadOptions::compact_links): each reaches another note.
      for (std::size_t i = first; i < last; ++i) {
        for (int to : kb.notes[i].settled_links) count_link(i, to);
      }
      // The chunk's links in a row, each lookup's slot asked for kAhead links ahead and its
      // entry half as far: the misses of a name index larger than the cache overlap.
      constexpr std::size_t kAhead = 16, kRing = 32;
      const std::size_t begin = m_link_begin[first], end = m_link_begin[last];
      std::array<Resolver::Lookahead, kRing> ahead;
      std::size_t note_of = first;  // the note of link `at`, walking forward
      auto link_at = [&](std::size_t at, std::size_t& i) -> const WikiLink& {
        while (m_link_begin[i + 1] <= at) ++i;
        return kb.notes[i].links[at - m_link_begin[i]];
      };
      std::size_t note_ahead = first;
      for (std::size_t at = begin; at < std::min(end, begin + kAhead); ++at) {
        ahead[at % kRing] = resolver.lookahead(link_at(at, note_ahead).target());
        resolver.prefetch_slot(ahead[at % kRing]);
      }
      for (std::size_t at = begin; at < end; ++at) {
        if (at + kAhead < end) {
          Resolver::Lookahead& a = ahead[(at + kAhead) % kRing];
          a = resolver.lookahead(link_at(at + kAhead, note_ahead).target());
          resolver.prefetch_slot(a);
        }
        if (at + kAhead / 2 < end) resolver.prefetch_entry(ahead[(at + kAhead / 2) % kRing]);
        const WikiLink& link = link_at(at, note_of);
        const std::size_t i = note_of;
        Resolution r = resolver.resolve_link(link, static_cast<int>(i), ahead[at % kRing]);
        m_resolved[at] = {r.note, r.rule, r.ambiguous()};
        if (r.note >= 0 && static_cast<std::size_t>(r.note) != i) count_link(i, r.note);
      }
    });
  }

  // A link from note `from` to another note `to`, on any thread.
  void count_link(std::size_t from, int to) {
    m_incoming[to].fetch_add(1, std::memory_order_relaxed);
    if (m_index_page[to] == static_cast<int>(from)) {
      m_listed[to].store(true, std::memory_order_relaxed);
    }
  }

  // Pass 1, for any note on any thread: everything that concerns one note and its links.
  void check_note(int i, std::vector<Diagnostic>& out, Scratch& scratch) {
    const Note& n = m_kb.notes[i];
    out.insert(out.end(), n.diagnostics.begin(), n.diagnostics.end());
    auto add = [&](Position pos, const char* rule, std::string message) {
      out.push_back({n.path, pos, find_rule(rule)->severity, rule, std::move(message)});
    };
    if (is_binary(n)) return;
    bool topic = !m_is_index[static_cast<std::size_t>(i)];
    check_front_matter(n, topic, add);
    if (topic) check_source(n, add);
    if (topic && n.anchor_count == 0 && !n.wrapped_in_fence) {
      add({}, "no-timestamps", "the note cites no moment of its video: it has no timestamp links");
    }
    if (std::string cp = invisible_in(n.path); !cp.empty()) {
      add({}, "invisible-characters",
          "the file path holds the invisible character " + cp + ", so typed links miss it");
    }
    if (auto d = m_config.durations.find(n.video_id);
        d != m_config.durations.end() && !n.duration) {
      for (const TimestampAnchor& a : n.anchors) {
        if (a.seconds && *a.seconds > d->second) {
          add(a.pos, "timestamp-beyond-duration",
              "timestamp " + format_hms(*a.seconds) + " is past the end of the video (" +
                  format_hms(d->second) + ")");
        }
      }
    }
    for (std::size_t k = 0; k < n.links.size(); ++k) {
      check_link(i, n.links[k], m_resolved[m_link_begin[i] + k], add, scratch);
    }
    if (!n.wrapped_in_fence) {
      for (const WikiLink& l : n.code_links) {
        add(l.pos, "link-in-code",
            std::string(l.raw) + " is inside code, so it shows as text, not as a link");
      }
    }
  }

  // The knowledge-base rules for note i: names shared with other notes, links to it.
  void check_in_knowledge_base(int i, std::vector<Diagnostic>& out) const {
    const Note& n = m_kb.notes[i];
    if (is_binary(n)) return;
    auto add = [&](const char* rule, std::string message) {
      out.push_back({n.path, {}, find_rule(rule)->severity, rule, std::move(message)});
    };
    auto others = [&](const std::vector<int>& same) {
      std::vector<std::string> paths;
      for (int j : same) {
        if (j != i) paths.push_back(m_kb.notes[j].path);
      }
      return join(paths);
    };
    if (const std::vector<int>* same_stem = m_same_stem.of(i)) {
      add("duplicate-stem", "the file name " + n.id + ".md is also used by " + others(*same_stem) +
                                ": a link by name reaches only one of them");
    }
    if (const std::vector<int>* same_case = m_same_case.of(i)) {
      add("case-collision", "the path differs only by letter case from " + others(*same_case) +
                                ": they collide on macOS and Windows");
    }
    if (m_is_index[static_cast<std::size_t>(i)]) return;
    if (m_incoming[i].load() == 0) add("orphan-note", "no other note links to this note");
    if (m_index_page[i] >= 0 && !m_listed[i].load()) {
      add("unlinked-from-channel", "the channel index page " + m_kb.notes[m_index_page[i]].path +
                                       " does not list this note");
    }
  }

 private:
  template <typename Add>
  void check_front_matter(const Note& n, bool topic, const Add& add) {
    if (!n.front_matter.present) {
      if (topic)
        add({}, "no-front-matter", "the note has no front matter (no title, no videoId)");
      else
        add({}, "missing-title", "the note has no front matter, so no title");
      return;
    }
    const FrontMatterEntry* title = n.front_matter.find("title");
    if (!title || trim(title->value).empty()) {
      add(title ? title->pos : Position{}, "missing-title",
          title ? "front-matter title is empty" : "front matter has no title");
    }
    if (!topic) return;
    const FrontMatterEntry* vid = n.front_matter.find("videoId");
    if (!vid || trim(vid->value).empty()) {
      add(vid ? vid->pos : Position{}, "missing-video-id",
          vid ? "front-matter videoId is empty" : "front matter has no videoId");
    } else if (!valid_video_id(vid->value)) {
      add(vid->pos, "invalid-video-id",
          "videoId \"" + vid->value + "\" is not 11 characters of A-Z, a-z, 0-9, '-' and '_'");
    }
    for (const std::string& key : m_config.required_keys) {
      if (!n.front_matter.find(key)) {
        add({}, "missing-key", "front matter has no '" + key + "', which .tkb.yaml requires");
      }
    }
  }

  template <typename Add>
  void check_source(const Note& n, const Add& add) {
    if (n.channel_link < 0) {
      add({}, "missing-source", "the note has no From: [[channel]] line naming its channel");
      return;
    }
    std::string_view folder = last_component(n.folder);
    if (n.channel == folder) return;
    const WikiLink& l = n.links[static_cast<std::size_t>(n.channel_link)];
    bool case_only = to_lower_ascii(n.channel) == to_lower_ascii(folder);
    add(l.pos, "source-mismatch",
        "From: [[" + n.channel + "]] names another channel than the folder '" +
            std::string(folder) + "'" + (case_only ? " (they differ only by letter case)" : ""));
  }

  template <typename Add>
  void check_link(int i, const WikiLink& l, const Resolved& resolved, const Add& add,
                  Scratch& scratch) {
    const Note& n = m_kb.notes[i];
    if (l.target().empty() && l.fragment().empty()) {
      add(l.pos, "empty-link", "link " + std::string(written(l)) + " has no target");
      return;
    }
    if (resolved.ambiguous) {
      Resolution r = m_resolver.resolve_link(l, i);  // again, for its candidates: rare
      std::vector<std::string> paths;
      for (int c : r.candidates) paths.push_back(m_kb.notes[c].path);
      add(l.pos, "ambiguous-link",
          "link target \"" + std::string(l.target()) + "\" matches " +
              std::to_string(r.candidates.size()) + " notes (" + join(paths) +
              "), none of them alone in this note's folder");
      return;
    }
    if (resolved.note < 0) {
      if (time_shaped(l.target())) {
        add(l.pos, "timestamp-as-link",
            std::string(written(l)) +
                " is a wikilink to a time, not a link to the video; write a "
                "yt-timestamp link");
        return;
      }
      std::string key = n.folder + '\n' + std::string(l.target());
      auto it = scratch.suggestions.find(key);
      if (it == scratch.suggestions.end()) {
        it = scratch.suggestions.emplace(key, did_you_mean(i, l.target(), scratch)).first;
      }
      add(l.pos, "broken-link",
          "link target \"" + std::string(l.target()) + "\" matches no note" + it->second);
      return;
    }
    const Note& target = m_kb.notes[resolved.note];
    const MatchRule rule = resolved.rule;
    if (resolved.note == i && rule != MatchRule::self && l.fragment().empty()) {
      add(l.pos, "self-link", "link " + std::string(written(l)) + " points to the note itself");
    }
    if (rule == MatchRule::stem_ci || rule == MatchRule::slug || rule == MatchRule::loose) {
      add(l.pos, "non-canonical-link",
          "link target \"" + std::string(l.target()) + "\" reaches " + target.path + " only by " +
              (rule == MatchRule::stem_ci ? "ignoring case"
               : rule == MatchRule::slug  ? "the file-name rule"
                                          : "ignoring case and punctuation") +
              "; its exact name is [[" + target.id + "]]");
    }
    if (!l.fragment().empty() && l.fragment()[0] == '^') {
      std::string_view id = l.fragment().substr(1);
      if (std::find(target.block_ids.begin(), target.block_ids.end(), id) ==
          target.block_ids.end()) {
        add(l.pos, "block-not-found", "block ^" + std::string(id) + " is not in " + target.path);
      }
    } else if (!l.fragment().empty()) {
      std::string want = loose_key(l.fragment());
      bool found =
          std::any_of(target.headings.begin(), target.headings.end(),
                      [&](const Heading& h) {
                        return loose_key(h.text) == want || loose_key(plain_text(h.text)) == want;
                      }) ||
          has_line(target.heading_keys, want);  // loaded compact: the same keys, made before
      if (!found) {
        add(l.pos, "heading-not-found",
            "heading \"" + std::string(l.fragment()) + "\" is not in " + target.path);
      }
    }
  }

  // "; did you mean a, b?" from the nearest names in the linking note's folder. Links across
  // folders are rare (147 of 129,000 in the real corpus), and searching every name for every
  // broken target would cost more than the whole check (`tkb resolve` does search them all).
  std::string did_you_mean(int from, std::string_view target, Scratch& scratch) const {
    std::string key = loose_key(target);
    if (key.size() < 4) return {};  // too short for a suggestion to mean anything
    std::size_t max = std::max<std::size_t>(2, key.size() / 4);
    Letters letters(key);
    std::vector<std::pair<std::size_t, int>> best;
    for (const FolderNote& c : folder_names(m_kb.notes[from].folder, scratch)) {
      std::size_t d = max + 1;
      for (const NameKey& name : c.names) {
        // Most names differ in their letters by more than `max`: skip the edit distance.
        if (name.key.empty() || letters.half_difference(name.letters) > max ||
            letters.distance_bound(name.letters) > max) {
          continue;
        }
        d = std::min(d, edit_distance(key, name.key, max));
      }
      if (d <= max) best.emplace_back(d, c.note);
    }
    if (best.empty()) return {};
    std::sort(best.begin(), best.end());
    std::vector<std::string> names;
    for (std::size_t k = 0; k < best.size() && k < 3; ++k) {
      names.push_back("[[" + m_kb.notes[best[k].second].id + "]]");
    }
    return "; did you mean " + join(names) + "?";
  }

  // Letter counts of a loose key: how much they differ is a lower bound of the edit distance,
  // and costs 37 steps instead of a table.
  struct alignas(16) Letters {
    std::array<std::uint8_t, 48> count{};  // a-z, 0-9, anything else; the rest stays 0
    explicit Letters(std::string_view key) {
      for (char ch : key) {
        std::size_t k = ch >= 'a' && ch <= 'z'   ? static_cast<std::size_t>(ch - 'a')
                        : ch >= '0' && ch <= '9' ? 26 + static_cast<std::size_t>(ch - '0')
                                                 : 36;
        if (count[k] < 255) ++count[k];
      }
    }
    std::size_t distance_bound(const Letters& o) const {
      std::size_t more = 0, fewer = 0;
      for (std::size_t k = 0; k < count.size(); ++k) {
        if (count[k] > o.count[k])
          more += count[k] - o.count[k];
        else
          fewer += o.count[k] - count[k];
      }
      return std::max(more, fewer);
    }
    // Half the sum of the differences: at most distance_bound(), and a few instructions.
    std::size_t half_difference(const Letters& o) const {
      std::size_t total = 0;
#if defined(__SSE2__)
      __m128i sum = _mm_setzero_si128();
      for (std::size_t k = 0; k < count.size(); k += 16) {
        __m128i a = _mm_load_si128(reinterpret_cast<const __m128i*>(count.data() + k));
        __m128i b = _mm_load_si128(reinterpret_cast<const __m128i*>(o.count.data() + k));
        sum = _mm_add_epi64(sum, _mm_sad_epu8(a, b));
      }
      total = static_cast<std::size_t>(_mm_cvtsi128_si64(sum)) +
              static_cast<std::size_t>(_mm_cvtsi128_si64(_mm_unpackhi_epi64(sum, sum)));
#else
      for (std::size_t k = 0; k < count.size(); ++k) {
        total += count[k] > o.count[k] ? count[k] - o.count[k] : o.count[k] - count[k];
      }
#endif
      return (total + 1) / 2;
    }
  };
  struct NameKey {
    std::string key;
    Letters letters;
  };
  struct FolderNote {
    int note;
    std::vector<NameKey> names;  // loose keys of its stem and title
  };

 public:
  // What findings() keeps from note to note of one run of notes: the suggestions made, and
  // the names of the folders searched for them. Made when a broken link first needs them,
  // not for every note up front: most folders never need them, and a knowledge base of
  // 100,000 notes held 25 MB of them.
  struct Scratch {
    std::unordered_map<std::string, std::string> suggestions;  // folder '\n' target -> text
    std::unordered_map<std::string_view, std::vector<FolderNote>> folders;
  };

 private:
  const std::vector<FolderNote>& folder_names(const std::string& folder, Scratch& scratch) const {
    auto [it, added] = scratch.folders.try_emplace(folder);
    if (added) {
      for (int c : m_folder_notes.at(folder)) {
        const Note& note = m_kb.notes[static_cast<std::size_t>(c)];
        FolderNote& f = it->second.emplace_back(FolderNote{c, {}});
        std::string stem = loose_key(note.id);
        f.names.push_back({stem, Letters(stem)});
        if (std::string title = loose_key(note.title); !title.empty() && title != stem) {
          f.names.push_back({title, Letters(title)});
        }
      }
    }
    return it->second;
  }

  const KnowledgeBase& m_kb;
  const Resolver& m_resolver;
  const CheckConfig& m_config;
  Groups m_same_stem, m_same_case;
  std::vector<std::atomic<std::uint32_t>> m_incoming;  // links from other notes
  std::vector<std::atomic<bool>> m_listed;             // linked from its channel index
  std::vector<int> m_index_page;                       // the index page of the note's folder
  std::unordered_map<std::string, std::vector<int>> m_folder_notes;
  std::vector<std::size_t> m_link_begin;  // note i's links are m_resolved[m_link_begin[i]...]
  std::vector<Resolved> m_resolved;
  std::vector<char> m_is_index;  // a channel index page or a root page, not a topic note
};

}  // namespace

struct CheckRun::Impl {
  Impl(const KnowledgeBase& kb_, const Resolver& resolver, const CheckConfig& config_,
       unsigned jobs)
      : kb(kb_), config(config_), checker(kb_, resolver, config, jobs) {}
  const KnowledgeBase& kb;
  const CheckConfig config;  // a copy: the caller's may be a temporary
  Checker checker;

  // Configured severities and ignore globs; false when the finding is dropped.
  bool keep(Diagnostic& d) const {
    if (auto it = config.severity.find(d.rule); it != config.severity.end()) {
      if (!it->second) return false;  // rule switched off
      d.severity = *it->second;
    }
    return std::none_of(config.ignore.begin(), config.ignore.end(),
                        [&](const std::string& g) { return glob_match(g, d.path); });
  }
};

CheckRun::CheckRun(const KnowledgeBase& kb, const Resolver& resolver, const CheckConfig& config,
                   unsigned jobs)
    : m_impl(std::make_unique<Impl>(kb, resolver, config, jobs)) {}

CheckRun::~CheckRun() = default;

std::size_t CheckRun::note_count() const {
  return m_impl->kb.notes.size();
}

std::vector<Diagnostic> CheckRun::findings(std::size_t begin, std::size_t end) const {
  const KnowledgeBase& kb = m_impl->kb;
  end = std::min(end, kb.notes.size());
  std::vector<Diagnostic> out;
  std::vector<Diagnostic> note;
  Checker::Scratch scratch;
  for (std::size_t i = begin; i < end; ++i) {
    note.clear();
    m_impl->checker.check_note(static_cast<int>(i), note, scratch);
    m_impl->checker.check_in_knowledge_base(static_cast<int>(i), note);
    // Every finding here has the note's path, and notes come in path order: sorting each
    // note's own findings sorts them all, without comparing paths.
    const std::size_t first = out.size();
    for (Diagnostic& d : note) {
      if (!suppressed(kb.notes[i], d) && m_impl->keep(d)) out.push_back(std::move(d));
    }
    std::sort(out.begin() + static_cast<std::ptrdiff_t>(first), out.end(), diagnostic_less_in_file);
  }
  const std::size_t from_notes = out.size();
  // The problems met loading files that are not notes, where their paths sort among these
  // notes: the first range also takes those before every note, the last those after.
  for (const Diagnostic& d : kb.diagnostics) {
    bool after_begin = begin == 0 || (begin < kb.notes.size() && kb.notes[begin].path <= d.path);
    bool before_end = end >= kb.notes.size() || d.path < kb.notes[end].path;
    if (after_begin && before_end) {
      Diagnostic copy = d;
      if (m_impl->keep(copy)) out.push_back(std::move(copy));
    }
  }
  if (out.size() != from_notes) {  // loading problems to place among the notes' findings
    std::sort(out.begin() + static_cast<std::ptrdiff_t>(from_notes), out.end(), diagnostic_less);
    std::inplace_merge(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(from_notes),
                       out.end(), diagnostic_less);
  }
  return out;
}

std::vector<Diagnostic> run_checks(const KnowledgeBase& kb, const Resolver& resolver,
                                   const CheckConfig& config) {
  return CheckRun(kb, resolver, config).findings(0, kb.notes.size());
}

std::vector<MissingTarget> missing_targets(const KnowledgeBase& kb, const Resolver& resolver,
                                           std::size_t limit, const std::vector<std::string>& only,
                                           const std::vector<std::string>& skip) {
  // Grouped by loose key, so `Foo bar` and `foo_bar` count as one missing note.
  struct Group {
    std::map<std::string, int> spellings;
    int links = 0;
    std::set<int> notes;
  };
  auto any_glob = [](const std::vector<std::string>& globs, const std::string& path) {
    return std::any_of(globs.begin(), globs.end(),
                       [&](const std::string& g) { return glob_match(g, path); });
  };
  std::map<std::string, Group> groups;
  for (int i = 0; i < static_cast<int>(kb.notes.size()); ++i) {
    const Note& n = kb.notes[i];
    if ((!only.empty() && !any_glob(only, n.path)) || any_glob(skip, n.path)) continue;
    for (const WikiLink& l : n.links) {
      if (l.target().empty()) continue;
      Resolution r = resolver.resolve_link(l, i);
      if (r.resolved() || r.ambiguous()) continue;
      // A target with no letters or digits (`[[???]]`) has an empty loose key: it stays a
      // group of its own rather than joining every other such target.
      std::string key = loose_key(l.target());
      if (key.empty()) key = "\x01" + std::string(l.target());
      Group& g = groups[key];
      ++g.spellings[std::string(l.target())];
      ++g.links;
      g.notes.insert(i);
    }
  }
  std::vector<MissingTarget> out;
  for (auto& [key, g] : groups) {
    auto best = std::max_element(g.spellings.begin(), g.spellings.end(),
                                 [](const auto& a, const auto& b) { return a.second < b.second; });
    out.push_back({best->first, g.links, static_cast<int>(g.notes.size())});
  }
  std::sort(out.begin(), out.end(), [](const MissingTarget& a, const MissingTarget& b) {
    return a.links != b.links   ? a.links > b.links
           : a.notes != b.notes ? a.notes > b.notes
                                : a.target < b.target;
  });
  if (out.size() > limit) out.resize(limit);
  return out;
}

std::vector<Diagnostic> filter_findings(std::vector<Diagnostic> findings,
                                        const FindingFilter& filter) {
  auto listed = [](const std::vector<std::string>& v, const std::string& rule) {
    return std::find(v.begin(), v.end(), rule) != v.end();
  };
  std::vector<Diagnostic> out;
  for (Diagnostic& d : findings) {
    if (!filter.select.empty() && !listed(filter.select, d.rule)) continue;
    if (listed(filter.ignore, d.rule)) continue;
    if (d.severity < filter.min_severity) continue;
    if (!filter.paths.empty() &&
        std::none_of(filter.paths.begin(), filter.paths.end(),
                     [&](const std::string& g) { return glob_match(g, d.path); })) {
      continue;
    }
    out.push_back(std::move(d));
  }
  return out;
}

namespace {

bool glob_here(std::string_view p, std::string_view s) {
  while (!p.empty()) {
    if (p.substr(0, 2) == "**") {
      p.remove_prefix(2);
      if (p.empty()) return true;  // everything below
      if (p[0] == '/') {
        // `**/`: zero or more whole folders, so `a/**/b` matches `a/b` and `a/x/y/b` but
        // not `a/xb`.
        p.remove_prefix(1);
        for (std::size_t i = 0; i <= s.size(); ++i) {
          if ((i == 0 || s[i - 1] == '/') && glob_here(p, s.substr(i))) return true;
        }
        return false;
      }
      for (std::size_t i = 0; i <= s.size(); ++i) {
        if (glob_here(p, s.substr(i))) return true;
      }
      return false;
    }
    if (p[0] == '*') {
      p.remove_prefix(1);
      for (std::size_t i = 0; i <= s.size(); ++i) {
        if (glob_here(p, s.substr(i))) return true;
        if (i < s.size() && s[i] == '/') return false;
      }
      return false;
    }
    if (s.empty()) return false;
    if (p[0] == '?') {
      // One character: a whole UTF-8 sequence, never a '/'.
      if (s[0] == '/') return false;
      std::size_t n = 1;
      while (n < s.size() && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) ++n;
      p.remove_prefix(1);
      s.remove_prefix(n);
      continue;
    }
    if (p[0] != s[0]) return false;
    p.remove_prefix(1);
    s.remove_prefix(1);
  }
  return s.empty();
}

}  // namespace

bool glob_match(std::string_view pattern, std::string_view path) {
  while (pattern.substr(0, 2) == "./") pattern.remove_prefix(2);
  // A leading '/' anchors the pattern at the root: `/x.md` is only the root's x.md.
  bool anchored = false;
  while (!pattern.empty() && pattern.front() == '/') pattern.remove_prefix(1), anchored = true;
  while (pattern.size() > 1 && pattern.back() == '/') pattern.remove_suffix(1);
  if (pattern.empty()) return false;
  if (glob_here(pattern, path)) return true;
  // A folder pattern matches everything below it.
  if (glob_here(std::string(pattern) + "/**", path)) return true;
  if (!anchored && pattern.find('/') == std::string_view::npos) {
    std::size_t slash = path.rfind('/');
    if (slash != std::string_view::npos && glob_here(pattern, path.substr(slash + 1))) return true;
    // ... and any folder of that name.
    for (std::size_t b = 0; b < path.size();) {
      std::size_t e = path.find('/', b);
      if (e == std::string_view::npos) break;
      if (glob_here(pattern, path.substr(b, e - b))) return true;
      b = e + 1;
    }
  }
  return false;
}

}  // namespace tkb
