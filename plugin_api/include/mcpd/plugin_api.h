/*
 * mcpd plugin ABI, version 1.3 (1.1 appended mcpd_call_context.callback_has_tool; 1.2 its
 * traceparent and tracestate, the input a handler asked for (input_responses_json, input_state),
 * runs_as_task and callback_continue_as_task, and mcpd_result_builder.callback_require_input;
 * 1.3 mcpd_host_api.tool_name_separator).
 *
 * This header is the whole contract between the mcpd host and a plugin. It is
 * plain C (C99 and C++), has no dependencies beyond <stdint.h>/<stddef.h>, and
 * never lets a C++ type, an exception or an allocator cross the boundary.
 *
 * Shape of the contract
 * ---------------------
 *  - A plugin exports exactly one symbol, MCPD_PLUGIN_ENTRY_SYMBOL, of type
 *    mcpd_plugin_negotiate_fn. The host offers the range of ABI versions it
 *    speaks; the plugin answers with the version it speaks and a pointer to its
 *    descriptor (Vulkan-style negotiation). A different major version is
 *    refused by the host with a message naming both versions.
 *  - Every struct starts with `struct_size` (OBS-style). Structs only ever grow
 *    at the end; a reader must treat fields beyond the writer's struct_size as
 *    absent (zero): MCPD_STRUCT_HAS says whether a field is there. Function
 *    tables are append-only (SQLite/Redis-style).
 *  - Each host callback takes back the handle of the table it came from
 *    (mcpd_host_handle, mcpd_call_handle, ...): opaque, typed so that passing
 *    one table's handle to another table's callback does not compile.
 *  - Functions the plugin implements are named `on_*`; functions the host
 *    implements and hands to the plugin are named `callback_*` (Envoy-style).
 *  - JSON crosses the boundary only as UTF-8 text (mcpd_str).
 *
 * Ownership
 * ---------
 *  - Whoever allocates frees. The host never frees plugin memory and the
 *    plugin never frees host memory.
 *  - Every buffer the plugin passes to a callback_* function is borrowed for
 *    the duration of that call only: the host copies what it keeps before the
 *    callback returns.
 *  - Data the host hands back to the plugin (results of a cross-namespace
 *    call, answers from the client, the plugin's config) is borrowed: valid
 *    only until the function that received it returns. Copy what you keep.
 *  - The descriptor and everything it points to (strings, tables) must stay
 *    valid while the library is loaded; static storage is the normal choice.
 *
 * Errors
 * ------
 *  Every fallible function returns an mcpd_status. Handlers report failures
 *  that the MCP client should see through the result builder
 *  (callback_set_error); a non-MCPD_OK return from a handler is an internal
 *  error that the host turns into a JSON-RPC internal error (-32603).
 *
 * Threads
 * -------
 *  Handlers may be called from several host threads at once unless the
 *  descriptor sets MCPD_PLUGIN_FLAG_SERIAL, in which case the host never runs
 *  two handlers of that plugin concurrently. Host callbacks are thread-safe.
 */
#ifndef MCPD_PLUGIN_API_H
#define MCPD_PLUGIN_API_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---------------------------------------------------------------------------
 * Versions
 * ------------------------------------------------------------------------- */

/** An ABI version packs major (high 16 bits) and minor (low 16 bits). A minor
 *  bump only appends fields/callbacks; a major bump breaks compatibility. */
#define MCPD_ABI_MAKE_VERSION(major, minor) ((((uint32_t)(major)) << 16) | ((uint32_t)(minor)&0xffffu))
#define MCPD_ABI_VERSION_MAJOR(v) ((uint32_t)(v) >> 16)
#define MCPD_ABI_VERSION_MINOR(v) ((uint32_t)(v)&0xffffu)

/** The version this header describes. */
#define MCPD_ABI_VERSION_1_0 MCPD_ABI_MAKE_VERSION(1, 0)
#define MCPD_ABI_VERSION_1_1 MCPD_ABI_MAKE_VERSION(1, 1)
#define MCPD_ABI_VERSION_1_2 MCPD_ABI_MAKE_VERSION(1, 2)
#define MCPD_ABI_VERSION_1_3 MCPD_ABI_MAKE_VERSION(1, 3)
#define MCPD_ABI_VERSION_1_4 MCPD_ABI_MAKE_VERSION(1, 4)
#define MCPD_ABI_VERSION MCPD_ABI_VERSION_1_4

