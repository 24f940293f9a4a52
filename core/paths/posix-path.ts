/**
 * Path arithmetic for pure code and workflows, which may not import node:path: POSIX rules, with a
 * Windows drive letter or backslash recognised where a user's sweep file may hold one.
 */

/** Joins path parts with `/`, collapsing repeated slashes. */
export function joinPath(...parts: string[]): string {
  return parts.join('/').replace(/\/+/g, '/');
}

/** Whether `path` is absolute (`/…`, or a Windows drive `C:\…`). */
export function isAbsolutePath(path: string): boolean {
  return path.startsWith('/') || /^[A-Za-z]:[\\/]/.test(path);
}

/** The folder of a file path: `.` for a bare name, `/` for a file at the root. */
export function folderOf(file: string): string {
  const slash = Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\'));
  return slash === -1 ? '.' : slash === 0 ? '/' : file.slice(0, slash);
}

/** `file` resolved against `folder` (absolute files as they are), with `.` and `..` taken out. */
export function resolveAgainst(folder: string, file: string): string {
  if (isAbsolutePath(file)) return file;
  const parts: string[] = [];
  for (const part of `${folder}/${file}`.split('/')) {
    if (part === '.' || (part === '' && parts.length > 0)) continue;
    if (part === '..' && parts.length > 0 && parts[parts.length - 1] !== '..' && parts[parts.length - 1] !== '') parts.pop();
    else parts.push(part);
  }
  return parts.join('/') || '/';
}
