#include "tkb/note_cache.hpp"

#include <algorithm>
#include <cstring>
#include <functional>

#include "tkb/parse.hpp"

namespace tkb {

namespace {

// Version 1 of the record and index layout; a change to either changes the magic.
constexpr std::string_view kMagic = "TKBNC001";
constexpr std::size_t kFooterSize = 32;

class Writer {
 public:
  explicit Writer(std::string& out) : m_out(out) {}
  void number(std::uint64_t v) {
    while (v >= 0x80) {
      m_out.push_back(static_cast<char>((v & 0x7F) | 0x80));
      v >>= 7;
    }
    m_out.push_back(static_cast<char>(v));
  }
  void signed_number(std::int64_t v) {  // zigzag: small negative numbers stay short
    number((static_cast<std::uint64_t>(v) << 1) ^ static_cast<std::uint64_t>(v >> 63));
  }
  void flag(bool b) { m_out.push_back(b ? '\1' : '\0'); }
  void text(std::string_view s) {
    number(s.size());
    m_out.append(s);
  }
  void fixed(std::uint64_t v) {
    for (int i = 0; i < 8; ++i) m_out.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
  }
  void position(const Position& p) {
    number(p.offset);
    number(p.line);
    number(p.column);
  }
  void optional_number(const std::optional<std::int64_t>& v) {
    flag(v.has_value());
    if (v) signed_number(*v);
  }
  void stamp(const FileStamp& s) {
    number(s.size);
    signed_number(s.modified_ns);
    signed_number(s.changed_ns);
    number(s.inode);
    number(s.device);
  }

 private:
  std::string& m_out;
};

// Reads what Writer wrote; every read checks the room left, and a failed read leaves the
// reader failed (every later read fails too), so that callers check once at the end.
class Reader {
 public:
  explicit Reader(std::string_view in) : m_in(in) {}
  bool ok() const { return m_ok; }
  bool at_end() const { return m_ok && m_at == m_in.size(); }
  std::uint64_t number() {
    std::uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (!m_ok || m_at >= m_in.size()) return fail();
      const auto byte = static_cast<unsigned char>(m_in[m_at++]);
      v |= static_cast<std::uint64_t>(byte & 0x7F) << shift;
      if (!(byte & 0x80)) return v;
    }
    return fail();
  }
  std::uint32_t small() {  // a number that must fit 32 bits
    const std::uint64_t v = number();
    return v > 0xFFFFFFFFu ? static_cast<std::uint32_t>(fail()) : static_cast<std::uint32_t>(v);
  }
  std::int64_t signed_number() {
    const std::uint64_t v = number();
    return static_cast<std::int64_t>((v >> 1) ^ (~(v & 1) + 1));
  }
  int index() {  // -1 or a 32-bit index
    const std::int64_t v = signed_number();
    if (v < -1 || v > 0x7FFFFFFF) return static_cast<int>(fail());
    return static_cast<int>(v);
  }
  bool flag() {
    if (!m_ok || m_at >= m_in.size()) return fail() != 0;
    const char c = m_in[m_at++];
    if (c != '\0' && c != '\1') return fail() != 0;
    return c == '\1';
  }
  std::string_view text() {  // a view into the input
    const std::uint64_t n = number();
    if (!m_ok || n > m_in.size() - m_at) return fail(), std::string_view();
    std::string_view s = m_in.substr(m_at, static_cast<std::size_t>(n));
    m_at += static_cast<std::size_t>(n);
    return s;
  }
  std::uint64_t fixed() {
    if (!m_ok || m_in.size() - m_at < 8) return fail();
    std::uint64_t v = 0;
    for (int i = 0; i < 8; ++i) {
      v |= static_cast<std::uint64_t>(static_cast<unsigned char>(m_in[m_at + i])) << (8 * i);
    }
    m_at += 8;
    return v;
  }
  // A count of things that take at least one byte each: never more than the bytes left.
  std::size_t count() {
    const std::uint64_t n = number();
    if (!m_ok || n > m_in.size() - m_at) return static_cast<std::size_t>(fail());
    return static_cast<std::size_t>(n);
  }
  Position position() {
    Position p;
    p.offset = small();
    p.line = small();
    p.column = small();
    return p;
  }
  std::optional<std::int64_t> optional_number() {
    if (!flag()) return std::nullopt;
    return signed_number();
  }
  FileStamp stamp() {
    FileStamp s;
    s.size = number();
    s.modified_ns = signed_number();
    s.changed_ns = signed_number();
    s.inode = number();
    s.device = number();
    return s;
  }
  std::uint64_t fail() {
    m_ok = false;
    return 0;
  }

