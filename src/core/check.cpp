#include "tkb/check.hpp"

#include <algorithm>
#include <atomic>
#include <iterator>
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

std::vector<Diagnostic> run_checks(const KnowledgeBase& kb, const Resolver& resolver) {
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

  std::vector<Diagnostic> out = kb.diagnostics;
  for (auto& list : per_note) {
    std::move(list.begin(), list.end(), std::back_inserter(out));
  }
  std::sort(out.begin(), out.end(), diagnostic_less);
  return out;
}

}  // namespace tkb
