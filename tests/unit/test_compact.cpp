// Unit tests for tkb/compact.hpp: the interner, which links may name their own note, the path
// resolver that settles links while loading, and the compact model as a whole (the same
// findings as the full one, with less kept).
#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "tkb/check.hpp"
#include "tkb/compact.hpp"
#include "tkb/knowledge_base.hpp"
#include "tkb/parse.hpp"
#include "tkb/resolve.hpp"

using namespace tkb;

namespace {

const std::string kHead =
    "---\ntitle: Topic\nvideoId: abcdefghijk\n---\n\nFrom: [[chan]] <br/>\n\n";

KnowledgeBase load(const std::map<std::string, std::string>& files, bool compact, unsigned jobs = 1,
                   std::uint64_t max_note_bytes = 16u << 20) {
  MemoryFileSystem fs(files);
  LoadOptions o;
  o.jobs = jobs;
  o.compact_links = compact;
  o.max_note_bytes = max_note_bytes;
  return load_knowledge_base(fs, o);
}

std::vector<std::string> findings(const KnowledgeBase& kb) {
  Resolver resolver(kb);
  std::vector<std::string> out;
  for (const Diagnostic& d : run_checks(kb, resolver)) out.push_back(format_diagnostic(d));
  return out;
}

std::vector<std::string> targets(const Note& n) {
  std::vector<std::string> out;
  for (const WikiLink& l : n.links) {
    out.push_back(std::string(l.target()) + (l.fragment().empty() ? "" : "#") +
                  std::string(l.fragment()));
  }
  return out;
}

}  // namespace

TEST_CASE("TextInterner: one copy of each text, valid after growing and after take_blocks",
          "[compact]") {
  TextInterner interner;
  std::string_view a = interner.intern("alpha");
  std::string_view b = interner.intern("beta");
  CHECK(a == "alpha");
  CHECK(b == "beta");
  CHECK(interner.intern(std::string("alpha")).data() == a.data());  // equal text, same copy
  CHECK(interner.intern("alph").data() != a.data());
  CHECK(interner.intern("").empty());
  CHECK(interner.size() == 4);
  // Enough texts to grow the table several times and fill several blocks: every view keeps
  // its text, and asking again gives the same copy.
  std::vector<std::string_view> views;
  for (int i = 0; i < 50000; ++i)
    views.push_back(interner.intern("note number " + std::to_string(i)));
  const std::string long_text(100000, 'x');  // over a quarter block: a block of its own
  std::string_view big = interner.intern(long_text);
  CHECK(interner.size() == 50005);
  for (int i = 0; i < 50000; i += 997) {
    CHECK(views[i] == "note number " + std::to_string(i));
    CHECK(interner.intern("note number " + std::to_string(i)).data() == views[i].data());
  }
  CHECK(interner.intern(long_text).data() == big.data());
  std::vector<std::unique_ptr<char[]>> blocks = interner.take_blocks();
  CHECK(blocks.size() >= 3);
  CHECK(interner.size() == 0);
  CHECK(a == "alpha");  // the blocks moved, the texts stayed
  CHECK(views[49999] == "note number 49999");
  CHECK(big == long_text);
  CHECK(interner.intern("alpha").data() != a.data());  // a new interner's copy
}

TEST_CASE("may_name_note: true for every spelling a rule takes to the note", "[compact]") {
  Note n =
      parse_note("---\ntitle: The Note's Title\naliases: [Other Name]\n---\n", "chan/my_note.md");
  for (const char* t :
       {"my_note", "My_Note", "my note", "My Note", "my_note.md", "MY-NOTE", "The Note's Title",
        "the notes title", "Other Name", "other_name", " my_note ", "chan/anything", "x/../my_note",
        "my\xE2\x80\x8Bnote", "m\xC3\xA9y note"}) {
    INFO(t);
    CHECK(may_name_note(n, t));
  }
  for (const char* t : {"my_notes", "note", "my_note.txt", "Title", "other", "my_note#x", ""}) {
    INFO(t);
    CHECK_FALSE(may_name_note(n, t));
  }
  // `.md` alone is not a suffix to drop, as for the resolver: [[.md]] is md.md's slug.
  Note md = parse_note("", "md.md");
  CHECK(may_name_note(md, ".md"));
  CHECK(may_name_note(md, "md.md"));
}

