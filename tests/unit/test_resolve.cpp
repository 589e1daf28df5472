// Unit tests for tkb/resolve.hpp: each MatchRule, their order, folder preference,
// ambiguity, suggestions and backlinks. Knowledge bases live in memory.
#include <catch2/catch.hpp>

#include <map>
#include <string>
#include <vector>

#include "tkb/knowledge_base.hpp"
#include "tkb/parse.hpp"
#include "tkb/resolve.hpp"
#include "tkb/scan.hpp"

using namespace tkb;

namespace {

const std::string LRI = "\xE2\x81\xA8";  // U+2068 FIRST STRONG ISOLATE
const std::string PDI = "\xE2\x81\xA9";  // U+2069 POP DIRECTIONAL ISOLATE

std::string note(const std::string& title, const std::string& extra = "",
                 const std::string& body = "") {
  return "---\ntitle: " + title + "\n" + extra + "---\n" + body;
}

KnowledgeBase load(std::map<std::string, std::string> files, unsigned jobs = 1) {
  MemoryFileSystem fs(std::move(files));
  LoadOptions o;
  o.jobs = jobs;
  return load_knowledge_base(fs, o);
}

// The main fixture: a little of everything.
KnowledgeBase main_kb() {
  return load({
      {"index.md", note("Index")},
      {"film/ai_in_film_making.md", note("AI in film making")},
      {"kitchen/kitchen.md", note("Kitchen")},
      {"kitchen/ais_impact.md", note("AI's Impact")},
      {"kitchen/sourdough_starters.md",
       note("Sourdough starters", "aliases: [Levain, \" Starter Culture \"]\n")},
      {"kitchen/topic.md", note("Kitchen topic")},
      {"space/topic.md", note("Space topic")},
      {"space/Dup.md", note("Dup upper")},
      {"space/dup.md", note("Dup lower")},
      {"space/what_lagrange_points_are.md", note("Lagrange points")},
      {"x.md", note("Root x")},
      {"x/x.md", note("Folder x")},
      {LRI + "cleo" + PDI + "/" + LRI + "cleo" + PDI + ".md", note("Cleo")},
  });
}

int idx(const KnowledgeBase& kb, const std::string& path) {
  int i = kb.find_path(path);
  INFO("path " << path);
  REQUIRE(i >= 0);
  return i;
}

void check_resolves(const KnowledgeBase& kb, const Resolver& r, const std::string& target,
                    MatchRule rule, const std::string& path, int from = -1) {
  INFO("target \"" << target << "\" from " << from);
  Resolution res = r.resolve(target, from);
  CHECK(to_string(res.rule) == to_string(rule));
  CHECK(res.resolved());
  CHECK_FALSE(res.ambiguous());
  REQUIRE(res.note >= 0);
  CHECK(kb.notes[res.note].path == path);
}

// Candidates as a vector, whatever range type Resolution uses.
template <typename Range>
std::vector<int> vec(const Range& r) {
  return std::vector<int>(r.begin(), r.end());
}

template <typename Range>
std::vector<std::string> paths_of(const KnowledgeBase& kb, const Range& notes) {
  std::vector<std::string> out;
  for (int i : notes) out.push_back(kb.notes[i].path);
  return out;
}

}  // namespace

TEST_CASE("resolve: to_string of every MatchRule", "[resolve]") {
  CHECK(to_string(MatchRule::path) == "path");
  CHECK(to_string(MatchRule::stem) == "stem");
  CHECK(to_string(MatchRule::stem_ci) == "stem-ci");
  CHECK(to_string(MatchRule::slug) == "slug");
  CHECK(to_string(MatchRule::loose) == "loose");
  CHECK(to_string(MatchRule::alias) == "alias");
  CHECK(to_string(MatchRule::self) == "self");
  CHECK(to_string(MatchRule::none) == "none");
}

