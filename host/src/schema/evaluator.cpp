#include "schema/evaluator.hpp"

#include "schema/evaluated_set.hpp"
#include "schema/formats.hpp"
#include "schema/json_values.hpp"
#include "schema/utf8.hpp"
#include "schema/validator.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/string.hpp>

#include <algorithm>
#include <unordered_map>
#include <utility>

namespace mcpd::schema::detail {
namespace json = boost::json;

namespace {

// Nested schema applications on one call stack. Each level of the instance costs a few (property -> $ref ->
// allOf ...); a compiled graph has no same-value loops, so only absurd schemas get near this.
constexpr std::size_t kMaxEvaluationDepth = 1000;
// How many enum members / allowed property names a message lists before "and N more".
constexpr std::size_t kMaxListed = 20;

struct InstanceShape {
  bool too_deep = false;
  std::size_t values = 0;
};

// Iterative, so that measuring a hostile instance cannot itself overflow the stack.
InstanceShape measure(const json::value& root) {
  InstanceShape shape;
  std::vector<std::pair<const json::value*, std::size_t>> pending{{&root, 0}};
  while (!pending.empty()) {
    const auto [value, depth] = pending.back();
    pending.pop_back();
    ++shape.values;
    if (!value->is_array() && !value->is_object()) continue;
    if (depth + 1 > kMaxInstanceDepth) {
      shape.too_deep = true;
      return shape;
    }
    if (value->is_array()) {
      for (const auto& item : value->get_array()) pending.emplace_back(&item, depth + 1);
    } else {
      for (const auto& member : value->get_object()) pending.emplace_back(&member.value(), depth + 1);
    }
  }
  return shape;
}

std::string plural(std::size_t count, const char* singular, const char* plural_form) {
  return std::to_string(count) + " " + (count == 1 ? singular : plural_form);
}

std::string join(const std::vector<std::string>& parts, const char* separator,
                 std::size_t max_listed = kMaxListed) {
  std::string out;
  for (std::size_t i = 0; i < parts.size() && i < max_listed; ++i) {
    if (i > 0) out += separator;
    out += parts[i];
  }
  if (parts.size() > max_listed)
    out += std::string(separator) + "... (" + std::to_string(parts.size() - max_listed) + " more)";
  return out;
}

std::vector<std::string> type_names_of(std::uint8_t types) {
  std::vector<std::string> names;
  if (types & kTypeString) names.emplace_back("string");
  if (types & kTypeNumber) {
    names.emplace_back("number");
  } else if (types & kTypeInteger) {
    names.emplace_back("integer");
  }
  if (types & kTypeBoolean) names.emplace_back("boolean");
  if (types & kTypeObject) names.emplace_back("object");
  if (types & kTypeArray) names.emplace_back("array");
  if (types & kTypeNull) names.emplace_back("null");
  return names;
}

bool has_type(std::uint8_t types, const json::value& v) {
  switch (v.kind()) {
    case json::kind::null:
      return types & kTypeNull;
    case json::kind::bool_:
      return types & kTypeBoolean;
    case json::kind::string:
      return types & kTypeString;
    case json::kind::array:
      return types & kTypeArray;
    case json::kind::object:
      return types & kTypeObject;
    default:
      return (types & kTypeNumber) || ((types & kTypeInteger) && is_integer(v));
  }
}

void add_unique(std::vector<std::string>& into, const std::vector<std::string>& items) {
  for (const auto& item : items) {
    if (std::find(into.begin(), into.end(), item) == into.end()) into.push_back(item);
  }
}

// Messages are built out of line: the validation functions recurse once per schema level and instance level,
// so their frames must stay small, and valid input never builds a string at all.
template <typename MakeMessage>
[[gnu::noinline]] void report(Sink& sink, const InstancePath& path, MakeMessage&& make_message) {
  if (sink.collecting()) sink.add({path.render(), make_message()});
}

std::string shown(const json::value& v, bool hidden) {
  return hidden ? describe_hidden_value(v) : describe_value(v);
}

[[gnu::noinline]] void report_type(Sink& sink, const Node& n, const json::value& v, const InstancePath& path,
                                   bool hidden) {
  if (!sink.collecting()) return;
  auto expected = type_names_of(n.types);
  std::string got = shown(v, hidden);
  std::string message = "expected " + join(expected, " or ") + ", got " + got;
  sink.add({path.render(), std::move(message), FailureKind::kType, std::move(expected), std::move(got)});
}

// Exactly one of `const_value` and `enum_values` is given.
[[gnu::noinline]] void report_value(Sink& sink, const json::value* const_value,
                                    const json::array* enum_values, const json::value& v,
                                    const InstancePath& path, bool hidden) {
  if (!sink.collecting()) return;
  std::vector<std::string> expected;
  if (const_value != nullptr) expected.push_back(short_json(*const_value));
  if (enum_values != nullptr) {
    // A huge enum is summarised: quoting 100,000 members would cost more than validating against them.
    for (std::size_t i = 0; i < enum_values->size() && i < kMaxListed; ++i) {
      expected.push_back(short_json((*enum_values)[i]));
    }
    if (enum_values->size() > kMaxListed)
      expected.push_back("... (" + std::to_string(enum_values->size() - kMaxListed) + " more)");
  }
  std::string got = shown(v, hidden);
  std::string message;
  if (const_value != nullptr) {
    message = "must be " + expected[0] + ", got " + got;
  } else if (expected.empty()) {
    message = "no value is allowed here (\"enum\" is empty), got " + got;
  } else {
    message = "must be one of " + join(expected, ", ", expected.size()) + ", got " + got;
  }
  sink.add({path.render(), std::move(message), FailureKind::kValue, std::move(expected), std::move(got)});
}

class Evaluator {
 public:
  Evaluator(const Graph& graph, std::size_t step_budget) : graph_(graph), steps_left_(step_budget) {}

