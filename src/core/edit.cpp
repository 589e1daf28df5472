// Edits, unified diffs and applying file changes through the FileSystem seam.
#include <algorithm>
#include <cstdint>
#include <cstdio>

#include "tkb/edit.hpp"
#include "tkb/text.hpp"

namespace tkb {

// ---- Edits ----------------------------------------------------------------------------------

std::optional<std::string> apply_edits(std::string_view text, std::vector<Edit> edits,
                                       std::string& error) {
  std::sort(edits.begin(), edits.end(),
            [](const Edit& a, const Edit& b) { return a.offset < b.offset; });
  std::string out;
  out.reserve(text.size() + 64 * edits.size());
  std::size_t at = 0;  // bytes of `text` copied so far
  for (const Edit& e : edits) {
    if (e.offset < at) {
      error = "two edits overlap at byte " + std::to_string(e.offset);
      return std::nullopt;
    }
    if (e.offset > text.size() || text.substr(e.offset, e.old_text.size()) != e.old_text) {
      error = "the text at byte " + std::to_string(e.offset) + " is not \"" + e.old_text + "\"";
      return std::nullopt;
    }
    out.append(text.substr(at, e.offset - at));
    out.append(e.new_text);
    at = e.offset + e.old_text.size();
  }
  out.append(text.substr(at));
  return out;
}

// ---- Unified diff ---------------------------------------------------------------------------

namespace {

// Lines with their '\n'; the last may lack it.
std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  for (std::size_t p = 0; p < text.size();) {
    std::size_t nl = text.find('\n', p);
    std::size_t e = nl == std::string_view::npos ? text.size() : nl + 1;
    lines.push_back(text.substr(p, e - p));
    p = e;
  }
  return lines;
}

enum class Op : std::uint8_t { equal, remove, insert };

// The shortest edit script from a[...] to b[...] (Myers), as one Op per line. Past `max_d`
// differences it gives up and removes the rest of `a` for the rest of `b` (still a correct
// diff, only longer).
std::vector<Op> diff_lines(const std::vector<std::string_view>& a,
                           const std::vector<std::string_view>& b, std::size_t max_d = 4000) {
  std::size_t pre = 0;
  while (pre < a.size() && pre < b.size() && a[pre] == b[pre]) ++pre;
  std::size_t suf = 0;
  while (suf < a.size() - pre && suf < b.size() - pre &&
         a[a.size() - 1 - suf] == b[b.size() - 1 - suf]) {
    ++suf;
  }
  const auto n = static_cast<std::ptrdiff_t>(a.size() - pre - suf);
  const auto m = static_cast<std::ptrdiff_t>(b.size() - pre - suf);
  std::vector<Op> mid;
  auto A = [&](std::ptrdiff_t i) { return a[pre + static_cast<std::size_t>(i)]; };
  auto B = [&](std::ptrdiff_t j) { return b[pre + static_cast<std::size_t>(j)]; };
  bool solved = false;
  if (n == 0 || m == 0) {
    mid.assign(static_cast<std::size_t>(n), Op::remove);
    mid.insert(mid.end(), static_cast<std::size_t>(m), Op::insert);
    solved = true;
  } else {
    const std::ptrdiff_t max = std::min<std::ptrdiff_t>(n + m, static_cast<std::ptrdiff_t>(max_d));
    const std::ptrdiff_t off = max + 1;
    std::vector<std::ptrdiff_t> v(static_cast<std::size_t>(2 * off + 1), 0);
    std::vector<std::vector<std::ptrdiff_t>> trace;
    for (std::ptrdiff_t d = 0; d <= max && !solved; ++d) {
      trace.push_back(v);
      for (std::ptrdiff_t k = -d; k <= d; k += 2) {
        std::ptrdiff_t x;
        if (k == -d || (k != d && v[static_cast<std::size_t>(off + k - 1)] <
                                      v[static_cast<std::size_t>(off + k + 1)])) {
          x = v[static_cast<std::size_t>(off + k + 1)];
        } else {
          x = v[static_cast<std::size_t>(off + k - 1)] + 1;
        }
        std::ptrdiff_t y = x - k;
        while (x < n && y < m && A(x) == B(y)) ++x, ++y;
        v[static_cast<std::size_t>(off + k)] = x;
        if (x >= n && y >= m) {
          solved = true;
          break;
        }
      }
    }
    if (solved) {
      // Walk back through the saved frontiers: trace[d] is the frontier before step d.
      std::ptrdiff_t x = n, y = m;
      std::vector<Op> rev;
      for (std::ptrdiff_t d = static_cast<std::ptrdiff_t>(trace.size()) - 1; d >= 0; --d) {
        const std::vector<std::ptrdiff_t>& pv = trace[static_cast<std::size_t>(d)];
        const std::ptrdiff_t k = x - y;
        const std::ptrdiff_t prev_k =
            (k == -d || (k != d && pv[static_cast<std::size_t>(off + k - 1)] <
                                       pv[static_cast<std::size_t>(off + k + 1)]))
                ? k + 1
                : k - 1;
        const std::ptrdiff_t px = pv[static_cast<std::size_t>(off + prev_k)];
        const std::ptrdiff_t py = px - prev_k;
        while (x > px && y > py && x > 0 && y > 0) {
          rev.push_back(Op::equal);
          --x, --y;
        }
        if (d == 0) break;
        if (x == px) {
          rev.push_back(Op::insert);
        } else {
          rev.push_back(Op::remove);
        }
        x = px, y = py;
      }
      mid.assign(rev.rbegin(), rev.rend());
    }
  }
  if (!solved) {
    mid.assign(static_cast<std::size_t>(n), Op::remove);
    mid.insert(mid.end(), static_cast<std::size_t>(m), Op::insert);
  }
  std::vector<Op> ops(pre, Op::equal);
  ops.insert(ops.end(), mid.begin(), mid.end());
  ops.insert(ops.end(), suf, Op::equal);
  return ops;
}

void put_line(std::string& out, char mark, std::string_view line) {
  out += mark;
  out.append(line);
  if (line.empty() || line.back() != '\n') out += "\n\\ No newline at end of file\n";
}

std::string range(std::size_t start, std::size_t count) {
  // `start` is 1-based; an empty range names the line before it.
  std::size_t shown = count == 0 ? start - 1 : start;
  return count == 1 ? std::to_string(shown) : std::to_string(shown) + "," + std::to_string(count);
}

// `prefix` + `path` for a diff header, quoted as git does when the path holds a control
// character, a quote or a backslash, so that a file name cannot forge header lines.
std::string header_path(std::string_view prefix, std::string_view path) {
  bool quote = false;
  for (char c : path) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f || c == '"' || c == '\\') quote = true;
  }
  if (!quote) return std::string(prefix) + std::string(path);
  std::string out = "\"" + std::string(prefix);
  for (char c : path) {
    switch (c) {
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\%03o", static_cast<unsigned char>(c));
          out += buf;
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

}  // namespace

std::string unified_diff(std::string_view old_path, std::string_view new_path,
                         std::string_view old_text, std::string_view new_text, bool created,
                         bool removed) {
  const bool moved = !created && !removed && old_path != new_path;
  if (!moved && !created && !removed && old_text == new_text) return {};
  std::string out = "diff --git " + header_path("a/", created ? new_path : old_path) + " " +
                    header_path("b/", removed ? old_path : new_path) + "\n";
  if (created) out += "new file mode 100644\n";
  if (removed) out += "deleted file mode 100644\n";
  if (moved) {
    out += "rename from " + header_path("", old_path) + "\nrename to " + header_path("", new_path) +
           "\n";
  }
  if (old_text == new_text && !created && !removed) return out;
  out += created ? std::string("--- /dev/null\n") : "--- " + header_path("a/", old_path) + "\n";
  out += removed ? std::string("+++ /dev/null\n") : "+++ " + header_path("b/", new_path) + "\n";

  const std::vector<std::string_view> a = split_lines(old_text), b = split_lines(new_text);
  const std::vector<Op> ops = diff_lines(a, b);
  constexpr std::size_t kContext = 3;
  // Position (in a and b) before each op.
  std::vector<std::size_t> ai(ops.size() + 1), bi(ops.size() + 1);
  for (std::size_t k = 0; k < ops.size(); ++k) {
    ai[k + 1] = ai[k] + (ops[k] != Op::insert);
    bi[k + 1] = bi[k] + (ops[k] != Op::remove);
  }
  for (std::size_t k = 0; k < ops.size();) {
    if (ops[k] == Op::equal) {
      ++k;
      continue;
    }
    // A hunk: from kContext lines before this change to kContext lines after the last change
    // that follows within 2 * kContext equal lines.
    std::size_t begin = k >= kContext ? k - kContext : 0;
    std::size_t end = k;
    while (true) {
      while (end < ops.size() && ops[end] != Op::equal) ++end;
      std::size_t run = end;
      while (run < ops.size() && ops[run] == Op::equal) ++run;
      if (run < ops.size() && run - end <= 2 * kContext) {
        end = run;
        continue;
      }
      end = std::min(end + kContext, ops.size());
      break;
    }
    std::size_t a_count = ai[end] - ai[begin], b_count = bi[end] - bi[begin];
    out += "@@ -" + range(ai[begin] + 1, a_count) + " +" + range(bi[begin] + 1, b_count) + " @@\n";
    for (std::size_t q = begin; q < end; ++q) {
      switch (ops[q]) {
        case Op::equal:
          put_line(out, ' ', a[ai[q]]);
          break;
        case Op::remove:
          put_line(out, '-', a[ai[q]]);
          break;
        case Op::insert:
          put_line(out, '+', b[bi[q]]);
          break;
      }
    }
    k = end;
  }
  return out;
}

std::string unified_diff(const FileChange& c) {
  return unified_diff(c.path, c.moved() ? c.new_path : c.path, c.old_content.value_or(""),
                      c.new_content.value_or(""), c.created(), c.removed());
}

// ---- Applying -------------------------------------------------------------------------------

std::size_t ApplyReport::count(ApplyOutcome::Status s) const {
  return static_cast<std::size_t>(std::count_if(
      outcomes.begin(), outcomes.end(), [&](const ApplyOutcome& o) { return o.status == s; }));
}

ApplyReport apply_changes(FileSystem& fs, const std::vector<FileChange>& changes,
                          bool stop_on_failure) {
  ApplyReport report;
  report.outcomes.resize(changes.size());
  for (std::size_t i = 0; i < changes.size(); ++i) {
    const FileChange& c = changes[i];
    ApplyOutcome& o = report.outcomes[i];
    std::string error;
    if (c.removed()) {
      error = fs.remove(c.path, *c.old_content);
    } else {
      if (c.content_changed()) error = fs.write_atomic(c.path, *c.new_content, c.old_content);
      if (error.empty() && c.moved()) {
        error = fs.rename(c.path, c.new_path);
        if (!error.empty() && c.content_changed()) {
          error = "written in place, but not moved to " + c.new_path + ": " + error;
        }
      }
    }
    o.status = error.empty() ? ApplyOutcome::Status::written : ApplyOutcome::Status::failed;
    o.error = std::move(error);
    if (!o.error.empty() && stop_on_failure) break;
  }
  return report;
}

// ---- Helpers --------------------------------------------------------------------------------

std::string yaml_scalar(std::string_view v) {
  // Plain where the front-matter readers take it exactly (see yaml.cpp), else double-quoted.
  static constexpr std::string_view kIndicators = "[]{},#&*!|>%@`\"'";
  bool plain = !v.empty() && v.front() != ' ' && v.back() != ' ' &&
               kIndicators.find(v.front()) == std::string_view::npos &&
               !((v.front() == '-' || v.front() == '?' || v.front() == ':') &&
                 (v.size() == 1 || v[1] == ' ')) &&
               v.find(": ") == std::string_view::npos && v.find(" #") == std::string_view::npos &&
               v.back() != ':' && v.find('\t') == std::string_view::npos;
  if (plain) {
    std::string lower = to_lower_ascii(v);
    for (std::string_view word : {"~", "null", "true", "false", "yes", "no", "on", "off"}) {
      if (lower == word) plain = false;
    }
  }
  for (char c : v) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) plain = false;
  }
  if (plain) return std::string(v);
  std::string out = "\"";
  for (char c : v) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02X", static_cast<unsigned char>(c));
      out += buf;
    } else {
      out += c;
    }
  }
  return out + "\"";
}

