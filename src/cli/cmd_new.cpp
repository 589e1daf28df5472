// tkb new TITLE --video ID --channel NAME: a new note in the knowledge base's format.
#include "changes.hpp"
#include "context.hpp"
#include "tkb/edit.hpp"

namespace tkb::cli {

int run_new(Context& ctx, const NewOptions& o) {
  Loaded loaded = load(ctx);
  auto fs = make_disk_file_system(loaded.root);
  FileChange change = plan_new(loaded.kb, *fs, {o.title, o.video, o.channel});
  ChangeReport report;
  report.dry_run = "would create " + printable(change.path) + "; dry run: --write writes it";
  report.written = "created 1 note";
  return show_or_write(ctx, loaded, {change}, o.w, report);
}

}  // namespace tkb::cli