  bool aborted() const { return aborted_; }
  const Failure& abort_reason() const { return abort_reason_; }

  /// `evaluated`, when given, learns which members/items of `v` the schema evaluated (for the
  /// unevaluatedProperties/Items of a schema that applies this one in place).
  bool eval(NodeId id, const json::value& v, const InstancePath& path, Sink& sink, bool hidden,
            EvaluatedSet* evaluated = nullptr) {
    if (aborted_) return false;
    if (steps_left_-- == 0) {
      return abort("validation stopped: checking this value against the schema takes too many steps");
    }
    if (depth_ >= kMaxEvaluationDepth) {
      return abort("validation stopped: the schema nests more than " + std::to_string(kMaxEvaluationDepth) +
                   " levels of subschemas");
    }
    const Node& node = graph_.nodes[id];
    // The dynamic scope: the schema resources entered on the way here, outermost first.
    const bool enters_resource =
        graph_.tracks_dynamic_scope && (scope_.empty() || scope_.back() != node.resource);
    if (enters_resource) scope_.push_back(node.resource);
    ++depth_;
    const bool valid = eval_node(node, v, path, sink, hidden, evaluated);
    --depth_;
    if (enters_resource) scope_.pop_back();
    return valid && !aborted_;
  }

 private:
  // Every check_* returns the validity of its part; it stops early once the sink wants nothing more.
  bool eval_node(const Node& n, const json::value& v, const InstancePath& path, Sink& sink, bool hidden,
                 EvaluatedSet* evaluated) {
    if (n.accepts_everything) return true;
    hidden = hidden || n.write_only;
    if (n.rejects_everything) {
      report(sink, path, [] { return std::string("not allowed here (the schema accepts no value)"); });
      return false;
    }
    if (n.types != 0 && !has_type(n.types, v)) {
      report_type(sink, n, v, path, hidden);
      return false;  // the other keywords would only repeat that the value has the wrong type
    }
    if (n.tracks_evaluated()) return eval_tracking_evaluated(n, v, path, sink, hidden, evaluated);
    return check_keywords(n, v, path, sink, hidden, evaluated);
  }