/** The one symbol a plugin exports (as a C function, unmangled). */
#define MCPD_PLUGIN_ENTRY_SYMBOL "mcpd_plugin_negotiate"

/* ---------------------------------------------------------------------------
 * Basic types
 * ------------------------------------------------------------------------- */

/** True when the struct behind `ptr` (of type `type`, NULL allowed) was written
 *  by a side whose header has `field`: its struct_size reaches past the field. */
#define MCPD_STRUCT_HAS(ptr, type, field) \
  ((ptr) != NULL && (size_t)(ptr)->struct_size >= offsetof(type, field) + sizeof(((const type*)0)->field))

/** Opaque handles the host hands out with each callback table; pass each back
 *  only to the callbacks of the table it came with. */
typedef struct mcpd_host_handle mcpd_host_handle;
typedef struct mcpd_call_handle mcpd_call_handle;
typedef struct mcpd_result_handle mcpd_result_handle;
typedef struct mcpd_registrar_handle mcpd_registrar_handle;

/** Status codes returned by every fallible function on either side. */
typedef int32_t mcpd_status;
#define MCPD_OK 0
#define MCPD_ERR_INVALID_ARGUMENT 1 /* a parameter was malformed (bad JSON, bad name, NULL) */
#define MCPD_ERR_NOT_FOUND 2        /* the named tool/resource/prompt/namespace does not exist */
#define MCPD_ERR_CANCELLED 3        /* the request was cancelled by the client */
#define MCPD_ERR_UNSUPPORTED 4      /* the client or host does not offer this capability */
#define MCPD_ERR_INTERNAL 5         /* anything else went wrong; see the message */
#define MCPD_ERR_VERSION_MISMATCH 6 /* negotiation: no common ABI version */
#define MCPD_ERR_TIMEOUT 7          /* a client request or nested call timed out */
#define MCPD_ERR_STATE 8            /* the call was made at the wrong time (e.g. after the call ended) */

/** A borrowed UTF-8 string: pointer plus length in bytes, not NUL-terminated.
 *  {NULL, 0} means "absent". */
typedef struct mcpd_str {
  const char* data;
  size_t size;
} mcpd_str;

/** A borrowed byte buffer (images, audio, blobs): raw bytes, not base64. */
typedef struct mcpd_bytes {
  const uint8_t* data;
  size_t size;
} mcpd_bytes;

/** Receives borrowed data from the host. `data` is valid only during the call:
 *  copy what you keep. `receiver` is whatever the plugin passed alongside. */
typedef void (*mcpd_receive_fn)(void* receiver, mcpd_str data);

/** MCP log levels (RFC 5424 severities, as in notifications/message). */
typedef int32_t mcpd_log_level;
#define MCPD_LOG_DEBUG 0
#define MCPD_LOG_INFO 1
#define MCPD_LOG_NOTICE 2
#define MCPD_LOG_WARNING 3
#define MCPD_LOG_ERROR 4
#define MCPD_LOG_CRITICAL 5
#define MCPD_LOG_ALERT 6
#define MCPD_LOG_EMERGENCY 7

/* ---------------------------------------------------------------------------
 * Host services available for the plugin's whole life
 * ------------------------------------------------------------------------- */

