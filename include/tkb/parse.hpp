#pragma once
// Parsing one note's text into the model. Text in, Note out; never throws for bad input.

#include <string>
#include <string_view>

#include "tkb/model.hpp"

namespace tkb {

struct ParseOptions {
  // Force the full Markdown parse even where the fast scanner could settle the structure.
  bool always_full_markdown = false;
};

// Parse the note at `path` (relative to the root, used for diagnostics and `id`/`folder`).
Note parse_note(std::string_view text, std::string path, const ParseOptions& options = {});

}  // namespace tkb
