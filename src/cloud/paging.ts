// Paging through list APIs until the cloud says there is no more, bounded so a misbehaving endpoint cannot loop.
const MAX_PAGES = 1000;

/**
 * Every item of a list that pages by number (PageNo/PageNumber + PageSize). When the API reports a total, pages
 * until that many items were seen (a server that caps the page size below ours still gets fully read);
 * otherwise until a short page. Always stops on an empty page.
 */
export async function pageByNumber<T>(pageSize: number, fetch: (page: number) => Promise<{ items: T[]; total?: number | string }>): Promise<T[]> {
  const all: T[] = [];
  for (let page = 1; page <= MAX_PAGES; page++) {
    const { items, total } = await fetch(page);
    all.push(...items);
    const totalCount = total === undefined || total === null || total === '' ? NaN : Number(total);
    if (items.length === 0) break;
    if (Number.isFinite(totalCount) ? all.length >= totalCount : items.length < pageSize) break;
  }
  return all;
}

/** Every item of a list that pages by NextToken (MaxResults + NextToken). Stops when no token comes back. */
export async function pageByToken<T>(fetch: (token: string | undefined) => Promise<{ items: T[]; nextToken?: string }>): Promise<T[]> {
  const all: T[] = [];
  let token: string | undefined;
  for (let page = 1; page <= MAX_PAGES; page++) {
    const { items, nextToken } = await fetch(token);
    all.push(...items);
    if (!nextToken || nextToken === token) break;
    token = nextToken;
  }
  return all;
}
