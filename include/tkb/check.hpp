#pragma once
// `tkb check`: the rules and running them.

#include <string>
#include <string_view>
#include <vector>

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

// All findings for the knowledge base: the parser's per-note diagnostics, the loader's, and
// the knowledge-base-level rules. Sorted with diagnostic_less. Links are resolved one at a
// time as they are checked, so no table of every resolution is kept.
std::vector<Diagnostic> run_checks(const KnowledgeBase& kb, const Resolver& resolver);

}  // namespace tkb
