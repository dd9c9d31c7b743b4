// The hello example plugin seen from the host's side of the C ABI: negotiation, registration, calls,
// shutdown and unloading.
#include "fake_host.hpp"
#include "plugin_harness.hpp"

#include <catch2/catch.hpp>

#include <cstddef>
#include <cstring>

#ifndef MCPD_TEST_HELLO_PLUGIN
#error "MCPD_TEST_HELLO_PLUGIN must name the in-tree hello.so"
#endif

namespace {

using namespace sdk_test;

const std::string hello_path = MCPD_TEST_HELLO_PLUGIN;

mcpd_negotiate_request host_range(uint32_t min, uint32_t max) {
  mcpd_negotiate_request request{};
  request.struct_size = sizeof(request);
  request.host_abi_min = min;
  request.host_abi_max = max;
  request.host_version = MCPD_STR_LIT("9.9.9");
  return request;
}

// A response buffer whose bytes beyond the host's struct_size are a sentinel the plugin must not touch.
struct guarded_response {
  static constexpr unsigned char sentinel = 0xA5;
  alignas(mcpd_negotiate_response) unsigned char bytes[sizeof(mcpd_negotiate_response) + 32];

  explicit guarded_response(std::size_t host_size) {
    std::memset(bytes, sentinel, sizeof(bytes));
    const uint32_t size = static_cast<uint32_t>(host_size);
    std::memcpy(bytes, &size, sizeof(size));
  }
  mcpd_negotiate_response* response() { return reinterpret_cast<mcpd_negotiate_response*>(bytes); }
  uint32_t plugin_abi_version() const {
    uint32_t version = 0;
    std::memcpy(&version, bytes + offsetof(mcpd_negotiate_response, plugin_abi_version), sizeof(version));
    return version;
  }
  bool untouched_from(std::size_t offset) const {
    for (std::size_t i = offset; i < sizeof(bytes); ++i) {
      if (bytes[i] != sentinel) {
        return false;
      }
    }
    return true;
  }
};

}  // namespace

TEST_CASE("sdk abi: hello negotiates with a host that speaks exactly 1.0", "[sdk][abi]") {
  loaded_library library(hello_path);
  const mcpd_negotiate_request request = host_range(MCPD_ABI_VERSION_1_0, MCPD_ABI_VERSION_1_0);
  mcpd_negotiate_response response{};
  response.struct_size = sizeof(response);

  REQUIRE(library.entry()(&request, &response) == MCPD_OK);
  // The SDK answers the 1.x it was built for; minor versions only append, so a 1.0 host serves it (the
  // SDK reads nothing beyond the 1.0 host's struct sizes: see sdk_handlers_test).
  CHECK(response.plugin_abi_version == MCPD_ABI_VERSION);
  REQUIRE(response.descriptor != nullptr);
  const mcpd_plugin_descriptor& descriptor = *response.descriptor;
  CHECK(descriptor.struct_size == sizeof(mcpd_plugin_descriptor));
  CHECK(to_string(descriptor.plugin_namespace) == "hello");
  CHECK(to_string(descriptor.plugin_version) == "1.0.0");
  CHECK_FALSE(to_string(descriptor.description).empty());
  CHECK(descriptor.flags == MCPD_PLUGIN_FLAG_NONE);
  // Made from hello's settings struct at negotiation, and the same text on every negotiation.
  const auto schema = json::parse(to_string(descriptor.config_schema_json)).as_object();
  CHECK(schema.at("properties").at("greeting").at("default") == "Hello");
  mcpd_negotiate_response again{};
  again.struct_size = sizeof(again);
  REQUIRE(library.entry()(&request, &again) == MCPD_OK);
  CHECK(again.descriptor->config_schema_json.data == descriptor.config_schema_json.data);
  CHECK(descriptor.on_init != nullptr);
  CHECK(descriptor.on_shutdown != nullptr);
}

