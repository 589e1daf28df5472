#!/usr/bin/env python3
"""Generate a synthetic transcript knowledge base for benchmarks.

    gen_kb.py --notes N --out DIR [--seed S] [--jobs J]

Writes N notes in the real format (front matter with title and videoId, a `From:` line,
prose with timestamp anchors, wikilinks, headings, callouts, now and then a fenced code
block) in channel folders of about 100 notes each, plus one index page per channel.

Deterministic: the same --notes and --seed give a byte-identical tree, whatever --jobs is
(each channel has its own random stream). Standard library only.
"""

import argparse
import multiprocessing
import os
import random
import sys

# ---------------------------------------------------------------------------------------------
# Fixed vocabulary. A few non-ASCII words keep UTF-8 handling honest.

NOUNS = """
ability access account action activity adoption advantage algorithm analysis angle answer
approach architecture area argument array aspect assumption atmosphere attention audience
balance bandwidth bank barrier battery behavior belief benchmark benefit bias biology
body boundary brain brand budget buffer cache camera capacity capital carbon career case
category cell center chain challenge change channel chapter chemistry chip choice circuit
city claim class climate cluster code collision community company comparison competition
compiler component compound computation concept condition conflict connection consensus
constraint consumer content context contract control cost country culture curve customer
cycle data database debate decade decision demand density design detail device diagram
diet difference dimension direction discovery disease distance distribution domain dose
economy ecosystem edge effect efficiency effort election element emission energy engine
engineer environment equation equilibrium error estimate evidence evolution example exchange
experiment expert exposure factor factory failure feature feedback field figure film filter
finance flow force forecast format formula foundation framework frequency friction function
fund future galaxy game gene generation geometry goal government gradient graph gravity
group growth habit hardware health heat history hormone hypothesis idea identity image
impact incentive income index industry inflation information infrastructure input insight
instrument interest interface interval investment island journey kernel knowledge label
labor language latency law layer leader lens level library light limit line liquidity
literature load logic loop machine magnitude manager map market material matrix measure
mechanism medicine memory message metabolism method metric microscope mind model module
molecule momentum money motion muscle narrative nation network neuron node noise number
object observation ocean operation opportunity optimization orbit order organism output
owner packet paper parameter particle partner pattern payment performance period phase
photon physics pipeline planet platform player policy population portfolio position
potential power practice prediction pressure price principle probability problem process
product profit program project protein protocol quality quantity query question radiation
range rate reaction reader reality reason record region regulation relationship report
research reserve resistance resource response result revenue risk robot role rotation
sample satellite scale scenario schedule school science screen sector security sensor
sequence server service session shape signal silicon simulation size skill sleep society
software solution source space species spectrum speed stability stage standard star state
strategy stream stress structure student study style subject supply surface symbol system
table target task technique technology temperature tension theory thread threshold time
tool topic trade tradition traffic training transaction transfer transistor trend trust
unit universe user value variable vector velocity version vision voltage volume wave
wealth weight window work workflow world
café façade naïveté résumé
""".split()

ADJECTIVES = """
abstract accurate active adaptive advanced ancient applied arbitrary artificial automatic
available average basic biological broad central chemical classical clear cognitive common
complex computational constant continuous critical cultural current dense digital direct
discrete distinct dynamic early economic efficient electric elegant emerging empirical
entire environmental essential ethical exact experimental explicit exponential external
familiar final financial fine finite fixed flexible formal fundamental general genetic
geometric global gradual hidden high historical human hybrid ideal implicit important
independent industrial infinite initial intense internal key large late linear local logical
long low main major manual massive mathematical mechanical medical mental minimal mobile
modern molecular multiple natural negative neural new nonlinear novel nuclear numerical
open optical optimal organic original parallel partial physical political popular positive
possible potential powerful practical precise primary private probabilistic public quantum
random rapid rare real recent reliable relative remote robust rough scientific secondary
secure sensitive sequential shared short significant simple single small social solar
spatial specific stable standard static statistical steady strategic strong structural
subtle sudden sufficient symmetric synthetic technical temporal theoretical thermal typical
uniform unique universal unusual useful valid various vast virtual visible visual weak wide
naïve
""".split()