TEST_CASE("resolve: path rule, with and without .md", "[resolve]") {
  KnowledgeBase kb = main_kb();
  Resolver r(kb);
  check_resolves(kb, r, "kitchen/ais_impact", MatchRule::path, "kitchen/ais_impact.md");
  check_resolves(kb, r, "kitchen/ais_impact.md", MatchRule::path, "kitchen/ais_impact.md");
  check_resolves(kb, r, "./kitchen/ais_impact", MatchRule::path, "kitchen/ais_impact.md");
  check_resolves(kb, r, "kitchen/../kitchen/ais_impact", MatchRule::path, "kitchen/ais_impact.md");
  check_resolves(kb, r, "kitchen//ais_impact", MatchRule::path, "kitchen/ais_impact.md");
  check_resolves(kb, r, "  kitchen/ais_impact  ", MatchRule::path, "kitchen/ais_impact.md");
  check_resolves(kb, r, "x/x", MatchRule::path, "x/x.md");
  check_resolves(kb, r, LRI + "cleo" + PDI + "/" + LRI + "cleo" + PDI, MatchRule::path,
                 LRI + "cleo" + PDI + "/" + LRI + "cleo" + PDI + ".md");
  // A root note is a path without a slash; it beats the two stems named "x".
  Resolution root = r.resolve("x");
  CHECK(root.rule == MatchRule::path);
  CHECK(paths_of(kb, root.candidates) == std::vector<std::string>{"x.md"});
  check_resolves(kb, r, "x.md", MatchRule::path, "x.md");
  // Root notes and notes in folders sit in two indexes: a path that normalises to a root
  // note's still finds it, and a folder note is not found by its stem through the path rule.
  Resolution back_to_root = r.resolve("kitchen/../x");
  CHECK(back_to_root.rule == MatchRule::path);
  CHECK(paths_of(kb, back_to_root.candidates) == std::vector<std::string>{"x.md"});
  check_resolves(kb, r, "./x", MatchRule::path, "x.md");
  CHECK(r.resolve("ais_impact").rule != MatchRule::path);
}

TEST_CASE("resolve: a path that climbs out of the root never resolves", "[resolve]") {
  KnowledgeBase kb = main_kb();
  Resolver r(kb);
  for (const char* t : {"../kitchen/ais_impact", "kitchen/../../kitchen/ais_impact", "../x",
                        "x/../../x", "../ais_impact.md"}) {
    INFO("target " << t);
    Resolution res = r.resolve(t, idx(kb, "kitchen/kitchen.md"));
    CHECK(res.rule == MatchRule::none);
    CHECK(res.candidates.empty());
    CHECK(res.note == -1);
    CHECK_FALSE(res.resolved());
    CHECK_FALSE(res.ambiguous());
  }
}

TEST_CASE("resolve: stem, stem-ci, slug, loose and alias rules", "[resolve]") {
  KnowledgeBase kb = main_kb();
  Resolver r(kb);
  check_resolves(kb, r, "ais_impact", MatchRule::stem, "kitchen/ais_impact.md");
  check_resolves(kb, r, "ais_impact.md", MatchRule::stem, "kitchen/ais_impact.md");
  check_resolves(kb, r, "AIS_Impact", MatchRule::stem_ci, "kitchen/ais_impact.md");
  check_resolves(kb, r, "AI in film making", MatchRule::slug, "film/ai_in_film_making.md");
  check_resolves(kb, r, "AI's Impact", MatchRule::slug, "kitchen/ais_impact.md");
  // Loose: the three spellings meet.
  check_resolves(kb, r, "AIs-impact", MatchRule::loose, "kitchen/ais_impact.md");
  check_resolves(kb, r, "ais-impact", MatchRule::loose, "kitchen/ais_impact.md");
  check_resolves(kb, r, "ais impact!", MatchRule::slug, "kitchen/ais_impact.md");
  // Loose against a title rather than a stem.
  check_resolves(kb, r, "Lagrange points", MatchRule::loose, "space/what_lagrange_points_are.md");
  check_resolves(kb, r, "lagrange-points", MatchRule::loose, "space/what_lagrange_points_are.md");
  // Aliases, ignoring ASCII case and surrounding spaces.
  check_resolves(kb, r, "levain", MatchRule::alias, "kitchen/sourdough_starters.md");
  check_resolves(kb, r, "LEVAIN", MatchRule::alias, "kitchen/sourdough_starters.md");
  check_resolves(kb, r, "starter culture", MatchRule::alias, "kitchen/sourdough_starters.md");
}

