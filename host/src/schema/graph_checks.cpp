#include "schema/graph_checks.hpp"

#include "schema/compile_failure.hpp"

#include <cstdint>
#include <vector>

namespace mcpd::schema::detail {
namespace {

// Edges that apply a schema to the same value. A "$dynamicRef" counts with the schema its URI names; where
// the dynamic scope sends it instead is bounded at run time by the evaluator's depth limit.
std::vector<NodeId> same_value_edges(const Node& node) {
  std::vector<NodeId> edges;
  if (node.ref) edges.push_back(*node.ref);
  if (node.dynamic_ref) edges.push_back(*node.dynamic_ref);
  edges.insert(edges.end(), node.all_of.begin(), node.all_of.end());
  edges.insert(edges.end(), node.any_of.begin(), node.any_of.end());
  edges.insert(edges.end(), node.one_of.begin(), node.one_of.end());
  for (const auto& optional : {node.not_schema, node.if_schema, node.then_schema, node.else_schema}) {
    if (optional) edges.push_back(*optional);
  }
  for (const auto& dependent : node.dependent_schemas) edges.push_back(dependent.second);
  return edges;
}

}  // namespace

void propagate_write_only(Graph& graph) {
  for (bool changed = true; changed;) {
    changed = false;
    for (auto& node : graph.nodes) {
      if (node.write_only) continue;
      bool inherited = node.ref && graph.nodes[*node.ref].write_only;
      for (const NodeId part : node.all_of) inherited = inherited || graph.nodes[part].write_only;
      if (inherited) node.write_only = changed = true;
    }
  }
}

void reject_endless_loops(const Graph& graph) {
  enum class Mark : std::uint8_t { kUnseen, kOnPath, kDone };
  std::vector<Mark> marks(graph.nodes.size(), Mark::kUnseen);
  struct Frame {
    NodeId node;
    std::vector<NodeId> edges;
    std::size_t next = 0;
  };
  for (NodeId start = 0; start < graph.nodes.size(); ++start) {
    if (marks[start] != Mark::kUnseen) continue;
    // Iterative depth-first search: chains of thousands of $refs must not exhaust the stack.
    std::vector<Frame> path;
    path.push_back({start, same_value_edges(graph.nodes[start])});
    marks[start] = Mark::kOnPath;
    while (!path.empty()) {
      Frame& top = path.back();
      if (top.next == top.edges.size()) {
        marks[top.node] = Mark::kDone;
        path.pop_back();
        continue;
      }
      const NodeId target = top.edges[top.next++];
      if (marks[target] == Mark::kOnPath) {
        std::string loop;
        bool in_loop = false;
        for (const auto& frame : path) {
          in_loop = in_loop || frame.node == target;
          if (in_loop) loop += graph.nodes[frame.node].location + " -> ";
        }
        loop += graph.nodes[target].location;
        fail_at(graph.nodes[target].location,
                "it applies itself to the same value without descending into it, which never ends: " + loop);
      }
      if (marks[target] == Mark::kUnseen) {
        marks[target] = Mark::kOnPath;
        path.push_back({target, same_value_edges(graph.nodes[target])});
      }
    }
  }
}

}  // namespace mcpd::schema::detail
