#include "schema/validator.hpp"

#include "schema/compiler.hpp"
#include "schema/evaluator.hpp"
#include "schema/graph.hpp"

#include <algorithm>

namespace mcpd::schema {

namespace {

std::shared_ptr<const detail::Graph> accept_everything_graph() {
  static const auto graph = [] {
    auto g = std::make_shared<detail::Graph>();
    g->nodes.emplace_back();
    g->nodes.back().accepts_everything = true;
    return std::shared_ptr<const detail::Graph>(std::move(g));
  }();
  return graph;
}

std::vector<ValidationError> run(const detail::Graph& graph, const boost::json::value& instance,
                                 std::size_t limit) {
  detail::Sink sink(std::max<std::size_t>(limit, 1));
  detail::evaluate(graph, instance, sink);
  std::vector<ValidationError> errors;
  errors.reserve(sink.failures().size());
  for (auto& failure : sink.failures())
    errors.push_back({std::move(failure.path), std::move(failure.message)});
  return errors;
}

}  // namespace

std::string ValidationError::text() const {
  return path.empty() ? message : path + ": " + message;
}

CompiledSchema::CompiledSchema() : graph_(accept_everything_graph()) {}

CompiledSchema::CompiledSchema(std::shared_ptr<const detail::Graph> graph) : graph_(std::move(graph)) {}

void SchemaDocuments::add(std::string uri, boost::json::value document) {
  documents_.insert_or_assign(std::move(uri), std::move(document));
}

const boost::json::value* SchemaDocuments::find(std::string_view uri) const {
  const auto found = documents_.find(uri);
  return found == documents_.end() ? nullptr : &found->second;
}

CompiledSchema CompiledSchema::compile(const boost::json::value& schema, const CompileOptions& options) {
  return CompiledSchema(std::make_shared<const detail::Graph>(detail::compile_graph(schema, options)));
}

std::optional<ValidationError> CompiledSchema::validate(const boost::json::value& instance) const {
  auto errors = run(*graph_, instance, 1);
  if (errors.empty()) return std::nullopt;
  return std::move(errors.front());
}

std::vector<ValidationError> CompiledSchema::validate_all(const boost::json::value& instance,
                                                          std::size_t max_errors) const {
  return run(*graph_, instance, max_errors);
}

}  // namespace mcpd::schema
