// A user dictionary in the MeCab lattice's scratch (assembly/mecab.ts, over UTF-8 bytes): its words' context ids and cost, and the trie of their surfaces, searched after the
// system dictionary's words as MeCab asks its dictionaries in turn. The lattice makes room with
// `makeUserRoom`, then `addUserTransition`, `setUserNode` and `setUserWord` (exported by the lattice's
// module) fill it.
import { allocate, set32 } from './regions';

/** The words, USER_WORD_BYTES each: left id, right id, cost (16 bits each), then -1. */
export let userWords: usize = 0;
/** A byte per unit: a surface starts with it (0 while there is no user dictionary). */
export let userStarts: usize = 0;
/** Per trie node: its first word (-1: none), and how many words end there (i32 each). */
export let userFirsts: usize = 0;
export let userCounts: usize = 0;
// The trie's transitions, an open-addressing table of USER_SLOT_BYTES a slot: node i32 (-1: empty), unit i32, child i32.
const USER_SLOT_BYTES: usize = 12;
let userTable: usize = 0;
let userMask: u32 = 0;

/** Makes room for `words` words over a trie of `nodes` nodes and `transitions` transitions over units below `units`. */
export function makeUserRoom(words: i32, nodes: i32, transitions: i32, units: i32): void {
  userWords = allocate(<usize>max(words, 1) << 3);
  userStarts = allocate(<usize>units);
  memory.fill(userStarts, 0, <usize>units);
  userFirsts = allocate(<usize>max(nodes, 1) << 2);
  memory.fill(userFirsts, 0xff, <usize>max(nodes, 1) << 2);
  userCounts = allocate(<usize>max(nodes, 1) << 2);
  memory.fill(userCounts, 0, <usize>max(nodes, 1) << 2);
  let slots: u32 = 16;
  while (slots < <u32>transitions * 2) slots <<= 1;
  userMask = slots - 1;
  userTable = allocate(<usize>slots * USER_SLOT_BYTES);
  memory.fill(userTable, 0xff, <usize>slots * USER_SLOT_BYTES);
}

// @ts-ignore: decorator
@inline function userSlot(node: i32, unit: i32): u32 {
  return ((<u32>node * 0x9e3779b1) ^ (<u32>unit * 0x85ebca77)) & userMask;
}

/** Adds the trie's transition from `node` over `unit` to `child`. */
export function addUserTransition(node: i32, unit: i32, child: i32): void {
  let slot = userSlot(node, unit);
  while (load<i32>(userTable + <usize>slot * USER_SLOT_BYTES) != -1) slot = (slot + 1) & userMask;
  const at = userTable + <usize>slot * USER_SLOT_BYTES;
  store<i32>(at, node);
  store<i32>(at, unit, 4);
  store<i32>(at, child, 8);
  if (node == 0) store<u8>(userStarts + <usize>unit, 1);
}

/** The words ending at trie node `node`: `count` from word `first`. */
export function setUserNode(node: i32, first: i32, count: i32): void {
  set32(userFirsts, node, first);
  set32(userCounts, node, count);
}

/** User word `k`'s context ids and cost (stored as the built-in image's entries are, 16 bits each). */
export function setUserWord(k: i32, left: i32, right: i32, cost: i32): void {
  const at = userWords + (<usize>k << 3);
  store<i16>(at, <i16>left);
  store<i16>(at, <i16>right, 2);
  store<i16>(at, <i16>cost, 4);
  store<i16>(at, -1, 6);
}

/** The trie's node after `unit` from `node`, or -1. */
export function userNext(node: i32, unit: i32): i32 {
  let slot = userSlot(node, unit);
  while (true) {
    const at = userTable + <usize>slot * USER_SLOT_BYTES;
    const from = load<i32>(at);
    if (from == -1) return -1;
    if (from == node && load<i32>(at, 4) == unit) return load<i32>(at, 8);
    slot = (slot + 1) & userMask;
  }
}
