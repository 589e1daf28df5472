// Showing planned changes as a coloured unified diff, or writing them, for rename/fix/new.
#include "changes.hpp"

#include <cstdlib>
#include <string_view>

#include "tkb/diagnostic.hpp"

namespace tkb::cli {

namespace {

bool colour_wanted(const std::string& when) {
  if (when == "always") return true;
  if (when != "auto" || !stdout_is_terminal()) return false;
  const char* no_color = std::getenv("NO_COLOR");
  const char* term = std::getenv("TERM");
  return !(no_color && *no_color) && !(term && std::string_view(term) == "dumb");
}

// Colour each line of a diff by what it is; a '\r' ending the line stays after the reset.
std::string coloured(std::string_view diff) {
  std::string out;
  for (std::size_t p = 0; p < diff.size();) {
    std::size_t nl = diff.find('\n', p);
    std::size_t e = nl == std::string_view::npos ? diff.size() : nl;
    std::string_view line = diff.substr(p, e - p);
    std::string_view cr;
    if (!line.empty() && line.back() == '\r') {
      line.remove_suffix(1);
      cr = "\r";
    }
    std::string_view code;
    if (line.rfind("diff --git ", 0) == 0 || line.rfind("--- ", 0) == 0 ||
        line.rfind("+++ ", 0) == 0 || line.rfind("rename ", 0) == 0 ||
        line.rfind("new file", 0) == 0 || line.rfind("deleted file", 0) == 0) {
      code = "1";
    } else if (line.rfind("@@", 0) == 0) {
      code = "36";
    } else if (!line.empty() && line[0] == '+') {
      code = "32";
    } else if (!line.empty() && line[0] == '-') {
      code = "31";
    }
    if (code.empty()) {
      out.append(line);
    } else {
      out += "\033[";
      out.append(code);
      out += "m";
      out.append(line);
      out += "\033[0m";
    }
    out.append(cr);
    if (nl != std::string_view::npos) out += '\n';
    p = e + 1;
  }
  return out;
}

std::string describe(const FileChange& c) {
  if (c.created()) return "created " + printable(c.path);
  if (c.removed()) return "removed " + printable(c.path);
  if (c.moved()) return "moved " + printable(c.path) + " -> " + printable(c.new_path);
  return "wrote " + printable(c.path);
}

}  // namespace

std::string count_of(std::size_t n, const std::string& one, const std::string& many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

int show_or_write(Context& ctx, const Loaded& loaded, const std::vector<FileChange>& changes,
                  const WriteOptions& o, const ChangeReport& report) {
  if (!o.write) {
    const bool colour = colour_wanted(o.color);
    std::string out;
    for (const FileChange& c : changes) {
      std::string diff = unified_diff(c);
      out += colour ? coloured(diff) : diff;
    }
    ctx.out << out;
    ctx.out.flush();
    ctx.err << report.dry_run << '\n';
    return 0;
  }
  auto fs = make_disk_file_system(loaded.root);
  ApplyReport done = apply_changes(*fs, changes, report.stop_on_failure);
  std::vector<std::string> failed, skipped;
  for (std::size_t i = 0; i < changes.size(); ++i) {
    const ApplyOutcome& r = done.outcomes[i];
    switch (r.status) {
      case ApplyOutcome::Status::written:
        ctx.out << describe(changes[i]) << '\n';
        break;
      case ApplyOutcome::Status::failed:
        ctx.out.flush();
        ctx.err << "tkb: error: " << printable(changes[i].path)
                << ": not written: " << printable(r.error) << '\n';
        failed.push_back(printable(changes[i].path));
        break;
      case ApplyOutcome::Status::not_attempted:
        skipped.push_back(printable(changes[i].path));
        break;
    }
  }
  ctx.out.flush();
  if (done.complete()) {
    ctx.err << report.written << '\n';
    return 0;
  }
  std::string list;
  for (const std::string& p : failed) list += (list.empty() ? "" : ", ") + p;
  ctx.err << "wrote " << done.count(ApplyOutcome::Status::written) << " of "
          << count_of(changes.size(), "file", "files") << "; not written: " << list;
  if (!skipped.empty()) {
    std::string rest;
    for (const std::string& p : skipped) rest += (rest.empty() ? "" : ", ") + p;
    ctx.err << "; not attempted after the failure: " << rest;
  }
  ctx.err << '\n';
  if (!report.on_failure.empty()) ctx.err << report.on_failure << '\n';
  return 1;
}

}  // namespace tkb::cli
