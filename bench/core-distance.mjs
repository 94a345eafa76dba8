#!/usr/bin/env node
// How far apart the machine's cores are for the threads of one process: the round trip of a value
// bounced between two worker threads (an Atomics store answered by the other), the median over batches
// of a thousand trips, in nanoseconds. On a VM the host may place the vCPUs side by side (a shared L3) or
// apart, and move them while a run goes on. Here a C ping-pong took ~55 ns side by side and ~320 ns apart
// (this script: ~100–120 ns side by side, JavaScript's loop included); training on several threads shares
// its rows between the cores and slows down by up to 60% apart, while one-thread runs and separate
// processes do not. The speed bench records it beside each run. Not a test.
// usage: node bench/core-distance.mjs [--trips 20000]
import { Worker } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';

const source = `
const { workerData, parentPort } = require('node:worker_threads');
const cell = new Int32Array(workerData.buffer);
const { me, other, trips, timing } = workerData;
const times = [];
Atomics.add(cell, 1, 1);
while (Atomics.load(cell, 1) < 2) {}
const BATCH = 1000;
for (let b = 0; b < trips / BATCH; b++) {
  const start = timing ? performance.now() : 0;
  for (let i = 0; i < BATCH; i++) {
    if (timing) {
      Atomics.store(cell, 0, other);
      while (Atomics.load(cell, 0) !== me) {}
    } else {
      while (Atomics.load(cell, 0) !== me) {}
      Atomics.store(cell, 0, other);
    }
  }
  if (timing) times.push(((performance.now() - start) * 1e6) / BATCH);
}
parentPort.postMessage(times);
`;

/**
 * The median round trip, in nanoseconds, of a value bounced between two worker threads.
 * @param {number} trips how many round trips to time
 */
export async function coreDistance(trips = 20000) {
  const buffer = new SharedArrayBuffer(128);
  const start = (me, other, timing) =>
    new Promise((resolve, reject) => {
      const worker = new Worker(source, { eval: true, workerData: { buffer, me, other, trips, timing } });
      worker.once('message', resolve);
      worker.once('error', reject);
    });
  const [times] = await Promise.all([start(1, 2, true), start(2, 1, false)]);
  // The first batches run before the loop is compiled.
  const sorted = times.slice(Math.ceil(times.length / 4)).sort((a, b) => a - b);
  return Math.round(sorted[Math.floor(sorted.length / 2)]);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const trips = Number(process.argv.includes('--trips') ? process.argv[process.argv.indexOf('--trips') + 1] : 20000);
  console.log(`${await coreDistance(trips)} ns`);
}