VERBS = """
affects allows amplifies analyzes balances builds captures causes challenges changes
combines compares computes connects constrains contains controls converts creates defines
delivers depends demonstrates describes determines develops drives enables encodes enhances
estimates explains exposes extends filters follows generates governs guides highlights
illustrates improves includes increases influences informs introduces involves limits links
maintains maps measures models moves multiplies needs offers optimizes organizes outlines
predicts preserves produces provides reduces reflects regulates relies removes replaces
represents requires reshapes resolves reveals rotates scales separates shapes shifts
simplifies solves stabilizes stores strengthens supports sustains tracks transforms triggers
underlies uses validates
""".split()

ADVERBS = """
actually broadly carefully clearly closely consistently directly effectively eventually
explicitly fundamentally generally gradually largely mostly naturally notably often
partially precisely primarily quickly rapidly rarely really roughly significantly simply
slowly steadily strongly substantially typically usually widely
""".split()

PREPOSITIONS = "in of for with across within between through under over during after before around beyond toward against along among".split()
DETERMINERS = "the a the this each every that the its their our one".split()
CONNECTORS = ["and", "but", "while", "because", "so", "although", "whereas", "since", "which means", "as a result"]
OPENERS = ["In practice,", "For example,", "However,", "Notably,", "In this view,", "As explained,",
           "According to the speaker,", "Historically,", "At first,", "Later,", "In contrast,",
           "Importantly,", "Put simply,", "By comparison,", "Over time,", "In short,"]
TITLE_LINK = ["of", "in", "and", "for", "with", "on", "versus", "through", "behind", "beyond"]
CALLOUT_KINDS = [("info", "Key Takeaway"), ("info", "Related Topics"), ("info", "Further Reading"),
                 ("info", "Conclusion"), ("info", "Key Insight"), ("NOTE", ""), ("quote", ""),
                 ("INFO", "Summary"), ("CAUTION", ""), ("tip", "Learn More")]
CODE_LANGS = ["", "bash", "python", "markdown", "typescript"]

ID_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"
ANCHOR = '<a class="yt-timestamp" data-t="{0}">[{0}]</a>'


def slugify(title):
    """The knowledge base's file-name rule: keep [A-Za-z0-9 ], spaces to '_', lower-case."""
    kept = "".join(c for c in title if (c.isascii() and c.isalnum()) or c == " ")
    return kept.replace(" ", "_").lower()


def loose_key(s):
    return "".join(c for c in s.lower() if (c.isascii() and c.isalnum()) or not c.isascii())


