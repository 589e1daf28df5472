// tkb rename and tkb new: planning the moves, link rewrites and new files.
#include <algorithm>
#include <map>
#include <set>

#include "tkb/edit.hpp"
#include "tkb/error.hpp"
#include "tkb/parse.hpp"
#include "tkb/text.hpp"

namespace tkb {

namespace {

constexpr std::uint64_t kMaxBytes = 1ull << 30;

std::string_view without_md(std::string_view s) {
  if (s.size() > 3 && s.substr(s.size() - 3) == ".md") s.remove_suffix(3);
  return s;
}
bool ends_with_md(std::string_view s) {
  return s.size() > 3 && s.substr(s.size() - 3) == ".md";
}

std::string folder_of(std::string_view path) {
  std::size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? std::string() : std::string(path.substr(0, slash));
}
std::string stem_of(std::string_view path) {
  std::size_t slash = path.rfind('/');
  return std::string(without_md(slash == std::string_view::npos ? path : path.substr(slash + 1)));
}
std::string join_path(const std::string& folder, const std::string& file) {
  return folder.empty() ? file : folder + "/" + file;
}

// A path from the root that stays inside it and names no hidden file or folder; "" if not.
std::string clean_path(std::string_view p) {
  std::string out;
  std::size_t i = 0;
  while (i <= p.size()) {
    std::size_t slash = p.find('/', i);
    if (slash == std::string_view::npos) slash = p.size();
    std::string_view part = p.substr(i, slash - i);
    i = slash + 1;
    if (part.empty() || part == ".") continue;
    if (part == ".." || part[0] == '.') return {};
    if (!out.empty()) out += '/';
    out.append(part);
  }
  return out;
}

bool valid_video_id(std::string_view id) {
  return id.size() == 11 && std::all_of(id.begin(), id.end(), [](char c) {
           return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                  c == '-' || c == '_';
         });
}

std::string eol_of(std::string_view text) {
  std::size_t nl = text.find('\n');
  return nl != std::string_view::npos && nl > 0 && text[nl - 1] == '\r' ? "\r\n" : "\n";
}

// The edit that sets the front-matter title of `n` (whose text is `text`) to `title`.
Edit title_edit(const Note& n, std::string_view text, const std::string& title) {
  const std::string eol = eol_of(text);
  const std::string value = yaml_scalar(title);
  const FrontMatterEntry* e = n.front_matter.find("title");
  if (!e) {
    if (!n.front_matter.present)
      return {0, "", "---" + eol + "title: " + value + eol + "---" + eol, ""};
    std::size_t nl = text.find('\n');
    return {nl + 1, "", "title: " + value + eol, ""};
  }
  const std::size_t at = e->pos.offset;
  if (text.substr(at, 6) != "title:") {
    throw Error(n.path + ": the front-matter title is not written as 'title: ...' on its line");
  }
  std::size_t le = text.find('\n', at);
  if (le == std::string_view::npos) le = text.size();
  std::size_t ve = le;
  if (ve > at && text[ve - 1] == '\r') --ve;
  std::size_t vb = at + 6;
  while (vb < ve && (text[vb] == ' ' || text[vb] == '\t')) ++vb;
  std::string_view old_value = text.substr(vb, ve - vb);
  const bool continued =
      le < text.size() && le + 1 < text.size() && (text[le + 1] == ' ' || text[le + 1] == '\t');
  if (old_value.empty() || old_value[0] == '|' || old_value[0] == '>' || continued) {
    throw Error(n.path + ": the front-matter title spans several lines; set it by hand");
  }
  return {vb, std::string(old_value), value, ""};
}

// The notes as the resolver sees them (path, stem, folder, title, aliases), in the same order
// as kb.notes, so that indices stay.
KnowledgeBase skeleton(const KnowledgeBase& kb) {
  KnowledgeBase s;
  s.notes.reserve(kb.notes.size());
  for (const Note& n : kb.notes) {
    Note c;
    c.path = n.path;
    c.id = n.id;
    c.folder = n.folder;
    c.title = n.title;
    c.aliases = n.aliases;
    s.notes.push_back(std::move(c));
  }
  return s;
}

void refuse_collision(const KnowledgeBase& kb, FileSystem& fs, int self, const std::string& path,
                      const std::string& what) {
  const std::string stem = stem_of(path), lower = to_lower_ascii(path);
  for (int j = 0; j < static_cast<int>(kb.notes.size()); ++j) {
    if (j == self) continue;
    const Note& n = kb.notes[static_cast<std::size_t>(j)];
    if (n.path == path) {
      throw Error(path + " already exists" + what);
    }
    if (to_lower_ascii(n.path) == lower) {
      throw Error(path + " differs only by letter case from " + n.path +
                  ", which collides on macOS and Windows" + what);
    }
    if (n.id == stem) {
      throw Error("the file name " + stem + ".md is already used by " + n.path +
                  ": links by name would reach only one of them" + what);
    }
  }
  if ((self < 0 || kb.notes[static_cast<std::size_t>(self)].path != path) && fs.exists(path)) {
    throw Error(path + " already exists on disk (a file tkb does not read as a note)" + what);
  }
}

}  // namespace

RenamePlan plan_rename(const KnowledgeBase& kb, const Resolver& resolver, FileSystem& fs,
                       const RenameRequest& req) {
  const int old_index = req.note;
  const Note& old = kb.notes.at(static_cast<std::size_t>(old_index));
  RenamePlan plan;
  plan.old_path = old.path;
  const std::string spec(trim(req.new_name));
  if (spec.empty()) throw Error("NEW is empty");

  // ---- Where the note goes (or which note takes its links) --------------------------------
  int merge_into = -1;
  std::string new_path, new_title_from_name;
  std::optional<std::string> new_title;
  if (req.merge) {
    if (req.title) throw Error("--title does not go with --merge, which moves nothing");
    int j = kb.find_path(spec);
    if (j < 0) j = kb.find_path(spec + ".md");
    if (j < 0) {
      Resolution r = resolver.resolve(spec, old_index);
      if (r.ambiguous()) throw Error("'" + spec + "' matches several notes; give its path");
      j = r.note;
    }
    if (j < 0) {
      throw Error("--merge needs NEW to be an existing note, and no note is '" + spec + "'");
    }
    if (j == old_index) throw Error("'" + spec + "' is " + old.path + " itself");
    merge_into = j;
    new_path = kb.notes[static_cast<std::size_t>(j)].path;
  } else {
    if (req.remove_old) throw Error("--remove-old goes with --merge");
    if (spec.find('/') != std::string::npos) {
      new_path = clean_path(spec);
      if (new_path.empty()) {
        throw Error("'" + spec +
                    "' is not a path inside the knowledge base (no '..', no hidden "
                    "folders)");
      }
      if (!ends_with_md(new_path)) new_path += ".md";
    } else if (ends_with_md(spec)) {
      new_path = join_path(old.folder, spec);
    } else if (spec.find(' ') == std::string::npos &&
               std::none_of(spec.begin(), spec.end(),
                            [](char c) { return c >= 'A' && c <= 'Z'; })) {
      new_path = join_path(old.folder, spec + ".md");  // a stem: no space, no capital
    } else {
      std::string stem = slugify(spec);
      if (stem.empty()) throw Error("the title '" + spec + "' gives an empty file name");
      new_path = join_path(old.folder, stem + ".md");
      new_title_from_name = spec;
    }
    const std::string stem = stem_of(new_path);
    if (stem.empty() || stem[0] == '.' || clean_path(new_path) != new_path) {
      throw Error("'" + spec + "' does not give a note's file name");
    }
    if (req.title) {
      if (!req.title->empty()) {
        new_title = *req.title;
      } else if (!new_title_from_name.empty()) {
        new_title = new_title_from_name;
      } else {
        throw Error("--title sets the title to NEW, but '" + spec +
                    "' is a file name; give NEW as a title (with a space or a capital letter)");
      }
      if (trim(*new_title).empty()) throw Error("the new title is empty");
    }
    const bool moves = new_path != old.path;
    const bool retitles = new_title && *new_title != old.title;
    if (!moves && !retitles) {
      plan.new_path = old.path;
      plan.notes.push_back(old.path + " already has this name and title");
      return plan;
    }
    if (moves) refuse_collision(kb, fs, old_index, new_path, "; --merge rewrites the links to it");
  }
  plan.new_path = new_path;

  // ---- The knowledge base afterwards, as the resolver sees it -------------------------------
  KnowledgeBase after = skeleton(kb);
  Note& moved = after.notes[static_cast<std::size_t>(old_index)];
  if (merge_into >= 0) {
    if (req.remove_old) {  // gone: nothing resolves to it
      moved.path.clear(), moved.id.clear(), moved.title.clear(), moved.aliases.clear();
    }
  } else {
    moved.path = new_path;
    moved.id = stem_of(new_path);
    moved.folder = folder_of(new_path);
    if (new_title) moved.title = *new_title;
  }
  Resolver resolver_after(after);
  const int dest_note = merge_into >= 0 ? merge_into : old_index;
  auto destination = [&](int note) { return note == old_index ? dest_note : note; };

  // ---- Every link that reaches a note, kept on it -----------------------------------------
  std::map<int, std::pair<std::string, std::vector<Edit>>> edits;  // note -> (text, edits)
  auto text_of = [&](int i) -> std::pair<std::string, std::vector<Edit>>& {
    auto it = edits.find(i);
    if (it != edits.end()) return it->second;
    std::string error;
    const Note& n = kb.notes[static_cast<std::size_t>(i)];
    std::optional<std::string> text = fs.read(n.path, kMaxBytes, error);
    if (!text) throw Error("cannot read " + n.path + ": " + error + "; nothing was changed");
    return edits.emplace(i, std::make_pair(std::move(*text), std::vector<Edit>{})).first->second;
  };
  std::set<int> files;
  for (int i = 0; i < static_cast<int>(kb.notes.size()); ++i) {
    if (i == old_index && req.remove_old) continue;  // removed with its links
    const Note& n = kb.notes[static_cast<std::size_t>(i)];
    for (const WikiLink& l : n.links) {
      if (l.target().empty()) continue;  // [[#Heading]]: the note itself, wherever it is
      Resolution r = resolver.resolve_link(l, i);
      if (!r.resolved()) continue;
      const int want = destination(r.note);
      auto reaches = [&](std::string_view target) {
        return resolver_after.resolve(target, i).note == want;
      };
      const Note& w = after.notes[static_cast<std::size_t>(want)];
      const std::string md = ends_with_md(l.target()) ? ".md" : "";
      std::vector<std::string> choices;  // the first that reaches the note is written
      if (r.note == old_index) {
        const bool titled = !old.title.empty() && loose_key(l.target()) == loose_key(old.title);
        switch (r.rule) {
          case MatchRule::path:
            if (l.target().find('/') != std::string_view::npos) {
              choices.push_back(std::string(without_md(w.path)) + md);
            } else {
              choices.push_back(w.id + md);
            }
            break;
          case MatchRule::stem:
          case MatchRule::stem_ci:
            choices.push_back(w.id + md);
            break;
          case MatchRule::slug:
          case MatchRule::loose:
          case MatchRule::alias:
            // Written as a title (or an alias): a title where there is one to write.
            if (merge_into >= 0) {
              if (titled && !w.title.empty()) choices.push_back(w.title);
            } else if (titled && new_title) {
              choices.push_back(*new_title);
            } else {
              choices.push_back(std::string(l.target()));  // still reaches it: leave it
              if (!new_title_from_name.empty()) choices.push_back(new_title_from_name);
            }
            break;
          default:
            break;
        }
      } else {
        choices.push_back(std::string(l.target()));  // links to other notes stay as they are...
      }
      choices.push_back(w.id + md);  // ... unless the move changes where they go
      choices.push_back(std::string(without_md(w.path)));
      auto chosen = std::find_if(choices.begin(), choices.end(),
                                 [&](const std::string& c) { return reaches(c); });
      if (chosen == choices.end()) {
        throw Error("the link " + std::string(l.raw) + " in " + n.path + " could not be kept on " +
                    w.path + "; nothing was changed");
      }
      if (merge_into >= 0 && r.note == old_index && !l.fragment().empty() &&
          l.fragment()[0] != '^') {
        const Note& into = kb.notes[static_cast<std::size_t>(merge_into)];
        const std::string key = loose_key(l.fragment());
        if (std::none_of(into.headings.begin(), into.headings.end(),
                         [&](const Heading& h) { return loose_key(h.text) == key; })) {
          plan.notes.push_back(n.path + ": " + std::string(l.raw) + " names a heading that " +
                               into.path + " does not have (heading-not-found)");
        }
      }
      if (*chosen == l.target()) continue;
      auto& [text, list] = text_of(i);
      if (std::string_view(text).substr(l.pos.offset, l.raw.size()) != l.raw) {
        throw Error(n.path +
                    " changed on disk after it was read; nothing was changed (run the "
                    "command again)");
      }
      list.push_back({l.pos.offset, std::string(l.raw), retarget_link(l, text, *chosen), ""});
      ++plan.links;
      files.insert(i);
      if (r.note != old_index) {
        plan.notes.push_back("kept " + std::string(l.raw) + " in " + n.path + " on " + w.path);
      }
    }
  }
  plan.files = files.size();

  // ---- The files ----------------------------------------------------------------------------
  if (new_title && *new_title != old.title) {
    auto& [text, list] = text_of(old_index);
    list.push_back(title_edit(old, text, *new_title));
  }
  FileChange last;
  bool has_last = false;
  for (auto& [i, entry] : edits) {
    auto& [text, list] = entry;
    const Note& n = kb.notes[static_cast<std::size_t>(i)];
    std::string error;
    std::optional<std::string> changed = apply_edits(text, list, error);
    if (!changed) throw Error(n.path + ": " + error + "; nothing was changed");
    FileChange c{n.path, text, std::move(*changed), {}};
    if (i == old_index && merge_into < 0) {
      c.new_path = new_path;
      last = std::move(c);
      has_last = true;
    } else {
      plan.changes.push_back(std::move(c));
    }
  }
  if (merge_into < 0 && !has_last) {
    auto& [text, list] = text_of(old_index);
    last = FileChange{old.path, text, text, new_path};
    has_last = true;
  }
  if (req.remove_old) {
    auto& [text, list] = text_of(old_index);
    last = FileChange{old.path, text, std::nullopt, {}};
    has_last = true;
  }
  if (has_last) plan.changes.push_back(std::move(last));

  // ---- Proof: every link of every changed file reaches the note it reached before ----------
  for (const FileChange& c : plan.changes) {
    if (c.removed()) continue;
    const int i = kb.find_path(c.path);
    const Note& before = kb.notes[static_cast<std::size_t>(i)];
    ParseOptions po;
    po.anchor_text = false;
    Note now = parse_note(*c.new_content, c.moved() ? c.new_path : c.path, po);
    bool same = now.links.size() == before.links.size() &&
                now.code_links.size() == before.code_links.size();
    for (std::size_t k = 0; same && k < now.links.size(); ++k) {
      if (before.links[k].target().empty()) continue;  // [[#Heading]]: the note itself
      Resolution r = resolver.resolve_link(before.links[k], i);
      if (!r.resolved()) continue;
      same = resolver_after.resolve_link(now.links[k], i).note == destination(r.note);
    }
    if (i == old_index && new_title) same = same && now.title == *new_title;
    if (!same) {
      throw Error("internal error: the rewritten " + c.path +
                  " would not keep its links on their notes; nothing was changed");
    }
  }
  return plan;
}

// ---- tkb new --------------------------------------------------------------------------------

FileChange plan_new(const KnowledgeBase& kb, FileSystem& fs, const NewRequest& req) {
  const std::string title(trim(req.title)), video(trim(req.video_id)), channel(trim(req.channel));
  if (title.empty()) throw Error("the title is empty");
  const std::string stem = slugify(title);
  if (stem.empty()) throw Error("the title '" + title + "' gives an empty file name");
  if (!valid_video_id(video)) {
    throw Error("'" + video + "' is not a video id (11 characters of A-Z, a-z, 0-9, '-' and '_')");
  }
  if (channel.empty()) throw Error("the channel is empty");

  // The channel's folder: named so, or so up to case, punctuation and invisible characters, or
  // the folder of the notes whose From: line names it.
  std::map<std::string, std::size_t> folders;  // folder -> notes
  for (const Note& n : kb.notes) {
    if (!n.folder.empty()) ++folders[n.folder];
  }
  auto last_component = [](const std::string& f) {
    std::size_t slash = f.rfind('/');
    return slash == std::string::npos ? f : f.substr(slash + 1);
  };
  std::vector<std::string> exact, loose;
  for (const auto& [f, count] : folders) {
    if (last_component(f) == channel) exact.push_back(f);
    if (loose_key(last_component(f)) == loose_key(channel)) loose.push_back(f);
  }
  std::string folder;
  if (exact.size() == 1) {
    folder = exact.front();
  } else if (exact.empty() && loose.size() == 1) {
    folder = loose.front();
  } else if (exact.size() > 1 || loose.size() > 1) {
    std::vector<std::string>& many = exact.size() > 1 ? exact : loose;
    std::string list;
    for (const std::string& f : many) list += "\n  " + f;
    throw Error("several folders could be channel '" + channel + "':" + list);
  } else {
    std::map<std::string, std::size_t> by_source;
    for (const Note& n : kb.notes) {
      if (n.channel == channel && !n.folder.empty()) ++by_source[n.folder];
    }
    auto best = std::max_element(by_source.begin(), by_source.end(),
                                 [](const auto& a, const auto& b) { return a.second < b.second; });
    if (best == by_source.end()) {
      std::vector<std::pair<std::size_t, std::string>> near;
      for (const auto& [f, count] : folders) {
        std::string name = last_component(f);
        std::size_t d = edit_distance(loose_key(channel), loose_key(name), 3);
        if (d <= 3) near.emplace_back(d, name);
      }
      std::sort(near.begin(), near.end());
      std::string hint;
      for (std::size_t k = 0; k < near.size() && k < 3; ++k) {
        hint += (k ? ", " : "; did you mean ") + near[k].second;
      }
      if (!hint.empty()) hint += "?";
      throw Error("no channel '" + channel + "' in the knowledge base" + hint +
                  " (a new channel needs its folder and index page first)");
    }
    folder = best->first;
  }
  // The From: link names the channel as the folder's notes do.
  std::map<std::string, std::size_t> names;
  for (const Note& n : kb.notes) {
    if (n.folder == folder && !n.channel.empty()) ++names[n.channel];
  }
  std::string source = last_component(folder);
  std::size_t most = 0;
  for (const auto& [name, count] : names) {
    if (count > most) source = name, most = count;
  }

  const std::string path = folder + "/" + stem + ".md";
  refuse_collision(kb, fs, -1, path, "; tkb new never overwrites a note");
  const std::string content = "---\ntitle: " + yaml_scalar(title) +
                              "\nvideoId: " + yaml_scalar(video) + "\n---\n\nFrom: [[" + source +
                              "]] <br/>\n\n";
  Note check = parse_note(content, path);
  if (check.title != title || check.video_id != video || check.channel != source) {
    throw Error("internal error: the new note would not read back as written");
  }
  return FileChange{path, std::nullopt, content, {}};
}

}  // namespace tkb
