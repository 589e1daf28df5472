// The only translation unit that uses nlohmann-json.
#include <nlohmann/json.hpp>

#include <algorithm>

#include "tkb/check.hpp"
#include "tkb/output.hpp"
#include "tkb/report.hpp"
#include "tkb/sarif.hpp"

namespace tkb {

// ---- SARIF 2.1.0 ----------------------------------------------------------------------------

std::string sarif_uri(std::string_view path) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (char ch : path) {
    auto c = static_cast<unsigned char>(ch);
    bool keep = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                c == '-' || c == '.' || c == '_' || c == '~' || c == '/';
    if (keep) {
      out += ch;
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

namespace {

const char* sarif_level(Severity s) {
  switch (s) {
    case Severity::error:
      return "error";
    case Severity::warning:
      return "warning";
    case Severity::info:
      return "note";
  }
  return "error";
}

}  // namespace

void write_sarif(std::ostream& out, const std::vector<Diagnostic>& findings,
                 std::string_view tool_version) {
  using nlohmann::ordered_json;
  const std::vector<RuleInfo>& rules = all_rules();
  ordered_json rule_list = ordered_json::array();
  for (const RuleInfo& r : rules) {
    rule_list.push_back({{"id", std::string(r.name)},
                         {"shortDescription", {{"text", std::string(r.description)}}},
                         {"defaultConfiguration", {{"level", sarif_level(r.severity)}}}});
  }
  ordered_json results = ordered_json::array();
  for (const Diagnostic& d : findings) {
    ordered_json result = ordered_json::object();
    result["ruleId"] = d.rule;
    auto it = std::find_if(rules.begin(), rules.end(),
                           [&](const RuleInfo& r) { return r.name == d.rule; });
    if (it != rules.end()) result["ruleIndex"] = it - rules.begin();
    result["level"] = sarif_level(d.severity);
    result["message"] = {{"text", d.message}};
    if (!d.path.empty()) {
      result["locations"] = ordered_json::array(
          {{{"physicalLocation",
             {{"artifactLocation", {{"uri", sarif_uri(d.path)}, {"uriBaseId", "%SRCROOT%"}}},
              {"region", {{"startLine", d.pos.line}, {"startColumn", d.pos.column}}}}}}});
    }
    results.push_back(std::move(result));
  }
  ordered_json driver = {{"name", "tkb"},
                         {"version", std::string(tool_version)},
                         {"semanticVersion", std::string(tool_version)},
                         {"rules", std::move(rule_list)}};
  ordered_json log = {{"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
                      {"version", "2.1.0"},
                      {"runs", ordered_json::array({{{"tool", {{"driver", std::move(driver)}}},
                                                     {"columnKind", "unicodeCodePoints"},
                                                     {"results", std::move(results)}}})}};
  // Invalid UTF-8 from notes becomes U+FFFD: the log is always valid JSON.
  out << log.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
  out.flush();
}

// ---- check --summary --format json ----------------------------------------------------------

void write_summary_json(std::ostream& out, const CheckSummary& s) {
  using nlohmann::ordered_json;
  ordered_json rules = ordered_json::array();
  for (const auto& [rule, n] : s.rules) {
    rules.push_back({{"rule", rule},
                     {"error", n[2]},
                     {"warning", n[1]},
                     {"info", n[0]},
                     {"total", n[0] + n[1] + n[2]}});
  }
  ordered_json missing = ordered_json::array();
  for (const MissingTarget& m : s.missing) {
    missing.push_back({{"target", m.target}, {"links", m.links}, {"notes", m.notes}});
  }
  ordered_json j = {{"notes", s.notes},          {"error", s.totals[2]},
                    {"warning", s.totals[1]},    {"info", s.totals[0]},
                    {"rules", std::move(rules)}, {"missing_targets", std::move(missing)}};
  out << j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
  out.flush();
}

}  // namespace tkb