  bool check_keywords(const Node& n, const json::value& v, const InstancePath& path, Sink& sink, bool hidden,
                      EvaluatedSet* collect) {
    bool valid = true;
    for (const auto check :
         {&Evaluator::check_value, &Evaluator::check_kind_specific, &Evaluator::check_applicators}) {
      if (!(this->*check)(n, v, path, sink, hidden, collect)) {
        valid = false;
        if (sink.full() || aborted_) return false;
      }
    }
    return valid;
  }

  // A schema with unevaluatedProperties/Items keeps its own record of what its other keywords evaluated,
  // checks the rest, and passes everything on to a schema above that keeps one too. Out of line, so that
  // the frames of schemas without these keywords stay small.
  [[gnu::noinline]] bool eval_tracking_evaluated(const Node& n, const json::value& v,
                                                 const InstancePath& path, Sink& sink, bool hidden,
                                                 EvaluatedSet* evaluated) {
    EvaluatedSet own;
    bool valid = check_keywords(n, v, path, sink, hidden, &own);
    if (!valid && (sink.full() || aborted_)) return false;
    if (!check_unevaluated(n, v, path, sink, hidden, own)) valid = false;
    if (evaluated != nullptr) evaluated->merge(own);
    return valid;
  }

  [[gnu::noinline]] bool check_value(const Node& n, const json::value& v, const InstancePath& path,
                                     Sink& sink, bool hidden, EvaluatedSet*) {
    if (n.const_value && !json_equal(*n.const_value, v)) {
      report_value(sink, &*n.const_value, nullptr, v, path, hidden);
      return false;
    }
    if (n.enum_values) {
      bool listed = false;
      if (n.enum_index.empty()) {
        listed = std::any_of(n.enum_values->begin(), n.enum_values->end(),
                             [&](const json::value& member) { return json_equal(member, v); });
      } else {
        const auto [first, last] = n.enum_index.equal_range(json_hash(v));
        listed = std::any_of(
            first, last, [&](const auto& entry) { return json_equal((*n.enum_values)[entry.second], v); });
      }
      if (!listed) {
        report_value(sink, nullptr, &*n.enum_values, v, path, hidden);
        return false;
      }
    }
    return true;
  }

  bool check_kind_specific(const Node& n, const json::value& v, const InstancePath& path, Sink& sink,
                           bool hidden, EvaluatedSet* collect) {
    if (is_number(v)) return check_number(n, v, path, sink, hidden);
    if (v.is_string()) return check_string(n, v.get_string(), path, sink, hidden);
    if (v.is_array()) return check_array(n, v.get_array(), path, sink, hidden, collect);
    if (v.is_object()) return check_object(n, v, path, sink, hidden, collect);
    return true;
  }

  [[gnu::noinline]] bool check_number(const Node& n, const json::value& v, const InstancePath& path,
                                      Sink& sink, bool hidden) {
    struct Bound {
      const std::optional<json::value>& limit;
      bool (*violated)(int comparison);
      const char* relation;
    };
    const Bound bounds[] = {
        {n.minimum, [](int c) { return c < 0; }, ">="},
        {n.exclusive_minimum, [](int c) { return c <= 0; }, ">"},
        {n.maximum, [](int c) { return c > 0; }, "<="},
        {n.exclusive_maximum, [](int c) { return c >= 0; }, "<"},
    };
    bool valid = true;
    for (const auto& bound : bounds) {
      if (!bound.limit || !bound.violated(compare_numbers(v, *bound.limit))) continue;
      valid = false;
      report(sink, path, [&] {
        return std::string("must be ") + bound.relation + " " + number_text(*bound.limit) + ", got " +
               shown(v, hidden);
      });
      if (sink.full()) return false;
    }
    if (n.multiple_of && !is_multiple_of(v, *n.multiple_of)) {
      report(sink, path, [&] {
        return "must be a multiple of " + number_text(*n.multiple_of) + ", got " + shown(v, hidden);
      });
      return false;
    }
    return valid;
  }

