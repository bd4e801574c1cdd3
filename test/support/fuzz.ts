// Random and mutated inputs for the parsers' fuzz tests: deterministic, so a failing case replays
// from its seed. Each suite gives its own words and mix.

/** Deterministic PRNG (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Cumulative shares of each random piece: below `ascii` an ASCII char, then a word, then a space, else any BMP char. */
export interface TextMix {
  readonly words: readonly string[];
  readonly ascii: number;
  readonly word: number;
  readonly space: number;
}

export function randomText(r: () => number, length: number, mix: TextMix): string {
  let s = '';
  for (let i = 0; i < length; i++) {
    const kind = r();
    if (kind < mix.ascii) {
      s += String.fromCharCode(Math.floor(r() * 128));
    } else if (kind < mix.word) {
      s += mix.words[Math.floor(r() * mix.words.length)] ?? '';
    } else if (kind < mix.space) {
      s += ' ';
    } else {
      s += String.fromCharCode(Math.floor(r() * 0xffff));
    }
  }
  return s;
}

/** Cumulative shares of each edit: delete, insert random text (1..insertMax pieces), copy a slice, else a newline. */
export interface MutationMix {
  readonly text: TextMix;
  readonly remove: number;
  readonly insert: number;
  readonly insertMax: number;
  readonly copy: number;
}

/** One to six edits of `text`. */
export function mutate(r: () => number, text: string, mix: MutationMix): string {
  let s = text;
  const edits = 1 + Math.floor(r() * 6);
  for (let i = 0; i < edits; i++) {
    const at = Math.floor(r() * (s.length + 1));
    const op = r();
    if (op < mix.remove) {
      s = s.slice(0, at) + s.slice(at + 1 + Math.floor(r() * 8));
    } else if (op < mix.insert) {
      s = s.slice(0, at) + randomText(r, 1 + Math.floor(r() * mix.insertMax), mix.text) + s.slice(at);
    } else if (op < mix.copy) {
      const from = Math.floor(r() * s.length);
      s = s.slice(0, at) + s.slice(from, from + Math.floor(r() * 40)) + s.slice(at);
    } else {
      s = s.slice(0, at) + '\n' + s.slice(at);
    }
  }
  return s;
}
