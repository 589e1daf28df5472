// tkb fix: the safe fix for each finding of a fixable rule, planned on the text on disk.
#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <set>
#include <thread>

#include "tkb/check.hpp"
#include "tkb/edit.hpp"
#include "tkb/parse.hpp"
#include "tkb/text.hpp"
#include "tkb/timestamp.hpp"

namespace tkb {

const std::vector<std::string_view>& fixable_rules() {
  // The order fixes are tried in, one rule at a time, within a note.
  static const std::vector<std::string_view> rules = {"non-canonical-link", "broken-link",
                                                      "timestamp-label-mismatch",
                                                      "timestamp-as-link", "bare-timestamp"};
  return rules;
}

namespace {

constexpr std::uint64_t kMaxBytes = 1ull << 30;
constexpr std::string_view kMore = "... and ";  // the message of a capped rule's last finding

// Rules whose findings depend on other notes: a note checked alone cannot tell.
bool depends_on_other_notes(std::string_view rule) {
  static const std::set<std::string_view> rules = {
      "broken-link",           "ambiguous-link",     "self-link",         "heading-not-found",
      "block-not-found",       "non-canonical-link", "timestamp-as-link", "orphan-note",
      "unlinked-from-channel", "duplicate-stem",     "case-collision"};
  return rules.count(rule) > 0;
}

// Rules whose findings come from the note's text alone (and are capped per note).
bool note_local(std::string_view rule) {
  return rule == "bare-timestamp" || rule == "timestamp-label-mismatch";
}

// One note's text, checked alone: what it holds and the findings `check` gives it.
struct Local {
  KnowledgeBase kb;  // the one note
  std::map<std::string, std::size_t> counts;
  std::vector<Diagnostic> findings;
  const Note& note() const { return kb.notes.front(); }
};

Local check_alone(std::string_view text, const std::string& path, const CheckConfig& config) {
  Local l;
  ParseOptions po;
  po.anchor_text = false;
  l.kb.notes.push_back(parse_note(text, path, po));
  Resolver resolver(l.kb);
  l.findings = run_checks(l.kb, resolver, config);
  for (const Diagnostic& d : l.findings) ++l.counts[d.rule];
  return l;
}

// How many findings of `rule` `check` reports in `findings`, counting those the cap hid.
std::size_t total_of(const std::vector<Diagnostic>& findings, std::string_view rule) {
  std::size_t n = 0;
  for (const Diagnostic& d : findings) {
    if (d.rule != rule) continue;
    if (d.message.rfind(kMore, 0) == 0) {
      n += std::strtoull(d.message.c_str() + kMore.size(), nullptr, 10);
    } else {
      ++n;
    }
  }
  return n;
}

const WikiLink* link_at(const Note& n, std::uint32_t offset) {
  auto it = std::lower_bound(n.links.begin(), n.links.end(), offset,
                             [](const WikiLink& l, std::uint32_t o) { return l.pos.offset < o; });
  if (it != n.links.end() && it->pos.offset == offset) return &*it;
  for (const WikiLink& l : n.links) {
    if (l.pos.offset == offset) return &l;
  }
  return nullptr;
}

const TimestampAnchor* anchor_at(const Note& n, std::uint32_t offset) {
  for (const TimestampAnchor& a : n.anchors) {
    if (a.pos.offset == offset) return &a;
  }
  return nullptr;
}

std::size_t find_ci(std::string_view hay, std::string_view needle, std::size_t from) {
  for (std::size_t i = from; i + needle.size() <= hay.size(); ++i) {
    bool ok = true;
    for (std::size_t k = 0; k < needle.size() && ok; ++k) {
      char c = hay[i + k];
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      ok = c == needle[k];
    }
    if (ok) return i;
  }
  return std::string_view::npos;
}

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// The fix for one finding: edits (usually one), nothing (no safe fix: left as it is), or
// `changed` when the text is not what the model says.
struct Made {
  std::vector<Edit> edits;
  bool changed = false;
};

class NoteFixer {
 public:
  NoteFixer(const KnowledgeBase* kb, const Resolver* resolver, int index, const Note& note,
            std::string_view text)
      : m_kb(kb), m_resolver(resolver), m_index(index), m_note(note), m_text(text) {}

