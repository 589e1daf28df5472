#pragma once
// What every command gets: the global options, its streams, and the loaded knowledge base.

#include <functional>
#include <memory>
#include <ostream>
#include <set>
#include <string>
#include <vector>

#include "options.hpp"
#include "tkb/check.hpp"
#include "tkb/config.hpp"
#include "tkb/knowledge_base.hpp"
#include "tkb/resolve.hpp"

namespace tkb::cli {

struct Context {
  GlobalOptions global;
  std::ostream& out;
  std::ostream& err;
};

// A loaded knowledge base with its resolver.
struct Loaded {
  std::string root;
  KnowledgeBase kb;
  std::unique_ptr<Resolver> resolver;
  Config config;  // from the root's .tkb.yaml, when LoadWants::config
};

// Leaves `loaded` to the end of the process, which takes back all its memory at once: freeing
// 100,000 notes' strings and vectors one by one took check 13 ms with -j 1 and 25-30 ms with
// -j 2 (memory allocated on another thread is freed the slow way), after its output was out.
// For commands that have written their output; it stays reachable, which leak checkers accept.
void keep_until_exit(Loaded&& loaded);

// What a command needs from loading.
struct LoadWants {
  bool report_problems = true;  // unreadable notes and broken front matter to stderr
  bool anchor_text = false;     // each anchor's sentence (only `timestamps` prints it)
  bool keep_anchors = true;     // every anchor, not only each note's summary
  bool lint = true;             // links and findings (ParseOptions::lint; off for exports)
  bool config = false;          // read the root's .tkb.yaml (throws tkb::Error when invalid)
  bool compact_links = false;   // LoadOptions::compact_links (load() only)
  bool cache = false;           // with compact_links: LoadOptions::cache, in the user's cache
                                // folder (see README, "The cache")
};

// Find the root (-C, else the nearest ancestor with .tkb.yaml, else the current folder),
// load every note, and report to stderr the notes that could not be read (unless -q).
Loaded load(const Context& ctx, LoadWants wants = {});

// Visit every note in path order without keeping the knowledge base in memory (see
// tkb::for_each_note), reporting problems on stderr as load() does.
void stream_notes(const Context& ctx, LoadWants wants,
                  const std::function<void(const Note&)>& visit);
// The same with a first step, `render`, on the parsing threads, and each batch's text given
// to `write` after its notes' visits (see tkb::for_each_note).
void stream_notes(const Context& ctx, LoadWants wants,
                  const std::function<RenderedText(std::span<const Note* const>)>& render,
                  const std::function<void(const Note&)>& visit,
                  const std::function<void(std::string_view)>& write);

// The note a user named: a path relative to the root (with or without .md), or any link
// target that resolves. Throws tkb::Error (exit 2) with suggestions when nothing matches.
int find_note(const Loaded& loaded, const std::string& spec);

// Positional PATH arguments as globs relative to the root. A path that exists from the
// current folder is taken as such (so `tkb check .` and shell-expanded globs work from any
// folder); anything else is a glob relative to the root. Each must match a note, else
// tkb::Error.
std::vector<std::string> note_globs(const Loaded& loaded, const std::vector<std::string>& args);

OutputOptions output_options(const Context& ctx);

// The videoIds a user asked for (--video). Notes are matched as they come, loaded or streamed;
// afterwards each id must have matched some note: an unknown one is an Error (exit 2).
class VideoFilter {
 public:
  explicit VideoFilter(const std::vector<std::string>& ids) : m_wanted(ids.begin(), ids.end()) {}
  bool empty() const { return m_wanted.empty(); }
  // Whether `n` is one of the wanted videos' notes (every note when none was asked for).
  bool matches(const Note& n);
  // Whether `n` is wanted, without counting it as seen (safe on any thread).
  bool wants(const Note& n) const { return m_wanted.empty() || m_wanted.count(n.video_id) > 0; }
  // Throws tkb::Error naming the first id no note matched.
  void require_all_seen() const;

 private:
  std::set<std::string> m_wanted, m_seen;
};

// The rule names given to `option` (--select, --ignore), trimmed, empty ones dropped. An
// unknown name is an Error with the nearest names and `hint` appended.
std::vector<std::string> rule_names(const std::vector<std::string>& names, const char* option,
                                    std::string_view hint);

// The root as a path from the current folder with a trailing '/' ("content/"), when the root
// lies below the current folder; "" when it is the current folder or elsewhere. Prefixed to
// paths in output that tools resolve from the current folder (GitHub annotations, SARIF).
std::string root_prefix(const Loaded& loaded);

// Whether standard output is a terminal.
bool stdout_is_terminal();

// Implemented one per file, cmd_*.cpp. Each returns the process exit code.
int run_list(Context& ctx, const ListOptions& o);
int run_videos(Context& ctx, const VideosOptions& o);
int run_resolve(Context& ctx, const ResolveOptions& o);
int run_links(Context& ctx, const LinksOptions& o);
int run_check(Context& ctx, const CheckOptions& o);
int run_timestamps(Context& ctx, const TimestampsOptions& o);
int run_rename(Context& ctx, const RenameOptions& o);
int run_fix(Context& ctx, const FixOptions& o);
int run_new(Context& ctx, const NewOptions& o);

}  // namespace tkb::cli
