#pragma once
// Parsing one note's text into the model. Text in, Note out; never throws for bad input.

#include <string>
#include <string_view>

#include "tkb/model.hpp"

namespace tkb {

struct ParseOptions {
  // Use cmark-gfm and yaml-cpp for every note, even where the fast scanners settle the
  // structure on their own (the fast paths are proven equal to these by tests).
  bool always_full_markdown = false;
  // Compute each anchor's sentence (TimestampAnchor::text). Commands that do not print it
  // skip the work.
  bool anchor_text = true;
  // Keep every anchor in Note::anchors. Off, only the per-note summary (count, first, last)
  // is kept: all anchor rules run while parsing, so `check`, `list` and `videos` need no more,
  // and a 100,000-note knowledge base fits in a fraction of the memory.
  bool keep_anchors = true;
  // Copy the text the note's views show into its pool. Off, the views still point into
  // `text` and the parsing thread's own buffers, valid only until that thread parses again
  // and while `text` is unchanged: for a caller that changes the note right away, on the same
  // thread, and then calls pack_pool (as loading for `check` does: one copy, not two).
  bool pack = true;
  // Read the links and make every finding. Off, only what an export of the anchors needs:
  // the front matter (with its findings), the headings, the anchors with their times,
  // headings and sentences, and the binary-content and invalid-utf8 findings; no links,
  // channel, block ids, duration or other findings. For `timestamps`, which prints nothing
  // else; tests prove its anchors and headings equal to a full parse's.
  bool lint = true;
};

// Parse the note at `path` (relative to the root, used for diagnostics and `id`/`folder`).
Note parse_note(std::string_view text, std::string path, const ParseOptions& options = {});

// The id of the note at `path`: its file name without `.md` (a view into `path`).
std::string_view note_id_of(std::string_view path);

// Copy every text the note's views show (but compact links', which are shared) into one new
// allocation owned by the note, and point the views there: the text they showed before (the
// file, the note's old pool) can then be freed.
void pack_pool(Note& note);

}  // namespace tkb