  Made fix(const Diagnostic& d) {
    if (d.rule == "non-canonical-link") return canonical_link(d);
    if (d.rule == "broken-link") return unlink(d);
    if (d.rule == "timestamp-as-link") return link_to_anchor(d);
    if (d.rule == "bare-timestamp") return bare_to_anchor(d);
    if (d.rule == "timestamp-label-mismatch") return relabel(d);
    return {};
  }

 private:
  // The link at the finding, checked against the text.
  const WikiLink* link(const Diagnostic& d, Made& m) const {
    const WikiLink* l = link_at(m_note, d.pos.offset);
    if (!l) return nullptr;
    if (m_text.substr(d.pos.offset, l->raw.size()) != l->raw) {
      m.changed = true;
      return nullptr;
    }
    return l;
  }

  Made canonical_link(const Diagnostic& d) const {
    Made m;
    if (!m_kb || !m_resolver) return m;
    const WikiLink* l = link(d, m);
    if (!l) return m;
    Resolution r = m_resolver->resolve_link(*l, m_index);
    if (!r.resolved()) return m;
    const Note& target = m_kb->notes[static_cast<std::size_t>(r.note)];
    // The exact stem where it reaches the same note; else the path, which always does.
    std::string name = target.id;
    Resolution by_stem = m_resolver->resolve(name, m_index);
    if (by_stem.note != r.note || by_stem.rule != MatchRule::stem) {
      name = target.path.substr(0, target.path.size() - 3);
      if (m_resolver->resolve(name, m_index).note != r.note) return m;
    }
    m.edits.push_back({d.pos.offset, std::string(l->raw), retarget_link(*l, m_text, name), d.rule});
    return m;
  }

  Made unlink(const Diagnostic& d) const {
    Made m;
    const WikiLink* l = link(d, m);
    if (!l || l->embed) return m;
    std::string_view visible = l->alias().empty() ? l->target() : l->alias();
    if (visible.empty()) return m;
    m.edits.push_back({d.pos.offset, std::string(l->raw), std::string(visible), d.rule});
    return m;
  }

  Made link_to_anchor(const Diagnostic& d) const {
    Made m;
    if (trim(m_note.video_id).empty()) return m;  // a time of no video
    const WikiLink* l = link(d, m);
    if (!l || l->embed || !l->fragment().empty() ||
        (!l->alias().empty() && l->alias() != l->target())) {
      return m;
    }
    if (!parse_time(l->target()).seconds) return m;
    m.edits.push_back({d.pos.offset, std::string(l->raw), timestamp_anchor(l->target()), d.rule});
    return m;
  }

  Made bare_to_anchor(const Diagnostic& d) const {
    Made m;
    if (trim(m_note.video_id).empty()) return m;
    const std::size_t p = d.pos.offset;
    if (p >= m_text.size() || m_text[p] != '[') {
      m.changed = true;
      return m;
    }
    std::size_t q = p + 1;
    while (q < m_text.size() && ((m_text[q] >= '0' && m_text[q] <= '9') || m_text[q] == ':')) ++q;
    if (q >= m_text.size() || m_text[q] != ']') {
      m.changed = true;
      return m;
    }
    // `[01:12:16](...)` is a Markdown link: what it should link to is for a person to decide.
    if (q + 1 < m_text.size() && m_text[q + 1] == '(') return m;
    std::string_view time = m_text.substr(p + 1, q - p - 1);
    if (!parse_time(time).seconds) return m;
    m.edits.push_back(
        {p, std::string(m_text.substr(p, q + 1 - p)), timestamp_anchor(time), d.rule});
    return m;
  }

