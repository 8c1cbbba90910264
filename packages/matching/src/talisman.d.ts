// talisman ships CommonJS without type declarations: these are the few modules matching uses
// (each exports one function as module.exports).
declare module 'talisman/metrics/jaro-winkler' {
  /** Jaro-Winkler similarity in [0, 1] (prefix scale 0.1, up to 4 characters, boost above 0.7). */
  export default function jaroWinkler(a: string, b: string): number;
}
declare module 'talisman/metrics/damerau-levenshtein' {
  /** Optimal-string-alignment distance: insertions, deletions, substitutions and adjacent transpositions. */
  export default function damerauLevenshtein(a: string, b: string): number;
}
declare module 'talisman/phonetics/double-metaphone' {
  /** [primary, alternate] Double Metaphone codes. */
  export default function doubleMetaphone(word: string): [string, string];
}
declare module 'talisman/phonetics/nysiis' {
  /** The NYSIIS code of a name. */
  export default function nysiis(word: string): string;
}
