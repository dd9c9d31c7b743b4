// The official JSON-Schema-Test-Suite (draft2020-12) through the host's validator: every required file must
// pass in full, none of its schemas refused. The suite lives beside the repository, in
// ../shared/json-schema-test-suite (CI clones it there); its remote documents are preloaded under
// http://localhost:1234/ as the suite expects, and nothing is ever fetched. The optional format tests run
// with format assertion on and report their score, which must stay at least python-jsonschema's.
#include "schema/validator.hpp"

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;
namespace json = boost::json;
using mcpd::schema::CompiledSchema;
using mcpd::schema::CompileOptions;
using mcpd::schema::FormatMode;
using mcpd::schema::SchemaDocuments;
using mcpd::schema::SchemaError;

namespace {

const fs::path kSuite = MCPD_JSON_SCHEMA_TEST_SUITE;
const fs::path kTests = kSuite / "tests" / "draft2020-12";

// python-jsonschema 4.26 with its format checker, on the same files (optional/format, 764 tests).
constexpr int kPythonJsonschemaFormatScore = 605;

json::value read_json(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  json::parse_options options;
  options.max_depth = 1000;
  return json::parse(text.str(), {}, options);
}

void require_suite() {
  INFO("the JSON-Schema-Test-Suite is expected at " << kSuite.string()
                                                    << " (../shared/json-schema-test-suite beside the "
                                                       "repository, where CI puts it); it is missing");
  REQUIRE(fs::is_directory(kTests));
  REQUIRE(fs::is_directory(kSuite / "remotes"));
}

// Every file under remotes/, known under the URI the suite serves it from.
const SchemaDocuments& remote_documents() {
  static const SchemaDocuments documents = [] {
    SchemaDocuments loaded;
    for (const auto& entry : fs::recursive_directory_iterator(kSuite / "remotes")) {
      if (!entry.is_regular_file() || entry.path().extension() != ".json") continue;
      const std::string relative = fs::relative(entry.path(), kSuite / "remotes").generic_string();
      loaded.add("http://localhost:1234/" + relative, read_json(entry.path()));
    }
    return loaded;
  }();
  return documents;
}

std::vector<fs::path> json_files_in(const fs::path& directory) {
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(directory)) {
    if (entry.is_regular_file() && entry.path().extension() == ".json") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

struct FileScore {
  std::string name;
  int passed = 0;
  int total = 0;
  int refused = 0;                    // tests whose schema did not compile
  std::vector<std::string> failures;  // "group / test: why"
};

FileScore run_file(const fs::path& file, FormatMode formats) {
  FileScore score;
  score.name = fs::relative(file, kTests).generic_string();
  const CompileOptions options{formats, &remote_documents()};
  const json::value groups = read_json(file);
  for (const auto& group_value : groups.as_array()) {
    const auto& group = group_value.as_object();
    const std::string group_name(group.at("description").as_string());
    const auto& tests = group.at("tests").as_array();
    std::optional<CompiledSchema> schema;
    std::string refusal;
    try {
      schema = CompiledSchema::compile(group.at("schema"), options);
    } catch (const SchemaError& e) {
      refusal = e.what();
    }
    for (const auto& test_value : tests) {
      const auto& test = test_value.as_object();
      const std::string name = group_name + " / " + std::string(test.at("description").as_string());
      ++score.total;
      if (!schema) {
        ++score.refused;
        score.failures.push_back(name + ": schema refused: " + refusal);
        continue;
      }
      const bool expected = test.at("valid").as_bool();
      const auto error = schema->validate(test.at("data"));
      if (!error.has_value() == expected) {
        ++score.passed;
      } else {
        score.failures.push_back(name + ": expected " + (expected ? "valid" : "invalid") + ", got " +
                                 (error ? "invalid (" + error->text() + ")" : std::string("valid")));
      }
    }
  }
  return score;
}

struct SuiteScore {
  std::vector<FileScore> files;
  int passed = 0;
  int total = 0;
  int refused = 0;
};

SuiteScore run_directory(const fs::path& directory, FormatMode formats) {
  SuiteScore suite;
  for (const auto& file : json_files_in(directory)) {
    suite.files.push_back(run_file(file, formats));
    suite.passed += suite.files.back().passed;
    suite.total += suite.files.back().total;
    suite.refused += suite.files.back().refused;
  }
  return suite;
}

void print_scores(const char* title, const SuiteScore& suite, bool with_failures) {
  std::printf("%s: %d of %d passed", title, suite.passed, suite.total);
  if (suite.refused > 0) std::printf(", %d with their schema refused", suite.refused);
  std::printf("\n");
  for (const auto& file : suite.files) {
    std::printf("  %-44s %4d / %4d%s\n", file.name.c_str(), file.passed, file.total,
                file.passed == file.total ? "" : "  <--");
    if (!with_failures) continue;
    for (const auto& failure : file.failures) std::printf("      %s\n", failure.c_str());
  }
  std::fflush(stdout);
}

}  // namespace

TEST_CASE("JSON-Schema-Test-Suite draft2020-12: every required test passes, no schema refused",
          "[schema][suite]") {
  require_suite();
  const SuiteScore suite = run_directory(kTests, FormatMode::kAnnotation);
  const bool all_passed = suite.passed == suite.total;
  print_scores("JSON-Schema-Test-Suite draft2020-12, required", suite, !all_passed);
  CHECK(suite.files.size() >= 40);
  CHECK(suite.total >= 1299);
  CHECK(suite.refused == 0);
  CHECK(suite.passed == suite.total);
}

TEST_CASE("JSON-Schema-Test-Suite draft2020-12 optional/format with format assertion on",
          "[schema][suite][format]") {
  require_suite();
  const SuiteScore suite = run_directory(kTests / "optional" / "format", FormatMode::kAssertion);
  print_scores("JSON-Schema-Test-Suite draft2020-12, optional/format with format assertion", suite, false);
  std::printf("  (python-jsonschema with its format checker: %d of 764)\n", kPythonJsonschemaFormatScore);
  CHECK(suite.refused == 0);
  CHECK(suite.passed >= kPythonJsonschemaFormatScore);
}

TEST_CASE("JSON-Schema-Test-Suite draft2020-12 optional (not format): reported, not required",
          "[schema][suite]") {
  require_suite();
  const SuiteScore suite = run_directory(kTests / "optional", FormatMode::kAnnotation);
  print_scores("JSON-Schema-Test-Suite draft2020-12, optional (for information)", suite, false);
  CHECK(suite.total > 0);
}
