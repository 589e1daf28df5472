#pragma once
// `tkb check`: the rules and running them.

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "tkb/config.hpp"
#include "tkb/diagnostic.hpp"
#include "tkb/resolve.hpp"

namespace tkb {

struct RuleInfo {
  std::string_view name;
  Severity severity;  // default
  std::string_view description;
};

// Every rule tkb knows, in the order `--list-rules` prints them.
const std::vector<RuleInfo>& all_rules();
const RuleInfo* find_rule(std::string_view name);

// Checking a loaded knowledge base (which must outlive it, as must the resolver; the config
// is copied). The constructor resolves every link once, on `jobs`
// threads (0: one per core), and counts what the knowledge-base rules need; findings() then
// makes the findings of any run of notes, on any thread, so that a caller can make and print
// them a few hundred notes at a time instead of holding them all.
class CheckRun {
 public:
  CheckRun(const KnowledgeBase& kb, const Resolver& resolver, const CheckConfig& config = {},
           unsigned jobs = 0);
  ~CheckRun();
  CheckRun(const CheckRun&) = delete;
  CheckRun& operator=(const CheckRun&) = delete;

  // The findings of notes [begin, end), as run_checks reports them, sorted with
  // diagnostic_less; with them the loading problems (kb.diagnostics) whose paths sort among
  // these notes; the range starting at 0 also takes those before every note, the one ending
  // at note_count() those after. So the ranges of a partition of [0, note_count()), in order,
  // give exactly run_checks' result. Safe to call from several threads at once.
  std::vector<Diagnostic> findings(std::size_t begin, std::size_t end) const;
  std::size_t note_count() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> m_impl;
};

// All findings for the knowledge base: the parser's per-note diagnostics, the loader's, and
// the knowledge-base-level rules, with the configured severities (rules set to off are
// dropped), inline `<!-- tkb-ignore RULE -->` comments and ignore globs applied. Sorted with
// diagnostic_less. Links are resolved one at a time as they are checked.
std::vector<Diagnostic> run_checks(const KnowledgeBase& kb, const Resolver& resolver,
                                   const CheckConfig& config = {});

// The link targets that match no note, most-linked first: how many links and how many notes
// use each, so a user sees which missing notes matter most. Targets are grouped by loose key
// (`Dark matter` and `dark_matter` are one missing note). Only links from notes matching a
// glob of `only` (empty: every note) and no glob of `skip` count: the paths a user checks and
// the configured ignore globs.
struct MissingTarget {
  std::string target;  // as written (the most common spelling of the group)
  int links = 0;
  int notes = 0;
};
std::vector<MissingTarget> missing_targets(const KnowledgeBase& kb, const Resolver& resolver,
                                           std::size_t limit,
                                           const std::vector<std::string>& only = {},
                                           const std::vector<std::string>& skip = {});

// Which findings a user asked to see: rule names to keep (empty: all) and to drop, a lowest
// severity, and path globs (empty: all).
struct FindingFilter {
  std::vector<std::string> select, ignore;
  Severity min_severity = Severity::info;
  std::vector<std::string> paths;
};
std::vector<Diagnostic> filter_findings(std::vector<Diagnostic> findings,
                                        const FindingFilter& filter);

// `*` matches within one path component, `**` across components (`a/**/b` also matches
// `a/b`), `?` one character (not '/'). A pattern naming a folder matches everything below it;
// a pattern without '/' also matches the last component or any folder ("*.md",
// "lexfridman"), unless it starts with '/', which anchors it at the root. A leading `./` is
// ignored.
bool glob_match(std::string_view pattern, std::string_view path);

}  // namespace tkb
