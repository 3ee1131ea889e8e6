/**
 * Node flags a connector runs with (npm start, the benchmark, the e2e processes, docker-compose,
 * docs/connector.md). A connector's live heap is about 15 MB, and its budget is 80 MB of RSS, of
 * which the Node binary's mapped code alone is close to 50 MB once Nest is loaded. Without flags
 * V8 lets new space grow to 3 × 16 MB under load and old space to several times the live heap
 * between collections (measured: 90–110 MB idle, 130–185 MB loaded).
 *
 * The semi-space is where size trades against CPU: each exchange allocates a few hundred kB, and
 * the requests in flight survive into every scavenge. Measured per exchange (consumer and provider
 * together): 1 MB costs about 1 ms of GC, 2 MB about 0.3 ms more than the default, 4 MB about the
 * default; each MB of semi-space is about 3 MB of RSS. 2 MB is the compromise (docs/benchmarks.md).
 * 64 MB of old space leaves four times the live heap for bursts and the replay and grant caches.
 * `--optimize-for-size` makes V8 grow the heap less between collections: measured 2026-12-04 in
 * three runs each, idle 83–89 MB against 92–93, loaded peaks 91–93 against 97–101, exchange
 * saturation 262–283 against 261–319 req/s (docs/benchmarks.md "Connector memory").
 */
export const CONNECTOR_NODE_FLAGS = ['--max-old-space-size=64', '--max-semi-space-size=2', '--optimize-for-size'];
