#include "context.hpp"

#include <algorithm>

#include <cstdlib>
#include <filesystem>
#include <functional>

#include <unistd.h>

#include "log.hpp"
#include "tkb/error.hpp"
#include "tkb/report.hpp"
#include "tkb/text.hpp"
#include "tkb/version.hpp"

namespace fs = std::filesystem;

namespace tkb::cli {

namespace {

std::string find_root(const std::string& given) {
  if (!given.empty()) {
    std::error_code ec;
    if (!fs::is_directory(given, ec)) {
      throw Error("knowledge-base root '" + given + "' is not a folder");
    }
    return given;
  }
  std::error_code ec;
  fs::path cwd = fs::current_path(ec);
  if (ec) throw Error("cannot determine the current folder: " + ec.message());
  for (fs::path p = cwd;; p = p.parent_path()) {
    if (fs::exists(p / ".tkb.yaml", ec)) return p.string();
    if (p == p.parent_path()) break;
  }
  return ".";
}

// .tkb.yaml as the user finds it: from the current folder when the root was discovered (it
// is then absolute), else below the root as given.
std::string shown_config_path(const std::string& root, bool discovered) {
  fs::path p = fs::path(root) / ".tkb.yaml";
  if (discovered) {
    std::error_code ec;
    fs::path rel = p.lexically_relative(fs::current_path(ec));
    if (!ec && !rel.empty()) return rel.generic_string();
  }
  if (root == ".") return ".tkb.yaml";
  return p.generic_string();
}

// Notes that could not be read, or whose front matter is broken, change every command's
// answer: say so on stderr.
void report_load_problems(const Context& ctx, const std::vector<Diagnostic>& problems) {
  for (const Diagnostic& d : problems) {
    if (d.severity != Severity::info) ctx.err << format_diagnostic(d) << '\n';
  }
}

// The parse findings that change every command's answer, not only check's.
bool is_reported_on_load(const Diagnostic& d) {
  return d.rule == "binary-content" || d.rule == "yaml-error";
}

void report_note_problems(const Context& ctx, const Note& n) {
  for (const Diagnostic& d : n.diagnostics) {
    if (is_reported_on_load(d)) ctx.err << format_diagnostic(d) << '\n';
  }
}

// The file check's cache of the knowledge base at `root`, as parsed with `settings`, goes
// into: $TKB_CACHE_DIR (empty: no cache), else $XDG_CACHE_HOME/tkb, else ~/.cache/tkb; named
// after the root's absolute path and the settings (a run with --durations keeps every anchor,
// and has its own). "" when there is nowhere to put it.
std::string cache_file(const std::string& root, const std::string& settings,
                       std::string& absolute_root) {
  fs::path folder;
  if (const char* dir = std::getenv("TKB_CACHE_DIR")) {
    if (!*dir) return {};
    folder = dir;
  } else if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg == '/') {
    folder = fs::path(xdg) / "tkb";
  } else if (const char* home = std::getenv("HOME"); home && *home) {
    folder = fs::path(home) / ".cache" / "tkb";
  } else {
    return {};
  }
  std::error_code ec;
  fs::path abs = fs::weakly_canonical(fs::absolute(root, ec), ec);
  if (ec) return {};
  absolute_root = abs.string();
  static const char* const kHex = "0123456789abcdef";
  std::string name = "check-";
  const std::uint64_t h = std::hash<std::string>{}(absolute_root + "\n" + settings);
  for (int shift = 60; shift >= 0; shift -= 4) name += kHex[(h >> shift) & 0xF];
  return (folder / (name + ".cache")).string();
}

}  // namespace

void keep_until_exit(Loaded&& loaded) {
  static auto* const kept = new std::vector<std::unique_ptr<Loaded>>();
  kept->push_back(std::make_unique<Loaded>(std::move(loaded)));
}

