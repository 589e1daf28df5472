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
  Loaded loaded = load(ctx, {.keep_anchors = false});
  const auto& notes = loaded.kb.notes;
  std::set<std::string> videos = known_videos(loaded, o.videos);
  std::set<std::string> channels(o.channels.begin(), o.channels.end());

  std::vector<const Note*> rows;
  for (const Note& n : notes) {
    if (!videos.empty() && !videos.count(n.video_id)) continue;
    if (!channels.empty() && !channels.count(n.channel) && !channels.count(n.folder)) continue;
    if (!std::all_of(o.where.begin(), o.where.end(),
                     [&](const std::string& w) { return matches_where(n, w); }))
      continue;
    rows.push_back(&n);
  }
  auto key = [&](const Note* n) -> const std::string& {
    return o.sort == "title" ? n->title : o.sort == "video" ? n->video_id : n->path;
  };
  std::stable_sort(rows.begin(), rows.end(), [&](const Note* a, const Note* b) {
    return key(a) != key(b) ? key(a) < key(b) : a->path < b->path;
  });

  auto w = make_writer(o.format, ctx.out,
                       {"path", "title", "video_id", "channel", "links", "timestamps"},
                       output_options(ctx));
  for (const Note* n : rows) {
    w->row({n->path, n->title, n->video_id, n->channel, static_cast<std::int64_t>(n->links.size()),
            static_cast<std::int64_t>(n->anchor_count)});
  }
  w->finish();
  return 0;
}

}  // namespace tkb::cli