typedef struct mcpd_host_api {
  uint32_t struct_size;
  /** The ABI version the host chose for this plugin. */
  uint32_t abi_version;
  /** The host's own version string, e.g. "0.1.0". */
  mcpd_str host_version;
  /** Opaque; pass it back as the first argument of every callback here. */
  mcpd_host_handle* host_ctx;

  /** Write a line to the host's operator log (stderr), tagged with the
   *  plugin's namespace. Never sent to the MCP client. Never log secrets. */
  void (*callback_log)(mcpd_host_handle* host_ctx, mcpd_log_level level, mcpd_str message);

  /** Tell subscribed clients that a resource changed
   *  (notifications/resources/updated). Unknown or unsubscribed URIs are a
   *  no-op. */
  mcpd_status (*callback_notify_resource_updated)(mcpd_host_handle* host_ctx, mcpd_str uri);

  /* ---- ABI 1.3 (a 1.2 host's struct_size ends before this) ---- */
  /** What joins a namespace and a tool (or prompt) name in the names clients
   *  see: server.tool_name_separator, "_" unless the operator chose ".", "-"
   *  or "__". A plugin that names tools in descriptions, errors or notes joins
   *  them with this, so the text matches what the client calls. */
  mcpd_str tool_name_separator;

  /* ---- ABI 1.4 (a 1.3 host's struct_size ends before this) ---- */
  /** What is wrong with the plugin's configuration section, as the host found
   *  it checking the section against the descriptor's config_schema_json: a
   *  JSON array of strings, "[]" when the section is valid or the plugin
   *  declares no schema. Each string names the setting and what is wrong,
   *  e.g. "plugin_config.weather.timeout_ms: must be >= 100, got 5"; the
   *  values of "writeOnly" properties never appear. The host also logs each
   *  one and still calls on_init: the plugin decides whether to fail (with
   *  callback_set_init_error) or to load and have its tools answer with an
   *  error naming the setting. Unknown keys are only logged, never listed
   *  here. Valid for the plugin's whole life, like the rest of this struct. */
  mcpd_str config_problems_json;
} mcpd_host_api;

/* ---------------------------------------------------------------------------
 * A running request: what a handler may do while it works
 * ------------------------------------------------------------------------- */

typedef struct mcpd_call_context {
  uint32_t struct_size;
  /** Opaque; pass it back as the first argument of every callback here.
   *  Valid until the handler returns; never keep it. */
  mcpd_call_handle* host_ctx;

  /** 1 when the client cancelled this request (notifications/cancelled) or
   *  the host is shutting down; 0 otherwise. Long handlers poll it and return
   *  early; whatever they return after cancellation is discarded. */
  int32_t (*callback_is_cancelled)(mcpd_call_handle* host_ctx);

  /** Report progress (notifications/progress). Sent only when the client
   *  asked for it with a progressToken; otherwise a successful no-op.
   *  `progress` must not decrease; `total` < 0 means unknown; `message` may
   *  be absent. */
  mcpd_status (*callback_report_progress)(mcpd_call_handle* host_ctx, double progress, double total,
                                          mcpd_str message);

  /** Send a log message to the client (notifications/message) if `level` is at
   *  or above the level the client set with logging/setLevel. `data_json` is
   *  any JSON value; `logger` may be absent. */
  mcpd_status (*callback_log_to_client)(mcpd_call_handle* host_ctx, mcpd_log_level level, mcpd_str logger,
                                        mcpd_str data_json);

  /** Call a tool of another namespace through the host, e.g.
   *  "gemini.ask_about_images", with a JSON object of arguments. On MCPD_OK
   *  `receive` gets the CallToolResult JSON (which may carry isError:true).
   *  On any other status `receive` gets a human-readable error message.
   *  Cancellation of this call propagates into the nested call; the caller's
   *  progress token is not shared. */
  mcpd_status (*callback_call_tool)(mcpd_call_handle* host_ctx, mcpd_str qualified_name,
                                    mcpd_str arguments_json, mcpd_receive_fn receive, void* receiver);

  /** Send a request to the client and wait for its answer: for example
   *  "sampling/createMessage", "elicitation/create" or "roots/list".
   *  MCPD_ERR_UNSUPPORTED when the client did not declare the capability
   *  (the message says which). On MCPD_OK `receive` gets the result JSON;
   *  otherwise an error message (for a JSON-RPC error from the client, the
   *  error object as JSON). timeout_ms == 0 means the host's default. */
  mcpd_status (*callback_client_request)(mcpd_call_handle* host_ctx, mcpd_str method, mcpd_str params_json,
                                         uint32_t timeout_ms, mcpd_receive_fn receive, void* receiver);

  /** The protocol version negotiated with this client, e.g. "2025-11-25". */
  mcpd_str protocol_version;
  /** The client's declared capabilities (the initialize params.capabilities
   *  object) as JSON, "{}" when none. */
  mcpd_str client_capabilities_json;
  /** The request's params._meta object as JSON, "{}" when absent. */
  mcpd_str request_meta_json;

  /* ---- ABI 1.1 (a 1.0 host's struct_size ends before this) ---- */

  /** 1 when `qualified_name` (e.g. "gemini.ask_about_images") is a tool that
   *  callback_call_tool can reach from this request, 0 when not: for checking
   *  before slow or costly work. A request sees one set of tools from start to
   *  end (a hot swap meanwhile applies to later requests), so the answer holds
   *  for every call_tool this request makes. */
  int32_t (*callback_has_tool)(mcpd_call_handle* host_ctx, mcpd_str qualified_name);

  /* ---- ABI 1.2 (a 1.1 host's struct_size ends before this) ---- */

  /** The W3C trace context the client sent with this request
   *  (params._meta.traceparent and .tracestate, in either era), empty when
   *  absent or malformed. Send them on with upstream HTTP requests (the SDK's
   *  HTTP client does) so a trace follows the call across services. Nested
   *  calls (callback_call_tool) see the same values. */
  mcpd_str traceparent;
  mcpd_str tracestate;

  /** Input the handler asked for (see mcpd_result_builder.callback_require_input).
   *  On the first round both are absent ({NULL, 0}). On a later round
   *  `input_responses_json` is an object of the client's answers keyed as the
   *  handler keyed its requests (an answer may be missing: ask again), and
   *  `input_state` is the state the handler gave with its requests, byte for
   *  byte. For a 2026-07-28 client the state went to the client sealed and
   *  came back verified; for a legacy client it never left the host. */
  mcpd_str input_responses_json;
  mcpd_str input_state;

  /** 1 when this call runs as a task of the Tasks extension: the client
   *  already has a task id and polls for the result. Progress messages become
   *  the task's statusMessage; client requests make the task input_required. */
  int32_t runs_as_task;

  /** Turns this call into a task from here on, for a tool whose definition
   *  says "execution": {"taskSupport": "optional"|"required"} and sets
   *  MCPD_TOOL_FLAG_TASK_STARTED_BY_HANDLER (without that flag the host makes
   *  the task before the handler runs). The host stores the task and answers
   *  the client with it now; whatever the handler returns later becomes the
   *  task's result. Use it after asking for what the work needs (so the
   *  questions are answered before the client is handed a task id).
   *  MCPD_OK: the call is (now or already) a task. MCPD_ERR_UNSUPPORTED: it
   *  cannot be one (the client did not declare the extension, speaks a legacy
   *  revision, or this is a nested call); carry on, the result is the answer.
   *  Other errors (the task store is unreachable) come with `receive` text. */
  mcpd_status (*callback_continue_as_task)(mcpd_call_handle* host_ctx, mcpd_receive_fn receive,
                                           void* receiver);
} mcpd_call_context;

