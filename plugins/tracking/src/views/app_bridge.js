// The view's side of MCP Apps, shared by tracking's views (tracking_views.cpp puts it where a view's
// script says "// @app_bridge.js"): JSON-RPC 2.0 with the host over postMessage, the ui/initialize
// handshake, the host's theme and style variables, size reports, and a DOM helper that never parses
// data as HTML.
function element(tag, attributes, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes || {})) node.setAttribute(key, value);
  for (const child of children) node.append(child);  // strings become text nodes
  return node;
}

// `handlers`: toolInput(arguments), toolResult(callToolResult), toolCancelled(), hostContext(context),
// ready(), failed(message). Returns request(method, params) -> Promise and reportSize().
function connectToHost(appInfo, handlers) {
  let nextId = 1;
  const pending = new Map();
  const send = (message) => window.parent.postMessage(Object.assign({ jsonrpc: "2.0" }, message), "*");
  const request = (method, params) => new Promise((resolve, reject) => {
    const id = nextId++;
    pending.set(id, { resolve, reject });
    send({ id, method, params });
  });
  const notify = (method, params) => send({ method, params });
  const applyHostContext = (context) => {
    if (!context) return;
    if (context.theme === "light" || context.theme === "dark") document.documentElement.dataset.theme = context.theme;
    const variables = context.styles && context.styles.variables;
    if (variables) for (const [name, value] of Object.entries(variables))
      if (name.startsWith("--") && typeof value === "string") document.documentElement.style.setProperty(name, value);
    if (handlers.hostContext) handlers.hostContext(context);
  };
  const reportSize = () => {
    const { width, height } = document.documentElement.getBoundingClientRect();
    notify("ui/notifications/size-changed", { width: Math.ceil(width), height: Math.ceil(height) });
  };

  window.addEventListener("message", (event) => {
    if (event.source !== window.parent) return;  // only the host speaks to a view
    const message = event.data;
    if (!message || message.jsonrpc !== "2.0") return;
    if (message.id !== undefined && !message.method) {
      const waiting = pending.get(message.id);
      if (!waiting) return;
      pending.delete(message.id);
      if (message.error) waiting.reject(new Error(message.error.message)); else waiting.resolve(message.result);
      return;
    }
    switch (message.method) {
      case "ui/notifications/tool-input": handlers.toolInput((message.params && message.params.arguments) || {}); break;
      case "ui/notifications/tool-result": handlers.toolResult(message.params); break;
      case "ui/notifications/tool-cancelled": handlers.toolCancelled(); break;
      case "ui/notifications/host-context-changed": applyHostContext(message.params); break;
      case "ui/resource-teardown": if (message.id !== undefined) send({ id: message.id, result: {} }); break;
      default:
        if (message.id !== undefined) send({ id: message.id, error: { code: -32601, message: "Method not found: " + message.method } });
    }
  });

  request("ui/initialize", { protocolVersion: "2026-01-26", appInfo, appCapabilities: {} }).then((answer) => {
    applyHostContext(answer && answer.hostContext);
    notify("ui/notifications/initialized", {});
  }, (error) => handlers.failed("The host refused the view: " + error.message));
  return { request, reportSize };
}
