// tkb rename OLD NEW: move a note and rewrite every link to it (or, with --merge, send its
// links to another note).
#include "changes.hpp"
#include "context.hpp"
#include "tkb/edit.hpp"

namespace tkb::cli {

int run_rename(Context& ctx, const RenameOptions& o) {
  Loaded loaded = load(ctx);
  RenameRequest request;
  request.note = find_note(loaded, o.old_note);
  request.new_name = o.new_name;
  if (o.title) request.title = "";
  request.merge = o.merge;
  request.remove_old = o.remove_old;
  auto fs = make_disk_file_system(loaded.root);
  RenamePlan plan = plan_rename(loaded.kb, *loaded.resolver, *fs, request);
  for (const std::string& note : plan.notes) ctx.err << "tkb: note: " << printable(note) << '\n';
  std::size_t unread = 0;
  for (const Diagnostic& d : loaded.kb.diagnostics) unread += d.rule == "unreadable-file";
  if (unread) {
    ctx.err << "tkb: warning: " << count_of(unread, "note", "notes")
            << " could not be read; links in them are not rewritten\n";
  }
  if (plan.changes.empty()) {
    ctx.err << "nothing to change\n";
    return 0;
  }

  const std::string links =
      count_of(plan.links, "link", "links") + " in " + count_of(plan.files, "note", "notes");
  std::string what;
  if (o.merge) {
    what = "links of " + plan.old_path + " sent to " + plan.new_path + " (" + links + ")";
    if (o.remove_old) what += ", " + plan.old_path + " removed";
  } else {
    what = plan.old_path + (plan.old_path == plan.new_path ? " retitled" : " -> " + plan.new_path) +
           " (" + links + " rewritten)";
  }
  ChangeReport report;
  what = printable(what);
  report.dry_run = "would change " + count_of(plan.changes.size(), "file", "files") + ": " + what +
                   "; dry run: --write applies it";
  report.written = "changed " + count_of(plan.changes.size(), "file", "files") + ": " + what;
  report.stop_on_failure = true;
  report.on_failure =
      "the note itself is moved (or removed) last: run the same command again to "
      "finish once the cause is fixed";
  return show_or_write(ctx, loaded, plan.changes, o.w, report);
}

}  // namespace tkb::cli
