// Loads a GGUF model once and exits: run by validate-judge-model.ts in a child process, because llama.cpp
// aborts the whole process on some malformed files. A real file rather than `node -e`, since
// node-llama-cpp re-runs the current process's arguments when it tests its binaries.
// Usage: node probe-judge-model.mjs <model.gguf> <node-llama-cpp module URL>
const [modelPath, llamaUrl] = process.argv.slice(2);
try {
  const { getLlama } = await import(llamaUrl);
  const llama = await getLlama({ gpu: false, build: 'never', logLevel: 'error' });
  const model = await llama.loadModel({ modelPath });
  await model.dispose();
  await llama.dispose();
  process.stdout.write('ok');
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 2;
}
