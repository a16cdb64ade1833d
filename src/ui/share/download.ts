/** Saves text or bytes as a file the browser downloads (works from file:// too: no server). */
export function download(name: string, data: string | Blob, type = 'application/json'): void {
  const blob = typeof data === 'string' ? new Blob([data], { type }) : data;
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.style.display = 'none';
  document.body.append(a);
  a.click();
  a.remove();
  // the download has taken its copy once the click's task ran
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** A file name made of the session's names: letters, digits, dots and dashes only. */
export function fileName(parts: Array<string | number>, ext: string): string {
  return `${parts.map((p) => String(p).replace(/[^A-Za-z0-9.-]+/g, '_')).join('-')}.${ext}`;
}