TEST_CASE("sdk abi: hello accepts any host range that contains major 1", "[sdk][abi]") {
  loaded_library library(hello_path);
  const auto accepts = [&](uint32_t min, uint32_t max) {
    const mcpd_negotiate_request request = host_range(min, max);
    mcpd_negotiate_response response{};
    response.struct_size = sizeof(response);
    const mcpd_status status = library.entry()(&request, &response);
    CHECK(response.plugin_abi_version == MCPD_ABI_VERSION);
    return status == MCPD_OK && response.descriptor != nullptr;
  };
  CHECK(accepts(MCPD_ABI_MAKE_VERSION(1, 0), MCPD_ABI_MAKE_VERSION(1, 7)));  // a newer 1.x host
  CHECK(accepts(MCPD_ABI_MAKE_VERSION(1, 3), MCPD_ABI_MAKE_VERSION(1, 3)));
  CHECK(accepts(MCPD_ABI_MAKE_VERSION(0, 9), MCPD_ABI_MAKE_VERSION(2, 0)));  // spans 1
  CHECK_FALSE(accepts(MCPD_ABI_MAKE_VERSION(0, 1), MCPD_ABI_MAKE_VERSION(0, 9)));
  CHECK_FALSE(accepts(MCPD_ABI_MAKE_VERSION(1, 5), MCPD_ABI_MAKE_VERSION(1, 2)));  // empty range
}

TEST_CASE("sdk abi: a host that only speaks 2.0 gets a version mismatch naming the plugin's 1.x",
          "[sdk][abi]") {
  loaded_library library(hello_path);
  const mcpd_negotiate_request request = host_range(MCPD_ABI_MAKE_VERSION(2, 0), MCPD_ABI_MAKE_VERSION(2, 0));
  guarded_response buffer(sizeof(mcpd_negotiate_response));

  CHECK(library.entry()(&request, buffer.response()) == MCPD_ERR_VERSION_MISMATCH);
  CHECK(MCPD_ABI_VERSION_MAJOR(buffer.plugin_abi_version()) == 1);
  CHECK(buffer.response()->descriptor == nullptr);
  CHECK(buffer.untouched_from(sizeof(mcpd_negotiate_response)));
}

TEST_CASE("sdk abi: negotiation never writes past a smaller host response struct", "[sdk][abi]") {
  loaded_library library(hello_path);
  // A host whose response struct ends after plugin_abi_version (no room for the descriptor).
  const std::size_t short_size = offsetof(mcpd_negotiate_response, plugin_abi_version) + sizeof(uint32_t);

  SECTION("mismatching host: the version is still reported") {
    const mcpd_negotiate_request request =
        host_range(MCPD_ABI_MAKE_VERSION(2, 0), MCPD_ABI_MAKE_VERSION(3, 0));
    guarded_response buffer(short_size);
    CHECK(library.entry()(&request, buffer.response()) == MCPD_ERR_VERSION_MISMATCH);
    CHECK(buffer.plugin_abi_version() == MCPD_ABI_VERSION);
    CHECK(buffer.untouched_from(short_size));
  }
  SECTION("matching host: refused because the descriptor has nowhere to go, and nothing overwritten") {
    const mcpd_negotiate_request request = host_range(MCPD_ABI_VERSION_1_0, MCPD_ABI_VERSION_1_0);
    guarded_response buffer(short_size);
    CHECK(library.entry()(&request, buffer.response()) != MCPD_OK);
    CHECK(buffer.plugin_abi_version() == MCPD_ABI_VERSION);
    CHECK(buffer.untouched_from(short_size));
  }
  SECTION("a response too small for even the version: invalid argument, nothing written") {
    const mcpd_negotiate_request request = host_range(MCPD_ABI_VERSION_1_0, MCPD_ABI_VERSION_1_0);
    guarded_response buffer(sizeof(uint32_t));
    CHECK(library.entry()(&request, buffer.response()) == MCPD_ERR_INVALID_ARGUMENT);
    CHECK(buffer.untouched_from(sizeof(uint32_t)));
  }
  SECTION("NULL request or response: invalid argument") {
    const mcpd_negotiate_request request = host_range(MCPD_ABI_VERSION_1_0, MCPD_ABI_VERSION_1_0);
    mcpd_negotiate_response response{};
    response.struct_size = sizeof(response);
    CHECK(library.entry()(&request, nullptr) == MCPD_ERR_INVALID_ARGUMENT);
    CHECK(library.entry()(nullptr, &response) == MCPD_ERR_INVALID_ARGUMENT);
    CHECK(response.plugin_abi_version == MCPD_ABI_VERSION);
  }
}