 private:
  std::string_view m_in;
  std::size_t m_at = 0;
  bool m_ok = true;
};

// Where `part` lies in `raw` (it is a view into raw, or empty).
void write_part(Writer& w, std::string_view raw, std::string_view part) {
  if (part.empty()) {
    w.number(0);
    w.number(0);
    return;
  }
  w.number(static_cast<std::uint64_t>(part.data() - raw.data()));
  w.number(part.size());
}

std::string_view read_part(Reader& r, std::string_view raw) {
  const std::uint64_t at = r.number(), size = r.number();
  if (at > raw.size() || size > raw.size() - at) return r.fail(), std::string_view();
  return raw.substr(static_cast<std::size_t>(at), static_cast<std::size_t>(size));
}

void write_links(Writer& w, const std::vector<WikiLink>& links) {
  w.number(links.size());
  for (const WikiLink& l : links) {
    w.text(l.raw);
    w.position(l.pos);
    w.number((l.has_alias ? 1u : 0u) | (l.embed ? 2u : 0u) | (l.compact ? 4u : 0u));
    write_part(w, l.raw, l.target());
    write_part(w, l.raw, l.fragment());
    write_part(w, l.raw, l.alias());
  }
}

// The links' views point into the input until decode_note shares or packs them.
void read_links(Reader& r, std::vector<WikiLink>& links) {
  links.resize(r.count());
  for (WikiLink& l : links) {
    const std::string_view raw = r.text();
    l.pos = r.position();
    const std::uint64_t flags = r.number();
    if (flags > 7) r.fail();
    l.has_alias = flags & 1u;
    l.embed = flags & 2u;
    l.compact = flags & 4u;
    l.raw = raw;
    const std::string_view target = read_part(r, l.raw), fragment = read_part(r, l.raw),
                           alias = read_part(r, l.raw);
    if (!r.ok()) return;
    l.set_parts(target, fragment, alias);
  }
}

void write_texts(Writer& w, const std::vector<std::string>& texts) {
  w.number(texts.size());
  for (const std::string& t : texts) w.text(t);
}

void read_texts(Reader& r, std::vector<std::string>& texts) {
  texts.resize(r.count());
  for (std::string& t : texts) t = r.text();
}

}  // namespace

void encode_note(const Note& n, std::string& out) {
  Writer w(out);
  w.text(n.path);
  w.text(n.id);
  w.text(n.folder);
  w.flag(n.front_matter.present);
  w.flag(n.front_matter.closed);
  w.number(n.front_matter.entries.size());
  for (const FrontMatterEntry& e : n.front_matter.entries) {
    w.text(e.key);
    w.text(e.value);
    w.flag(e.is_scalar);
    write_texts(w, e.items);
    w.position(e.pos);
  }
  w.text(n.title);
  w.text(n.video_id);
  write_texts(w, n.aliases);
  w.text(n.channel);
  w.signed_number(n.channel_link);
  w.number(n.headings.size());
  for (const Heading& h : n.headings) {
    w.text(h.text);
    w.position(h.pos);
    w.number(static_cast<std::uint64_t>(h.level));
  }
  w.text(n.heading_keys);
  write_links(w, n.links);
  write_links(w, n.code_links);
  w.number(n.anchors.size());
  for (const TimestampAnchor& a : n.anchors) {
    w.text(a.data_t);
    w.optional_number(a.seconds);
    w.text(a.label);
    w.position(a.pos);
    w.signed_number(a.heading);
    w.text(a.text);
  }
  w.number(n.anchor_count);
  w.optional_number(n.first_seconds);
  w.optional_number(n.last_seconds);
  w.number(n.block_ids.size());
  for (std::string_view b : n.block_ids) w.text(b);
  w.number(n.suppressions.size());
  for (const Suppression& s : n.suppressions) {
    w.number(s.line);
    w.number(s.also_line);
    write_texts(w, s.rules);
  }
  w.flag(n.wrapped_in_fence);
  w.optional_number(n.duration);
  w.number(n.diagnostics.size());
  for (const Diagnostic& d : n.diagnostics) {
    w.text(d.path);
    w.position(d.pos);
    w.number(static_cast<std::uint64_t>(d.severity));
    w.text(d.rule);
    w.text(d.message);
  }
  w.number(n.size);
}