  Made relabel(const Diagnostic& d) const {
    Made m;
    const TimestampAnchor* a = anchor_at(m_note, d.pos.offset);
    if (!a) return m;
    const std::size_t p = d.pos.offset;
    if (m_text.substr(p, 2) != "<a" && m_text.substr(p, 2) != "<A") {
      m.changed = true;
      return m;
    }
    const std::size_t gt = m_text.find('>', p);
    if (gt == std::string_view::npos) {
      m.changed = true;
      return m;
    }
    std::size_t line_end = m_text.find('\n', gt);
    if (line_end == std::string_view::npos) line_end = m_text.size();
    const std::size_t close = find_ci(m_text.substr(0, line_end), "</a>", gt + 1);
    if (close == std::string_view::npos) return m;  // not closed: malformed-anchor's business
    // The label's span, as the scanner reads it: trimmed, without one or two bracket pairs.
    std::size_t lb = gt + 1, le = close;
    auto trim_span = [&] {
      while (lb < le && trim(m_text.substr(lb, 1)).empty()) ++lb;
      while (le > lb && trim(m_text.substr(le - 1, 1)).empty()) --le;
    };
    trim_span();
    for (int pair = 0; pair < 2; ++pair) {
      if (le - lb >= 2 && m_text[lb] == '[' && m_text[le - 1] == ']') {
        ++lb, --le;
        trim_span();
      }
    }
    std::string_view label = m_text.substr(lb, le - lb);
    if (label != a->label) {
      m.changed = true;
      return m;
    }
    if (!parse_time(label).seconds || !a->seconds) return m;  // not a time: a person decides
    std::string_view dt = trim(a->data_t);
    if (parse_time(dt).seconds) {
      if (label == dt) return m;
      m.edits.push_back({lb, std::string(label), std::string(dt), d.rule});
      return m;
    }
    if (!all_digits(dt)) return m;
    // data-t in bare seconds: both become HH:MM:SS, the same instant.
    std::string_view tag = m_text.substr(p, gt - p);
    std::size_t k = tag.find("data-t");
    if (k == std::string_view::npos) return m;
    k += 6;
    while (k < tag.size() && (tag[k] == ' ' || tag[k] == '\t')) ++k;
    if (k >= tag.size() || tag[k] != '=') return m;
    ++k;
    while (k < tag.size() && (tag[k] == ' ' || tag[k] == '\t')) ++k;
    if (k < tag.size() && (tag[k] == '"' || tag[k] == '\'')) ++k;
    if (tag.substr(k, a->data_t.size()) != a->data_t) return m;
    const std::string hms = format_hms(*a->seconds);
    m.edits.push_back({p + k, std::string(a->data_t), hms, d.rule});
    m.edits.push_back({lb, std::string(label), hms, d.rule});
    return m;
  }

