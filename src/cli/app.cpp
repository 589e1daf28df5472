// The command line: the only translation unit that uses CLI11. It fills the option structs
// and hands them to the commands.
#include "app.hpp"

#include <CLI/CLI.hpp>

#include <map>

#include "context.hpp"
#include "log.hpp"
#include "tkb/version.hpp"

namespace tkb::cli {

namespace {

const std::map<std::string, Format> kRecordFormats = {
    {"table", Format::table}, {"tsv", Format::tsv}, {"csv", Format::csv}, {"json", Format::json}};

void add_format(CLI::App* cmd, Format& target, std::map<std::string, Format> formats,
                const std::string& default_name) {
  std::string names;
  for (const auto& [name, f] : formats) names += (names.empty() ? "" : "|") + name;
  cmd->add_option("--format", target,
                  "output format: " + names + " (default: " + default_name + ")")
      ->transform(CLI::CheckedTransformer(formats, CLI::ignore_case))
      ->option_text("FORMAT");
}

}  // namespace

int run(int argc, char** argv, std::ostream& out, std::ostream& err) {
  CLI::App app{
      "tkb: query and check a knowledge base of Markdown notes written from YouTube "
      "transcripts",
      "tkb"};
  app.set_version_flag("--version", std::string("tkb ") + kVersion);
  app.require_subcommand(1);
  app.fallthrough();  // global options may follow the subcommand too

  GlobalOptions g;
  app.add_option("-C,--root", g.root,
                 "knowledge-base root (default: nearest folder above holding .tkb.yaml, else the "
                 "current folder)")
      ->option_text("DIR");
  app.add_flag("-v,--verbose", g.verbose, "log what tkb does to stderr (twice for more)");
  app.add_flag("-q,--quiet", g.quiet, "do not report unreadable notes on stderr");
  app.add_option("-j,--jobs", g.jobs, "threads that read notes (default: one per core)")
      ->option_text("N");
  app.add_flag("--raw", g.raw,
               "write CSV/TSV cells exactly, without guarding cells that start like a formula");
  app.add_option("--max-note-size", g.max_note_bytes,
                 "skip notes larger than this, with an error (default 16777216)")
      ->option_text("BYTES")
      ->check(CLI::Range(std::uint64_t{1}, std::uint64_t{UINT32_MAX}));  // positions are 32-bit

  ListOptions list;
  auto* c_list =
      app.add_subcommand("list", "one row per note: path, title, videoId, channel, counts");
  c_list->add_option("--video", list.videos, "only notes of this videoId (repeatable)")
      ->option_text("ID");
  c_list
      ->add_option("--channel", list.channels, "only notes of this channel or folder (repeatable)")
      ->option_text("NAME");
  c_list
      ->add_option("--where", list.where, "only notes whose front-matter KEY is VALUE (repeatable)")
      ->option_text("KEY=VALUE");
  c_list->add_option("--sort", list.sort, "sort by path|title|video (default: path)")
      ->check(CLI::IsMember({"path", "title", "video"}))
      ->option_text("KEY");
  auto list_formats = kRecordFormats;
  list_formats["paths"] = Format::paths;
  add_format(c_list, list.format, list_formats, "table");

  VideosOptions videos;
  auto* c_videos =
      app.add_subcommand("videos", "one row per videoId: notes, channel, timestamps, URL");
  c_videos->add_option("--channel", videos.channels, "only videos of this channel (repeatable)")
      ->option_text("NAME");
  add_format(c_videos, videos.format, kRecordFormats, "table");

  ResolveOptions resolve;
  auto* c_resolve = app.add_subcommand("resolve", "where wikilink targets go, and by which rule");
  c_resolve
      ->add_option("targets", resolve.targets, "link targets, e.g. 'My note' or [[my_note|text]]")
      ->option_text("TARGET...");
  c_resolve->add_option("--from", resolve.from, "resolve as written in this note")
      ->option_text("NOTE");
  c_resolve->add_flag("--all", resolve.all, "every link of every note, with its position");
  add_format(c_resolve, resolve.format, kRecordFormats, "table");

  LinksOptions links;
  auto* c_links = app.add_subcommand("links", "outgoing links of one note");
  c_links->add_option("note", links.note, "a note: path, stem or title")
      ->required()
      ->option_text("NOTE");
  add_format(c_links, links.format, kRecordFormats, "table");

  LinksOptions backlinks;
  backlinks.backlinks = true;
  auto* c_backlinks = app.add_subcommand("backlinks", "links from other notes to one note");
  c_backlinks->add_option("note", backlinks.note, "a note: path, stem or title")
      ->required()
      ->option_text("NOTE");
  add_format(c_backlinks, backlinks.format, kRecordFormats, "table");

  CheckOptions check;
  auto* c_check =
      app.add_subcommand("check", "find broken links, bad front matter and timestamp problems");
  c_check
      ->add_option("paths", check.paths,
                   "report only on these notes, folders or globs (links still resolve against "
                   "every note)")
      ->option_text("PATH...");
  c_check
      ->add_option("--format", check.format,
                   "text|json|sarif|github (default: text); sarif is SARIF 2.1.0, github "
                   "prints workflow annotations")
      ->check(CLI::IsMember({"text", "json", "sarif", "github"}))
      ->option_text("FORMAT");
  c_check
      ->add_option("--select", check.select,
                   "only these rules (comma-separated, repeatable; see --list-rules)")
      ->delimiter(',')
      ->allow_extra_args(false)  // `--select X PATH`: PATH is not a rule
      ->option_text("RULE,...");
  c_check->add_option("--ignore", check.ignore, "not these rules (comma-separated, repeatable)")
      ->delimiter(',')
      ->allow_extra_args(false)
      ->option_text("RULE,...");
  c_check
      ->add_option("--min-severity", check.min_severity,
                   "drop findings below info|warning|error (default: info)")
      ->check(CLI::IsMember({"info", "warning", "error"}))
      ->option_text("LEVEL");
  c_check->add_flag("--strict", check.strict, "exit 1 on warnings too, not only on errors");
  c_check->add_flag("--summary", check.summary,
                    "counts per rule and the most-linked missing notes instead of each finding");
  auto* o_context = c_check->add_flag(
      "--context", check.context, "show the source line and a caret (default: when a terminal)");
  auto* o_no_context =
      c_check->add_flag("--no-context", check.no_context, "never show the source line");
  o_context->excludes(o_no_context);
  c_check
      ->add_option("--color", check.color,
                   "colour text output: auto|always|never (default: auto: on a terminal, unless "
                   "NO_COLOR is set)")
      ->check(CLI::IsMember({"auto", "always", "never"}))
      ->option_text("WHEN");
  c_check
      ->add_option("--durations", check.durations,
                   "CSV of video_id,seconds: each video's length, for timestamp checks")
      ->option_text("FILE");
  c_check->add_flag("--list-rules", check.list_rules,
                    "print every rule with its default severity and stop");
  c_check->add_flag("--no-cache", check.no_cache,
                    "parse every note, neither reusing nor storing the cache of parsed notes");

  TimestampsOptions ts;
  auto* c_ts = app.add_subcommand("timestamps", "every timestamp link as CSV (or TSV, JSON)");
  c_ts->add_option("--video", ts.videos, "only anchors of this videoId (repeatable)")
      ->option_text("ID");
  c_ts->add_option("--note", ts.notes, "only anchors of this note (repeatable)")
      ->option_text("NOTE");
  c_ts->add_option("-o,--output", ts.output, "write to FILE instead of stdout")
      ->option_text("FILE");
  add_format(c_ts, ts.format, {{"csv", Format::csv}, {"tsv", Format::tsv}, {"json", Format::json}},
             "csv");

  // Commands that change files: a diff by default, --write to apply it.
  auto add_write = [](CLI::App* cmd, WriteOptions& w) {
    cmd->add_flag("--write", w.write,
                  "apply the changes (default: a dry run that prints them as a unified diff)");
    cmd->add_option("--color", w.color,
                    "colour the diff: auto|always|never (default: auto: on a terminal, unless "
                    "NO_COLOR is set)")
        ->check(CLI::IsMember({"auto", "always", "never"}))
        ->option_text("WHEN");
  };

  RenameOptions rename;
  auto* c_rename = app.add_subcommand(
      "rename", "move a note and rewrite every link to it, keeping each link's text");
  c_rename->add_option("old", rename.old_note, "the note: path, stem or title")
      ->required()
      ->option_text("OLD");
  c_rename
      ->add_option("new", rename.new_name,
                   "a new title, file stem, file name or path from the root (with --merge: an "
                   "existing note)")
      ->required()
      ->option_text("NEW");
  c_rename->add_flag("--title", rename.title, "set the front-matter title to NEW (a title)");
  auto* o_merge = c_rename->add_flag(
      "--merge", rename.merge, "NEW is an existing note: send OLD's links to it, move nothing");
  c_rename->add_flag("--remove-old", rename.remove_old, "with --merge: remove OLD")->needs(o_merge);
  add_write(c_rename, rename.w);

  FixOptions fix;
  auto* c_fix = app.add_subcommand("fix", "apply the safe fixes for findings of check");
  c_fix->add_option("paths", fix.paths, "fix only these notes, folders or globs")
      ->option_text("PATH...");
  c_fix->add_option("--select", fix.select, "only these rules' fixes (comma-separated, repeatable)")
      ->delimiter(',')
      ->allow_extra_args(false)
      ->option_text("RULE,...");
  c_fix->add_option("--ignore", fix.ignore, "not these rules' fixes (comma-separated, repeatable)")
      ->delimiter(',')
      ->allow_extra_args(false)
      ->option_text("RULE,...");
  c_fix->add_flag("--unlink-broken", fix.unlink_broken,
                  "turn broken links into their text: [[missing|text]] becomes text");
  add_write(c_fix, fix.w);

  NewOptions create;
  auto* c_new = app.add_subcommand("new", "write a new note in the knowledge base's format");
  c_new->add_option("title", create.title, "the note's title")->required()->option_text("TITLE");
  c_new->add_option("--video", create.video, "its videoId")->required()->option_text("ID");
  c_new->add_option("--channel", create.channel, "its channel (the folder it goes in)")
      ->required()
      ->option_text("NAME");
  add_write(c_new, create.w);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    app.exit(e, out, err);
    return e.get_exit_code() == 0 ? 0 : 2;
  }

  log::init(g.verbose, g.quiet);
  Context ctx{g, out, err};
  if (c_list->parsed()) return run_list(ctx, list);
  if (c_videos->parsed()) return run_videos(ctx, videos);
  if (c_resolve->parsed()) return run_resolve(ctx, resolve);
  if (c_links->parsed()) return run_links(ctx, links);
  if (c_backlinks->parsed()) return run_links(ctx, backlinks);
  if (c_check->parsed()) return run_check(ctx, check);
  if (c_ts->parsed()) return run_timestamps(ctx, ts);
  if (c_rename->parsed()) return run_rename(ctx, rename);
  if (c_fix->parsed()) return run_fix(ctx, fix);
  if (c_new->parsed()) return run_new(ctx, create);
  return 2;
}

}  // namespace tkb::cli