Loaded load(const Context& ctx, LoadWants wants) {
  Loaded loaded;
  loaded.root = find_root(ctx.global.root);
  const log::Stopwatch loading;
  auto fs = make_disk_file_system(loaded.root);
  std::error_code config_ec;
  if (wants.config && std::filesystem::exists(std::filesystem::symlink_status(
                          std::filesystem::path(loaded.root) / ".tkb.yaml", config_ec))) {
    const std::string shown = shown_config_path(loaded.root, ctx.global.root.empty());
    std::string error;
    auto text = fs->read(".tkb.yaml", 1u << 20, error);
    if (!text) throw Error("cannot read " + shown + ": " + error);
    loaded.config = parse_config(*text, shown);
    log::info("read settings from " + shown);
  }
  LoadOptions options;
  options.jobs = ctx.global.jobs;
  options.max_note_bytes = ctx.global.max_note_bytes;
  options.parse.anchor_text = wants.anchor_text;
  options.parse.keep_anchors = wants.keep_anchors;
  options.compact_links = wants.compact_links;
  std::unique_ptr<CacheStore> cache;
  if (wants.compact_links && wants.cache) {
    const std::string settings = std::string(options.parse.anchor_text ? "text" : "-") +
                                 (options.parse.keep_anchors ? " anchors" : " -") +
                                 (options.parse.always_full_markdown ? " full" : " -");
    std::string absolute_root;
    const std::string file = cache_file(loaded.root, settings, absolute_root);
    const std::string build = executable_identity();
    if (!file.empty() && !build.empty()) {
      cache = make_disk_cache_store(file);
      options.cache = cache.get();
      // Everything the cached notes depend on besides their files.
      options.cache_key =
          std::string("tkb ") + kVersion + "\n" + build + "\n" + absolute_root + "\n" + settings;
    }
  }
  loaded.kb = load_knowledge_base(*fs, options);
  log::debug("parsed the notes in " + loading.text());
  if (cache) {
    const CacheReport& c = loaded.kb.cache;
    log::info("cache " + cache->name() + ": " + std::to_string(c.reused) + " notes reused, " +
              std::to_string(c.parsed) + " parsed" +
              (c.damaged ? "; it could not be used and was replaced" : "") +
              (c.written ? "; stored anew" : "") +
              (c.unwritten ? "; a new one could not be stored" : ""));
  }
  const log::Stopwatch indexing;
  loaded.resolver = std::make_unique<Resolver>(loaded.kb, ctx.global.jobs);
  log::debug("indexed their names in " + indexing.text());
  log::info("loaded " + std::to_string(loaded.kb.notes.size()) + " notes from " + loaded.root +
            " in " + std::to_string(loading.wall_ms()) + " ms");
  if (wants.report_problems && !ctx.global.quiet) {
    report_load_problems(ctx, loaded.kb.diagnostics);
    for (const Note& n : loaded.kb.notes) report_note_problems(ctx, n);
  }
  return loaded;
}

void stream_notes(const Context& ctx, LoadWants wants,
                  const std::function<RenderedText(std::span<const Note* const>)>& render,
                  const std::function<void(const Note&)>& visit,
                  const std::function<void(std::string_view)>& write) {
  std::string root = find_root(ctx.global.root);
  auto fs = make_disk_file_system(root);
  LoadOptions options;
  options.jobs = ctx.global.jobs;
  options.max_note_bytes = ctx.global.max_note_bytes;
  options.parse.anchor_text = wants.anchor_text;
  options.parse.keep_anchors = wants.keep_anchors;
  options.parse.lint = wants.lint;
  std::vector<Diagnostic> problems;
  std::vector<Diagnostic> note_problems;  // few: reported after the files', as load() does
  for_each_note(
      *fs, options, render,
      [&](Note& n) {
        for (const Diagnostic& d : n.diagnostics) {
          if (is_reported_on_load(d)) note_problems.push_back(d);
        }
        visit(n);
      },
      write, problems);
  if (wants.report_problems && !ctx.global.quiet) {
    report_load_problems(ctx, problems);
    for (const Diagnostic& d : note_problems) ctx.err << format_diagnostic(d) << '\n';
  }
}

void stream_notes(const Context& ctx, LoadWants wants,
                  const std::function<void(const Note&)>& visit) {
  stream_notes(ctx, wants, nullptr, visit, nullptr);
}

