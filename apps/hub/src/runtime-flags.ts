/**
 * Node flags the hub runs with (npm start, the benchmark, the container image). The hub's live
 * heap is about 40 MB; without a cap V8 lets old space grow to several times that between
 * collections under load, and one replica's memory budget is 250 MB.
 */
export const HUB_NODE_FLAGS = ['--max-old-space-size=128', '--max-semi-space-size=8'];
