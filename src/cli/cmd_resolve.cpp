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
  auto resolve_batch = [&](std::size_t b) {
    std::vector<Resolution> out;
    for (std::size_t i = b * kNotesPerBatch; i < std::min(notes.size(), (b + 1) * kNotesPerBatch);
         ++i) {
      for (const WikiLink& l : notes[i].links) {
        out.push_back(loaded.resolver->resolve_link(l, static_cast<int>(i)));
      }
    }
    return out;
  };
  const OutputOptions options = output_options(ctx);
  OutputOptions rows_only = options;
  rows_only.header = false;
  if (o.format != Format::table) {
    // Each batch's rows formatted on the thread that resolved it, handed to the writer here
    // in order: formatting 2.4 million rows on one thread held the others up.
    auto w = make_writer(o.format, ctx.out, columns, options);
    if (o.format == Format::paths) {  // one column: made on this thread
      ordered_parallel<std::vector<Resolution>>(
          batches, ctx.global.jobs, 8, resolve_batch,
          [&](std::size_t b, std::vector<Resolution>& resolutions) {
            each_row(resolutions, b, [&](const std::vector<Cell>& row) { w->row(row); });
          });
    } else {
      ordered_parallel<std::string>(
          batches, ctx.global.jobs, 4,
          [&](std::size_t b) {
            std::string text;
            auto rows = make_text_writer(o.format, text, columns, rows_only);
            each_row(resolve_batch(b), b, [&](const std::vector<Cell>& row) { rows->row(row); });
            rows->finish();
            return text;
          },
          [&](std::size_t, const std::string& text) { w->formatted_rows(text); });
    }
    w->finish();
    return 0;
  }
  // The aligned table in two passes, both on every core: the rows measured as the links are
  // resolved, then made again, formatted a batch at a time and written in order; a
  // million-row table is never held (only the resolutions are, a few words each).
  std::vector<std::vector<Resolution>> resolved(batches);
  std::vector<TableWidths> measured(batches, TableWidths(columns, rows_only));
  parallel_for(batches, ctx.global.jobs, [&](std::size_t b) {
    resolved[b] = resolve_batch(b);
    each_row(resolved[b], b, [&](const std::vector<Cell>& row) { measured[b].add(row); });
  });
  TableWidths widths(columns, options);
  for (const TableWidths& m : measured) widths.merge(m);
  // Room for a batch's rows made once: a line is padded to the widths (in bytes, when the
  // text is ASCII) but for its last column, which is short.
  std::size_t line = 0;
  for (std::size_t width : widths.widths()) line += width + 2;
  auto w = make_table_writer(ctx.out, columns, widths, options);
  ordered_parallel<std::string>(
      batches, ctx.global.jobs, 4,
      [&](std::size_t b) {
        std::string text;
        text.reserve(resolved[b].size() * line);  // a row per link
        auto rows = make_table_text_writer(text, columns, widths, rows_only);
        each_row(resolved[b], b, [&](const std::vector<Cell>& row) { rows->row(row); });
        rows->finish();
        std::vector<Resolution>().swap(resolved[b]);
        return text;
      },
      [&](std::size_t, const std::string& text) { w->formatted_rows(text); });
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
