#pragma once
// The cache `check` keeps of parsed notes (LoadOptions::cache): each note as loading for check
// holds it before its links are settled (compact_links without paths), so that a cached note
// does not depend on which other notes exist; load_knowledge_base settles it afresh.
//
// A cache is one file: the notes' records, one after another in no particular order, then an
// index (the key, and for each note its path, file stamp, place and checksum, sorted by path),
// then a 32-byte footer (the index's place, size and checksum, and a magic). Every record is
// checked against its checksum before it is decoded, and the decoder checks every count and
// place it reads: a damaged cache is ignored, never believed.

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "tkb/compact.hpp"
#include "tkb/knowledge_base.hpp"
#include "tkb/model.hpp"

namespace tkb {

// Append to `out` the bytes that decode_note() makes `note` from. `note` is packed (its views
// point into its pool, compact links' into shared text) and has no settled links.
void encode_note(const Note& note, std::string& out);

// The note `bytes` hold, with its links settled by `paths` when given (as settle_links(note,
// self, *paths)), and the compact links left stored in `interner`; false when `bytes` are not
// exactly what encode_note() writes. The note's views point into its own pool.
bool decode_note(std::string_view bytes, Note& note, TextInterner& interner,
                 const PathResolver* paths = nullptr, int self = -1);

// A record's checksum (64 bits of a hash of its bytes).
std::uint64_t cache_checksum(std::string_view bytes);

struct CacheEntry {
  std::string path;
  FileStamp stamp;  // the file's when it was read
  std::uint64_t offset = 0;
  std::uint32_t size = 0;
  std::uint64_t checksum = 0;
  friend bool operator==(const CacheEntry&, const CacheEntry&) = default;
};

// The stored cache's entries, sorted by path; false (and no entries) when there is no cache,
// it is damaged, or it was made under another key.
bool read_cache_index(const CacheStore& store, std::string_view key,
                      std::vector<CacheEntry>& entries);

// The index and footer that end a cache whose records take the first `records_size` bytes,
// given to `append` a megabyte at a time (false from it stops the writing and is returned):
// `count` entries, entry(k) giving the k-th (sorted by path, each inside the records; its
// path may be a view into a note).
struct CacheEntryView {
  std::string_view path;
  FileStamp stamp;
  std::uint64_t offset = 0;
  std::uint32_t size = 0;
  std::uint64_t checksum = 0;
};
bool write_cache_index(const std::function<bool(std::string_view)>& append, std::string_view key,
                       std::size_t count, const std::function<CacheEntryView(std::size_t)>& entry,
                       std::uint64_t records_size);
// The same for entries at hand.
std::string encode_cache_index(std::string_view key, const std::vector<CacheEntry>& entries,
                               std::uint64_t records_size);

}  // namespace tkb