/* ---------------------------------------------------------------------------
 * The result builder
 * ------------------------------------------------------------------------- */

/** What a handler fills in. The same builder serves tools, resources, prompts
 *  and completions:
 *   - tools/call: the content callbacks append CallToolResult.content blocks;
 *     set_structured sets structuredContent (the host also adds it as text
 *     when the plugin added no content); set_error marks isError:true and
 *     appends the message as text.
 *   - resources/read: add_resource_text/add_resource_blob append
 *     ReadResourceResult.contents entries.
 *   - prompts/get: set_role chooses the role ("user"/"assistant", default
 *     "user") of the messages that the following content callbacks append,
 *     one message per content block; set_description sets the description.
 *   - completion/complete, or anything the typed callbacks cannot express:
 *     set_result_json replaces the whole result object.
 *  Binary data is raw bytes; the host does the base64. */
typedef struct mcpd_result_builder {
  uint32_t struct_size;
  mcpd_result_handle* host_ctx;

  mcpd_status (*callback_add_text)(mcpd_result_handle* host_ctx, mcpd_str text);
  mcpd_status (*callback_add_image)(mcpd_result_handle* host_ctx, mcpd_bytes data, mcpd_str mime_type);
  mcpd_status (*callback_add_audio)(mcpd_result_handle* host_ctx, mcpd_bytes data, mcpd_str mime_type);
  /** An embedded resource with text contents ({"type":"resource",...}). */
  mcpd_status (*callback_add_resource_text)(mcpd_result_handle* host_ctx, mcpd_str uri, mcpd_str mime_type,
                                            mcpd_str text);
  /** An embedded resource with binary contents. */
  mcpd_status (*callback_add_resource_blob)(mcpd_result_handle* host_ctx, mcpd_str uri, mcpd_str mime_type,
                                            mcpd_bytes data);
  /** A resource link: `link_json` is the ResourceLink object without "type"
   *  (uri and name required; title, description, mimeType, size optional). */
  mcpd_status (*callback_add_resource_link)(mcpd_result_handle* host_ctx, mcpd_str link_json);
  /** Any ContentBlock as JSON, for fields the typed callbacks do not cover
   *  (annotations, _meta). Must be an object with a "type". */
  mcpd_status (*callback_add_content_json)(mcpd_result_handle* host_ctx, mcpd_str content_json);
  /** structuredContent: a JSON object matching the tool's outputSchema. */
  mcpd_status (*callback_set_structured)(mcpd_result_handle* host_ctx, mcpd_str json_object);
  /** Marks the result isError:true and appends `message` as text. */
  mcpd_status (*callback_set_error)(mcpd_result_handle* host_ctx, mcpd_str message);
  /** prompts/get: the role of the following messages ("user"|"assistant"). */
  mcpd_status (*callback_set_role)(mcpd_result_handle* host_ctx, mcpd_str role);
  /** prompts/get: the result's description. */
  mcpd_status (*callback_set_description)(mcpd_result_handle* host_ctx, mcpd_str description);
  /** Replaces the whole result object with `json_object`. */
  mcpd_status (*callback_set_result_json)(mcpd_result_handle* host_ctx, mcpd_str json_object);

  /* ---- ABI 1.2 ---- */

  /** Ends this round of tools/call, resources/read or prompts/get by asking
   *  the client for input instead of answering. `input_requests_json` is an
   *  object {key: {"method": ..., "params": {...}}} with methods
   *  "elicitation/create", "sampling/createMessage" or "roots/list" (keys:
   *  1..64 bytes, never reused within one call); `state` is anything the
   *  handler needs to carry on (at most 64 KiB), absent for none. The handler
   *  then returns MCPD_OK, and is called again with the answers in
   *  input_responses_json and the state in input_state. For a 2026-07-28
   *  client that is an input_required result and the client's retry; for a
   *  legacy client the host sends the requests itself; in a task, the task
   *  waits in input_required for tasks/update. Each request needs the client
   *  capability of its kind: the host refuses a kind the client did not
   *  declare (-32021 for a 2026-07-28 client), so look at
   *  client_capabilities_json first when there is a choice.
   *  flags: MCPD_INPUT_STATE_CONFIDENTIAL encrypts the state for the trip
   *  through the client (otherwise it is signed, not hidden). */
  mcpd_status (*callback_require_input)(mcpd_result_handle* host_ctx, mcpd_str input_requests_json,
                                        mcpd_str state, uint32_t flags);
} mcpd_result_builder;

