/*
 * c_hello: a complete mcpd plugin in C99, written to be copied. It publishes one tool:
 *   c_hello.greet {name, times?}  -> the text "Hello, <name>!" (times times, 1 by default)
 *
 * The ABI header and the kit are all it needs from mcpd; cJSON (Debian: libcjson-dev) reads the
 * arguments. Build it with `mcpd_add_plugin(c_hello SOURCES c_hello.c LINK_LIBRARIES cjson)`.
 */
#include <cjson/cJSON.h>
#include <mcpd/plugin_api.h>
#include <mcpd/plugin_kit.h>
#include <stdlib.h>
#include <string.h>

/* The host validates the arguments against this schema before greet runs: "name" is a string of 1 to
 * 100 characters, "times" (when given) an integer from 1 to 5. */
static const char greet_definition[] =
    "{\"title\":\"Greet\",\"description\":\"Says hello to someone by name, up to five times.\","
    "\"inputSchema\":{\"type\":\"object\",\"properties\":{"
    "\"name\":{\"type\":\"string\",\"minLength\":1,\"maxLength\":100,\"description\":\"Who to greet\"},"
    "\"times\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":5,\"default\":1,\"description\":\"How "
    "often\"}},"
    "\"required\":[\"name\"],\"additionalProperties\":false},"
    "\"annotations\":{\"readOnlyHint\":true,\"openWorldHint\":false}}";

static mcpd_status greet(void* plugin_state, void* tool_state, const mcpd_call_context* call,
                         mcpd_str arguments_json, const mcpd_result_builder* result) {
  cJSON* arguments;
  const cJSON* name;
  const cJSON* times;
  int count = 1;
  size_t one, size;
  char* text;
  mcpd_status status;
  int i;
  (void)plugin_state;
  (void)tool_state;
  (void)call;
  arguments = cJSON_ParseWithLength(arguments_json.data, arguments_json.size);
  name = cJSON_GetObjectItemCaseSensitive(arguments, "name");
  times = cJSON_GetObjectItemCaseSensitive(arguments, "times");
  if (!cJSON_IsString(name)) { /* the schema makes this impossible; a plugin still never trusts it */
    cJSON_Delete(arguments);
    return result->callback_set_error(result->host_ctx,
                                      MCPD_KIT_STR("c_hello.greet: \"name\" must be a string"));
  }
  if (cJSON_IsNumber(times)) count = times->valueint;
  one = strlen("Hello, !") + strlen(name->valuestring);
  size = one * (size_t)count + (size_t)(count - 1); /* greetings, one per line */
  text = (char*)malloc(size + 1);
  if (text == NULL) {
    cJSON_Delete(arguments);
    return result->callback_set_error(result->host_ctx, MCPD_KIT_STR("c_hello.greet: out of memory"));
  }
  text[0] = '\0';
  for (i = 0; i < count; ++i) {
    if (i > 0) strcat(text, "\n");
    strcat(text, "Hello, ");
    strcat(text, name->valuestring);
    strcat(text, "!");
  }
  /* The host copies the text before the callback returns. */
  status = result->callback_add_text(result->host_ctx, mcpd_kit_str(text));
  free(text);
  cJSON_Delete(arguments);
  return status;
}

static mcpd_status on_init(const mcpd_host_api* host, mcpd_str config_json, const mcpd_registrar* registrar,
                           void** plugin_state) {
  mcpd_tool_def tool;
  (void)host;
  (void)config_json;
  *plugin_state = NULL;
  memset(&tool, 0, sizeof tool);
  tool.struct_size = sizeof tool;
  tool.name = MCPD_KIT_STR("greet");
  tool.definition_json = MCPD_KIT_STR(greet_definition);
  tool.on_call = greet;
  return registrar->callback_add_tool(registrar->host_ctx, &tool);
}

static const mcpd_plugin_descriptor descriptor = {
    sizeof(mcpd_plugin_descriptor),
    MCPD_STR_LIT("c_hello"),
    MCPD_STR_LIT("1.0.0"),
    MCPD_STR_LIT("Greets people: the mcpd example of a plugin in C"),
    MCPD_PLUGIN_FLAG_NONE,
    {NULL, 0}, /* no configuration */
    on_init,
    NULL, /* nothing to release */
};

/* The entry point, with ABI negotiation: this plugin uses nothing newer than ABI 1.0. */
MCPD_KIT_PLUGIN(descriptor, MCPD_ABI_VERSION_1_0)
