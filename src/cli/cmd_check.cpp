// tkb check: findings on stdout, a summary line, exit 1 when any error is found.
#include <map>

#include "context.hpp"

namespace tkb::cli {

int run_check(Context& ctx, const CheckOptions& o) {
  Loaded loaded = load(
      ctx, {.report_problems = false, .keep_anchors = false});  // every problem is a finding here
  std::vector<Diagnostic> findings = run_checks(loaded.kb, *loaded.resolver);

  std::map<std::string, int> per_rule;
  int counts[3] = {0, 0, 0};
  for (const Diagnostic& d : findings) {
    ++per_rule[d.rule];
    ++counts[static_cast<int>(d.severity)];
  }
  if (o.format == "json") {
    auto w = make_json_writer(ctx.out, {"path", "line", "column", "severity", "rule", "message"});
    for (const Diagnostic& d : findings) {
      w->row({d.path, static_cast<std::int64_t>(d.pos.line),
              static_cast<std::int64_t>(d.pos.column), std::string(to_string(d.severity)), d.rule,
              d.message});
    }
    w->finish();
  } else {
    std::string buffer;
    for (const Diagnostic& d : findings) {
      buffer += format_diagnostic(d);
      buffer += '\n';
    }
    ctx.out << buffer;
    auto plural = [](int n, const char* word) {
      return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
    };
    std::string summary = "checked " + plural(static_cast<int>(loaded.kb.notes.size()), "note") +
                          ": " + plural(counts[2], "error") + ", " + plural(counts[1], "warning") +
                          ", " + std::to_string(counts[0]) + " info";
    if (!per_rule.empty()) {
      summary += " (";
      bool first = true;
      for (const auto& [rule, n] : per_rule) {
        summary += (first ? "" : ", ") + rule + " " + std::to_string(n);
        first = false;
      }
      summary += ")";
    }
    ctx.out << summary << '\n';
  }
  ctx.out.flush();
  return counts[2] > 0 ? 1 : 0;
}

}  // namespace tkb::cli
