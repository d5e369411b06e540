/** Shopify global ids: `gid://shopify/Order/5678901234567`. */
export function toGid(type: string, id: string): string {
  return `gid://shopify/${type}/${id}`;
}

/** The numeric id inside a GID of the given type, or null when it is not one. */
export function idFromGid(type: string, gid: string): string | null {
  const match = /^gid:\/\/shopify\/([A-Za-z]+)\/(\d+)(\?.*)?$/.exec(gid);
  return match && match[1] === type ? (match[2] ?? null) : null;
}
