// tkb list: one row per note.
#include <algorithm>
#include <set>

#include "context.hpp"
#include "tkb/error.hpp"

namespace tkb::cli {

namespace {

bool matches_where(const Note& n, const std::string& clause) {
  std::size_t eq = clause.find('=');
  std::string key = clause.substr(0, eq), value = clause.substr(eq + 1);
  const FrontMatterEntry* e = n.front_matter.find(key);
  if (!e) return false;
  if (e->is_scalar) return e->value == value;
  return std::find(e->items.begin(), e->items.end(), value) != e->items.end();
}

}  // namespace

int run_list(Context& ctx, const ListOptions& o) {
  for (const std::string& w : o.where) {
    if (w.find('=') == std::string::npos || w.front() == '=') {
      throw Error("--where takes KEY=VALUE, not '" + w + "'");
    }
  }
  // Notes stream by and only their rows are kept: listing never holds the knowledge base.
  struct Row {
    std::string path, title, video_id, channel;
    std::int64_t links, timestamps;
  };
  std::vector<Row> rows;
  VideoFilter videos(o.videos);
  std::set<std::string> channels(o.channels.begin(), o.channels.end());
  stream_notes(ctx, {.keep_anchors = false}, [&](const Note& n) {
    if (!videos.matches(n)) return;
    if (!channels.empty() && !channels.count(n.channel) && !channels.count(n.folder)) return;
    if (!std::all_of(o.where.begin(), o.where.end(),
                     [&](const std::string& w) { return matches_where(n, w); }))
      return;
    rows.push_back({n.path, n.title, n.video_id, n.channel,
                    static_cast<std::int64_t>(n.links.size()),
                    static_cast<std::int64_t>(n.anchor_count)});
  });
  videos.require_all_seen();
  auto key = [&](const Row& r) -> const std::string& {
    return o.sort == "title" ? r.title : o.sort == "video" ? r.video_id : r.path;
  };
  // Rows come in path order: a stable sort keeps it among equal keys.
  std::stable_sort(rows.begin(), rows.end(),
                   [&](const Row& a, const Row& b) { return key(a) < key(b); });

  auto w = make_writer(o.format, ctx.out,
                       {"path", "title", "video_id", "channel", "links", "timestamps"},
                       output_options(ctx));
  for (const Row& r : rows) {
    w->row({r.path, r.title, r.video_id, r.channel, r.links, r.timestamps});
  }
  w->finish();
  return 0;
}

}  // namespace tkb::cli
