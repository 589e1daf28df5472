#pragma once
// Changing notes safely: `rename`, `fix` and `new` plan their changes here as whole file
// contents, built from byte-exact edits of the text on disk; the CLI shows them as unified
// diffs and apply_changes() writes them through the FileSystem seam, one atomic replacement
// per file, refusing any file that changed on disk since it was read.

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tkb/config.hpp"
#include "tkb/diagnostic.hpp"
#include "tkb/knowledge_base.hpp"
#include "tkb/resolve.hpp"

namespace tkb {

// ---- Edits and file changes ----------------------------------------------------------------

// Replace `old_text` at byte `offset` of a file with `new_text`.
struct Edit {
  std::size_t offset = 0;
  std::string old_text, new_text;
  std::string rule;  // the check rule a fix answers; empty for other edits
};

// `text` with every edit applied (given in any order). Nullopt with `error` set when the bytes
// at an edit's offset are not its old_text (the file is not the one the edits were planned
// on) or two edits overlap. Bytes outside the edited spans are kept exactly.
std::optional<std::string> apply_edits(std::string_view text, std::vector<Edit> edits,
                                       std::string& error);

// One file's change. Paths are relative to the root.
struct FileChange {
  std::string path;                        // the file as it is now (or will be, when created)
  std::optional<std::string> old_content;  // what it holds now; nullopt: it does not exist yet
  std::optional<std::string> new_content;  // what it will hold; nullopt: it is removed
  std::string new_path;                    // non-empty: moved there after it is written
  bool created() const { return !old_content; }
  bool removed() const { return !new_content; }
  bool moved() const { return !new_path.empty() && new_path != path; }
  bool content_changed() const { return old_content != new_content; }
};

// A unified diff (3 lines of context) from `old_text` to `new_text`, with git-style headers
// (`diff --git`, `rename from/to`, `--- a/PATH`, `+++ b/PATH`, `/dev/null` for a created or
// removed file) so that `git apply` and `patch -p1` take it. Lines end where '\n' does: a '\r'
// before it is part of the line, and a last line without '\n' gets "\ No newline at end of
// file". Empty when nothing changes.
std::string unified_diff(std::string_view old_path, std::string_view new_path,
                         std::string_view old_text, std::string_view new_text, bool created = false,
                         bool removed = false);
std::string unified_diff(const FileChange& change);

// What apply_changes() did with each change, in order.
struct ApplyOutcome {
  enum class Status { written, failed, not_attempted };
  Status status = Status::not_attempted;
  std::string error;  // why it failed
};
struct ApplyReport {
  std::vector<ApplyOutcome> outcomes;  // one per change, same order
  std::size_t count(ApplyOutcome::Status s) const;
  bool complete() const { return count(ApplyOutcome::Status::written) == outcomes.size(); }
};

// Write the changes in order, each file atomically (FileSystem::write_atomic), each checked
// against its old_content right before it is replaced: a file that changed on disk since it
// was read is left alone and reported. A moved file is written in place, then moved. With
// `stop_on_failure`, the first failure stops the run (later changes are not attempted).
ApplyReport apply_changes(FileSystem& fs, const std::vector<FileChange>& changes,
                          bool stop_on_failure);

// ---- Shared helpers -------------------------------------------------------------------------

// `value` as a YAML scalar for a `key: value` line: plain when YAML reads it back unchanged,
// else double-quoted.
std::string yaml_scalar(std::string_view value);

// The canonical timestamp link: <a class="yt-timestamp" data-t="T">[T]</a>.
std::string timestamp_anchor(std::string_view time);

// The link `link` as written at `link.pos.offset` of `text`, with its target replaced by
// `new_target`; its #fragment, alias, spacing and embed mark are kept. A link without an alias
// whose target changes gets the old target as its alias (`\|` inside a table row), so that its
// visible text stays; embeds get none.
std::string retarget_link(const WikiLink& link, std::string_view text, std::string_view new_target);

// ---- tkb fix --------------------------------------------------------------------------------

// The rules `fix` has fixes for, in the order the fixes are tried.
const std::vector<std::string_view>& fixable_rules();

struct FixRequest {
  std::vector<std::string> rules;  // which rules to fix (each from fixable_rules())
  CheckConfig config;              // as `check` runs with it: rules off are not fixed
  std::vector<std::string> paths;  // globs of the notes to fix; empty: every note
};

struct FixPlan {
  std::vector<FileChange> changes;             // sorted by path
  std::map<std::string, std::size_t> fixed;    // findings fixed, per rule
  std::map<std::string, std::size_t> left;     // findings of the rules asked for left as they are
  std::map<std::string, std::size_t> refused;  // ... of which a fix would bring a new finding
  std::vector<Diagnostic> problems;  // files that could not be read or changed since loading
};

// Plan the fixes for the findings `run_checks` reports on `kb`, reading each file again
// through `fs` and checking every edit against the bytes there. A group of fixes (one rule in
// one note) that would bring a new finding into the note is left out. Applying the plan and
// planning again gives no change.
FixPlan plan_fixes(const KnowledgeBase& kb, const Resolver& resolver, FileSystem& fs,
                   const FixRequest& request);

// ---- tkb rename -----------------------------------------------------------------------------

struct RenameRequest {
  int note = -1;         // the note to rename (index into kb.notes)
  std::string new_name;  // NEW: a title, a file stem, a file name or a path from the root
  // --title: set the front-matter title to this; "" means NEW itself (which must be a title).
  std::optional<std::string> title;
  bool merge = false;       // NEW is an existing note: rewrite links to it, move nothing
  bool remove_old = false;  // with merge: remove the old note
};

struct RenamePlan {
  std::vector<FileChange> changes;  // links first (by path), the renamed note last
  std::string old_path, new_path;   // new_path: the note links now reach
  std::size_t links = 0;            // links rewritten
  std::size_t files = 0;            // notes whose links were rewritten (OLD included)
  std::vector<std::string> notes;   // remarks for the user (links kept on their note, ...)
};

// Throws tkb::Error when the rename is refused: NEW collides with another note (unless
// merge), a file changed since it was read, or a link could not be kept on its note.
RenamePlan plan_rename(const KnowledgeBase& kb, const Resolver& resolver, FileSystem& fs,
                       const RenameRequest& request);

// ---- tkb new --------------------------------------------------------------------------------

struct NewRequest {
  std::string title, video_id, channel;
};

// The new note: front matter (title, videoId), a blank line, `From: [[channel]] <br/>`, a
// blank line; named by slugify(title) in the channel's folder. Throws tkb::Error when the
// channel is unknown, the title gives no file name, the video id is invalid, or a note of
// that name exists.
FileChange plan_new(const KnowledgeBase& kb, FileSystem& fs, const NewRequest& request);

}  // namespace tkb
