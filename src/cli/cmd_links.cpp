// tkb links NOTE / tkb backlinks NOTE: one note's outgoing or incoming links.
#include "context.hpp"

namespace tkb::cli {

int run_links(Context& ctx, const LinksOptions& o) {
  Loaded loaded = load(ctx, {.keep_anchors = false});
  int note = find_note(loaded, o.note);
  const auto& notes = loaded.kb.notes;
  if (o.backlinks) {
    auto w =
        make_writer(o.format, ctx.out, {"source", "line", "column", "raw"}, output_options(ctx));
    for (const auto& [src, k] : backlinks(loaded.kb, *loaded.resolver, note)) {
      const WikiLink& l = notes[static_cast<std::size_t>(src)].links[static_cast<std::size_t>(k)];
      w->row({text_cell(notes[static_cast<std::size_t>(src)].path),
              static_cast<std::int64_t>(l.pos.line), static_cast<std::int64_t>(l.pos.column),
              text_cell(l.raw)});
    }
    w->finish();
    return 0;
  }
  auto w = make_writer(o.format, ctx.out, {"line", "column", "raw", "target", "rule"},
                       output_options(ctx));
  for (const WikiLink& l : notes[note].links) {
    Resolution r = loaded.resolver->resolve_link(l, note);
    Cell target = r.resolved() ? Cell(notes[r.note].path) : Cell(std::monostate{});
    if (!r.resolved() && o.format != Format::json) {
      target = std::string(r.ambiguous()                                  ? "(ambiguous)"
                           : (l.target().empty() && l.fragment().empty()) ? "(empty)"
                                                                          : "(broken)");
    }
    w->row({static_cast<std::int64_t>(l.pos.line), static_cast<std::int64_t>(l.pos.column),
            text_cell(l.raw), target, std::string(to_string(r.rule))});
  }
  w->finish();
  return 0;
}

}  // namespace tkb::cli
