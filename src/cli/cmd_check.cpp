// tkb check: findings as text (with source lines and colour), JSON, SARIF or GitHub
// annotations, or a summary; exit 1 when an error (with --strict: a warning) remains.
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <sstream>
#include <unordered_map>

#include "context.hpp"
#include "log.hpp"
#include "tkb/error.hpp"
#include "tkb/parallel.hpp"
#include "tkb/report.hpp"
#include "tkb/sarif.hpp"
#include "tkb/text.hpp"
#include "tkb/version.hpp"

namespace tkb::cli {

namespace {

constexpr std::size_t kMissingTargets = 10;  // rows of --summary's missing-target table

// ---- Options --------------------------------------------------------------------------------

Severity severity_named(const std::string& s) {
  return s == "error" ? Severity::error : s == "warning" ? Severity::warning : Severity::info;
}

std::unordered_map<std::string, std::int64_t> read_durations(const std::string& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw Error("cannot read durations file '" + file + "'");
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw Error("cannot read durations file '" + file + "'");
  return parse_durations(text.str(), file);
}

// ---- Source lines ---------------------------------------------------------------------------

// The text of the files that have findings, read through the disk seam one file at a time
// (findings come sorted by path, so each file is read once).
class Sources {
 public:
  explicit Sources(const std::string& root) : m_fs(make_disk_file_system(root)) {}

  // Line `line` of `path`, or nullopt when the file cannot be read or has no such line.
  std::optional<std::string_view> line(const std::string& path, std::uint32_t line) {
    if (path.empty()) return std::nullopt;
    if (path != m_path) {
      m_path = path;
      std::string error;
      m_starts.clear();
      if (m_fs->read_into(path, 16u << 20, m_text, error)) {
        m_starts.push_back(0);
        for (std::size_t i = 0; i < m_text.size(); ++i) {
          if (m_text[i] == '\n') m_starts.push_back(i + 1);
        }
      }
    }
    if (line == 0 || line > m_starts.size()) return std::nullopt;
    std::size_t begin = m_starts[line - 1];
    std::size_t end = line < m_starts.size() ? m_starts[line] - 1 : m_text.size();
    std::string_view text = std::string_view(m_text).substr(begin, end - begin);
    if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
    return text;
  }

