// tkb timestamps: every timestamp anchor as CSV, TSV or JSON.
#include <algorithm>
#include <fstream>
#include <set>

#include "context.hpp"
#include "tkb/error.hpp"
#include "tkb/timestamp.hpp"

namespace tkb::cli {

namespace {

void write_anchors(const Note& n, RecordWriter& w) {
  for (const TimestampAnchor& a : n.anchors) {
    Cell seconds = a.seconds ? Cell(*a.seconds) : Cell(std::monostate{});
    Cell time = a.seconds ? Cell(format_hms(*a.seconds)) : Cell(std::monostate{});
    std::string_view heading =
        a.heading >= 0 ? n.headings[static_cast<std::size_t>(a.heading)].text : "";
    w.row({n.video_id, seconds, time, youtube_url(n.video_id, a.seconds), n.path, n.title,
           text_cell(heading), static_cast<std::int64_t>(a.pos.line), text_cell(a.text)});
  }
}

}  // namespace

int run_timestamps(Context& ctx, const TimestampsOptions& o) {
  std::ofstream file;
  std::ostream* out = &ctx.out;
  std::string tmp;
  auto open_output = [&] {
    if (!o.output.empty() && o.output != "-") {
      // Write beside the target and rename, so a failed run never leaves half a file.
      tmp = o.output + ".tkb-tmp";
      file.open(tmp, std::ios::binary | std::ios::trunc);
      if (!file) throw Error("cannot write '" + o.output + "'");
      out = &file;
    }
    return make_writer(
        o.format, *out,
        {"video_id", "seconds", "time", "url", "path", "title", "heading", "line", "text"},
        output_options(ctx));
  };

  if (o.videos.empty() && o.notes.empty()) {
    // Every anchor: stream note by note, so memory does not grow with the knowledge base.
    auto w = open_output();
    stream_notes(ctx, {.anchor_text = true}, [&](const Note& n) { write_anchors(n, *w); });
    w->finish();
  } else {
    Loaded loaded = load(ctx, {.anchor_text = true});
    const auto& notes = loaded.kb.notes;
    std::set<std::string> videos = known_videos(loaded, o.videos);
    std::set<int> only;
    for (const std::string& spec : o.notes) only.insert(find_note(loaded, spec));
    auto w = open_output();
    for (int i = 0; i < static_cast<int>(notes.size()); ++i) {
      const Note& n = notes[static_cast<std::size_t>(i)];
      if (!videos.empty() && !videos.count(n.video_id)) continue;
      if (!only.empty() && !only.count(i)) continue;
      write_anchors(n, *w);
    }
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