bool decode_note(std::string_view bytes, Note& n, TextInterner& interner, const PathResolver* paths,
                 int self) {
  Reader r(bytes);
  n = Note();
  n.path = r.text();
  n.id = r.text();
  n.folder = r.text();
  n.front_matter.present = r.flag();
  n.front_matter.closed = r.flag();
  n.front_matter.entries.resize(r.count());
  for (FrontMatterEntry& e : n.front_matter.entries) {
    e.key = r.text();
    e.value = r.text();
    e.is_scalar = r.flag();
    read_texts(r, e.items);
    e.pos = r.position();
  }
  n.title = r.text();
  n.video_id = r.text();
  read_texts(r, n.aliases);
  n.channel = r.text();
  n.channel_link = r.index();
  n.headings.resize(r.count());
  for (Heading& h : n.headings) {
    h.text = r.text();
    h.pos = r.position();
    h.level = static_cast<int>(r.small());
    if (h.level < 1 || h.level > 6) r.fail();
  }
  n.heading_keys = r.text();
  read_links(r, n.links);
  read_links(r, n.code_links);
  n.anchors.resize(r.count());
  for (TimestampAnchor& a : n.anchors) {
    a.data_t = r.text();
    a.seconds = r.optional_number();
    a.label = r.text();
    a.pos = r.position();
    a.heading = r.index();
    a.text = r.text();
    if (a.heading >= static_cast<int>(n.headings.size())) r.fail();
  }
  n.anchor_count = r.small();
  n.first_seconds = r.optional_number();
  n.last_seconds = r.optional_number();
  n.block_ids.resize(r.count());
  for (std::string_view& b : n.block_ids) b = r.text();
  n.suppressions.resize(r.count());
  for (Suppression& s : n.suppressions) {
    s.line = r.small();
    s.also_line = r.small();
    read_texts(r, s.rules);
  }
  n.wrapped_in_fence = r.flag();
  n.duration = r.optional_number();
  n.diagnostics.resize(r.count());
  for (Diagnostic& d : n.diagnostics) {
    d.path = r.text();
    d.pos = r.position();
    const std::uint64_t severity = r.number();
    if (severity > static_cast<std::uint64_t>(Severity::error)) r.fail();
    d.severity = static_cast<Severity>(severity);
    d.rule = r.text();
    d.message = r.text();
  }
  n.size = r.number();
  if (n.channel_link >= static_cast<int>(n.links.size())) r.fail();
  if (!r.at_end()) {
    n = Note();
    return false;
  }
  // Settled first: only the links left are shared. The views point into `bytes` until here.
  if (paths) settle_links(n, self, *paths);
  share_compact_links(n, interner);
  pack_pool(n);  // the other views: into the note's own pool
  return true;
}

std::uint64_t cache_checksum(std::string_view bytes) {
  return std::hash<std::string_view>{}(bytes);
}

namespace {

// The index's checksum, FNV-1a over its bytes: unlike a record's, it is made as the index is
// written out, a piece at a time.
std::uint64_t index_checksum(std::uint64_t h, std::string_view bytes) {
  for (char c : bytes) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ull;
  }
  return h;
}
constexpr std::uint64_t kIndexChecksumStart = 0xcbf29ce484222325ull;

}  // namespace

bool write_cache_index(const std::function<bool(std::string_view)>& append, std::string_view key,
                       std::size_t count, const std::function<CacheEntryView(std::size_t)>& entry,
                       std::uint64_t records_size) {
  constexpr std::size_t kPiece = 1u << 20;
  std::string out;
  std::uint64_t checksum = kIndexChecksumStart, index_size = 0;
  auto put = [&] {
    checksum = index_checksum(checksum, out);
    index_size += out.size();
    const bool ok = append(out);
    out.clear();
    return ok;
  };
  Writer w(out);
  w.text(key);
  w.number(count);
  for (std::size_t k = 0; k < count; ++k) {
    const CacheEntryView e = entry(k);
    w.text(e.path);
    w.stamp(e.stamp);
    w.number(e.offset);
    w.number(e.size);
    w.fixed(e.checksum);
    if (out.size() >= kPiece && !put()) return false;
  }
  if (!put()) return false;
  w.fixed(records_size);
  w.fixed(index_size);
  w.fixed(checksum);
  out.append(kMagic);
  return append(out);
}

std::string encode_cache_index(std::string_view key, const std::vector<CacheEntry>& entries,
                               std::uint64_t records_size) {
  std::string out;
  write_cache_index(
      [&](std::string_view piece) {
        out.append(piece);
        return true;
      },
      key, entries.size(),
      [&](std::size_t k) {
        const CacheEntry& e = entries[k];
        return CacheEntryView{e.path, e.stamp, e.offset, e.size, e.checksum};
      },
      records_size);
  return out;
}

bool read_cache_index(const CacheStore& store, std::string_view key,
                      std::vector<CacheEntry>& entries) {
  entries.clear();
  const std::uint64_t size = store.size();
  std::string footer, index;
  if (size < kFooterSize || !store.read_at(size - kFooterSize, kFooterSize, footer) ||
      footer.size() != kFooterSize || footer.substr(24) != kMagic) {
    return false;
  }
  Reader f(footer);
  const std::uint64_t records = f.fixed(), index_size = f.fixed(), checksum = f.fixed();
  if (records > size - kFooterSize || index_size != size - kFooterSize - records ||
      !store.read_at(records, static_cast<std::size_t>(index_size), index) ||
      index.size() != index_size || index_checksum(kIndexChecksumStart, index) != checksum) {
    return false;
  }
  Reader r(index);
  if (r.text() != key) return false;
  entries.resize(r.count());
  for (std::size_t i = 0; i < entries.size() && r.ok(); ++i) {
    CacheEntry& e = entries[i];
    e.path = r.text();
    e.stamp = r.stamp();
    e.offset = r.number();
    e.size = r.small();
    e.checksum = r.fixed();
    if (e.offset > records || e.size > records - e.offset ||
        (i > 0 && !(entries[i - 1].path < e.path))) {
      r.fail();
    }
  }
  if (!r.at_end()) {
    entries.clear();
    return false;
  }
  return true;
}

}  // namespace tkb