TEST_CASE("may_name_note holds for every link that resolves to its own note", "[compact]") {
  // Self-links by every rule, in notes at the root and in folders.
  std::map<std::string, std::string> files = {
      {"Root Note.md", "[[Root Note]] [[root note]] [[root_note]] [[Root Note.md]]\n"},
      {"chan/chan.md", "[[chan]] [[CHAN]] [[chan/chan]] [[chan/chan.md]]\n"},
      {"chan/a_b.md",
       "---\ntitle: Über A, B!\naliases: [Alias Here]\n---\n"
       "[[a_b]] [[A_B]] [[A b]] [[a-b]] [[über a b]] [[Über A, B!]] [[alias here]] "
       "[[ALIAS HERE]] [[chan/a_b]] [[./chan/a_b]] [[chan/../chan/a_b]] [[a_b.md]]\n"},
      {"chan/md.md", "[[.md]] [[md]] [[MD.md]]\n"},
  };
  KnowledgeBase kb = load(files, false);
  Resolver resolver(kb);
  int self_links = 0;
  for (std::size_t i = 0; i < kb.notes.size(); ++i) {
    for (const WikiLink& l : kb.notes[i].links) {
      Resolution r = resolver.resolve_link(l, static_cast<int>(i));
      if (r.note != static_cast<int>(i) || r.rule == MatchRule::self) continue;
      ++self_links;
      INFO(kb.notes[i].path << ": " << l.raw << " by " << to_string(r.rule));
      CHECK(may_name_note(kb.notes[i], l.target()));
    }
  }
  CHECK(self_links == 22);  // all but [[über a b]]: the loose key keeps ü and Ü apart
}

TEST_CASE("PathResolver::sole_match agrees with the resolver's path and stem rules", "[compact]") {
  std::map<std::string, std::string> files = {
      {"top.md", ""},   {"a/top.md", ""},  {"a/one.md", ""},   {"b/one.md", ""},
      {"a/two.md", ""}, {"a/Two.md", ""},  {"b/three.md", ""}, {"b/x.md.md", ""},
      {"b/md.md", ""},  {"c/solo.md", ""}, {"c/Title.md", ""},
  };
  KnowledgeBase kb = load(files, false);
  Resolver resolver(kb);
  std::vector<std::string> paths;
  for (const Note& n : kb.notes) paths.push_back(n.path);
  PathResolver by_path(paths);
  auto index_of = [&](const std::string& path) { return kb.find_path(path); };
  // Exact expectations: the root note wins by path; two `one`s are several; case differs.
  CHECK(by_path.sole_match("top") == index_of("top.md"));
  CHECK(by_path.sole_match(" top.md ") == index_of("top.md"));
  CHECK(by_path.sole_match("one") == -1);
  CHECK(by_path.sole_match("two") == index_of("a/two.md"));
  CHECK(by_path.sole_match("Two") == index_of("a/Two.md"));
  CHECK(by_path.sole_match("TWO") == -1);  // stem_ci, not settled
  CHECK(by_path.sole_match("three") == index_of("b/three.md"));
  CHECK(by_path.sole_match("x.md") == -1);  // x, which no note is
  CHECK(by_path.sole_match("x.md.md") == index_of("b/x.md.md"));
  CHECK(by_path.sole_match("md") == index_of("b/md.md"));
  CHECK(by_path.sole_match(".md") == -1);    // md.md by the file-name rule, not settled
  CHECK(by_path.sole_match("a/one") == -1);  // a path: left to the resolver
  CHECK(by_path.sole_match("") == -1);
  CHECK(by_path.sole_match("title") == -1);
  // And for every one of these targets, what the resolver says.
  for (const char* t :
       {"top", "top.md", "one", "two", "Two", "TWO", "three", "x.md", "x.md.md", "md", ".md", "x",
        "solo", "Solo", "title", "Title", "missing", "a/one", ""}) {
    Resolution r = resolver.resolve(t, 0);
    const bool sole = (r.rule == MatchRule::path || r.rule == MatchRule::stem) &&
                      r.candidates.size() == 1 &&
                      std::string_view(t).find('/') == std::string::npos;
    INFO(t);
    CHECK(by_path.sole_match(t) == (sole ? r.candidates[0] : -1));
  }
}

