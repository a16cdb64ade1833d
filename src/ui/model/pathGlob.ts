/**
 * Path globs for breakpoints and search: `*` matches within one path element, `**` across
 * elements: `/local/domain/*\/device/vbd/*\/state`, `/local/domain/0/backend/**`. Pure.
 */
const CACHE = new Map<string, RegExp>();

export function globToRegExp(glob: string): RegExp {
  let re = CACHE.get(glob);
  if (re === undefined) {
    const body = glob
      .split('**')
      .map((part) =>
        part
          .split('*')
          .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
          .join('[^/]*'),
      )
      .join('.*');
    re = new RegExp(`^${body}$`);
    CACHE.set(glob, re);
  }
  return re;
}

export function matchesGlob(glob: string, path: string): boolean {
  return globToRegExp(glob).test(path);
}
