// tkb resolve: where wikilink targets go.
#include "context.hpp"
#include "tkb/error.hpp"
#include "tkb/scan.hpp"

namespace tkb::cli {

namespace {

std::string status(const WikiLink& l, const Resolution& r) {
  if (l.target.empty() && l.fragment.empty()) return "empty";
  if (r.resolved()) return "resolved";
  return r.ambiguous() ? "ambiguous" : "broken";
}

std::vector<std::string> paths_of(const Loaded& loaded, std::span<const int> notes) {
  std::vector<std::string> out;
  for (int c : notes) out.push_back(loaded.kb.notes[c].path);
  return out;
}

Cell path_or_null(const Loaded& loaded, const Resolution& r) {
  if (!r.resolved()) return std::monostate{};
  return loaded.kb.notes[r.note].path;
}

int resolve_all_links(Context& ctx, const ResolveOptions& o, const Loaded& loaded) {
  LinkTable table = resolve_all(loaded.kb, *loaded.resolver);
  auto w = make_writer(o.format, ctx.out,
                       {"source", "line", "column", "raw", "target", "rule", "status"},
                       output_options(ctx));
  for (std::size_t i = 0; i < loaded.kb.notes.size(); ++i) {
    const Note& n = loaded.kb.notes[i];
    for (std::size_t k = 0; k < n.links.size(); ++k) {
      const WikiLink& l = n.links[k];
      const Resolution& r = table.links[i][k];
      w->row({n.path, static_cast<std::int64_t>(l.pos.line),
              static_cast<std::int64_t>(l.pos.column), text_cell(l.raw), path_or_null(loaded, r),
              std::string(to_string(r.rule)), status(l, r)});
    }
  }
  w->finish();
  return 0;
}

}  // namespace

int run_resolve(Context& ctx, const ResolveOptions& o) {
  if (o.all && !o.targets.empty()) throw Error("give either TARGET... or --all, not both");
  if (!o.all && o.targets.empty()) throw Error("give at least one TARGET, or --all");
  Loaded loaded = load(ctx);
  if (o.all) return resolve_all_links(ctx, o, loaded);
  int from = o.from.empty() ? -1 : find_note(loaded, o.from);
  auto w = make_writer(o.format, ctx.out, {"target", "path", "rule", "candidates", "suggestions"},
                       output_options(ctx));
  int code = 0;
  for (const std::string& t : o.targets) {
    // Accept a whole link as typed, `[[target#part|alias]]`, as well as a bare target.
    std::string_view inner = t;
    if (inner.size() >= 4 && inner.substr(0, 2) == "[[" && inner.substr(inner.size() - 2) == "]]") {
      inner = inner.substr(2, inner.size() - 4);
    }
    std::string_view target = split_wikilink(inner).target;
    Resolution r = loaded.resolver->resolve(target, from);
    std::vector<std::string> suggestions;
    if (!r.resolved()) {
      code = 1;
      if (!r.ambiguous()) suggestions = loaded.resolver->suggest(target);
    }
    Cell path = r.resolved() ? Cell(loaded.kb.notes[r.note].path)
                             : Cell(std::string(r.ambiguous() ? "ambiguous" : "unresolved"));
    if (o.format == Format::json && !r.resolved()) path = std::monostate{};
    w->row({t, path, std::string(to_string(r.rule)), paths_of(loaded, r.candidates), suggestions});
  }
  w->finish();
  return code;
}

}  // namespace tkb::cli
