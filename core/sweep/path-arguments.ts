/** A file a rendered command names: the program itself, an argument, or the value of a `--flag=value`. */
export interface PathArgument {
  /** The path as written (relative ones are relative to the job's working folder). */
  readonly path: string;
  /** `program`, or the argument that holds it (e.g. `--data_path=data/alpaca.json`). */
  readonly where: string;
}

// Extensions of the files a training or generation command typically reads; a bare `org/name` (a
// Hugging Face model id) has none and is left alone.
const fileExtension = /\.(?:py|sh|mjs|js|json|jsonl|ya?ml|gguf|safetensors|bin|pt|txt|csv|tsv|parquet|arrow)$/i;

function looksLikeFile(value: string): boolean {
  if (value === '' || value.includes('://') || value.includes('<') || value.includes('{{')) return false;
  return fileExtension.test(value) || value.startsWith('./') || value.startsWith('../');
}

/**
 * Lists the files a rendered argv names, so `validate` can say which are missing before anything runs.
 * The program counts when it is a path (has a `/`); an argument counts when it, or the part after the
 * `=` of a `--flag=value`, is a relative path (`./`, `../`) or ends in a data, model or script
 * extension. Values that are outputs under the state folder (shown as `<state>/…`) are skipped.
 */
export function pathArguments(argv: readonly string[]): PathArgument[] {
  const found: PathArgument[] = [];
  const [program, ...args] = argv;
  if (program !== undefined && program.includes('/') && !program.includes('<')) found.push({ path: program, where: 'program' });
  for (const arg of args) {
    const value = arg.startsWith('-') && arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : arg.startsWith('-') ? '' : arg;
    if (looksLikeFile(value)) found.push({ path: value, where: arg });
  }
  return found;
}
