// Feature flag definitions shared by the feature flag tests, in PostHog's shape, and the expected bucketing
// of test users. The expectations were computed independently of the plugin, with Python's hashlib:
//   int(sha1(f"{key}.{id}{salt}".encode()).hexdigest()[:15], 16) / 0xFFFFFFFFFFFFFFF
// then "enabled" = hash(flag, id) <= rollout / 100, variant = bucket of hash(flag, id, "variant").
#pragma once

#include <boost/json.hpp>
#include <string>
#include <vector>

namespace tracking_test {

struct RolloutVector {
  std::string distinct_id;
  double hash;          // hash("rollout-flag", id)
  bool enabled;         // hash <= 0.50
  std::string variant;  // bucket of hash("multi-flag", id, "variant"): control 34%, test 33%, third 33%
};

inline const std::vector<RolloutVector> kRolloutVectors = {
    {"user_1", 0.3550655602293497, true, "third"},
    {"user_2", 0.41396209602304707, true, "test"},
    {"user_3", 0.6073613435214101, false, "third"},
    {"user_4", 0.5036110243510109, false, "test"},  // just above the 50% line
    {"user_5", 0.0763579923949379, true, "third"},
    {"alice@example.com", 0.09900160811032929, true, "control"},
    {"bob", 0.3900322330295091, true, "control"},
    {"\xC3\xBCn\xC3\xAF"
     "code-user",
     0.9353263333147886, false, "third"},  // UTF-8 "ünïcode-user"
};

// hash("group-flag", group key): acme 0.0632 (in a 30% rollout), globex 0.3079 (just out), initech 0.7798.
inline boost::json::value flag_definitions() {
  return boost::json::parse(R"json([
    {"id": 1, "key": "rollout-flag", "name": "Half of everyone", "active": true, "deleted": false,
     "ensure_experience_continuity": false, "tags": ["growth"], "rollout_percentage": 50,
     "filters": {"groups": [{"properties": [], "rollout_percentage": 50}]}},
    {"id": 2, "key": "multi-flag", "name": "Three-way test", "active": true, "deleted": false,
     "filters": {"groups": [{"properties": [], "rollout_percentage": 100}],
                 "multivariate": {"variants": [{"key": "control", "name": "Control", "rollout_percentage": 34},
                                               {"key": "test", "rollout_percentage": 33},
                                               {"key": "third", "rollout_percentage": 33}]},
                 "payloads": {"test": "{\"color\": \"blue\"}"}}},
    {"id": 3, "key": "pro-flag", "name": "Pro users", "active": true, "deleted": false,
     "filters": {"groups": [
        {"properties": [{"key": "plan", "value": ["pro", "enterprise"], "operator": "exact", "type": "person"}],
         "rollout_percentage": 100},
        {"properties": [{"key": "email", "value": "@example.com", "operator": "icontains", "type": "person"}],
         "rollout_percentage": null}],
        "payloads": {"true": "{\"tier\": 2}"}}},
    {"id": 4, "key": "version-flag", "active": true, "deleted": false,
     "filters": {"groups": [{"properties": [{"key": "app_version", "value": "1.2.0", "operator": "semver_gte",
                                             "type": "person"}]}]}},
    {"id": 5, "key": "cohort-flag", "active": true, "deleted": false,
     "filters": {"groups": [{"properties": [{"key": "id", "value": 77, "type": "cohort"}], "rollout_percentage": 100}]}},
    {"id": 6, "key": "continuity-flag", "active": true, "deleted": false, "ensure_experience_continuity": true,
     "filters": {"groups": [{"properties": [], "rollout_percentage": 100}]}},
    {"id": 7, "key": "disabled-flag", "active": false, "deleted": false,
     "filters": {"groups": [{"properties": [], "rollout_percentage": 100}]}},
    {"id": 8, "key": "group-flag", "active": true, "deleted": false,
     "filters": {"aggregation_group_type_index": 0, "groups": [{"properties": [], "rollout_percentage": 30}]}},
    {"id": 9, "key": "override-flag", "active": true, "deleted": false,
     "filters": {"groups": [{"properties": [], "rollout_percentage": 100},
                            {"properties": [{"key": "beta", "value": true, "operator": "exact", "type": "person"}],
                             "variant": "b"}],
                 "multivariate": {"variants": [{"key": "a", "rollout_percentage": 100}, {"key": "b", "rollout_percentage": 0}]}}},
    {"id": 10, "key": "date-flag", "active": true, "deleted": false,
     "filters": {"groups": [{"properties": [{"key": "signup_date", "value": "2024-01-01", "operator": "is_date_before",
                                             "type": "person"}]}]}},
    {"id": 11, "key": "local-cohort-flag", "active": true, "deleted": false,
     "filters": {"groups": [{"properties": [{"key": "id", "value": 88, "type": "cohort"}]}]}}
  ])json");
}

inline boost::json::object group_type_mapping() {
  return {{"0", "company"}};
}

inline boost::json::object cohorts() {
  return boost::json::parse(R"json({"88": {"type": "OR", "values": [
      {"type": "AND", "values": [{"key": "country", "value": "DE", "operator": "exact", "type": "person"}]}]}})json")
      .as_object();
}

}  // namespace tracking_test
