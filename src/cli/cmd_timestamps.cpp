// tkb timestamps: every timestamp anchor as CSV, TSV or JSON.
#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

#include "context.hpp"
#include "tkb/error.hpp"
#include "tkb/export.hpp"
#include "tkb/timestamp.hpp"

namespace tkb::cli {

int run_timestamps(Context& ctx, const TimestampsOptions& o) {
  const std::vector<std::string>& columns = timestamp_columns();
  std::ofstream file;
  std::string tmp;
  auto open_output = [&]() -> std::ostream& {
    if (o.output.empty() || o.output == "-") return ctx.out;
    // Write beside the target and rename, so a failed run never leaves half a file.
    tmp = o.output + ".tkb-tmp";
    file.open(tmp, std::ios::binary | std::ios::trunc);
    if (!file) throw Error("cannot write '" + o.output + "'");
    return file;
  };

  if (o.notes.empty()) {
    // Stream note by note, so memory does not grow with the knowledge base; only what the
    // rows show is parsed (no links, no findings but the front matter's). With --video the
    // (few) rows wait in memory until every id is known to name a video: an unknown one is an
    // error with nothing written.
    VideoFilter videos(o.videos);
    std::ostringstream held;
    std::ostream& out = videos.empty() ? open_output() : held;
    if (o.format == Format::json) {
      // JSON rows are formatted on the threads that parse too, a batch of notes at a time,
      // and handed to the writer in order.
      auto w = make_writer(o.format, out, columns, output_options(ctx));
      stream_notes(
          ctx, {.anchor_text = true, .lint = false},
          [&](std::span<const Note* const> notes) {
            std::string rows;
            auto t = make_text_writer(o.format, rows, columns);
            for (const Note* n : notes) {
              if (videos.wants(*n)) write_timestamp_rows(*n, *t);
            }
            t->finish();
            t.reset();
            RenderedText text;
            text.grown = std::move(rows);
            return text;
          },
          [&](const Note& n) { videos.matches(n); },
          [&](std::string_view text) { w->formatted_rows(text); });
      w->finish();
    } else {
      // CSV and TSV rows are formatted on the threads that parse, a batch of notes' rows
      // into room made once, and written in order here as they are: formatting a gigabyte
      // of rows costs as much as parsing the notes.
      OutputOptions rows = output_options(ctx);
      rows.header = false;
      make_writer(o.format, out, columns, output_options(ctx))->finish();  // the header
      stream_notes(
          ctx, {.anchor_text = true, .lint = false},
          [&](std::span<const Note* const> notes) {
            std::vector<TimestampRows> made;
            made.reserve(notes.size());
            std::size_t room = 0;
            for (const Note* n : notes) {
              if (videos.wants(*n)) room += made.emplace_back(*n, o.format, rows).room();
            }
            RenderedText text{std::make_unique_for_overwrite<char[]>(room), 0, {}};
            char* end = text.bytes.get();
            for (const TimestampRows& r : made) end = r.write(end);
            text.size = static_cast<std::size_t>(end - text.bytes.get());
            return text;
          },
          [&](const Note& n) { videos.matches(n); },
          [&](std::string_view text) {
            out.write(text.data(), static_cast<std::streamsize>(text.size()));
          });
    }
    videos.require_all_seen();
    if (!videos.empty()) open_output() << held.str();
  } else {
    // Notes named by a link target need the whole knowledge base to resolve.
    Loaded loaded = load(ctx, {.anchor_text = true});
    const auto& notes = loaded.kb.notes;
    VideoFilter videos(o.videos);
    std::set<int> only;
    for (const std::string& spec : o.notes) only.insert(find_note(loaded, spec));
    std::vector<int> shown;
    for (int i = 0; i < static_cast<int>(notes.size()); ++i) {  // every note meets the filter
      if (videos.matches(notes[static_cast<std::size_t>(i)]) && only.count(i)) shown.push_back(i);
    }
    videos.require_all_seen();
    auto w = make_writer(o.format, open_output(), columns, output_options(ctx));
    for (int i : shown) write_timestamp_rows(notes[static_cast<std::size_t>(i)], *w);
    w->finish();
  }
  if (file.is_open()) {
    file.close();
    if (!file || std::rename(tmp.c_str(), o.output.c_str()) != 0) {
      std::remove(tmp.c_str());
      throw Error("cannot write '" + o.output + "'");
    }
  }
  return 0;
}

}  // namespace tkb::cli
