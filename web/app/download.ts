// download.ts: a file made in the page handed to the browser's downloads, and file names from a
// scenario's title.

/** Saves `text` as a download named `name`. */
export function download(name: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  // The download reads the URL after this task; revoked later, or each export would leak its text.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** A file name's stem from a title: lower case, words joined by "-" (at most 60 characters). */
export function fileStem(title: string): string {
  const stem = title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .slice(0, 60)
    .replace(/^-+|-+$/g, "");
  return stem || "scenario";
}
