// The only translation unit that uses yaml-cpp: front matter, and .tkb.yaml (config).
#include "tkb/check.hpp"
#include "tkb/config.hpp"
#include "tkb/error.hpp"
#include "tkb/front_matter.hpp"
#include "tkb/report.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <optional>
#include <string>
#include <unordered_map>

namespace tkb {

namespace {

// The line [begin, end) without its line ending.
std::string_view line_at(std::string_view text, std::size_t begin, std::size_t* next) {
  std::size_t nl = text.find('\n', begin);
  std::size_t end = nl == std::string_view::npos ? text.size() : nl;
  *next = nl == std::string_view::npos ? text.size() : nl + 1;
  std::string_view line = text.substr(begin, end - begin);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

bool is_delimiter(std::string_view line, bool closing) {
  // Trailing blanks after the marker are tolerated, as most front-matter readers do.
  std::string_view t = line;
  while (!t.empty() && (t.back() == ' ' || t.back() == '\t')) t.remove_suffix(1);
  return t == "---" || (closing && t == "...");
}

Diagnostic make(const LineIndex& lines, std::size_t offset, Severity s, std::string message) {
  return Diagnostic{"", lines.at(offset), s, "yaml-error", std::move(message)};
}

std::string_view node_kind(const YAML::Node& n) {
  switch (n.Type()) {
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Scalar:
      return "a single value";
    case YAML::NodeType::Null:
      return "empty";
    default:
      return "not a mapping";
  }
}

bool plain_key_char(char c, bool first) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' ||
         (!first && ((c >= '0' && c <= '9') || c == '-'));
}

// A value YAML reads as exactly these characters: a plain scalar with no indicator, comment,
// nested mapping or special meaning, or a quoted one with nothing to unescape.
bool simple_value(std::string_view v, std::string& out) {
  if (v.empty()) return false;
  if (v.front() == '"' || v.front() == '\'') {
    char q = v.front();
    if (v.size() < 2 || v.back() != q) return false;
    std::string_view inner = v.substr(1, v.size() - 2);
    if (inner.find(q) != std::string_view::npos || inner.find('\\') != std::string_view::npos) {
      return false;
    }
    out.assign(inner);
    return true;
  }
  static const std::string_view kIndicators = "[]{},#&*!|>%@`\"'";
  if (kIndicators.find(v.front()) != std::string_view::npos) return false;
  if ((v.front() == '-' || v.front() == '?' || v.front() == ':') &&
      (v.size() == 1 || v[1] == ' ')) {
    return false;
  }
  if (v.find(": ") != std::string_view::npos || v.find(" #") != std::string_view::npos ||
      v.back() == ':' || v.find('\t') != std::string_view::npos) {
    return false;
  }
  if (v == "~" || v == "null" || v == "Null" || v == "NULL") return false;  // YAML null
  for (char c : v) {
    if (static_cast<unsigned char>(c) < 0x20) return false;
  }
  out.assign(v);
  return true;
}

// Read `key: value` lines without yaml-cpp. nullopt: let yaml-cpp decide.
std::optional<std::vector<FrontMatterEntry>> read_simple(std::string_view text, std::size_t begin,
                                                         std::size_t end, const LineIndex& lines) {
  std::vector<FrontMatterEntry> entries;
  for (std::size_t pos = begin; pos < end;) {
    std::size_t next;
    std::string_view line = line_at(text, pos, &next);
    if (next > end) next = end;
    while (!line.empty() && (line.back() == ' ')) line.remove_suffix(1);
    if (line.empty()) {
      pos = next;
      continue;
    }
    std::size_t k = 0;
    while (k < line.size() && plain_key_char(line[k], k == 0)) ++k;
    if (k == 0 || k + 1 >= line.size() || line[k] != ':' || line[k + 1] != ' ') return std::nullopt;
    std::size_t v = k + 1;
    while (v < line.size() && line[v] == ' ') ++v;
    FrontMatterEntry e;
    e.key.assign(line.substr(0, k));
    // YAML reads these keys as null, not as a name (found by fuzzing: the fast reader took
    // `null: 1` as a key where yaml-cpp does not).
    if (e.key == "null" || e.key == "Null" || e.key == "NULL") return std::nullopt;
    if (!simple_value(line.substr(v), e.value)) return std::nullopt;
    for (const FrontMatterEntry& prior : entries) {
      if (prior.key == e.key) return std::nullopt;  // yaml-cpp's path reports duplicates
    }
    e.pos = lines.at(pos);
    entries.push_back(std::move(e));
    pos = next;
  }
  return entries;
}

// An upper bound of how deep the YAML text nests: block levels (each deeper indentation, each
// `- ` or `? ` opening a line) plus flow collections. A `[` or `{` opens a collection where a
// value starts (after `key: `, `- `, an anchor or a tag, at the start of a line) or anywhere
// inside another flow collection, outside quotes and comments; elsewhere it is text
// (`title: a{b` is a plain value, found by fuzzing). It only has to be at least what yaml-cpp's
// recursion will meet, and stays near the real depth for ordinary front matter. Stops
// counting past `limit`.
std::size_t nesting_depth(std::string_view yaml, std::size_t limit) {
  std::size_t deepest = 0;
  std::vector<std::size_t> indents;  // block levels open before this line
  std::size_t flow = 0;              // open `[` and `{`
  auto blank = [](char c) { return c == ' ' || c == '\t'; };
  for (std::size_t pos = 0; pos < yaml.size() && deepest <= limit;) {
    std::size_t next;
    std::string_view line = line_at(yaml, pos, &next);
    pos = next;
    std::size_t i = 0;
    while (i < line.size() && line[i] == ' ') ++i;
    if (i == line.size() || line[i] == '#') continue;  // blank or comment: no level
    std::size_t block = 0;
    if (flow == 0) {
      while (!indents.empty() && indents.back() >= i) indents.pop_back();
      indents.push_back(i);
      // `- - - x` and `? ` open one level each on the same line.
      while (i + 1 < line.size() && (line[i] == '-' || line[i] == '?') && blank(line[i + 1])) {
        ++block;
        i += 2;
        while (i < line.size() && blank(line[i])) ++i;
      }
    }
    bool value_start = true;  // (block context) a collection may open here
    char quote = 0;
    for (char prev = ' '; i < line.size(); prev = line[i], ++i) {
      char c = line[i];
      if (quote) {
        if (c == quote) quote = 0;
        continue;
      }
      if (c == '#' && blank(prev)) break;  // comment
      if (flow > 0) {
        bool token_start = blank(prev) || prev == '[' || prev == '{' || prev == ',' || prev == ':';
        if ((c == '"' || c == '\'') && token_start) {
          quote = c;
        } else if (c == '[' || c == '{') {
          ++flow;
          deepest = std::max(deepest, indents.size() + block + flow);
        } else if (c == ']' || c == '}') {
          --flow;
          value_start = false;
        }
        continue;
      }
      if (blank(c)) continue;
      if (value_start && (c == '[' || c == '{')) {
        ++flow;
        deepest = std::max(deepest, indents.size() + block + flow);
      } else if (value_start && (c == '"' || c == '\'')) {
        quote = c;
        value_start = false;
      } else if (value_start && (c == '&' || c == '!')) {
        while (i + 1 < line.size() && !blank(line[i + 1])) ++i;  // an anchor or a tag
      } else if (c == ':' && (i + 1 == line.size() || blank(line[i + 1]))) {
        value_start = true;  // the value of a key
      } else {
        value_start = false;
      }
    }
    deepest = std::max(deepest, indents.size() + block + flow);
  }
  return deepest;
}

}  // namespace

FrontMatterResult parse_front_matter(std::string_view text, const LineIndex& lines,
                                     bool always_yaml) {
  FrontMatterResult r;
  std::size_t start = 0;
  if (text.substr(0, 3) == "\xEF\xBB\xBF") start = 3;
  std::size_t next;
  if (!is_delimiter(line_at(text, start, &next), false)) return r;
  r.front_matter.present = true;
  const std::size_t yaml_begin = next;
  std::size_t yaml_end = text.size();
  for (std::size_t pos = next; pos < text.size();) {
    std::size_t after;
    std::string_view line = line_at(text, pos, &after);
    if (is_delimiter(line, true)) {
      yaml_end = pos;
      r.body_offset = after;
      r.front_matter.closed = true;
      break;
    }
    pos = after;
  }
  if (!r.front_matter.closed) {
    r.diagnostics.push_back(make(lines, start, Severity::error,
                                 "front matter opened with '---' is never closed; the whole "
                                 "note is read as body"));
    r.body_offset = yaml_begin;
    return r;
  }

  if (yaml_end - yaml_begin > kMaxFrontMatterBytes) {
    r.diagnostics.push_back(make(lines, start, Severity::error,
                                 "front matter is " + std::to_string(yaml_end - yaml_begin) +
                                     " bytes, more than the limit of " +
                                     std::to_string(kMaxFrontMatterBytes) + "; it is not read"));
    return r;
  }

  if (!always_yaml) {
    if (auto entries = read_simple(text, yaml_begin, yaml_end, lines)) {
      r.front_matter.entries = std::move(*entries);
      return r;
    }
  }

  const std::uint32_t first_line = lines.at(yaml_begin).line;
  auto mark_offset = [&](const YAML::Mark& m) -> std::size_t {
    if (m.is_null() || m.line < 0) return yaml_begin;
    std::size_t line = first_line + static_cast<std::size_t>(m.line);
    // yaml-cpp counts lines and columns its own way on hostile text (it re-encodes invalid
    // UTF-8, and ends lines at more than '\n'): a mark past the front matter falls back to its
    // start, a column past its line to the line's end (found by fuzzing: a position beyond
    // the end of the file).
    if (line > lines.line_count() || lines.line_start(line) > yaml_end) return yaml_begin;
    std::size_t line_end = line < lines.line_count() ? lines.line_start(line + 1) - 1 : text.size();
    return std::min(lines.line_start(line) + static_cast<std::size_t>(std::max(m.column, 0)),
                    line_end);
  };

  const std::string_view yaml = text.substr(yaml_begin, yaml_end - yaml_begin);
  if (nesting_depth(yaml, kMaxFrontMatterDepth) > kMaxFrontMatterDepth) {
    r.diagnostics.push_back(make(lines, start, Severity::error,
                                 "front matter nests deeper than " +
                                     std::to_string(kMaxFrontMatterDepth) +
                                     " levels; it is not read"));
    return r;
  }

  YAML::Node root;
  try {
    root = YAML::Load(std::string(yaml));
  } catch (const YAML::Exception& e) {
    r.diagnostics.push_back(make(lines, mark_offset(e.mark), Severity::error,
                                 "front matter is not valid YAML: " + e.msg));
    return r;
  } catch (const std::exception& e) {
    r.diagnostics.push_back(
        make(lines, yaml_begin, Severity::error, std::string("front matter: ") + e.what()));
    return r;
  }
  if (root.IsNull()) return r;  // empty front matter: present, no keys
  if (!root.IsMap()) {
    r.diagnostics.push_back(make(
        lines, yaml_begin, Severity::error,
        "front matter is " + std::string(node_kind(root)) + ", not a mapping of keys to values"));
    return r;
  }
  std::unordered_map<std::string, std::uint32_t> seen;
  std::size_t value_bytes = 0;  // every key and value, aliases expanded
  auto too_large = [&](std::size_t add) {
    value_bytes += add;
    return value_bytes > kMaxFrontMatterValueBytes;
  };
  try {
    for (const auto& kv : root) {
      FrontMatterEntry e;
      const YAML::Node& key = kv.first;
      const YAML::Node& value = kv.second;
      e.pos = lines.at(mark_offset(key.Mark()));
      if (!key.IsScalar()) {
        r.diagnostics.push_back(Diagnostic{"", e.pos, Severity::error, "yaml-error",
                                           "front matter key is not a plain name"});
        continue;
      }
      e.key = key.Scalar();
      bool over = too_large(e.key.size());
      if (value.IsScalar()) {
        over = over || too_large(value.Scalar().size());
        if (!over) e.value = value.Scalar();
      } else if (value.IsSequence()) {
        e.is_scalar = false;
        for (const auto& item : value) {
          if (!item.IsScalar()) continue;  // nested structures are not used by tkb
          if ((over = over || too_large(2 * item.Scalar().size() + 2))) break;
          if (!e.value.empty()) e.value += ", ";
          e.value += item.Scalar();
          e.items.push_back(item.Scalar());
        }
      } else {
        e.is_scalar = !value.IsMap();  // null stays a (empty) scalar
      }
      if (over) {
        r.front_matter.entries.clear();
        r.diagnostics.clear();
        r.diagnostics.push_back(make(lines, start, Severity::error,
                                     "front matter values add up to more than " +
                                         std::to_string(kMaxFrontMatterValueBytes) +
                                         " bytes (aliases expanded); it is not read"));
        return r;
      }
      auto [it, inserted] = seen.emplace(e.key, e.pos.line);
      if (!inserted) {
        r.diagnostics.push_back(
            Diagnostic{"", e.pos, Severity::error, "yaml-error",
                       "front matter key '" + e.key + "' repeats the one on line " +
                           std::to_string(it->second) + "; readers disagree on which one wins"});
        continue;
      }
      r.front_matter.entries.push_back(std::move(e));
    }
  } catch (const YAML::Exception& e) {
    r.diagnostics.push_back(make(lines, mark_offset(e.mark), Severity::error,
                                 "front matter could not be read: " + e.msg));
  }
  return r;
}

}  // namespace tkb