  [[gnu::noinline]] bool check_string(const Node& n, const json::string& s, const InstancePath& path,
                                      Sink& sink, bool hidden) {
    bool valid = true;
    if (n.min_length || n.max_length) {
      const std::size_t length = count_code_points(s);
      // The length of a secret is left out of messages too.
      auto message = [&](const char* bound, std::size_t limit) {
        return [=] {
          return std::string("must be ") + bound + " " + plural(limit, "character", "characters") + " long" +
                 (hidden ? "" : ", got " + plural(length, "character", "characters"));
        };
      };
      if (n.min_length && length < *n.min_length) {
        valid = false;
        report(sink, path, message("at least", *n.min_length));
        if (sink.full()) return false;
      }
      if (n.max_length && length > *n.max_length) {
        valid = false;
        report(sink, path, message("at most", *n.max_length));
        if (sink.full()) return false;
      }
    }
    if (n.pattern && !n.pattern->matches(s)) {
      valid = false;
      report(sink, path, [&] {
        return "must match the pattern " + n.pattern->source() + ", got " + shown(json::value(s), hidden);
      });
      if (sink.full()) return false;
    }
    if (n.format != Format::kNone && !matches_format(n.format, s)) {
      valid = false;
      report(sink, path, [&] {
        return std::string("expected ") + format_expectation(n.format) + ", got " +
               shown(json::value(s), hidden);
      });
    }
    return valid;
  }

  bool check_array(const Node& n, const json::array& a, const InstancePath& path, Sink& sink, bool hidden,
                   EvaluatedSet* collect) {
    bool valid = true;
    auto failed = [&](const InstancePath& where, auto make_message) {
      valid = false;
      report(sink, where, make_message);
      return sink.full();
    };
    if (n.min_items && a.size() < *n.min_items && failed(path, [&] {
          return "must have at least " + plural(*n.min_items, "item", "items") + ", got " +
                 std::to_string(a.size());
        })) {
      return false;
    }
    if (n.max_items && a.size() > *n.max_items && failed(path, [&] {
          return "must have at most " + plural(*n.max_items, "item", "items") + ", got " +
                 std::to_string(a.size());
        })) {
      return false;
    }
    if (n.unique_items) {
      if (const auto duplicate = find_duplicate(a);
          duplicate && failed(path, [&] {
            return "must not contain duplicate items, but items [" + std::to_string(duplicate->first) +
                   "] and [" + std::to_string(duplicate->second) + "] are equal";
          })) {
        return false;
      }
    }
    for (std::size_t i = 0; i < a.size(); ++i) {
      std::optional<NodeId> schema;
      if (i < n.prefix_items.size()) {
        schema = n.prefix_items[i];
      } else if (n.items) {
        schema = n.items;
        if (graph_.nodes[*n.items].rejects_everything) {
          // Report once, as the length problem it is, rather than once per extra item.
          if (failed(path.element(i), [&] {
                return "unexpected item: at most " + plural(i, "item is", "items are") +
                       " allowed here, got " + std::to_string(a.size());
              })) {
            return false;
          }
          break;
        }
      } else {
        break;
      }
      if (collect != nullptr) collect->mark(i);
      if (!eval(*schema, a[i], path.element(i), sink, hidden)) {
        valid = false;
        if (sink.full() || aborted_) return false;
      }
    }
    if (n.contains) {
      std::size_t matches = 0;
      for (std::size_t i = 0; i < a.size(); ++i) {
        Sink probe(0);
        if (eval(*n.contains, a[i], path, probe, hidden)) {
          ++matches;
          if (collect != nullptr) collect->mark(i);
        }
        if (aborted_) return false;
      }
      if (matches < n.min_contains && failed(path, [&] {
            return "must contain at least " + plural(n.min_contains, "item", "items") +
                   " matching the \"contains\" schema, got " + std::to_string(matches);
          })) {
        return false;
      }
      if (n.max_contains && matches > *n.max_contains && failed(path, [&] {
            return "must contain at most " + plural(*n.max_contains, "item", "items") +
                   " matching the \"contains\" schema, got " + std::to_string(matches);
          })) {
        return false;
      }
    }
    return valid;
  }