TEST_CASE("compact_links: settled links, shared targets, the rest kept whole", "[compact]") {
  std::map<std::string, std::string> files = {
      {"chan/chan.md", "---\ntitle: chan\n---\n- [[one]]\n"},
      {"chan/one.md",
       kHead + "[[two|the second]] [[two#Part]] [[Two]] [[missing|gone]] [[one|me]] [[ | x]]\n"
               "[[00:01:02]] [[two]] `[[two]]` ![[two]] [[Missing]]\n"},
      {"chan/two.md", kHead + "## Part\n[[missing]] [[one]]\n"},
  };
  KnowledgeBase full = load(files, false);
  KnowledgeBase kb = load(files, true);
  REQUIRE(kb.notes.size() == 3);
  const Note& one = kb.notes[1];
  // Settled: [[two|the second]], [[two]] and ![[two]] (stem, one note, no fragment).
  CHECK(one.settled_links == std::vector<int>{2, 2, 2});
  CHECK(targets(one) == std::vector<std::string>{"chan", "two#Part", "Two", "missing", "one", "",
                                                 "00:01:02", "Missing"});
  CHECK(one.channel_link == 0);  // the From: link stays, first as before
  CHECK(one.channel == "chan");
  // Kept whole: the self link, the empty one and the time; the others are compact.
  std::vector<bool> compact;
  for (const WikiLink& l : one.links) compact.push_back(l.compact);
  CHECK(compact == std::vector<bool>{true, true, true, true, false, false, false, true});
  CHECK(one.links[4].raw == "[[one|me]]");
  CHECK(one.links[3].raw == "missing");
  CHECK(one.links[3].alias().empty());
  CHECK(one.links[3].has_alias);
  CHECK(one.links[1].raw == "two#Part");
  CHECK(one.links[1].fragment() == "Part");
  // Positions are the links' own.
  CHECK(one.links[3].pos == full.notes[1].links[4].pos);
  // Equal targets share one copy, across notes of a thread.
  CHECK(one.links[3].raw.data() == kb.notes[2].links[1].raw.data());
  CHECK(one.links[0].raw.data() == kb.notes[2].links[0].raw.data());
  CHECK(one.code_links.size() == 1);
  CHECK(one.code_links[0].raw == "[[two]]");
  CHECK(kb.notes[0].settled_links == std::vector<int>{1});
  CHECK(kb.notes[2].settled_links == std::vector<int>{1});
  CHECK(kb.notes[2].links.size() == 2);  // From: [[chan]] and [[missing]]
  CHECK(findings(kb) == findings(full));
  CHECK(findings(load(files, true, 2)) == findings(full));
}

TEST_CASE("compact loading with a note that cannot be read reads the notes linking to it again",
          "[compact]") {
  // big.md is listed but over the size limit: a link to it is broken, which settling by the
  // listed paths would have missed. one.md, which links to it, is read again without
  // settling; a.md is not, and its settled links name notes by their place once big.md is
  // gone.
  std::map<std::string, std::string> files = {
      {"chan/a.md", kHead + "[[zz]] [[one]]\n"},
      {"chan/big.md", kHead + std::string(500, 'x') + "\n"},
      {"chan/chan.md", "---\ntitle: chan\n---\n"},
      {"chan/one.md", kHead + "[[big]] [[chan]] [[one]]\n"},
      {"chan/zz.md", kHead},
  };
  KnowledgeBase full = load(files, false, 1, 300);
  for (unsigned jobs : {1u, 2u}) {
    KnowledgeBase kb = load(files, true, jobs, 300);
    REQUIRE(kb.notes.size() == 4);
    REQUIRE(kb.diagnostics.size() == 1);
    CHECK(kb.notes[0].settled_links == std::vector<int>{3, 2});  // zz.md, one.md
    CHECK(kb.notes[2].path == "chan/one.md");
    CHECK(kb.notes[2].settled_links.empty());
    CHECK(targets(kb.notes[2]) == std::vector<std::string>{"chan", "big", "chan", "one"});
    const std::vector<std::string> found = findings(kb);
    CHECK(found == findings(full));
    CHECK(std::count_if(found.begin(), found.end(), [](const std::string& f) {
            return f.find("link target \"big\" matches no note") != std::string::npos;
          }) == 1);
  }
}

namespace {

// Reads one note well the first time and fails every time after: a file that became
// unreadable while the knowledge base was being loaded.
class FailsOnSecondRead : public MemoryFileSystem {
 public:
  FailsOnSecondRead(std::map<std::string, std::string> files, std::string flaky)
      : MemoryFileSystem(std::move(files)), m_flaky(std::move(flaky)) {}
  bool read_into(const std::string& path, std::uint64_t max_bytes, std::string& out,
                 std::string& error) override {
    if (path == m_flaky && m_reads++ > 0) {
      error = "Permission denied";
      return false;
    }
    return MemoryFileSystem::read_into(path, max_bytes, out, error);
  }

 private:
  std::string m_flaky;
  int m_reads = 0;
};

}  // namespace