def hms(t):
    return "%02d:%02d:%02d" % (t // 3600, t // 60 % 60, t % 60)


# ---------------------------------------------------------------------------------------------
# Plan: channels, videos, note titles and stems, and a pool of sentences. Cheap and global,
# so that cross-channel links can target any note; the heavy text is made per channel.

def noun_phrase(rng):
    r = rng.random()
    if r < 0.45:
        return "%s %s" % (rng.choice(ADJECTIVES), rng.choice(NOUNS))
    if r < 0.75:
        return rng.choice(NOUNS)
    return "%s %s" % (rng.choice(NOUNS), rng.choice(NOUNS))


def make_sentence(rng):
    parts = []
    if rng.random() < 0.2:
        parts.append(rng.choice(OPENERS))
    parts += [rng.choice(DETERMINERS), noun_phrase(rng)]
    if rng.random() < 0.3:
        parts.append(rng.choice(ADVERBS))
    parts += [rng.choice(VERBS), rng.choice(DETERMINERS), noun_phrase(rng)]
    for _ in range(rng.choice((0, 1, 1, 2))):
        parts += [rng.choice(PREPOSITIONS), rng.choice(DETERMINERS), noun_phrase(rng)]
    if rng.random() < 0.45:
        parts += [rng.choice(CONNECTORS), rng.choice(DETERMINERS), noun_phrase(rng),
                  rng.choice(VERBS), noun_phrase(rng)]
        if rng.random() < 0.5:
            parts += [rng.choice(PREPOSITIONS), rng.choice(DETERMINERS), noun_phrase(rng)]
    s = " ".join(parts)
    s = s[0].upper() + s[1:]
    if rng.random() < 0.05:
        s = s.replace(" ", " \u2014 ", 1) if rng.random() < 0.5 else s + " (\u201cas noted\u201d)"
    return s


def make_title(rng):
    """A note title such as 'Role of neural feedback in energy markets'."""
    words = [rng.choice(NOUNS).capitalize() if rng.random() < 0.5 else
             "%s %s" % (rng.choice(ADJECTIVES).capitalize(), rng.choice(NOUNS))]
    for _ in range(rng.choice((1, 1, 2, 2, 3))):
        words += [rng.choice(TITLE_LINK), noun_phrase(rng)]
    t = " ".join(words)
    r = rng.random()
    if r < 0.08:  # "Churchill's application of history"
        w = t.split(" ")
        ok = [i for i in range(len(w) - 1) if w[i] not in TITLE_LINK and w[i + 1] not in TITLE_LINK]
        if ok:
            w[rng.choice(ok)] += "'s"
        t = " ".join(w)
    elif r < 0.12:
        t = t.replace(" ", "-", 1)
    elif r < 0.25:  # Title Case, as many real notes have
        t = " ".join(x if x in TITLE_LINK else x[:1].upper() + x[1:] for x in t.split(" "))
    return t


def make_video_title(rng):
    t = make_sentence(rng)
    t = " ".join(t.split(" ")[: rng.randint(4, 11)]).rstrip(",")
    r = rng.random()
    if r < 0.15:
        t += "?"
    elif r < 0.25:
        t += " | Part %d" % rng.randint(1, 12)
    elif r < 0.3:
        t += "!"
    return t


def video_id(rng, used):
    while True:
        v = "".join(rng.choice(ID_CHARS) for _ in range(11))
        if v not in used:
            used.add(v)
            return v


def notes_per_video(rng):
    r = rng.random()
    if r < 0.65:
        return 5
    if r < 0.8:
        return rng.randint(1, 4)
    return rng.randint(6, 15)


class Plan:
    def __init__(self, notes, seed):
        rng = random.Random("gen_kb:%s:plan" % seed)
        self.seed = seed
        self.pool = [make_sentence(rng) for _ in range(20000)]
        self.mean_len = sum(len(x) for x in self.pool) / len(self.pool)

        # Channel sizes: about 100 notes each, exactly `notes` in total.
        sizes = []
        left = notes
        while left > 0:
            n = min(left, rng.randint(80, 120))
            left -= n
            sizes.append(n)
        if len(sizes) > 1 and sizes[-1] < 40:
            last = sizes.pop()
            sizes[-1] += last

        self.channels = []  # name
        self.videos = []    # per channel: [(video id, video title, [note index, ...])]
        self.notes = []     # per channel: [(title, stem, video id)]
        used_names, used_ids = set(), set()
        self.loose = set()  # loose keys of every stem and title: what a link could resolve to
        for n in sizes:
            while True:
                name = rng.choice(NOUNS) + rng.choice(NOUNS + ADJECTIVES)
                if rng.random() < 0.3:
                    name += str(rng.randint(1, 99))
                if rng.random() < 0.05:
                    name = "_" + name
                name = slugify(name)
                if name and name not in used_names:
                    break
            used_names.add(name)
            self.loose.add(loose_key(name))
            stems = {name}
            notes_c, videos_c = [], []
            while len(notes_c) < n:
                vid = video_id(rng, used_ids)
                members = []
                for _ in range(min(notes_per_video(rng), n - len(notes_c))):
                    while True:
                        title = make_title(rng)
                        stem = slugify(title)
                        if stem not in stems:
                            break
                    stems.add(stem)
                    self.loose.add(loose_key(stem))
                    members.append(len(notes_c))
                    notes_c.append((title, stem, vid))
                videos_c.append((vid, make_video_title(rng), members))
            self.channels.append(name)
            self.videos.append(videos_c)
            self.notes.append(notes_c)


# ---------------------------------------------------------------------------------------------
# Text of one channel.

PLAN = None  # set before the workers fork


def alias_for(rng, title):
    r = rng.random()
    if r < 0.4:
        return title
    words = title.split(" ")
    if r < 0.7 and len(words) > 2:
        return " ".join(words[-rng.randint(1, 2):]).lower()
    return noun_phrase(rng)


def link_text(rng, plan, ci, ni):
    r = rng.random()
    if r < 0.03:  # a target that matches no note
        while True:
            title = make_title(rng)
            if loose_key(title) not in plan.loose:
                break
        stem = slugify(title)
    else:
        cj = ci
        if r < 0.13 and len(plan.channels) > 1:
            cj = rng.randrange(len(plan.channels) - 1)
            cj += cj >= ci
        notes = plan.notes[cj]
        nj = rng.randrange(len(notes))
        if cj == ci and nj == ni and len(notes) > 1:
            nj = (nj + 1) % len(notes)
        title, stem, _ = notes[nj]
    f = rng.random()
    if f < 0.55:
        return "[[%s | %s]]" % (stem, alias_for(rng, title))
    if f < 0.8:
        return "[[%s|%s]]" % (stem, alias_for(rng, title))
    return "[[%s]]" % title


def heading(rng):
    h = noun_phrase(rng)
    if rng.random() < 0.5:
        h += " %s %s" % (rng.choice(TITLE_LINK), noun_phrase(rng))
    return h[0].upper() + h[1:]


def code_block(rng):
    lang = rng.choice(CODE_LANGS)
    body = rng.choice([
        "# wiki syntax is literal here: [[not_a_link]]\necho \"see [[not_a_link]]\"",
        "links look like [[not_a_link]] but this is code",
        "def f(x):\n    return \"[[not_a_link]]\" + str(x)",
    ])
    return "```%s\n%s\n```" % (lang, body)


def note_text(rng, plan, ci, ni):
    title, stem, vid = plan.notes[ci][ni]
    size = int(rng.triangular(5000, 15000, 8000))
    anchors = max(20, min(60, round(size / 250 * rng.uniform(0.8, 1.25))))
    links = rng.randint(5, 20)
    # Budget for prose once anchors (~60 B), links (~50 B) and headings are paid for.
    # Aim a little low; the last paragraphs top the note up to its size.
    budget = size - 250 - anchors * 62 - links * 60
    nsent = max(anchors + 2, int(budget / (plan.mean_len + 8) * 0.95))
    sents = rng.choices(plan.pool, k=nsent)

    # Links go inside sentences, after a word in the first half.
    link_at = {}
    for i in rng.choices(range(nsent), k=links):
        link_at.setdefault(i, []).append(link_text(rng, plan, ci, ni))
    for i, ls in link_at.items():
        s = sents[i]
        cut = s.find(" ", len(s) // 3)
        if cut < 0:
            sents[i] = s + " " + " and ".join(ls)
        else:
            sents[i] = s[:cut] + " " + " and ".join(ls) + s[cut:]

    # Timestamps at sentence ends: mostly increasing, sometimes stepping back.
    t = rng.randint(0, 1500) if rng.random() < 0.8 else rng.randint(1500, 9000)
    for i in sorted(rng.sample(range(nsent), anchors)):
        if rng.random() < 0.06:
            t = max(0, t - rng.randint(5, 300))
        else:
            t += rng.randint(1, 40)
        sents[i] = "%s %s." % (sents[i], ANCHOR.format(hms(t)))
    for i in range(nsent):
        if sents[i][-1] != ".":
            sents[i] += "."

    if "'" in title and rng.random() < 0.5:
        ftitle = '"%s"' % title
    else:
        ftitle = title
    out = ["---\ntitle: %s\nvideoId: %s\n---\n\nFrom: [[%s]] <br/> \n" % (ftitle, vid, plan.channels[ci])]
    code_at = rng.randrange(nsent) if rng.random() < 0.02 else -1
    callouts = rng.choice((0, 0, 0, 0, 0, 0, 0, 1, 1, 2))
    callout_at = set(rng.sample(range(nsent), min(callouts, nsent)))
    i = 0
    para = 0
    while i < nsent:
        if para == 1 or (para > 1 and rng.random() < 0.3):
            out.append("\n%s %s\n" % ("##" if rng.random() < 0.6 else "###", heading(rng)))
        k = rng.randint(1, 4)
        chunk = sents[i:i + k]
        r = rng.random()
        if r < 0.12 and len(chunk) > 1:
            out.append("\n" + "\n".join("- " + s for s in chunk) + "\n")
        elif r < 0.18:
            out.append("\n" + "\n".join("* **%s**: %s" % (heading(rng), s) for s in chunk) + "\n")
        else:
            out.append("\n" + " ".join(chunk) + "\n")
        for j in range(i, i + len(chunk)):
            if j in callout_at:
                kind, ctitle = rng.choice(CALLOUT_KINDS)
                head = "> [!%s] %s" % (kind, ctitle) if ctitle else "> [!%s]" % kind
                out.append("\n%s\n> %s\n" % (head, rng.choice(plan.pool) + "."))
            if j == code_at:
                out.append("\n" + code_block(rng) + "\n")
        i += len(chunk)
        para += 1
    have = sum(len(x) for x in out)
    while have < size:
        chunk = "\n" + " ".join(x + "." for x in rng.choices(plan.pool, k=rng.randint(1, 4))) + "\n"
        out.append(chunk)
        have += len(chunk)
    return "".join(out)


def index_text(plan, ci):
    out = ["---\ntitle: %s\n---\n" % plan.channels[ci]]
    notes = plan.notes[ci]
    for k, (vid, vtitle, members) in enumerate(plan.videos[ci]):
        if k:
            out.append("\n")
        out.append("### [%s](https://www.youtube.com/watch?v=%s)\n" % (vtitle, vid))
        for ni in members:
            out.append("- [[%s | %s]]\n" % (notes[ni][1], notes[ni][0]))
    return "".join(out)


def write_channel(args):
    ci, out_dir = args
    plan = PLAN
    rng = random.Random("gen_kb:%s:channel:%d" % (plan.seed, ci))
    name = plan.channels[ci]
    folder = os.path.join(out_dir, name)
    os.makedirs(folder, exist_ok=True)
    files = nbytes = 0
    pages = [(name, index_text(plan, ci))]
    for ni in range(len(plan.notes[ci])):
        pages.append((plan.notes[ci][ni][1], note_text(rng, plan, ci, ni)))
    for stem, text in pages:
        data = text.encode("utf-8")
        with open(os.path.join(folder, stem + ".md"), "wb") as f:
            f.write(data)
        files += 1
        nbytes += len(data)
    return files, nbytes


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--notes", type=int, required=True, help="number of notes (index pages come on top)")
    ap.add_argument("--out", required=True, help="output folder, created; must be empty or absent")
    ap.add_argument("--seed", default="1", help="random seed (default 1)")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                    help="worker processes (default: all cores); does not change the output")
    a = ap.parse_args()
    if a.notes < 1:
        ap.error("--notes must be at least 1")
    if os.path.exists(a.out) and (not os.path.isdir(a.out) or os.listdir(a.out)):
        ap.error("%s exists and is not an empty folder" % a.out)
    os.makedirs(a.out, exist_ok=True)

    global PLAN
    PLAN = Plan(a.notes, a.seed)
    work = [(ci, a.out) for ci in range(len(PLAN.channels))]
    files = nbytes = 0
    if a.jobs > 1 and len(work) > 1:
        ctx = multiprocessing.get_context("fork")
        with ctx.Pool(min(a.jobs, len(work))) as pool:
            for f, b in pool.imap_unordered(write_channel, work, chunksize=4):
                files += f
                nbytes += b
    else:
        for w in work:
            f, b = write_channel(w)
            files += f
            nbytes += b
    print("gen_kb: %d files (%d notes, %d channel index pages) in %d folders, %d bytes (%.1f MiB) in %s"
          % (files, a.notes, len(work), len(work), nbytes, nbytes / 1048576, a.out))


if __name__ == "__main__":
    sys.exit(main())