#define MCPD_INPUT_STATE_CONFIDENTIAL 1u

/* ---------------------------------------------------------------------------
 * Handlers a plugin implements
 * ------------------------------------------------------------------------- */

/** tools/call. `arguments_json` is a JSON object already validated against
 *  the tool's inputSchema. */
typedef mcpd_status (*mcpd_on_call_tool_fn)(void* plugin_state, void* tool_state,
                                            const mcpd_call_context* call, mcpd_str arguments_json,
                                            const mcpd_result_builder* result);

/** resources/read, for a static resource or a template. `uri` is the
 *  requested URI; for a template, `variables_json` is an object of the
 *  template's variables extracted from it ("{}" for static resources). */
typedef mcpd_status (*mcpd_on_read_resource_fn)(void* plugin_state, void* resource_state,
                                                const mcpd_call_context* call, mcpd_str uri,
                                                mcpd_str variables_json, const mcpd_result_builder* result);

/** prompts/get. `arguments_json` is an object of string arguments. */
typedef mcpd_status (*mcpd_on_get_prompt_fn)(void* plugin_state, void* prompt_state,
                                             const mcpd_call_context* call, mcpd_str arguments_json,
                                             const mcpd_result_builder* result);

/** completion/complete for a prompt's or a template's argument.
 *  `request_json` is the request's params object (ref, argument, context).
 *  Answer with set_result_json({"completion":{"values":[...],...}}). */