 private:
  std::unique_ptr<FileSystem> m_fs;
  std::string m_path, m_text;
  std::vector<std::size_t> m_starts;  // where each line begins; empty when unreadable
};

// For tools outside tkb: columns in code points, paths from the current folder.
void prepare_for_tools(std::vector<Diagnostic>& findings, const Loaded& loaded) {
  Sources sources(loaded.root);
  const std::string prefix = root_prefix(loaded);
  for (Diagnostic& d : findings) {
    if (auto line = sources.line(d.path, d.pos.line)) {
      d.pos.column = code_point_column(*line, d.pos.column);
    }
    if (!d.path.empty()) d.path = prefix + d.path;
  }
}

// ---- Text -----------------------------------------------------------------------------------

struct Style {
  bool on = false;
  std::string wrap(std::string_view code, std::string_view text) const {
    if (!on) return std::string(text);
    return "\033[" + std::string(code) + "m" + std::string(text) + "\033[0m";
  }
};

std::string_view severity_colour(Severity s) {
  switch (s) {
    case Severity::error:
      return "1;31";  // bold red
    case Severity::warning:
      return "1;33";  // bold yellow
    case Severity::info:
      return "1;36";  // bold cyan
  }
  return "1";
}

// Findings as text lines, appended to `out`; with `sources`, each followed by its source line
// and a caret.
void render_text(std::string& out, const std::vector<Diagnostic>& findings, const Style& style,
                 Sources* sources) {
  for (const Diagnostic& d : findings) {
    if (style.on) out += "\033[1m";
    if (d.path.empty()) {
      out += "tkb:";
    } else {
      append_printable(out, d.path);
      out += ':';
      append_number(out, d.pos.line);
      out += ':';
      append_number(out, d.pos.column);
      out += ':';
    }
    out += style.on ? "\033[0m " : " ";
    if (style.on) {
      out += style.wrap(severity_colour(d.severity), std::string(to_string(d.severity)) + ":");
    } else {
      out += to_string(d.severity);
      out += ':';
    }
    out += ' ';
    append_printable(out, d.message);
    out += " [";
    out += d.rule;
    out += "]\n";  // one line each
    if (!sources) continue;
    if (auto line = sources->line(d.path, d.pos.line)) {
      SourceExcerpt e = source_excerpt(*line, d.pos.column);
      std::string number = std::to_string(d.pos.line);
      if (number.size() < 5) number.insert(0, 5 - number.size(), ' ');
      out += style.wrap("1;34", number + " |") + (e.text.empty() ? "" : " ") + e.text + "\n";
      out += style.wrap("1;34", std::string(number.size(), ' ') + " |") + " " + e.caret +
             style.wrap("1;32", "^") + "\n";
    }
  }
}

int list_rules(Context& ctx, const CheckOptions& o) {
  if (o.format == "json") {
    auto w = make_json_writer(ctx.out, {"rule", "severity", "description"});
    for (const RuleInfo& r : all_rules()) {
      w->row({std::string(r.name), std::string(to_string(r.severity)), std::string(r.description)});
    }
    w->finish();
    return 0;
  }
  if (o.format != "text") throw Error("--list-rules prints --format text or json");
  std::size_t width = 0;
  for (const RuleInfo& r : all_rules()) width = std::max(width, r.name.size());
  std::string text;
  for (const RuleInfo& r : all_rules()) {
    std::string severity(to_string(r.severity));
    text += std::string(r.name) + std::string(width - r.name.size() + 2, ' ') + severity +
            std::string(9 - severity.size(), ' ') + std::string(r.description) + "\n";
  }
  ctx.out << text;
  ctx.out.flush();
  return 0;
}

}  // namespace

int run_check(Context& ctx, const CheckOptions& o) {
  // Everything about the command line is checked before the knowledge base is read.
  FindingFilter filter;
  filter.select = rule_names(o.select, "--select", "; `tkb check --list-rules` lists them");
  filter.ignore = rule_names(o.ignore, "--ignore", "; `tkb check --list-rules` lists them");
  filter.min_severity = severity_named(o.min_severity);
  if (o.list_rules) return list_rules(ctx, o);
  if (o.summary && o.format != "text" && o.format != "json") {
    throw Error("--summary prints --format text or json, not " + o.format);
  }
  std::unordered_map<std::string, std::int64_t> durations;
  if (!o.durations.empty()) durations = read_durations(o.durations);

  // Every problem is a finding here, so loading reports none on stderr. Anchors are kept only
  // when video lengths are known: timestamp-beyond-duration compares each one to them. Of
  // the links, only what the rules read.
  Loaded loaded = load(ctx, {.report_problems = false,
                             .keep_anchors = !durations.empty(),
                             .config = true,
                             .compact_links = true,
                             .cache = !o.no_cache});
  CheckConfig& config = loaded.config.check;
  for (auto& [id, seconds] : durations) config.durations[id] = seconds;
  filter.paths = note_globs(loaded, o.paths);

  auto any_glob = [](const std::vector<std::string>& globs, const std::string& path) {
    return std::any_of(globs.begin(), globs.end(),
                       [&](const std::string& g) { return glob_match(g, path); });
  };
  CheckSummary summary;
  for (const Note& n : loaded.kb.notes) {
    if ((filter.paths.empty() || any_glob(filter.paths, n.path)) &&
        !any_glob(config.ignore, n.path)) {
      ++summary.notes;
    }
  }

  const bool terminal = stdout_is_terminal();
  const char* no_color = std::getenv("NO_COLOR");
  const char* term = std::getenv("TERM");
  Style style;
  style.on = o.color == "always" || (o.color == "auto" && terminal && !(no_color && *no_color) &&
                                     !(term && std::string_view(term) == "dumb"));
  const bool text = !o.summary && o.format == "text";
  std::unique_ptr<Sources> sources;
  if (text && (o.context || (!o.no_context && terminal))) {
    sources = std::make_unique<Sources>(loaded.root);
  }
  const std::vector<std::string> json_columns = {"path",     "line", "column",
                                                 "severity", "rule", "message"};
  std::unique_ptr<RecordWriter> json;
  if (!o.summary && o.format == "json") json = make_json_writer(ctx.out, json_columns);
  std::vector<Diagnostic> for_tools;  // SARIF and GitHub annotations: written at the end

  // Findings are made a few hundred notes at a time on every core (and, as text, formatted
  // and counted there too), then written in order: a large knowledge base never holds them
  // all. Findings that only the text needs are freed on the thread that made them: with
  // -j 2, freeing them on the writing thread (memory another thread allocated is freed the
  // slow way) and counting them there held the writer up.
  const log::Stopwatch resolving;
  CheckRun run(loaded.kb, *loaded.resolver, config, ctx.global.jobs);
  log::debug("resolved every link in " + resolving.text());
  const log::Stopwatch writing;
  constexpr std::size_t kNotesPerBatch = 256;
  struct Batch {
    std::vector<Diagnostic> findings;
    CheckSummary counts;
    std::string text;
  };
  // The findings themselves go to the writing thread only for text with source lines (read
  // there, in order) and for SARIF and GitHub annotations (written at the end).
  const bool findings_written = !o.summary && ((text && sources) || (!text && !json));
  const std::size_t notes = run.note_count();
  const std::size_t batches =
      std::max<std::size_t>(1, (notes + kNotesPerBatch - 1) / kNotesPerBatch);
  ordered_parallel<Batch>(
      batches, ctx.global.jobs, 8,
      [&](std::size_t k) {
        Batch b;
        b.findings =
            filter_findings(run.findings(k * kNotesPerBatch, (k + 1) * kNotesPerBatch), filter);
        count_findings(b.counts, b.findings);
        if (text && !sources) render_text(b.text, b.findings, style, nullptr);
        if (json) {
          auto rows = make_text_writer(Format::json, b.text, json_columns);
          for (const Diagnostic& d : b.findings) {
            rows->row({d.path, static_cast<std::int64_t>(d.pos.line),
                       static_cast<std::int64_t>(d.pos.column), std::string(to_string(d.severity)),
                       d.rule, d.message});
          }
          rows->finish();
        }
        if (!findings_written) std::vector<Diagnostic>().swap(b.findings);
        return b;
      },
      [&](std::size_t, Batch& b) {
        add_counts(summary, b.counts);
        if (o.summary) return;
        if (text && sources) render_text(b.text, b.findings, style, sources.get());
        if (text) {
          ctx.out << b.text;
        } else if (json) {
          json->formatted_rows(b.text);
        } else {
          std::move(b.findings.begin(), b.findings.end(), std::back_inserter(for_tools));
        }
      });
  log::debug("made and wrote the findings in " + writing.text());
  log::info(summary_line(summary, true));

  if (o.summary) {
    // Missing targets are worth showing only while broken links are: not when the rule is
    // off, left out by --select/--ignore, or below --min-severity.
    Diagnostic probe{"", {}, find_rule("broken-link")->severity, "broken-link", ""};
    bool shown = true;
    if (auto it = config.severity.find("broken-link"); it != config.severity.end()) {
      shown = it->second.has_value();
      if (shown) probe.severity = *it->second;
    }
    FindingFilter rules_only = filter;
    rules_only.paths.clear();
    if (shown && !filter_findings({probe}, rules_only).empty()) {
      summary.missing = missing_targets(loaded.kb, *loaded.resolver, kMissingTargets, filter.paths,
                                        config.ignore);
    }
    if (o.format == "json") {
      write_summary_json(ctx.out, summary);
    } else {
      write_summary_text(ctx.out, summary);
    }
  } else if (json) {
    json->finish();
  } else if (o.format == "sarif" || o.format == "github") {
    prepare_for_tools(for_tools, loaded);
    if (o.format == "sarif") {
      write_sarif(ctx.out, for_tools, kVersion);
    } else {
      write_github(ctx.out, for_tools);
    }
  } else {
    ctx.out << summary_line(summary, true) << '\n';
  }
  ctx.out.flush();
  keep_until_exit(std::move(loaded));
  const bool failed = summary.totals[2] > 0 || (o.strict && summary.totals[1] > 0);
  return failed ? 1 : 0;
}

}  // namespace tkb::cli
