// The only translation unit that uses yaml-cpp.
#include "tkb/front_matter.hpp"

#include <yaml-cpp/yaml.h>

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
    case YAML::NodeType::Sequence: return "a list";
    case YAML::NodeType::Scalar: return "a single value";
    case YAML::NodeType::Null: return "empty";
    default: return "not a mapping";
  }
}

}  // namespace

FrontMatterResult parse_front_matter(std::string_view text, const LineIndex& lines) {
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

  const std::uint32_t first_line = lines.at(yaml_begin).line;
  auto mark_offset = [&](const YAML::Mark& m) -> std::size_t {
    if (m.is_null() || m.line < 0) return yaml_begin;
    std::size_t line = first_line + static_cast<std::size_t>(m.line);
    if (line > lines.line_count()) return yaml_begin;
    return lines.line_start(line) + static_cast<std::size_t>(std::max(m.column, 0));
  };

  YAML::Node root;
  try {
    root = YAML::Load(std::string(text.substr(yaml_begin, yaml_end - yaml_begin)));
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
    r.diagnostics.push_back(make(lines, yaml_begin, Severity::error,
                                 "front matter is " + std::string(node_kind(root)) +
                                     ", not a mapping of keys to values"));
    return r;
  }
  std::unordered_map<std::string, std::uint32_t> seen;
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
      if (value.IsScalar()) {
        e.value = value.Scalar();
      } else if (value.IsSequence()) {
        e.is_scalar = false;
        for (const auto& item : value) {
          if (!item.IsScalar()) continue;  // nested structures are not used by tkb
          if (!e.value.empty()) e.value += ", ";
          e.value += item.Scalar();
          e.items.push_back(item.Scalar());
        }
      } else {
        e.is_scalar = !value.IsMap();  // null stays a (empty) scalar
      }
      auto [it, inserted] = seen.emplace(e.key, e.pos.line);
      if (!inserted) {
        r.diagnostics.push_back(Diagnostic{
            "", e.pos, Severity::error, "yaml-error",
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
