#pragma once
// What the command line says, as plain structs filled by app.cpp (the only CLI11 user).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "tkb/output.hpp"

namespace tkb::cli {

struct GlobalOptions {
  std::string root;                          // -C/--root; empty: discover
  int verbose = 0;                           // -v (repeatable)
  bool quiet = false;                        // -q
  unsigned jobs = 0;                         // -j; 0: all cores
  bool raw = false;                          // --raw: no formula neutralisation in CSV/TSV
  std::uint64_t max_note_bytes = 16u << 20;  // --max-note-size: larger notes are not read
};

struct ListOptions {
  std::vector<std::string> videos, channels, where;
  std::string sort = "path";
  Format format = Format::table;
};

struct VideosOptions {
  std::vector<std::string> channels;
  Format format = Format::table;
};

struct ResolveOptions {
  std::vector<std::string> targets;
  std::string from;
  bool all = false;
  Format format = Format::table;
};

struct LinksOptions {
  std::string note;
  bool backlinks = false;
  Format format = Format::table;
};

struct CheckOptions {
  std::string format = "text";        // text | json | sarif | github
  std::string color = "auto";         // auto | always | never
  bool context = false;               // --context: source line and caret, even when piped
  bool no_context = false;            // --no-context
  bool summary = false;               // counts and missing targets instead of findings
  std::vector<std::string> select;    // rule names to keep (empty: all)
  std::vector<std::string> ignore;    // rule names to drop
  std::string min_severity = "info";  // info | warning | error
  std::vector<std::string> paths;     // notes, folders or globs to report on
  bool strict = false;                // warnings fail the run too
  bool list_rules = false;            // print the rules and stop
  std::string durations;              // CSV of video_id,seconds
  bool no_cache = false;              // --no-cache: parse every note, store nothing
};

struct TimestampsOptions {
  std::vector<std::string> videos, notes;
  std::string output;  // -o FILE
  Format format = Format::csv;
};

// What every command that changes files takes.
struct WriteOptions {
  bool write = false;          // --write: apply the changes (default: show them as a diff)
  std::string color = "auto";  // --color auto | always | never, for the diff
};

struct RenameOptions {
  std::string old_note;     // OLD: path, stem or title
  std::string new_name;     // NEW: title, stem, file name or path
  bool title = false;       // --title: the front-matter title becomes NEW
  bool merge = false;       // --merge: NEW exists; rewrite the links, move nothing
  bool remove_old = false;  // --remove-old (with --merge)
  WriteOptions w;
};

struct FixOptions {
  std::vector<std::string> paths;   // notes, folders or globs to fix
  std::vector<std::string> select;  // rules to fix (empty: every fixable rule)
  std::vector<std::string> ignore;  // rules not to fix
  bool unlink_broken = false;       // --unlink-broken: [[missing|text]] becomes text
  WriteOptions w;
};

struct NewOptions {
  std::string title, video, channel;
  WriteOptions w;
};

}  // namespace tkb::cli