std::string timestamp_anchor(std::string_view time) {
  return "<a class=\"yt-timestamp\" data-t=\"" + std::string(time) + "\">[" + std::string(time) +
         "]</a>";
}

namespace {

// Does the line holding `offset` start a table row ('|' after spaces and quote markers)?
bool in_table_row(std::string_view text, std::size_t offset) {
  std::size_t ls = text.rfind('\n', offset == 0 ? 0 : offset - 1);
  ls = (ls == std::string_view::npos || offset == 0) ? 0 : ls + 1;
  while (ls < offset && (text[ls] == ' ' || text[ls] == '\t' || text[ls] == '>')) ++ls;
  return ls < offset && text[ls] == '|';
}

}  // namespace

std::string retarget_link(const WikiLink& link, std::string_view text,
                          std::string_view new_target) {
  std::string raw(link.raw);
  if (link.target().empty()) return raw;
  const std::size_t at = static_cast<std::size_t>(link.target().data() - link.raw.data());
  std::string out = raw.substr(0, at);
  out.append(new_target);
  out.append(raw, at + link.target().size());
  const bool visible_changes = new_target != link.target();
  if (visible_changes && !link.embed && link.alias().empty() && out.size() >= 2) {
    // The visible text was the target: keep it as the alias.
    std::string alias = link.has_alias ? std::string(link.target())
                                       : (in_table_row(text, link.pos.offset) ? "\\|" : "|") +
                                             std::string(link.target());
    out.insert(out.size() - 2, alias);
  }
  return out;
}

}  // namespace tkb