  // Hash buckets keep this linear for distinct items; only items with equal hashes are compared.
  static std::optional<std::pair<std::size_t, std::size_t>> find_duplicate(const json::array& a) {
    if (a.size() <= 16) {  // pairwise is cheaper than hashing for the short arrays tools usually get
      for (std::size_t i = 1; i < a.size(); ++i) {
        for (std::size_t j = 0; j < i; ++j) {
          if (json_equal(a[j], a[i])) return std::make_pair(j, i);
        }
      }
      return std::nullopt;
    }
    std::unordered_multimap<std::size_t, std::size_t> seen;
    seen.reserve(a.size());
    for (std::size_t i = 0; i < a.size(); ++i) {
      const std::size_t hash = json_hash(a[i]);
      const auto [first, last] = seen.equal_range(hash);
      for (auto it = first; it != last; ++it) {
        if (json_equal(a[it->second], a[i])) return std::make_pair(it->second, i);
      }
      seen.emplace(hash, i);
    }
    return std::nullopt;
  }

  bool check_object(const Node& n, const json::value& v, const InstancePath& path, Sink& sink, bool hidden,
                    EvaluatedSet* collect) {
    const json::object& o = v.get_object();
    bool valid = true;
    auto failed = [&](const InstancePath& where, auto make_message) {
      valid = false;
      report(sink, where, make_message);
      return sink.full();
    };
    auto evaluated = [&](bool ok) {
      if (!ok) valid = false;
      return !ok && (sink.full() || aborted_);
    };
    if (n.min_properties && o.size() < *n.min_properties && failed(path, [&] {
          return "must have at least " + plural(*n.min_properties, "property", "properties") + ", got " +
                 std::to_string(o.size());
        })) {
      return false;
    }
    if (n.max_properties && o.size() > *n.max_properties && failed(path, [&] {
          return "must have at most " + plural(*n.max_properties, "property", "properties") + ", got " +
                 std::to_string(o.size());
        })) {
      return false;
    }
    for (const auto& name : n.required) {
      if (!o.contains(name) &&
          failed(path.member(name), [] { return std::string("required property missing"); })) {
        return false;
      }
    }
    for (const auto& dependency : n.dependent_required) {
      const auto& trigger = dependency.first;  // not a structured binding: clang 14 cannot capture those
      if (!o.contains(trigger)) continue;
      for (const auto& name : dependency.second) {
        if (!o.contains(name) && failed(path.member(name), [&] {
              return "required property missing (required when \"" + trigger + "\" is present)";
            })) {
          return false;
        }
      }
    }
    for (const auto& [name, schema] : n.properties) {
      const auto found = o.find(name);
      if (found == o.end()) continue;
      if (collect != nullptr) collect->mark(static_cast<std::size_t>(found - o.begin()));
      if (evaluated(eval(schema, found->value(), path.member(name), sink, hidden))) return false;
    }
    if (!n.pattern_properties.empty() || n.additional_properties || n.property_names) {
      for (std::size_t position = 0; position < o.size(); ++position) {
        const auto& member = o.begin()[position];
        const std::string_view key = member.key();
        const InstancePath here = path.member(key);
        if (n.property_names && evaluated(check_property_name(*n.property_names, key, here, sink)))
          return false;
        bool declared = n.property_index.find(key) != n.property_index.end();
        for (const auto& [pattern, schema] : n.pattern_properties) {
          if (!pattern.matches(key)) continue;
          declared = true;
          if (collect != nullptr) collect->mark(position);
          if (evaluated(eval(schema, member.value(), here, sink, hidden))) return false;
        }
        if (declared || !n.additional_properties) continue;
        if (collect != nullptr) collect->mark(position);
        if (graph_.nodes[*n.additional_properties].rejects_everything) {
          if (failed(here, [&] { return "unknown property (" + allowed_properties(n) + ")"; })) return false;
        } else if (evaluated(eval(*n.additional_properties, member.value(), here, sink, hidden))) {
          return false;
        }
      }
    }
    for (const auto& [trigger, schema] : n.dependent_schemas) {
      if (o.contains(trigger) && evaluated(eval(schema, v, path, sink, hidden, collect))) return false;
    }
    return valid;
  }

