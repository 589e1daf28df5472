// tkb fix: the safe fixes for findings of `check`, one rule at a time.
#include <algorithm>
#include <set>

#include "changes.hpp"
#include "context.hpp"
#include "tkb/check.hpp"
#include "tkb/edit.hpp"
#include "tkb/error.hpp"
#include "tkb/report.hpp"
#include "tkb/text.hpp"

namespace tkb::cli {

namespace {

std::string fixable_list() {
  std::string s;
  for (std::string_view r : fixable_rules()) s += (s.empty() ? "" : ", ") + std::string(r);
  return s;
}

// Rule names given to --select/--ignore: each must be a rule with a fix.
std::set<std::string> rules_named(const std::vector<std::string>& names, const char* option) {
  std::set<std::string> out;
  for (std::string& name : rule_names(names, option, "; tkb fix fixes " + fixable_list())) {
    const auto& fixable = fixable_rules();
    if (std::find(fixable.begin(), fixable.end(), name) == fixable.end()) {
      throw Error("rule '" + name + "' in " + option + " has no automatic fix; tkb fix fixes " +
                  fixable_list());
    }
    out.insert(std::move(name));
  }
  return out;
}

}  // namespace

int run_fix(Context& ctx, const FixOptions& o) {
  std::set<std::string> select = rules_named(o.select, "--select");
  std::set<std::string> ignore = rules_named(o.ignore, "--ignore");
  if (select.count("broken-link") && !o.unlink_broken) {
    throw Error(
        "broken-link is fixed only with --unlink-broken, which turns [[missing|text]] "
        "into text");
  }
  FixRequest request;
  for (std::string_view r : fixable_rules()) {
    std::string rule(r);
    if (!select.empty() && !select.count(rule)) continue;
    if (ignore.count(rule)) continue;
    if (rule == "broken-link" && !o.unlink_broken) continue;
    request.rules.push_back(rule);
  }

  Loaded loaded = load(ctx, {.config = true});
  request.config = loaded.config.check;
  request.paths = note_globs(loaded, o.paths);
  auto fs = make_disk_file_system(loaded.root);
  FixPlan plan = plan_fixes(loaded.kb, *loaded.resolver, *fs, request);

  for (const Diagnostic& d : plan.problems) {
    ctx.err << "tkb: error: " << printable(d.path) << ": " << printable(d.message) << '\n';
  }
  // Counts per rule, on stderr beside the diff.
  std::size_t fixes = 0;
  std::string table;
  for (const std::string& rule : request.rules) {
    std::size_t fixed = plan.fixed.count(rule) ? plan.fixed.at(rule) : 0;
    std::size_t left = plan.left.count(rule) ? plan.left.at(rule) : 0;
    std::size_t refused = plan.refused.count(rule) ? plan.refused.at(rule) : 0;
    fixes += fixed;
    if (fixed + left == 0) continue;
    auto cell = [](std::size_t n, std::size_t width) {
      std::string s = std::to_string(n);
      return std::string(width - std::min(s.size(), width - 1), ' ') + s;
    };
    table += rule + std::string(26 - std::min<std::size_t>(rule.size(), 25), ' ') + cell(fixed, 7) +
             cell(left, 7) + cell(refused, 9) + cell(left - refused, 8) + '\n';
  }
  if (!table.empty()) {
    table = "rule                        fixed   left  unsafe  no-fix\n" + table;
  }
  const int problems = plan.problems.empty() ? 0 : 1;
  if (plan.changes.empty()) {
    ctx.err << table << "nothing to fix\n";
    return problems;
  }
  const std::string what =
      count_of(fixes, "fix", "fixes") + " in " + count_of(plan.changes.size(), "file", "files");
  ChangeReport report;
  report.dry_run = table + "would apply " + what + "; dry run: --write applies them";
  report.written = table + "applied " + what;
  int rc = show_or_write(ctx, loaded, plan.changes, o.w, report);
  return std::max(rc, problems);
}

}  // namespace tkb::cli
