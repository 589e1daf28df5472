#pragma once
// What `rename`, `fix` and `new` share: showing planned changes as a diff (the default, a
// dry run) or writing them (--write), and reporting which files were written.

#include <string>
#include <vector>

#include "context.hpp"
#include "tkb/edit.hpp"

namespace tkb::cli {

struct ChangeReport {
  std::string dry_run;           // the summary after the diff, e.g. "would rename a.md to b.md"
  std::string written;           // the summary once everything was written
  bool stop_on_failure = false;  // a failure stops the run (for changes that belong together)
  std::string on_failure;        // said when a run stopped half-way (how to finish it)
};

// Dry run: the unified diff of every change on stdout, `report.dry_run` on stderr. With
// --write: apply the changes through the disk file system, print one line per file written on
// stdout ("wrote PATH", "moved PATH -> PATH", "created PATH", "removed PATH"), each failure
// and a summary on stderr. Returns 0, or 1 when some file was not written.
int show_or_write(Context& ctx, const Loaded& loaded, const std::vector<FileChange>& changes,
                  const WriteOptions& o, const ChangeReport& report);

// "1 file" / "3 files".
std::string count_of(std::size_t n, const std::string& one, const std::string& many);

}  // namespace tkb::cli