  // Runs last: everything else this schema applies to `v` has marked what it evaluated in `own`.
  bool check_unevaluated(const Node& n, const json::value& v, const InstancePath& path, Sink& sink,
                         bool hidden, EvaluatedSet& own) {
    bool valid = true;
    // Applies `schema` to one member or item nobody evaluated; false when evaluation should stop.
    auto keep_going_after = [&](NodeId schema, std::size_t position, const json::value& item,
                                const InstancePath& here, const char* refusal) {
      own.mark(position);
      if (graph_.nodes[schema].rejects_everything) {
        valid = false;
        report(sink, here, [&] { return std::string(refusal); });
        return !sink.full();
      }
      if (eval(schema, item, here, sink, hidden)) return true;
      valid = false;
      return !(sink.full() || aborted_);
    };
    if (n.unevaluated_properties && v.is_object()) {
      const json::object& o = v.get_object();
      for (std::size_t position = 0; position < o.size(); ++position) {
        if (own.contains(position)) continue;
        const auto& member = o.begin()[position];
        if (!keep_going_after(*n.unevaluated_properties, position, member.value(), path.member(member.key()),
                              "unknown property (no subschema that applies here declares it)")) {
          return false;
        }
      }
    }
    if (n.unevaluated_items && v.is_array()) {
      const json::array& a = v.get_array();
      for (std::size_t i = 0; i < a.size(); ++i) {
        if (own.contains(i)) continue;
        if (!keep_going_after(*n.unevaluated_items, i, a[i], path.element(i),
                              "unexpected item (no subschema that applies here covers it)")) {
          return false;
        }
      }
    }
    return valid;
  }

  [[gnu::noinline]] bool check_property_name(NodeId schema, std::string_view key, const InstancePath& here,
                                             Sink& sink) {
    const json::value name(json::string_view(key.data(), key.size()));
    if (!sink.collecting()) return eval(schema, name, here, sink, false);
    Sink reasons(1);
    if (eval(schema, name, here, reasons, false)) return true;
    const std::string reason = reasons.failures().empty() ? "rejected" : reasons.failures().front().message;
    sink.add({here.render(), "invalid property name: " + reason});
    return false;
  }

  static std::string allowed_properties(const Node& n) {
    std::vector<std::string> allowed;
    for (const auto& property : n.properties) allowed.push_back(property.first);
    std::string text = join(allowed, ", ");
    for (const auto& [pattern, schema] : n.pattern_properties) {
      text += (text.empty() ? "" : ", ") + std::string("names matching ") + pattern.source();
    }
    return text.empty() ? "no properties are allowed here" : "allowed: " + text;
  }

  bool check_applicators(const Node& n, const json::value& v, const InstancePath& path, Sink& sink,
                         bool hidden, EvaluatedSet* collect) {
    bool valid = true;
    auto evaluated = [&](bool ok) {
      if (!ok) valid = false;
      return !ok && (sink.full() || aborted_);
    };
    if (n.ref && evaluated(eval(*n.ref, v, path, sink, hidden, collect))) return false;
    if (n.dynamic_ref &&
        evaluated(eval(dynamic_target(n.dynamic_anchor, *n.dynamic_ref), v, path, sink, hidden, collect))) {
      return false;
    }
    for (const NodeId part : n.all_of) {
      if (evaluated(eval(part, v, path, sink, hidden, collect))) return false;
    }
    if (!n.any_of.empty() && evaluated(check_any_of(n.any_of, v, path, sink, hidden, collect))) return false;
    if (!n.one_of.empty() && evaluated(check_one_of(n.one_of, v, path, sink, hidden, collect))) return false;
    if (n.not_schema) {
      Sink probe(0);
      const bool matched = eval(*n.not_schema, v, path, probe, hidden);
      if (aborted_) return false;
      if (matched) {
        valid = false;
        report(sink, path, [&] { return "must not match the schema " + n.not_schema_text; });
        if (sink.full()) return false;
      }
    }
    if (n.if_schema) {
      const bool condition = check_condition(*n.if_schema, v, path, hidden, collect);
      if (aborted_) return false;
      const auto& branch = condition ? n.then_schema : n.else_schema;
      if (branch && evaluated(eval(*branch, v, path, sink, hidden, collect))) return false;
    }
    return valid;
  }