namespace tkb {

namespace {

// `path:line:col: message`, at a node's or an error's position.
[[noreturn]] void config_error(const std::string& path, const YAML::Mark& mark,
                               const std::string& message) {
  std::string where = path;
  if (!mark.is_null() && mark.line >= 0) {
    where += ":" + std::to_string(mark.line + 1) + ":" + std::to_string(mark.column + 1);
  }
  throw Error(where + ": " + message);
}

std::string_view config_kind(const YAML::Node& n) {
  switch (n.Type()) {
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Map:
      return "a mapping";
    case YAML::NodeType::Null:
      return "empty";
    default:
      return "a single value";
  }
}

// The keys of a mapping, each checked against `known` and for repeats.
void check_keys(const YAML::Node& map, const std::string& path, const std::string& where,
                const std::vector<std::string_view>& known) {
  std::vector<std::string> seen;
  for (const auto& kv : map) {
    const YAML::Node& key = kv.first;
    if (!key.IsScalar()) config_error(path, key.Mark(), "a key in " + where + " is not a name");
    const std::string& name = key.Scalar();
    if (std::find(known.begin(), known.end(), name) == known.end()) {
      std::string list;
      for (std::string_view k : known) list += (list.empty() ? "" : ", ") + std::string(k);
      config_error(path, key.Mark(),
                   "unknown key '" + name + "' in " + where + did_you_mean(name, known) +
                       "; known keys: " + list);
    }
    if (std::find(seen.begin(), seen.end(), name) != seen.end()) {
      config_error(path, key.Mark(), "key '" + name + "' is given twice in " + where);
    }
    seen.push_back(name);
  }
}

// A list of non-empty names or globs; a single value counts as a list of one.
std::vector<std::string> string_list(const YAML::Node& n, const std::string& path,
                                     const std::string& what) {
  std::vector<std::string> out;
  if (n.IsNull()) return out;
  if (n.IsScalar()) {
    if (n.Scalar().empty()) config_error(path, n.Mark(), what + " holds an empty value");
    out.push_back(n.Scalar());
    return out;
  }
  if (!n.IsSequence()) {
    config_error(path, n.Mark(),
                 what + " must be a list of values, not " + std::string(config_kind(n)));
  }
  for (const auto& item : n) {
    if (!item.IsScalar()) {
      config_error(path, item.Mark(),
                   what + " must hold single values, not " + std::string(config_kind(item)));
    }
    if (item.Scalar().empty()) config_error(path, item.Mark(), what + " holds an empty value");
    out.push_back(item.Scalar());
  }
  return out;
}

void parse_check_section(const YAML::Node& check, const std::string& path, CheckConfig& out) {
  if (check.IsNull()) return;
  if (!check.IsMap()) {
    config_error(path, check.Mark(),
                 "check must be a mapping of settings, not " + std::string(config_kind(check)));
  }
  check_keys(check, path, "check", {"rules", "ignore", "required-keys"});
  for (const auto& kv : check) {
    const std::string& key = kv.first.Scalar();
    const YAML::Node& value = kv.second;
    if (key == "rules") {
      if (value.IsNull()) continue;
      if (!value.IsMap()) {
        config_error(path, value.Mark(),
                     "check.rules must be a mapping of rule names to severities, not " +
                         std::string(config_kind(value)));
      }
      std::vector<std::string_view> names;
      for (const RuleInfo& r : all_rules()) names.push_back(r.name);
      for (const auto& rule : value) {
        const YAML::Node& name = rule.first;
        if (!name.IsScalar()) config_error(path, name.Mark(), "a key in check.rules is not a name");
        if (!find_rule(name.Scalar())) {
          config_error(path, name.Mark(),
                       "unknown rule '" + name.Scalar() + "' in check.rules" +
                           did_you_mean(name.Scalar(), names) +
                           "; `tkb check --list-rules` lists them");
        }
        if (out.severity.count(name.Scalar())) {
          config_error(path, name.Mark(),
                       "rule '" + name.Scalar() + "' is given twice in check.rules");
        }
        const YAML::Node& level = rule.second;
        std::string text = level.IsScalar() ? level.Scalar() : "";
        std::optional<Severity> severity;
        if (text == "error") {
          severity = Severity::error;
        } else if (text == "warning") {
          severity = Severity::warning;
        } else if (text == "info") {
          severity = Severity::info;
        } else if (text != "off") {
          // An empty value has no place of its own: point at its rule.
          config_error(path, level.IsNull() ? name.Mark() : level.Mark(),
                       "severity of '" + name.Scalar() +
                           "' must be error, warning, info or off, not " +
                           (level.IsScalar() && !text.empty() ? "'" + text + "'"
                                                              : std::string(config_kind(level))));
        }
        out.severity[name.Scalar()] = severity;
      }
    } else if (key == "ignore") {
      out.ignore = string_list(value, path, "check.ignore");
    } else {
      out.required_keys = string_list(value, path, "check.required-keys");
    }
  }
}

}  // namespace

Config parse_config(std::string_view text, const std::string& path) {
  YAML::Node root;
  try {
    root = YAML::Load(std::string(text));
  } catch (const YAML::Exception& e) {
    config_error(path, e.mark, "not valid YAML: " + e.msg);
  }
  Config config;
  if (!root || root.IsNull()) return config;  // an empty file: every default
  try {
    if (!root.IsMap()) {
      config_error(
          path, root.Mark(),
          "expected a mapping of settings (check: ...), not " + std::string(config_kind(root)));
    }
    check_keys(root, path, "the top level", {"check"});
    for (const auto& kv : root) parse_check_section(kv.second, path, config.check);
  } catch (const YAML::Exception& e) {
    config_error(path, e.mark, "cannot be read: " + e.msg);
  }
  return config;
}

}  // namespace tkb