TEST_CASE("resolve: invisible characters around a folder or stem resolve via loose", "[resolve]") {
  KnowledgeBase kb = main_kb();
  Resolver r(kb);
  const std::string cleo = LRI + "cleo" + PDI + "/" + LRI + "cleo" + PDI + ".md";
  check_resolves(kb, r, LRI + "cleo" + PDI, MatchRule::stem, cleo);
  check_resolves(kb, r, "cleo", MatchRule::loose, cleo);
  check_resolves(kb, r, "Cleo", MatchRule::loose, cleo);
  // And the other way round: isolates in the link, none in the file name.
  KnowledgeBase kb2 = load({{"chan/MyNote.md", note("Something else")}});
  Resolver r2(kb2);
  check_resolves(kb2, r2, LRI + "mynote" + PDI, MatchRule::loose, "chan/MyNote.md");
  check_resolves(kb2, r2, "my\xE2\x80\x8Bnote", MatchRule::loose, "chan/MyNote.md");  // ZWSP
}

TEST_CASE("resolve: self for an empty target with a fragment", "[resolve]") {
  KnowledgeBase kb = main_kb();
  Resolver r(kb);
  const int from = idx(kb, "kitchen/topic.md");
  Resolution res = r.resolve("", from);
  CHECK(res.rule == MatchRule::self);
  CHECK(vec(res.candidates) == std::vector<int>{from});
  CHECK(res.note == from);

  WikiLink heading_link = split_wikilink("#Heading");
  Resolution via_link = r.resolve_link(heading_link, from);
  CHECK(via_link.rule == MatchRule::self);
  CHECK(via_link.note == from);

  // Without a source note there is no "self".
  Resolution nowhere = r.resolve("", -1);
  CHECK(nowhere.rule == MatchRule::none);
  CHECK(nowhere.note == -1);
  CHECK(nowhere.candidates.empty());
}

TEST_CASE("resolve: a link with neither target nor fragment goes nowhere", "[resolve]") {
  KnowledgeBase kb = main_kb();
  Resolver r(kb);
  const int from = idx(kb, "kitchen/topic.md");
  for (const char* inner : {"", " ", " | x", "|alias"}) {
    INFO("inner [[" << inner << "]]");
    Resolution res = r.resolve_link(split_wikilink(inner), from);
    CHECK(res.rule == MatchRule::none);
    CHECK(res.note == -1);
    CHECK(res.candidates.empty());
  }
}

TEST_CASE("resolve: no match is rule none", "[resolve]") {
  KnowledgeBase kb = main_kb();
  Resolver r(kb);
  Resolution res = r.resolve("no such note", idx(kb, "index.md"));
  CHECK(res.rule == MatchRule::none);
  CHECK(res.candidates.empty());
  CHECK(res.note == -1);
  CHECK_FALSE(res.resolved());
  CHECK_FALSE(res.ambiguous());
  CHECK(r.resolve("!!!").rule == MatchRule::none);  // empty loose key matches nothing
}

TEST_CASE("resolve: the first rule that finds candidates decides", "[resolve]") {
  KnowledgeBase kb = main_kb();
  Resolver r(kb);
  // Exact stem "Dup" beats the two case-insensitive matches.
  Resolution exact = r.resolve("Dup");
  CHECK(exact.rule == MatchRule::stem);
  CHECK(paths_of(kb, exact.candidates) == std::vector<std::string>{"space/Dup.md"});
  CHECK(exact.resolved());

  // A small base where every later rule would also match something else.
  KnowledgeBase kb2 = load({
      {"a/levain.md", note("Bread")},                                // stem "levain"
      {"b/other.md", note("Other", "aliases: [levain, Leaven]\n")},  // alias "levain"
      {"c/leaven_notes.md", note("Leaven!")},                        // loose title "leaven"
      {"d/Mixed_Case.md", note("M")},
      {"e/mixed_case_x.md", note("Mixed case")},  // loose title "mixedcase"
  });
  Resolver r2(kb2);
  check_resolves(kb2, r2, "levain", MatchRule::stem, "a/levain.md");         // stem before alias
  check_resolves(kb2, r2, "LEVAIN", MatchRule::stem_ci, "a/levain.md");      // stem-ci before alias
  check_resolves(kb2, r2, "Leaven", MatchRule::loose, "c/leaven_notes.md");  // loose before alias
  check_resolves(kb2, r2, "mixed_case", MatchRule::stem_ci, "d/Mixed_Case.md");  // before loose
  // The slug is lower case and compared with stems as they are: "Mixed Case" has no slug
  // match, and its loose key meets a stem and a title.
  Resolution mixed = r2.resolve("Mixed Case");
  CHECK(mixed.rule == MatchRule::loose);
  CHECK(mixed.ambiguous());
  CHECK(paths_of(kb2, mixed.candidates) ==
        std::vector<std::string>{"d/Mixed_Case.md", "e/mixed_case_x.md"});
}