typedef mcpd_status (*mcpd_on_complete_fn)(void* plugin_state, void* owner_state,
                                           const mcpd_call_context* call, mcpd_str request_json,
                                           const mcpd_result_builder* result);

/* ---------------------------------------------------------------------------
 * Registration (during on_init only)
 * ------------------------------------------------------------------------- */

/** Tool flags. */
#define MCPD_TOOL_FLAG_NONE 0u
/** With "execution": {"taskSupport": ...} in the definition: the handler
 *  decides when the call becomes a task (callback_continue_as_task), e.g.
 *  after asking the client what it needs. Without it the host makes the task
 *  before the handler runs. (ABI 1.2) */
#define MCPD_TOOL_FLAG_TASK_STARTED_BY_HANDLER 1u

typedef struct mcpd_tool_def {
  uint32_t struct_size;
  /** The tool's name within the plugin's namespace, e.g. "capture"; the host
   *  publishes "<namespace><separator><name>". [A-Za-z0-9_-], 1..64 bytes. */
  mcpd_str name;
  /** The rest of the MCP Tool object as JSON: "description" and
   *  "inputSchema" are required; "title", "outputSchema", "annotations",
   *  "icons", "execution" and "_meta" are optional. "execution":
   *  {"taskSupport": "optional"|"required"} lets the call run as a task for
   *  2026-07-28 clients that declare the Tasks extension ("required": other
   *  2026-07-28 clients get -32021; legacy clients are served in the request,
   *  as with "optional"); "forbidden" or absent: never a task. */
  mcpd_str definition_json;
  uint32_t flags;
  mcpd_on_call_tool_fn on_call;
  /** Passed back to on_call untouched. */
  void* tool_state;
} mcpd_tool_def;

typedef struct mcpd_resource_def {
  uint32_t struct_size;
  /** The resource's URI (exact match on resources/read). */
  mcpd_str uri;
  /** The rest of the MCP Resource object as JSON: "name" required;
   *  "title", "description", "mimeType", "size", "annotations", "icons"
   *  optional. */
  mcpd_str definition_json;
  mcpd_on_read_resource_fn on_read;
  void* resource_state;
} mcpd_resource_def;

typedef struct mcpd_resource_template_def {
  uint32_t struct_size;
  /** An RFC 6570 level-1 URI template, e.g. "test://template/{id}/data". */
  mcpd_str uri_template;
  /** The rest of the MCP ResourceTemplate object as JSON ("name" required). */
  mcpd_str definition_json;
  mcpd_on_read_resource_fn on_read;
  /** Optional: completion of the template's variables. */
  mcpd_on_complete_fn on_complete;
  void* template_state;
} mcpd_resource_template_def;

typedef struct mcpd_prompt_def {
  uint32_t struct_size;
  /** The prompt's name within the namespace (published like tool names). */
  mcpd_str name;
  /** The rest of the MCP Prompt object as JSON: "title", "description",
   *  "arguments" ([{name, description, required}]), "icons" optional. */
  mcpd_str definition_json;
  mcpd_on_get_prompt_fn on_get;
  /** Optional: completion of the prompt's arguments. */
  mcpd_on_complete_fn on_complete;
  void* prompt_state;
} mcpd_prompt_def;

/** Handed to on_init; valid only during on_init. Every def is copied by the
 *  host before the callback returns. A registration that is refused returns
 *  MCPD_ERR_INVALID_ARGUMENT; the host logs why. */
typedef struct mcpd_registrar {
  uint32_t struct_size;
  mcpd_registrar_handle* host_ctx;
  mcpd_status (*callback_add_tool)(mcpd_registrar_handle* host_ctx, const mcpd_tool_def* def);
  mcpd_status (*callback_add_resource)(mcpd_registrar_handle* host_ctx, const mcpd_resource_def* def);
  mcpd_status (*callback_add_resource_template)(mcpd_registrar_handle* host_ctx,
                                                const mcpd_resource_template_def* def);
  mcpd_status (*callback_add_prompt)(mcpd_registrar_handle* host_ctx, const mcpd_prompt_def* def);
  /** Explain why on_init is about to fail; the host logs it with the file
   *  name. The last message set wins. */
  void (*callback_set_init_error)(mcpd_registrar_handle* host_ctx, mcpd_str message);
} mcpd_registrar;

