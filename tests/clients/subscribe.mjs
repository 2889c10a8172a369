// One subscription through the npm `graphql-ws` client over `ws`, as a
// JavaScript application would hold it (driven by tests/api/real_clients.rs).
//
//   node subscribe.mjs <ws-url> <token> <query> <variables-json> <max-events>
//
// stdout, one JSON value a line:
//   every `next` payload as received ({"data": ...} or {"data": null, "errors": [...]}),
//   {"errors": ...} when the subscription or the connection fails,
//   {"complete": true} when the server completes the subscription.
// Exits 0 after <max-events> payloads or on completion, 1 on an error,
// 2 on bad usage. Diagnostics go to stderr.
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

const [url, token, query, variablesJson, maxEventsArg] = process.argv.slice(2);
const maxEvents = Number(maxEventsArg);
if (!url || token === undefined || !query || !variablesJson || !(maxEvents > 0)) {
  process.stderr.write(
    'usage: node subscribe.mjs <ws-url> <token> <query> <variables-json> <max-events>\n',
  );
  process.exit(2);
}

let variables;
try {
  variables = JSON.parse(variablesJson);
} catch (e) {
  process.stderr.write(`variables are not JSON: ${e.message}\n`);
  process.exit(2);
}

// What failed, as JSON: GraphQL errors stay as they are; a close event (a
// refused connection_init, say) becomes its code and reason; anything else
// its message.
function describe(err) {
  if (Array.isArray(err)) return err;
  if (err && typeof err === 'object' && 'code' in err && 'reason' in err) {
    return [{ message: 'connection closed', closeCode: err.code, closeReason: String(err.reason) }];
  }
  if (err instanceof Error) return [{ message: err.message }];
  return [{ message: String(err) }];
}

let finished = false;
function finish(line, code) {
  if (finished) return;
  finished = true;
  unsubscribe?.();
  client.dispose();
  process.stdout.write(JSON.stringify(line) + '\n', () => process.exit(code));
}

const client = createClient({
  url,
  webSocketImpl: WebSocket,
  connectionParams: { Authorization: 'Bearer ' + token },
  // A refusal is the answer under test: report it instead of reconnecting.
  retryAttempts: 0,
});

let events = 0;
let unsubscribe;
unsubscribe = client.subscribe(
  { query, variables },
  {
    next(payload) {
      if (finished) return;
      events += 1;
      if (events >= maxEvents) {
        finish(payload, 0);
      } else {
        process.stdout.write(JSON.stringify(payload) + '\n');
      }
    },
    error(err) {
      finish({ errors: describe(err) }, 1);
    },
    complete() {
      finish({ complete: true }, 0);
    },
  },
);
