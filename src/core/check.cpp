#include "tkb/check.hpp"

#include <algorithm>
#include <atomic>
#include <iterator>
#include <map>
#include <set>
#include <thread>

#include "tkb/text.hpp"

namespace tkb {

const std::vector<RuleInfo>& all_rules() {
  static const std::vector<RuleInfo> rules = {
      {"broken-link", Severity::error, "a wikilink whose target matches no note"},
      {"ambiguous-link", Severity::warning,
       "a wikilink that matches several notes, none of them in the linking note's folder"},
      {"empty-link", Severity::warning,
       "a wikilink with nothing to link to, such as [[ ]] or [[ | text]]"},
      {"malformed-link", Severity::warning,
       "wikilink markup that does not parse: an unclosed '[[' or a link opened inside another"},
      {"yaml-error", Severity::error,
       "front matter that is not valid YAML, not a mapping, never closed, or repeats a key"},
      {"missing-title", Severity::warning, "a note whose front matter has no title"},
      {"missing-video-id", Severity::error, "a topic note whose front matter has no videoId"},
      {"invalid-video-id", Severity::error,
       "a videoId that is not 11 characters of letters, digits, '-' and '_'"},
      {"invalid-timestamp", Severity::error,
       "a timestamp link whose data-t is not a time (a field of 60 or more, or not numeric)"},
      {"timestamp-label-mismatch", Severity::warning,
       "a timestamp link whose visible label is not the time it links to"},
      {"malformed-anchor", Severity::warning,
       "timestamp link markup not in the usual form, unclosed, without data-t or label"},
      {"invalid-utf8", Severity::warning, "bytes that are not valid UTF-8"},
      {"binary-content", Severity::error, "a .md file holding NUL bytes: a binary file, not read"},
      {"unreadable-file", Severity::error, "a note or folder that cannot be read"},
      {"skipped-file", Severity::info, "a symbolic link, which tkb does not follow"},
  };
  return rules;
}

const RuleInfo* find_rule(std::string_view name) {
  for (const RuleInfo& r : all_rules()) {
    if (r.name == name) return &r;
  }
  return nullptr;
}

namespace {

bool valid_video_id(std::string_view id) {
  if (id.size() != 11) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_';
  });
}

// Channel index pages (`chan/chan.md`) and pages at the root are not topic notes: they
// carry no videoId.
bool is_index_page(const Note& n) {
  if (n.folder.empty()) return true;
  std::size_t slash = n.folder.rfind('/');
  std::string_view last = slash == std::string::npos ? std::string_view(n.folder)
                                                     : std::string_view(n.folder).substr(slash + 1);
  return loose_key(last) == loose_key(n.id);
}

}  // namespace

namespace {

// Every finding about note i, appended to `out`.
void check_note(const KnowledgeBase& kb, const Resolver& resolver, std::size_t i,
                std::vector<Diagnostic>& out) {
  const Note& n = kb.notes[i];
  out.insert(out.end(), n.diagnostics.begin(), n.diagnostics.end());
  auto add = [&](Position pos, const char* rule, std::string message) {
    out.push_back({n.path, pos, find_rule(rule)->severity, rule, std::move(message)});
  };
  bool has_binary = std::any_of(n.diagnostics.begin(), n.diagnostics.end(),
                                [](const Diagnostic& d) { return d.rule == "binary-content"; });
  if (has_binary) return;

  const FrontMatterEntry* title = n.front_matter.find("title");
  if (!title || trim(title->value).empty()) {
    add(title ? title->pos : Position{}, "missing-title",
        title ? "front-matter title is empty" : "front matter has no title");
  }
  if (!is_index_page(n)) {
    const FrontMatterEntry* vid = n.front_matter.find("videoId");
    if (!vid || trim(vid->value).empty()) {
      add(vid ? vid->pos : Position{}, "missing-video-id",
          vid ? "front-matter videoId is empty" : "front matter has no videoId");
    } else if (!valid_video_id(vid->value)) {
      add(vid->pos, "invalid-video-id",
          "videoId \"" + vid->value + "\" is not 11 characters of A-Z, a-z, 0-9, '-' and '_'");
    }
  }

  for (std::size_t k = 0; k < n.links.size(); ++k) {
    const WikiLink& l = n.links[k];
    const Resolution r = resolver.resolve_link(l, static_cast<int>(i));
    if (l.target.empty() && l.fragment.empty()) {
      add(l.pos, "empty-link", "link " + std::string(l.raw) + " has no target");
    } else if (r.ambiguous()) {
      std::string list;
      for (int c : r.candidates) list += (list.empty() ? "" : ", ") + kb.notes[c].path;
      add(l.pos, "ambiguous-link",
          "link target \"" + std::string(l.target) + "\" matches " +
              std::to_string(r.candidates.size()) + " notes (" + list + ")");
    } else if (!r.resolved()) {
      add(l.pos, "broken-link", "link target \"" + std::string(l.target) + "\" matches no note");
    }
  }
}

}  // namespace

