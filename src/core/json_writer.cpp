// The only translation unit that uses nlohmann-json.
#include <nlohmann/json.hpp>

#include "tkb/output.hpp"

namespace tkb {

namespace {

nlohmann::json to_json(const Cell& c) {
  struct Visitor {
    nlohmann::json operator()(std::monostate) const { return nullptr; }
    nlohmann::json operator()(bool b) const { return b; }
    nlohmann::json operator()(std::int64_t v) const { return v; }
    nlohmann::json operator()(const std::string& s) const { return s; }
    nlohmann::json operator()(const std::vector<std::string>& v) const { return v; }
  };
  return std::visit(Visitor{}, c);
}

// A JSON array of objects, one per row, written as rows arrive: one object per line.
class JsonWriter : public RecordWriter {
 public:
  JsonWriter(std::ostream& out, std::vector<std::string> columns)
      : m_out(out), m_columns(std::move(columns)) {
    m_out << '[';
  }
  void row(const std::vector<Cell>& cells) override {
    nlohmann::ordered_json obj = nlohmann::ordered_json::object();
    for (std::size_t i = 0; i < cells.size() && i < m_columns.size(); ++i) {
      obj[m_columns[i]] = to_json(cells[i]);
    }
    m_out << (m_first ? "\n" : ",\n");
    m_first = false;
    // Invalid UTF-8 in notes becomes U+FFFD: the output is always valid JSON.
    m_out << obj.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  }
  void finish() override {
    m_out << (m_first ? "]\n" : "\n]\n");
    m_out.flush();
  }

 private:
  std::ostream& m_out;
  std::vector<std::string> m_columns;
  bool m_first = true;
};

}  // namespace

std::unique_ptr<RecordWriter> make_json_writer(std::ostream& out,
                                               std::vector<std::string> columns) {
  return std::make_unique<JsonWriter>(out, std::move(columns));
}

}  // namespace tkb