TEST_CASE("resolve: several candidates prefer the source note's folder", "[resolve]") {
  KnowledgeBase kb = main_kb();
  Resolver r(kb);
  const int kitchen_topic = idx(kb, "kitchen/topic.md");
  const int space_topic = idx(kb, "space/topic.md");

  Resolution from_kitchen = r.resolve("topic", idx(kb, "kitchen/kitchen.md"));
  CHECK(from_kitchen.rule == MatchRule::stem);
  CHECK(vec(from_kitchen.candidates) == std::vector<int>{kitchen_topic, space_topic});
  CHECK(from_kitchen.note == kitchen_topic);
  CHECK(from_kitchen.resolved());
  CHECK_FALSE(from_kitchen.ambiguous());

  Resolution from_space = r.resolve("topic", idx(kb, "space/Dup.md"));
  CHECK(from_space.note == space_topic);

  // From elsewhere, or from no note: ambiguous, every candidate listed, sorted.
  for (int from : {idx(kb, "index.md"), idx(kb, "film/ai_in_film_making.md"), -1}) {
    INFO("from " << from);
    Resolution res = r.resolve("topic", from);
    CHECK(res.rule == MatchRule::stem);
    CHECK(res.note == -1);
    CHECK(res.ambiguous());
    CHECK_FALSE(res.resolved());
    CHECK(paths_of(kb, res.candidates) ==
          std::vector<std::string>{"kitchen/topic.md", "space/topic.md"});
  }
}

TEST_CASE("resolve: several candidates in the source's own folder stay ambiguous", "[resolve]") {
  KnowledgeBase kb = main_kb();
  Resolver r(kb);
  Resolution res = r.resolve("DUP", idx(kb, "space/topic.md"));
  CHECK(res.rule == MatchRule::stem_ci);
  CHECK(res.note == -1);
  CHECK(res.ambiguous());
  CHECK(paths_of(kb, res.candidates) == std::vector<std::string>{"space/Dup.md", "space/dup.md"});
}

TEST_CASE("resolve: suggest returns the nearest names, nearest first", "[resolve]") {
  KnowledgeBase kb = main_kb();
  Resolver r(kb);
  std::vector<std::string> s = r.suggest("sourdogh_starter");
  REQUIRE_FALSE(s.empty());
  CHECK(s[0] == "kitchen/sourdough_starters.md");

  CHECK(r.suggest("kichen") == std::vector<std::string>{"kitchen/kitchen.md"});
  CHECK(r.suggest("AI impact").front() == "kitchen/ais_impact.md");
  CHECK(r.suggest("lagrange point").front() == "space/what_lagrange_points_are.md");

  // Equal distance: ordered by path. "dupp" is one edit from both "Dup" and "dup".
  std::vector<std::string> dups = r.suggest("dupp", 2);
  CHECK(dups == std::vector<std::string>{"space/Dup.md", "space/dup.md"});

  // n caps the count; nothing near gives nothing; an empty key gives nothing.
  CHECK(r.suggest("dupp", 1).size() == 1);
  CHECK(r.suggest("zzzzzzzzzzzzzzzzzzzz").empty());
  CHECK(r.suggest("").empty());
  CHECK(r.suggest("!!!").empty());
}