int find_note(const Loaded& loaded, const std::string& spec) {
  std::string rel = spec;
  // A path as typed from the current folder, if it lies inside the root.
  std::error_code ec;
  if (fs::is_regular_file(spec, ec)) {
    fs::path r =
        fs::weakly_canonical(spec, ec).lexically_relative(fs::weakly_canonical(loaded.root, ec));
    if (!r.empty() && r.native()[0] != '.') rel = r.generic_string();
  }
  int i = loaded.kb.find_path(rel);
  if (i < 0) i = loaded.kb.find_path(rel + ".md");
  if (i >= 0) return i;
  Resolution r = loaded.resolver->resolve(spec);
  if (r.resolved()) return r.note;
  std::string message = "no note '" + spec + "' in " + loaded.root;
  if (r.ambiguous()) {
    message = "'" + spec + "' matches several notes:";
    for (int c : r.candidates) message += "\n  " + loaded.kb.notes[c].path;
    message += "\ngive the path to choose one";
  } else if (auto s = loaded.resolver->suggest(spec); !s.empty()) {
    message += "; did you mean";
    for (std::size_t k = 0; k < s.size(); ++k) message += (k ? ", " : " ") + s[k];
    message += "?";
  }
  throw Error(message);
}

std::vector<std::string> note_globs(const Loaded& loaded, const std::vector<std::string>& args) {
  auto matches = [&](const std::string& glob) {
    for (const Note& n : loaded.kb.notes) {
      if (glob_match(glob, n.path)) return true;
    }
    for (const Diagnostic& d : loaded.kb.diagnostics) {
      if (!d.path.empty() && glob_match(glob, d.path)) return true;
    }
    return false;
  };
  std::vector<std::string> out;
  for (const std::string& arg : args) {
    std::string glob = arg;
    const bool wild = arg.find_first_of("*?") != std::string::npos;
    std::error_code ec;
    if (!wild && fs::exists(fs::symlink_status(arg, ec))) {
      fs::path rel =
          fs::weakly_canonical(arg, ec).lexically_relative(fs::weakly_canonical(loaded.root, ec));
      std::string r = rel.generic_string();
      if (ec || rel.empty() || r == ".." || r.rfind("../", 0) == 0) {
        throw Error("'" + arg + "' is outside the knowledge base at " +
                    fs::weakly_canonical(loaded.root, ec).string());
      }
      glob = r == "." ? "**" : r;
    }
    if (!matches(glob)) {
      if (wild || !matches(glob + ".md")) throw Error("no note matches '" + arg + "'");
      glob += ".md";
    }
    out.push_back(std::move(glob));
  }
  return out;
}

std::string root_prefix(const Loaded& loaded) {
  std::error_code ec;
  fs::path cwd = fs::weakly_canonical(fs::current_path(ec), ec);
  fs::path root = fs::weakly_canonical(loaded.root, ec);
  if (ec) return "";
  std::string rel = root.lexically_relative(cwd).generic_string();
  if (rel.empty() || rel == "." || rel == ".." || rel.rfind("../", 0) == 0) return "";
  return rel + "/";
}

bool stdout_is_terminal() {
  return ::isatty(STDOUT_FILENO) == 1;
}

OutputOptions output_options(const Context& ctx) {
  OutputOptions o;
  o.neutralize_formulas = !ctx.global.raw;
  return o;
}

std::vector<std::string> rule_names(const std::vector<std::string>& names, const char* option,
                                    std::string_view hint) {
  std::vector<std::string> out;
  for (const std::string& raw : names) {
    std::string name(trim(raw));
    if (name.empty()) continue;
    if (!find_rule(name)) {
      std::vector<std::string_view> known;
      for (const RuleInfo& r : all_rules()) known.push_back(r.name);
      throw Error("unknown rule '" + name + "' in " + option + did_you_mean(name, known) +
                  std::string(hint));
    }
    out.push_back(std::move(name));
  }
  return out;
}

bool VideoFilter::matches(const Note& n) {
  if (m_wanted.empty()) return true;
  if (!m_wanted.count(n.video_id)) return false;
  m_seen.insert(n.video_id);
  return true;
}

void VideoFilter::require_all_seen() const {
  for (const std::string& v : m_wanted) {
    if (!m_seen.count(v)) throw Error("no note has videoId '" + v + "'");
  }
}

}  // namespace tkb::cli
