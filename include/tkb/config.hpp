#pragma once
// .tkb.yaml: per-knowledge-base settings, read from the root.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "tkb/diagnostic.hpp"

namespace tkb {

// What `check` is asked to do beyond its defaults.
struct CheckConfig {
  // Severity per rule name; nullopt switches the rule off.
  std::map<std::string, std::optional<Severity>, std::less<>> severity;
  // Globs (relative to the root, `*` within a name, `**` across folders) whose notes'
  // findings are dropped. Their links still count for other notes.
  std::vector<std::string> ignore;
  // Front-matter keys every topic note must have (rule `missing-key`).
  std::vector<std::string> required_keys;
  // Video lengths in seconds by videoId (rule `timestamp-beyond-duration`), from
  // `--durations FILE`; a note's own front-matter `duration` is used too.
  std::unordered_map<std::string, std::int64_t> durations;
};

struct Config {
  CheckConfig check;
};

// Parse the text of a .tkb.yaml file shown as `path`. Throws tkb::Error naming
// path:line:col for invalid YAML, unknown keys, unknown rules or bad values.
Config parse_config(std::string_view text, const std::string& path);

}  // namespace tkb