  // "if": its annotations count only when it holds.
  bool check_condition(NodeId condition, const json::value& v, const InstancePath& path, bool hidden,
                       EvaluatedSet* collect) {
    Sink probe(0);
    if (collect == nullptr) return eval(condition, v, path, probe, hidden);
    EvaluatedSet by_condition;
    const bool holds = eval(condition, v, path, probe, hidden, &by_condition);
    if (holds) collect->merge(by_condition);
    return holds;
  }

  // The first "$dynamicAnchor" of that name in the dynamic scope, outermost resource first; the schema the
  // reference's URI names when none is in scope (or when the reference is not dynamic at all).
  NodeId dynamic_target(const std::string& anchor, NodeId fallback) const {
    if (anchor.empty()) return fallback;
    for (const std::uint32_t resource : scope_) {
      for (const auto& [name, target] : graph_.resources[resource].dynamic_anchors) {
        if (name == anchor) return target;
      }
    }
    return fallback;
  }

  bool check_any_of(const std::vector<NodeId>& alternatives, const json::value& v, const InstancePath& path,
                    Sink& sink, bool hidden, EvaluatedSet* collect) {
    if (collect != nullptr) {
      // Every alternative that holds contributes what it evaluated, so none may be skipped.
      bool any = false;
      for (const NodeId alternative : alternatives) {
        Sink probe(0);
        EvaluatedSet found;
        if (eval(alternative, v, path, probe, hidden, &found)) {
          any = true;
          collect->merge(found);
        }
        if (aborted_) return false;
      }
      if (any) return true;
    } else {
      // Probe first: valid input (the common case) never pays for the messages of rejected alternatives.
      for (const NodeId alternative : alternatives) {
        Sink probe(0);
        if (eval(alternative, v, path, probe, hidden)) return true;
        if (aborted_) return false;
      }
    }
    if (sink.collecting())
      explain_no_alternative("anyOf", "at least one", alternatives, v, path, sink, hidden);
    return false;
  }

  bool check_one_of(const std::vector<NodeId>& alternatives, const json::value& v, const InstancePath& path,
                    Sink& sink, bool hidden, EvaluatedSet* collect) {
    std::vector<std::size_t> matching;
    std::optional<EvaluatedSet> by_match;  // only when annotations are collected
    for (std::size_t i = 0; i < alternatives.size() && matching.size() < 2; ++i) {
      Sink probe(0);
      bool matches = false;
      if (collect == nullptr) {
        matches = eval(alternatives[i], v, path, probe, hidden);
      } else {
        EvaluatedSet found;
        matches = eval(alternatives[i], v, path, probe, hidden, &found);
        if (matches) by_match = std::move(found);
      }
      if (matches) matching.push_back(i);
      if (aborted_) return false;
    }
    if (matching.size() == 1) {
      if (by_match) collect->merge(*by_match);
      return true;
    }
    if (!sink.collecting()) return false;
    if (matching.size() > 1) {
      report(sink, path, [&] {
        return "must match exactly one alternative of oneOf, but matches [" + std::to_string(matching[0]) +
               "] and [" + std::to_string(matching[1]) + "]";
      });
      return false;
    }
    explain_no_alternative("oneOf", "exactly one", alternatives, v, path, sink, hidden);
    return false;
  }

