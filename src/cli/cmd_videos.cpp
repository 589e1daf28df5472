// tkb videos: one row per videoId.
#include <algorithm>
#include <map>
#include <set>

#include "context.hpp"
#include "tkb/timestamp.hpp"

namespace tkb::cli {

int run_videos(Context& ctx, const VideosOptions& o) {
  Loaded loaded = load(ctx, {.keep_anchors = false});
  struct Video {
    std::int64_t notes = 0, timestamps = 0;
    std::set<std::string> channels;
    std::optional<std::int64_t> first, last;
  };
  std::map<std::string, Video> videos;
  std::set<std::string> wanted(o.channels.begin(), o.channels.end());
  for (const Note& n : loaded.kb.notes) {
    if (n.video_id.empty()) continue;
    if (!wanted.empty() && !wanted.count(n.channel) && !wanted.count(n.folder)) continue;
    Video& v = videos[n.video_id];
    ++v.notes;
    v.channels.insert(n.channel.empty() ? n.folder : n.channel);
    v.timestamps += n.anchor_count;
    if (n.first_seconds) v.first = std::min(v.first.value_or(*n.first_seconds), *n.first_seconds);
    if (n.last_seconds) v.last = std::max(v.last.value_or(*n.last_seconds), *n.last_seconds);
  }
  // Grouped by channel, then by id, so a channel's videos sit together.
  std::vector<std::pair<std::string, const std::string*>> order;
  for (const auto& [id, v] : videos) order.emplace_back(*v.channels.begin(), &id);
  std::sort(order.begin(), order.end(), [](const auto& a, const auto& b) {
    return std::tie(a.first, *a.second) < std::tie(b.first, *b.second);
  });

  auto w = make_writer(o.format, ctx.out,
                       {"video_id", "notes", "channel", "timestamps", "first", "last", "url"},
                       output_options(ctx));
  for (const auto& [channel, id] : order) {
    const Video& v = videos[*id];
    std::string channels;
    for (const std::string& c : v.channels) channels += (channels.empty() ? "" : ", ") + c;
    auto time = [](const std::optional<std::int64_t>& s) -> Cell {
      if (!s) return std::monostate{};
      return format_hms(*s);
    };
    w->row({*id, v.notes, channels, v.timestamps, time(v.first), time(v.last), youtube_url(*id)});
  }
  w->finish();
  return 0;
}

}  // namespace tkb::cli