  const KnowledgeBase* m_kb;
  const Resolver* m_resolver;
  int m_index;
  const Note& m_note;
  std::string_view m_text;
};

// What fixing one note gave.
struct NoteResult {
  std::optional<FileChange> change;
  std::map<std::string, std::size_t> fixed, left, refused;
  std::optional<Diagnostic> problem;
};

// Fixes tried together: one rule's, or the two that make anchors (a partial fix of a note's
// times could hide a pattern such as suspect-minutes).
struct Group {
  std::vector<std::string> rules;
  std::vector<Edit> edits;
  std::map<std::string, std::size_t> findings;  // per rule
};

// Apply `groups` one after the other onto `text`, keeping each group (or, for link fixes,
// each edit) only when the note checked alone gets no new finding and holds exactly the
// links and anchors expected. Returns the edits kept.
std::vector<Edit> accept_groups(std::string_view text, const std::string& path,
                                const CheckConfig& config, const Local& base,
                                std::vector<Group>& groups,
                                std::map<std::string, std::size_t>& fixed,
                                std::map<std::string, std::size_t>& refused) {
  std::vector<Edit> accepted;
  std::size_t removed_links = 0, added_anchors = 0;
  auto try_edits = [&](const std::vector<Edit>& extra) {
    std::vector<Edit> all = accepted;
    all.insert(all.end(), extra.begin(), extra.end());
    std::string error;
    std::optional<std::string> candidate = apply_edits(text, all, error);
    if (!candidate) return false;  // overlaps an edit already kept
    Local after = check_alone(*candidate, path, config);
    // Each edit of these rules is one link removed and/or one anchor made.
    std::size_t links = removed_links, anchors = added_anchors;
    for (const Edit& e : extra) {
      if (e.rule == "broken-link" || e.rule == "timestamp-as-link") ++links;
      if (e.rule == "timestamp-as-link" || e.rule == "bare-timestamp") ++anchors;
    }
    const Note& was = base.note();
    const Note& now = after.note();
    if (now.links.size() + links != was.links.size() ||
        now.code_links.size() != was.code_links.size() ||
        now.anchor_count != was.anchor_count + anchors) {
      return false;
    }
    for (const auto& [r, n] : after.counts) {
      if (depends_on_other_notes(r)) continue;
      auto it = base.counts.find(r);
      if (n > (it == base.counts.end() ? 0 : it->second)) return false;
    }
    accepted = std::move(all);
    removed_links = links;
    added_anchors = anchors;
    return true;
  };
  for (Group& g : groups) {
    if (g.edits.empty()) continue;
    if (try_edits(g.edits)) {
      for (auto& [r, n] : g.findings) fixed[r] += n, n = 0;
      continue;
    }
    // Each link stands alone (one edit per finding); times are all or nothing in a note.
    if (g.rules.front() == "non-canonical-link" || g.rules.front() == "broken-link") {
      for (const Edit& e : g.edits) {
        if (try_edits({e})) {
          ++fixed[e.rule];
          --g.findings[e.rule];
        }
      }
    }
    for (const auto& [r, n] : g.findings) refused[r] = n;
  }
  return accepted;
}

NoteResult fix_note(const KnowledgeBase& kb, const Resolver& resolver, FileSystem& fs, int index,
                    const std::vector<const Diagnostic*>& findings,
                    const std::set<std::string>& rules, const CheckConfig& config) {
  NoteResult out;
  const Note& note = kb.notes[static_cast<std::size_t>(index)];
  std::string error;
  std::optional<std::string> read = fs.read(note.path, kMaxBytes, error);
  if (!read) {
    out.problem = Diagnostic{note.path,
                             {},
                             Severity::error,
                             "unreadable-file",
                             "cannot read the note again: " + error + "; not fixed"};
    return out;
  }
  const std::string& original = *read;
  auto changed = [&] {
    out = NoteResult{};
    out.problem = Diagnostic{note.path,
                             {},
                             Severity::error,
                             "changed-file",
                             "the note changed on disk after it was read; not fixed"};
    return out;
  };

  // Round 1: every finding `check` reported. Later rounds: the findings of capped rules that
  // the first 200 of the note did not show, found by checking the new text alone.
  std::string text = original;
  bool capped = false;
  for (int round = 0; round < 1000; ++round) {
    std::optional<Local> fresh;
    const Note* model = &note;
    std::vector<const Diagnostic*> todo;
    if (round == 0) {
      todo = findings;
    } else {
      fresh = check_alone(text, note.path, config);
      model = &fresh->note();
      for (const Diagnostic& d : fresh->findings) {
        if (note_local(d.rule) && rules.count(d.rule)) todo.push_back(&d);
      }
    }
    NoteFixer fixer(round == 0 ? &kb : nullptr, round == 0 ? &resolver : nullptr, index, *model,
                    text);
    std::vector<Group> groups = {{{"non-canonical-link"}, {}, {}},
                                 {{"broken-link"}, {}, {}},
                                 {{"timestamp-label-mismatch"}, {}, {}},
                                 {{"timestamp-as-link", "bare-timestamp"}, {}, {}}};
    std::set<std::pair<std::string, std::uint32_t>> seen;
    for (const Diagnostic* d : todo) {
      if (d->message.rfind(kMore, 0) == 0) {
        capped = true;
        continue;
      }
      if (!seen.insert({d->rule, d->pos.offset}).second) continue;
      Made made = fixer.fix(*d);
      if (made.changed) return changed();
      if (made.edits.empty()) continue;
      for (Group& g : groups) {
        if (std::find(g.rules.begin(), g.rules.end(), d->rule) == g.rules.end()) continue;
        g.edits.insert(g.edits.end(), made.edits.begin(), made.edits.end());
        ++g.findings[d->rule];
      }
    }
    Local base = fresh ? std::move(*fresh) : check_alone(text, note.path, config);
    std::map<std::string, std::size_t> fixed, refused;
    std::vector<Edit> kept = accept_groups(text, note.path, config, base, groups, fixed, refused);
    for (const auto& [r, n] : refused) out.refused[r] = n;  // the last round that tried says
    if (kept.empty()) break;
    std::optional<std::string> next = apply_edits(text, kept, error);
    if (!next) return changed();
    text = std::move(*next);
    for (const auto& [r, n] : fixed) out.fixed[r] += n;
    if (!capped) break;
  }

  // What is left: the link findings not fixed, and the note's own findings as its new text
  // gives them.
  std::map<std::string, std::size_t> asked;
  for (const Diagnostic* d : findings) {
    if (d->message.rfind(kMore, 0) != 0) ++asked[d->rule];
  }
  Local final_check = check_alone(text, note.path, config);
  for (const auto& [r, n] : asked) {
    if (note_local(r)) continue;
    std::size_t f = out.fixed.count(r) ? out.fixed[r] : 0;
    if (n > f) out.left[r] += n - f;
  }
  for (const std::string& r : rules) {
    if (!note_local(r)) continue;
    if (std::size_t n = total_of(final_check.findings, r)) out.left[r] += n;
  }
  if (text != original) out.change = FileChange{note.path, original, text, {}};
  return out;
}

}  // namespace

FixPlan plan_fixes(const KnowledgeBase& kb, const Resolver& resolver, FileSystem& fs,
                   const FixRequest& options) {
  FixPlan plan;
  std::set<std::string> rules(options.rules.begin(), options.rules.end());
  FindingFilter filter;
  filter.select.assign(rules.begin(), rules.end());
  filter.paths = options.paths;
  if (rules.empty()) return plan;
  std::vector<Diagnostic> findings =
      filter_findings(run_checks(kb, resolver, options.config), filter);

  // The findings of each note, in the order of the notes.
  std::vector<std::vector<const Diagnostic*>> per_note(kb.notes.size());
  for (const Diagnostic& d : findings) {
    int i = kb.find_path(d.path);
    if (i >= 0) per_note[static_cast<std::size_t>(i)].push_back(&d);
  }
  std::vector<int> todo;
  for (int i = 0; i < static_cast<int>(kb.notes.size()); ++i) {
    if (!per_note[static_cast<std::size_t>(i)].empty()) todo.push_back(i);
  }
  std::vector<NoteResult> results(todo.size());
  std::atomic<std::size_t> next{0};
  auto work = [&] {
    for (std::size_t k; (k = next.fetch_add(1)) < todo.size();) {
      int i = todo[k];
      results[k] = fix_note(kb, resolver, fs, i, per_note[static_cast<std::size_t>(i)], rules,
                            options.config);
    }
  };
  unsigned jobs = std::max(1u, std::thread::hardware_concurrency());
  std::vector<std::thread> threads;
  for (unsigned t = 1; t < jobs && todo.size() > 16; ++t) threads.emplace_back(work);
  work();
  for (std::thread& t : threads) t.join();

  for (NoteResult& r : results) {
    if (r.problem) {
      plan.problems.push_back(std::move(*r.problem));
      continue;
    }
    for (const auto& [rule, n] : r.fixed) plan.fixed[rule] += n;
    for (const auto& [rule, n] : r.left) plan.left[rule] += n;
    for (const auto& [rule, n] : r.refused) {
      if (n) plan.refused[rule] += std::min(n, r.left[rule]);
    }
    if (r.change) plan.changes.push_back(std::move(*r.change));
  }
  return plan;
}

}  // namespace tkb
