/**
 * Replaces `{{env.NAME}}` (spaces inside the braces allowed) with the secret's value in each argument,
 * for the names in `secrets` only. The workflow renders every other placeholder but leaves these, so
 * secret values exist only on the worker and never in workflow history or job rows.
 */
export function fillSecretPlaceholders(argv: readonly string[], secrets: Readonly<Record<string, string>>): string[] {
  return argv.map((arg) =>
    arg.replace(/\{\{\s*env\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g, (token, name: string) =>
      Object.hasOwn(secrets, name) ? (secrets[name] ?? token) : token,
    ),
  );
}