TEST_CASE("sdk abi: hello registers greet and add with valid definitions", "[sdk][abi]") {
  plugin_session hello(hello_path);
  REQUIRE(hello.init_status == MCPD_OK);
  CHECK_FALSE(hello.registrar.init_error);
  CHECK(hello.registrar.violations.empty());
  REQUIRE(hello.registrar.tools.size() == 2);

  const registered_tool* greet = hello.registrar.tool("greet");
  REQUIRE(greet != nullptr);
  CHECK(greet->definition.at("description").is_string());
  const auto& greet_schema = greet->definition.at("inputSchema").as_object();
  CHECK(greet_schema.at("type") == "object");
  CHECK(greet_schema.at("required") == json::array{"name"});
  const auto& name_schema = greet_schema.at("properties").at("name").as_object();
  CHECK(name_schema.at("type") == "string");
  CHECK(name_schema.at("minLength") == 1);
  CHECK(name_schema.at("maxLength") == 100);
  CHECK_FALSE(greet->definition.contains("outputSchema"));
  CHECK_FALSE(greet->definition.contains("name"));  // the name travels in mcpd_tool_def::name

  const registered_tool* add = hello.registrar.tool("add");
  REQUIRE(add != nullptr);
  CHECK(add->definition.at("description").is_string());
  const auto& add_schema = add->definition.at("inputSchema").as_object();
  CHECK(add_schema.at("type") == "object");
  CHECK(add_schema.at("properties").at("a").at("type") == "number");
  CHECK(add_schema.at("properties").at("b").at("type") == "number");
  const auto& output_schema = add->definition.at("outputSchema").as_object();
  CHECK(output_schema.at("type") == "object");
  CHECK(output_schema.at("properties").at("sum").at("type") == "number");
  CHECK(add->definition.at("annotations").at("readOnlyHint") == true);
}

TEST_CASE("sdk abi: calling hello.greet produces the greeting text", "[sdk][abi]") {
  plugin_session hello(hello_path);
  REQUIRE(hello.init_status == MCPD_OK);
  fake_call_context context;
  fake_result_builder builder;

  REQUIRE(hello.call_tool("greet", R"({"name":"CI"})", context, builder) == MCPD_OK);
  CHECK_FALSE(builder.result.is_error);
  REQUIRE(builder.result.content.size() == 1);
  CHECK(builder.result.content[0].at("type") == "text");
  CHECK(builder.result.content[0].at("text") == "Hello, CI!");
  CHECK_FALSE(builder.result.structured);
  CHECK(builder.violations.empty());
}

TEST_CASE("sdk abi: calling hello.add produces structuredContent {sum} and its text form", "[sdk][abi]") {
  plugin_session hello(hello_path);
  REQUIRE(hello.init_status == MCPD_OK);
  fake_call_context context;
  fake_result_builder builder;

  REQUIRE(hello.call_tool("add", R"({"a":2,"b":0.5})", context, builder) == MCPD_OK);
  CHECK_FALSE(builder.result.is_error);
  REQUIRE(builder.result.structured);
  CHECK(builder.result.structured->at("sum").to_number<double>() == Approx(2.5));
  REQUIRE(builder.result.content.size() == 1);
  CHECK(json::parse(builder.result.all_text()) == json::value(*builder.result.structured));
  CHECK(builder.violations.empty());
}

TEST_CASE("sdk abi: a handler's exception (here: arguments missing) becomes an isError result",
          "[sdk][abi]") {
  plugin_session hello(hello_path);
  REQUIRE(hello.init_status == MCPD_OK);
  fake_call_context context;
  fake_result_builder builder;

  // The host would have rejected this against the schema; the plugin must still not crash.
  CHECK(hello.call_tool("greet", R"({})", context, builder) == MCPD_OK);
  CHECK(builder.result.is_error);
  CHECK_FALSE(builder.result.all_text().empty());

  fake_result_builder not_json;
  CHECK(hello.call_tool("greet", R"({"name":)", context, not_json) == MCPD_OK);
  CHECK(not_json.result.is_error);
  CHECK_THAT(not_json.result.all_text(), Catch::Contains("not valid JSON"));
}

TEST_CASE("sdk abi: shutdown runs and the library really unloads (no STB_GNU_UNIQUE)", "[sdk][abi]") {
  {
    plugin_session hello(hello_path);
    REQUIRE(hello.init_status == MCPD_OK);
    REQUIRE(hello.state != nullptr);
    REQUIRE(is_loaded(hello_path));
    hello.shutdown();
  }
  CHECK_FALSE(is_loaded(hello_path));
}