TEST_CASE("resolve: every link of a note, and backlinks", "[resolve]") {
  KnowledgeBase kb = load({
      {"a.md",
       note("A", "", "[[b]] [[c]] [[b|again]] [[#H]] [[missing]] [[ | x]] `[[c]]`\n\n# H\n")},
      {"b.md", note("B", "", "[[a]]\n")},
      {"c.md", note("C")},
  });
  Resolver r(kb);
  const int a = idx(kb, "a.md"), b = idx(kb, "b.md"), c = idx(kb, "c.md");
  auto link = [&](int from, std::size_t k) {
    return r.resolve_link(kb.notes[static_cast<std::size_t>(from)].links[k], from);
  };
  REQUIRE(kb.notes[static_cast<std::size_t>(a)].links.size() == 6);  // the one in code is not
  CHECK(link(a, 0).note == b);
  CHECK(link(a, 1).note == c);
  CHECK(link(a, 2).note == b);
  CHECK(link(a, 3).rule == MatchRule::self);
  CHECK(link(a, 3).note == a);
  CHECK(link(a, 4).rule == MatchRule::none);
  CHECK(link(a, 4).note == -1);
  CHECK(link(a, 5).rule == MatchRule::none);
  REQUIRE(kb.notes[static_cast<std::size_t>(b)].links.size() == 1);
  CHECK(link(b, 0).note == a);
  CHECK(kb.notes[static_cast<std::size_t>(c)].links.empty());

  using P = std::vector<std::pair<int, int>>;
  CHECK(backlinks(kb, r, a) == P{{a, 3}, {b, 0}});
  CHECK(backlinks(kb, r, b) == P{{a, 0}, {a, 2}});
  CHECK(backlinks(kb, r, c) == P{{a, 1}});
  CHECK(backlinks(kb, r, 99).empty());  // no such note: nothing reaches it
}

TEST_CASE("resolve: an empty knowledge base", "[resolve]") {
  KnowledgeBase kb = load({});
  Resolver r(kb);
  CHECK(backlinks(kb, r, 0).empty());
  CHECK(r.resolve("anything").rule == MatchRule::none);
  CHECK(r.suggest("anything").empty());
}

TEST_CASE("resolve: suggest with n = 0 returns nothing", "[resolve][bug]") {
  // resolve.hpp: "Up to `n` note paths whose names are nearest to `target`".
  KnowledgeBase kb = main_kb();
  Resolver r(kb);
  CHECK(r.suggest("dupp", 0).empty());
}

TEST_CASE("resolve: NameIndex finds each key's notes, ascending, each once", "[resolve]") {
  NameIndex index;
  index.add("alpha", 0);
  index.add("beta", 0);
  index.add("alpha", 2);
  index.add("alpha", 2);  // the same note adding a key twice counts once
  index.add("alpha", 5);
  index.add("", 6);  // an empty key is a key like any other here (the Resolver skips them)
  index.finish();
  auto notes = [&](std::string_view key) {
    std::span<const int> s = index.find(key);
    return std::vector<int>(s.begin(), s.end());
  };
  CHECK(notes("alpha") == std::vector<int>{0, 2, 5});
  CHECK(notes("beta") == std::vector<int>{0});
  CHECK(notes("") == std::vector<int>{6});
  CHECK(notes("alph").empty());
  CHECK(notes("alphaa").empty());
  std::map<std::string, std::vector<int>> all;
  index.for_each([&](std::string_view key, std::span<const int> s) {
    all[std::string(key)] = std::vector<int>(s.begin(), s.end());
  });
  CHECK(all ==
        std::map<std::string, std::vector<int>>{{"", {6}}, {"alpha", {0, 2, 5}}, {"beta", {0}}});
  NameIndex empty;
  empty.finish();
  CHECK(empty.find("alpha").empty());
}

TEST_CASE("resolve: NameIndex keys added as views are not copied, and mix with copies",
          "[resolve]") {
  const std::vector<std::string> names = {"alpha", "beta", "a much longer name than the rest"};
  NameIndex index;
  index.add_view(names[0], 0);
  index.add("alpha", 1);  // the same key, copied: one entry, the first text
  index.add_view(names[1], 1);
  for (int i = 0; i < 2000; ++i) index.add("filler " + std::to_string(i), 2);  // growth
  index.add_view(names[2], 3);
  index.add(std::string("beta"), 4);
  index.finish();
  std::map<std::string, std::pair<std::vector<int>, const char*>> seen;
  index.for_each([&](std::string_view key, std::span<const int> s) {
    if (key.substr(0, 6) != "filler") {
      seen[std::string(key)] = {std::vector<int>(s.begin(), s.end()), key.data()};
    }
  });
  REQUIRE(seen.size() == 3);
  CHECK(seen["alpha"].first == std::vector<int>{0, 1});
  CHECK(seen["alpha"].second == names[0].data());  // the caller's text itself
  CHECK(seen["beta"].first == std::vector<int>{1, 4});
  CHECK(seen["beta"].second == names[1].data());
  CHECK(seen["a much longer name than the rest"].second == names[2].data());
  CHECK(index.find("filler 1999").size() == 1);
  CHECK(index.find("filler 1999")[0] == 2);
}

