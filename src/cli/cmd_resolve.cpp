// tkb resolve: where wikilink targets go.
#include "context.hpp"
#include "tkb/error.hpp"
#include "tkb/parallel.hpp"
#include "tkb/scan.hpp"

namespace tkb::cli {

namespace {

std::string status(const WikiLink& l, const Resolution& r) {
  if (l.target().empty() && l.fragment().empty()) return "empty";
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
  return text_cell(loaded.kb.notes[r.note].path);
}

int resolve_all_links(Context& ctx, const ResolveOptions& o, const Loaded& loaded) {
  const std::vector<std::string> columns = {"source", "line", "column", "raw",
                                            "target", "rule", "status"};
  const auto& notes = loaded.kb.notes;
  auto cells = [&](const Note& n, const WikiLink& l, const Resolution& r) {
    return std::vector<Cell>{text_cell(n.path),
                             static_cast<std::int64_t>(l.pos.line),
                             static_cast<std::int64_t>(l.pos.column),
                             text_cell(l.raw),
                             path_or_null(loaded, r),
                             std::string(to_string(r.rule)),
                             status(l, r)};
  };
  // Links are resolved on every core a few hundred notes at a time, and handed over in order.
  constexpr std::size_t kNotesPerBatch = 256;
  const std::size_t batches = (notes.size() + kNotesPerBatch - 1) / kNotesPerBatch;
  auto each_row = [&](const std::vector<Resolution>& resolutions, std::size_t b, auto&& take) {
    std::size_t k = 0;
    for (std::size_t i = b * kNotesPerBatch; i < std::min(notes.size(), (b + 1) * kNotesPerBatch);
         ++i) {
      for (const WikiLink& l : notes[i].links) take(cells(notes[i], l, resolutions[k++]));
    }
  };
  auto resolve_batches = [&](auto&& consume) {
    ordered_parallel<std::vector<Resolution>>(
        batches, ctx.global.jobs, 8,
        [&](std::size_t b) {
          std::vector<Resolution> out;
          for (std::size_t i = b * kNotesPerBatch;
               i < std::min(notes.size(), (b + 1) * kNotesPerBatch); ++i) {
            for (const WikiLink& l : notes[i].links) {
              out.push_back(loaded.resolver->resolve_link(l, static_cast<int>(i)));
            }
          }
          return out;
        },
        consume);
  };
  if (o.format != Format::table) {
    auto w = make_writer(o.format, ctx.out, columns, output_options(ctx));
    resolve_batches([&](std::size_t b, std::vector<Resolution>& resolutions) {
      each_row(resolutions, b, [&](const std::vector<Cell>& row) { w->row(row); });
    });
    w->finish();
    return 0;
  }
  // The aligned table in two passes: the rows measured as the links are resolved, then made
  // again and written as they come; a million-row table is never held (only the
  // resolutions are, a few words each).
  TableWidths widths(columns, output_options(ctx));
  std::vector<std::vector<Resolution>> resolved(batches);
  resolve_batches([&](std::size_t b, std::vector<Resolution>& resolutions) {
    each_row(resolutions, b, [&](const std::vector<Cell>& row) { widths.add(row); });
    resolved[b] = std::move(resolutions);
  });
  auto w = make_table_writer(ctx.out, columns, widths, output_options(ctx));
  for (std::size_t b = 0; b < batches; ++b) {
    each_row(resolved[b], b, [&](const std::vector<Cell>& row) { w->row(row); });
  }
  w->finish();
  return 0;
}

}  // namespace

int run_resolve(Context& ctx, const ResolveOptions& o) {
  if (o.all && !o.targets.empty()) throw Error("give either TARGET... or --all, not both");
  if (!o.all && o.targets.empty()) throw Error("give at least one TARGET, or --all");
  Loaded loaded = load(ctx, {.keep_anchors = false});
  if (o.all) {
    const int code = resolve_all_links(ctx, o, loaded);
    keep_until_exit(std::move(loaded));
    return code;
  }
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
    std::string_view target = split_wikilink(inner).target();
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