  // Runs every alternative again, this time collecting its failures, and reports why none matched. Each
  // alternative is evaluated once here: re-running one to report its errors would double the work at every
  // level of a recursive schema.
  [[gnu::noinline]] void explain_no_alternative(const char* keyword, const char* how_many,
                                                const std::vector<NodeId>& alternatives, const json::value& v,
                                                const InstancePath& path, Sink& sink, bool hidden) {
    std::vector<std::vector<Failure>> failures;
    for (const NodeId alternative : alternatives) {
      Sink reasons(sink.room());
      eval(alternative, v, path, reasons, hidden);
      if (aborted_) return;
      if (reasons.failures().empty()) reasons.add({path.render(), "does not match"});
      failures.push_back(std::move(reasons.failures()));
    }
    report_no_alternative(keyword, how_many, failures, v, path, sink, hidden);
  }

  // One sentence for "no alternative matched", as specific as the alternatives allow:
  //  - all rejected the value's type         -> "expected string or null, got 5"
  //  - all rejected its value (const/enum)   -> "must be one of "a", "b", got "c""
  //  - only one was about this kind of value -> that alternative's own errors
  //  - otherwise                             -> each alternative's first error
  static void report_no_alternative(const char* keyword, const char* how_many,
                                    std::vector<std::vector<Failure>>& failures, const json::value& v,
                                    const InstancePath& path, Sink& sink, bool hidden) {
    const std::string here = path.render();
    bool all_type = true, all_value = true;
    std::vector<std::size_t> relevant;  // alternatives that accept the value's type
    for (std::size_t i = 0; i < failures.size(); ++i) {
      const Failure& first = failures[i].front();
      const bool at_here = first.path == here;
      all_type = all_type && at_here && first.kind == FailureKind::kType;
      all_value = all_value && at_here && first.kind == FailureKind::kValue;
      if (!(at_here && first.kind == FailureKind::kType)) relevant.push_back(i);
    }
    if (all_type || all_value) {
      std::vector<std::string> expected;
      for (const auto& alternative : failures) add_unique(expected, alternative.front().expected);
      std::string got = shown(v, hidden);
      std::string message = all_type ? "expected " + join(expected, " or ") + ", got " + got
                                     : "must be one of " + join(expected, ", ") + ", got " + got;
      sink.add({here, std::move(message), all_type ? FailureKind::kType : FailureKind::kValue,
                std::move(expected), std::move(got)});
      return;
    }
    if (relevant.size() == 1) {
      for (auto& failure : failures[relevant.front()]) sink.add(std::move(failure));
      return;
    }
    std::string message =
        std::string("must match ") + how_many + " alternative of " + keyword + ", but none does:";
    for (std::size_t i = 0; i < failures.size() && i < 5; ++i) {
      const Failure& first = failures[i].front();
      message += (i == 0 ? " [" : "; [") + std::to_string(i) + "] ";
      message += first.path == here ? first.message : first.path + ": " + first.message;
    }
    if (failures.size() > 5) message += "; ...";
    sink.add({here, std::move(message)});
  }

  bool abort(std::string reason) {
    if (!aborted_) {
      aborted_ = true;
      abort_reason_ = {"", std::move(reason)};
    }
    return false;
  }

  const Graph& graph_;
  std::size_t steps_left_;
  std::size_t depth_ = 0;
  std::vector<std::uint32_t> scope_;  // only kept when graph_.tracks_dynamic_scope
  bool aborted_ = false;
  Failure abort_reason_;
};

}  // namespace

bool evaluate(const Graph& graph, const json::value& instance, Sink& sink) {
  const InstanceShape shape = measure(instance);
  if (shape.too_deep) {
    sink.add({"", "the value is nested too deeply (more than " + std::to_string(kMaxInstanceDepth) +
                      " levels of arrays/objects inside each other)"});
    return false;
  }
  // Generous for any sane schema (a few checks per value), but bounded for pathological combinations.
  Evaluator evaluator(graph, 1'000'000 + 64 * shape.values);
  const bool valid = evaluator.eval(graph.root, instance, InstancePath{}, sink, false);
  if (evaluator.aborted()) {
    sink.failures().clear();
    sink.add(evaluator.abort_reason());
    return false;
  }
  return valid;
}

}  // namespace mcpd::schema::detail