TEST_CASE("resolve: NameIndex keeps every key through growth, reserved or not", "[resolve]") {
  for (std::size_t reserve : {std::size_t{0}, std::size_t{10}, std::size_t{5000}}) {
    NameIndex index;
    index.reserve(reserve);
    constexpr int kNotes = 3000;
    for (int i = 0; i < kNotes; ++i) {
      index.add("note " + std::to_string(i), i);
      index.add("shared " + std::to_string(i % 7), i);
    }
    index.finish();
    for (int i = 0; i < kNotes; ++i) {
      std::span<const int> s = index.find("note " + std::to_string(i));
      REQUIRE(s.size() == 1);
      CHECK(s[0] == i);
    }
    std::span<const int> shared = index.find("shared 3");
    REQUIRE(shared.size() == kNotes / 7 + 1);
    CHECK(std::is_sorted(shared.begin(), shared.end()));
    CHECK(shared.front() == 3);
    CHECK(index.find("note 3000").empty());
  }
}

TEST_CASE("resolve: a Resolver stays valid when its KnowledgeBase object moves", "[resolve]") {
  // tkb's CLI builds the resolver inside a struct it then returns by value.
  KnowledgeBase kb = main_kb();
  Resolver r(kb);
  const int kitchen_topic = idx(kb, "kitchen/topic.md");
  const int kitchen_index = idx(kb, "kitchen/kitchen.md");
  KnowledgeBase moved = std::move(kb);
  kb = KnowledgeBase{};  // the old object is reused for something else
  Resolution res = r.resolve("topic", kitchen_index);  // the folder tie-break reads notes
  CHECK(res.note == kitchen_topic);
  check_resolves(moved, r, "kitchen/ais_impact", MatchRule::path, "kitchen/ais_impact.md");
  CHECK_FALSE(r.suggest("kitchen_topik").empty());  // suggestions read notes' paths
}

TEST_CASE("resolve: a lookahead resolves as the target it was made from", "[resolve]") {
  KnowledgeBase kb = main_kb();
  Resolver r(kb);
  Resolver::Lookahead a = r.lookahead("  kitchen/ais_impact.md ");
  CHECK(a.target == "kitchen/ais_impact");
  CHECK(a.hash == r.lookahead("kitchen/ais_impact").hash);
  CHECK(r.lookahead(" ").target.empty());
  const int from = idx(kb, "kitchen/topic.md");
  for (const char* raw : {"[[topic]]", "[[AI's Impact|x]]", "[[x.md]]", "[[#Heading]]",
                          "[[ | alias]]", "[[gone]]", "[[kitchen/../x]]", "[[Levain]]"}) {
    INFO("link " << raw);
    const std::string_view inner(raw + 2, std::string_view(raw).size() - 4);
    WikiLink l = split_wikilink(inner);
    Resolution plain = r.resolve_link(l, from);
    r.prefetch_slot(r.lookahead(l.target()));
    r.prefetch_entry(r.lookahead(l.target()));
    Resolution ahead = r.resolve_link(l, from, r.lookahead(l.target()));
    CHECK(ahead.note == plain.note);
    CHECK(to_string(ahead.rule) == to_string(plain.rule));
    CHECK(std::vector<int>(ahead.candidates.begin(), ahead.candidates.end()) ==
          std::vector<int>(plain.candidates.begin(), plain.candidates.end()));
  }
  // The same answers as before lookaheads existed, for a few of them.
  CHECK(kb.notes[r.resolve_link(split_wikilink("topic"), from).note].path == "kitchen/topic.md");
  CHECK(r.resolve_link(split_wikilink(" | alias"), from).rule == MatchRule::none);
  CHECK(r.resolve_link(split_wikilink("#Heading"), from).note == from);
}
