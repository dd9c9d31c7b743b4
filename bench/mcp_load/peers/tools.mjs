// The tools of mcpd's bench plugins (bench/mcp_load/bench_plugin.cpp), registered on an McpServer of
// either SDK (v1 and v2 share registerTool(name, {description, inputSchema: z.object(...)}, handler)):
//   bench_echo {text}   -> one text block equal to text
//   bench_image {bytes} -> one image/png block of that many bytes: byte i = (i * 131 + 17) mod 251,
//                          base64 made once per size
//   with `many`: instead, bench_many_t0000 .. bench_many_t0999 for the tools/list workload
import * as z from 'zod';

const images = new Map();

function imageData(size) {
  let data = images.get(size);
  if (data === undefined) {
    const bytes = Buffer.allocUnsafe(size);
    for (let i = 0; i < size; i++) bytes[i] = (i * 131 + 17) % 251;
    data = bytes.toString('base64');
    images.set(size, data);
  }
  return data;
}

export function registerBenchTools(server, { many = false } = {}) {
  if (many) {
    const inputSchema = z.object({
      query: z.string().describe('What to look for'),
      limit: z.number().int().min(1).max(100).optional().describe('Most results to return'),
    });
    for (let i = 0; i < 1000; i++) {
      const id = `t${String(i).padStart(4, '0')}`;
      server.registerTool(
        `bench_many_${id}`,
        { description: `Looks up records matching a query in collection ${id}.`, inputSchema },
        async () => ({ content: [{ type: 'text', text: 'ok' }] }),
      );
    }
    return server;
  }
  server.registerTool(
    'bench_echo',
    {
      description: 'Returns the text it is given.',
      inputSchema: z.object({ text: z.string().describe('Text to send back') }),
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async ({ text }) => ({ content: [{ type: 'text', text }] }),
  );
  server.registerTool(
    'bench_image',
    {
      description: 'Returns a PNG-typed image block of the given number of bytes.',
      inputSchema: z.object({ bytes: z.number().int().min(0).max(16777216).describe('Payload size') }),
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async ({ bytes }) => ({ content: [{ type: 'image', mimeType: 'image/png', data: imageData(bytes) }] }),
  );
  return server;
}

// Arguments: MODE [--many] [PORT]. Returns {mode, many, port}.
export function parseArguments(modes) {
  const args = process.argv.slice(2);
  const many = args.includes('--many');
  const rest = args.filter((a) => a !== '--many');
  const mode = rest[0];
  if (!modes.includes(mode)) {
    process.stderr.write(`usage: node ${process.argv[1]} ${modes.join('|')} [--many] [PORT]\n`);
    process.exit(2);
  }
  return { mode, many, port: Number(rest[1] ?? 0) };
}

// Reads a request body and parses it as JSON (undefined when empty), as express.json() would.
export async function readJsonBody(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  const text = Buffer.concat(chunks).toString('utf8');
  return text.length === 0 ? undefined : JSON.parse(text);
}

// Starts a node:http server on 127.0.0.1:port and prints "listening PORT" on stderr when ready.
export function listen(http, port, handler) {
  const server = http.createServer((req, res) => {
    handler(req, res).catch((error) => {
      if (!res.headersSent) res.statusCode = 500;
      res.end(String(error));
    });
  });
  server.keepAliveTimeout = 60_000;
  server.listen(port, '127.0.0.1', () => process.stderr.write(`listening ${server.address().port}\n`));
  return server;
}