std::vector<Diagnostic> run_checks(const KnowledgeBase& kb, const Resolver& resolver,
                                   const CheckConfig& config) {
  // Notes are checked on every core; each note's findings land in its own slot, so the
  // result does not depend on the number of threads.
  std::vector<std::vector<Diagnostic>> per_note(kb.notes.size());
  std::atomic<std::size_t> next{0};
  auto work = [&] {
    for (std::size_t i; (i = next.fetch_add(1)) < kb.notes.size();) {
      check_note(kb, resolver, i, per_note[i]);
    }
  };
  unsigned jobs = std::max(1u, std::thread::hardware_concurrency());
  std::vector<std::thread> threads;
  for (unsigned t = 1; t < jobs && kb.notes.size() > 256; ++t) threads.emplace_back(work);
  work();
  for (std::thread& t : threads) t.join();

  std::vector<Diagnostic> all = kb.diagnostics;
  for (auto& list : per_note) {
    std::move(list.begin(), list.end(), std::back_inserter(all));
  }
  std::vector<Diagnostic> out;
  out.reserve(all.size());
  for (Diagnostic& d : all) {
    if (auto it = config.severity.find(d.rule); it != config.severity.end()) {
      if (!it->second) continue;  // rule switched off
      d.severity = *it->second;
    }
    if (std::any_of(config.ignore.begin(), config.ignore.end(),
                    [&](const std::string& g) { return glob_match(g, d.path); })) {
      continue;
    }
    out.push_back(std::move(d));
  }
  std::sort(out.begin(), out.end(), diagnostic_less);
  return out;
}

std::vector<MissingTarget> missing_targets(const KnowledgeBase& kb, const Resolver& resolver,
                                           std::size_t limit) {
  // Grouped by loose key, so `Foo bar` and `foo_bar` count as one missing note.
  struct Group {
    std::map<std::string, int> spellings;
    int links = 0;
    std::set<int> notes;
  };
  std::map<std::string, Group> groups;
  for (int i = 0; i < static_cast<int>(kb.notes.size()); ++i) {
    for (const WikiLink& l : kb.notes[i].links) {
      if (l.target.empty()) continue;
      Resolution r = resolver.resolve_link(l, i);
      if (r.resolved() || r.ambiguous()) continue;
      Group& g = groups[loose_key(l.target)];
      ++g.spellings[std::string(l.target)];
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
    return a.links != b.links ? a.links > b.links
                              : a.notes != b.notes ? a.notes > b.notes : a.target < b.target;
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
      if (!p.empty() && p[0] == '/') p.remove_prefix(1);  // `**/` also matches no folder
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
    if (p[0] == '?' ? s[0] == '/' : p[0] != s[0]) return false;
    p.remove_prefix(1);
    s.remove_prefix(1);
  }
  return s.empty();
}

}  // namespace

bool glob_match(std::string_view pattern, std::string_view path) {
  while (pattern.size() > 1 && pattern.back() == '/') pattern.remove_suffix(1);
  if (glob_here(pattern, path)) return true;
  // A folder pattern matches everything below it.
  if (glob_here(std::string(pattern) + "/**", path)) return true;
  if (pattern.find('/') == std::string_view::npos) {
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