TEST_CASE("compact loading: a note read again that fails reads the notes linking to it again",
          "[compact]") {
  // big.md fails; one.md links to it and is read again, and fails then; a.md links to one.md
  // and is read again in its turn.
  FailsOnSecondRead fs(
      {
          {"chan/a.md", kHead + "[[zz]] [[one]]\n"},
          {"chan/big.md", kHead + std::string(500, 'x') + "\n"},
          {"chan/chan.md", "---\ntitle: chan\n---\n"},
          {"chan/one.md", kHead + "[[big]]\n"},
          {"chan/zz.md", kHead},
      },
      "chan/one.md");
  LoadOptions o;
  o.jobs = 1;
  o.compact_links = true;
  o.max_note_bytes = 300;
  KnowledgeBase kb = load_knowledge_base(fs, o);
  std::vector<std::string> paths;
  for (const Note& n : kb.notes) paths.push_back(n.path);
  CHECK(paths == std::vector<std::string>{"chan/a.md", "chan/chan.md", "chan/zz.md"});
  REQUIRE(kb.diagnostics.size() == 2);
  CHECK(kb.diagnostics[0].path == "chan/big.md");
  CHECK(kb.diagnostics[1].path == "chan/one.md");
  CHECK(kb.diagnostics[1].message == "cannot read note: Permission denied");
  CHECK(kb.notes[0].settled_links.empty());
  CHECK(targets(kb.notes[0]) == std::vector<std::string>{"chan", "zz", "one"});
  const std::vector<std::string> found = findings(kb);
  CHECK(std::count_if(found.begin(), found.end(), [](const std::string& f) {
          return f.rfind("chan/a.md:", 0) == 0 &&
                 f.find("link target \"one\" matches no note") != std::string::npos;
        }) == 1);
}

TEST_CASE("compact_links: headings become the keys fragments are compared with", "[compact]") {
  std::map<std::string, std::string> files = {
      {"chan/chan.md", "---\ntitle: chan\n---\n- [[one]]\n- [[two]]\n"},
      {"chan/one.md", kHead +
                          "## Part One\n## The **bold** part\n## [[two|Shown]] here\n## ---\n"
                          "## `code_name` A_B\n" +
                          "<a class=\"yt-timestamp\" data-t=\"00:00:05\">[00:00:05]</a>\n"},
      {"chan/two.md",
       kHead + "[[one#Part One]] [[one#part-one]] [[one#The bold part]] [[one#The **bold** part]] "
               "[[one#Shown here]] [[one#two Shown here]] [[one#---]] [[one#code_name A_B]] "
               "[[one#codename ab]] [[one#Part Two]] [[one#bold]]\n"},
  };
  KnowledgeBase full = load(files, false);
  KnowledgeBase kb = load(files, true);
  const Note& one = kb.notes[1];
  CHECK(one.headings.empty());
  CHECK(full.notes[1].headings.size() == 5);
  // Each heading's loose key, then that of its text without markup where it differs.
  // ("---" has an empty key, which a link to [[one#---]] has too.)
  CHECK(one.heading_keys == "partone\ntheboldpart\ntwoshownhere\nshownhere\n\ncodenameab\n");
  CHECK(findings(kb) == findings(full));
  std::vector<std::string> missing;
  for (const std::string& f : findings(kb)) {
    if (f.find("[heading-not-found]") != std::string::npos) missing.push_back(f);
  }
  CHECK(missing.size() == 2);  // Part Two and bold
}

TEST_CASE("ParseOptions::pack off: views into the text until pack_pool", "[compact]") {
  const std::string text = kHead + "## Part\n[[two|alias]] [[three#x]]\n";
  ParseOptions o;
  o.pack = false;
  Note n = parse_note(text, "chan/one.md", o);
  Note packed = parse_note(text, "chan/one.md");
  REQUIRE(n.links.size() == 3);
  CHECK(n.pool.empty());
  const auto inside = [&](std::string_view v) {
    return v.data() >= text.data() && v.data() + v.size() <= text.data() + text.size();
  };
  CHECK(inside(n.links[1].raw));
  CHECK(inside(n.headings[0].text));
  pack_pool(n);
  CHECK_FALSE(inside(n.links[1].raw));
  CHECK(n.pool == packed.pool);
  for (std::size_t k = 0; k < n.links.size(); ++k) {
    CHECK(n.links[k].raw == packed.links[k].raw);
    CHECK(n.links[k].alias() == packed.links[k].alias());
  }
  CHECK(n.headings[0].text == "Part");
}