/* ---------------------------------------------------------------------------
 * The descriptor and the entry point
 * ------------------------------------------------------------------------- */

/** Plugin flags. */
#define MCPD_PLUGIN_FLAG_NONE 0u
/** Never call two handlers of this plugin at the same time. */
#define MCPD_PLUGIN_FLAG_SERIAL 1u
/** Publish this plugin's tools and prompts without the "<namespace><sep>"
 *  prefix (for fixtures that need exact names, e.g. conformance suites).
 *  Collisions are refused at load time like any other. */
#define MCPD_PLUGIN_FLAG_UNPREFIXED 2u

typedef struct mcpd_plugin_descriptor {
  uint32_t struct_size;
  /** The namespace, e.g. "tracking": [a-z0-9_-], 1..32 bytes, unique per host. */
  mcpd_str plugin_namespace;
  /** The plugin's own version (semver), e.g. "1.2.0". */
  mcpd_str plugin_version;
  /** One line for operators (`mcpd plugin inspect`, logs). */
  mcpd_str description;
  /** MCPD_PLUGIN_FLAG_* */
  uint32_t flags;
  /** Optional JSON Schema of the plugin's configuration section. The host
   *  validates the section against it before on_init and reports unknown keys;
   *  properties marked "writeOnly": true are secrets and are never shown. */
  mcpd_str config_schema_json;

  /** Initialise: read `config_json` (the plugin's own section, an object,
   *  "{}" when absent), register everything through `registrar`, and store
   *  any state in *plugin_state. `host` stays valid until on_shutdown
   *  returns. Return MCPD_OK, or an error after
   *  registrar->callback_set_init_error. */
  mcpd_status (*on_init)(const mcpd_host_api* host, mcpd_str config_json, const mcpd_registrar* registrar,
                         void** plugin_state);

  /** Release everything on_init made. Called once, after the last handler
   *  returned, before the library is unloaded. May be NULL. */
  void (*on_shutdown)(void* plugin_state);
} mcpd_plugin_descriptor;

/** Negotiation input, filled by the host. */
typedef struct mcpd_negotiate_request {
  uint32_t struct_size;
  /** Lowest and highest ABI versions the host speaks. */
  uint32_t host_abi_min;
  uint32_t host_abi_max;
  mcpd_str host_version;
} mcpd_negotiate_request;

/** Negotiation output, filled by the plugin. The host sets struct_size to
 *  the size it allocated; the plugin writes no field beyond it. */
typedef struct mcpd_negotiate_response {
  uint32_t struct_size;
  /** The ABI version the plugin speaks (always set, also on mismatch, so the
   *  host can name both versions). */
  uint32_t plugin_abi_version;
  /** The plugin's descriptor (static storage), or NULL on mismatch. */
  const mcpd_plugin_descriptor* descriptor;
} mcpd_negotiate_response;

/** The exported entry point. Returns MCPD_OK, or MCPD_ERR_VERSION_MISMATCH
 *  when the host's range does not contain a version the plugin speaks. */
typedef mcpd_status (*mcpd_plugin_negotiate_fn)(const mcpd_negotiate_request* request,
                                                mcpd_negotiate_response* response);

/** For plugins written in C: declares the entry point with the right
 *  linkage and visibility. */
#if defined(__GNUC__) || defined(__clang__)
#define MCPD_PLUGIN_EXPORT __attribute__((visibility("default")))
#else
#define MCPD_PLUGIN_EXPORT
#endif

/** The entry point every plugin defines (the SDK's MCPD_PLUGIN macro does it
 *  for C++ plugins). Declared here with C linkage so that a definition in a
 *  C++ file that includes this header is never name-mangled. */
MCPD_PLUGIN_EXPORT mcpd_status mcpd_plugin_negotiate(const mcpd_negotiate_request* request,
                                                     mcpd_negotiate_response* response);

/** Helpers for C and C++ authors. */
#define MCPD_STR_LIT(s) \
  { (s), sizeof(s) - 1 }

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* MCPD_PLUGIN_API_H */
