// A tiny raw HTTP client for wire-level assertions against the test API server.
export interface Reply { status: number; body: any; headers: Headers; text: string }

export function client(base: string, token?: string) {
  return async (method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<Reply> => {
    const headers: Record<string, string> = {};
    if (token) headers['authorization'] = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = contentType;
    const res = await fetch(base + path, { method, headers, ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}) });
    const text = await res.text();
    let parsed: unknown;
    try { parsed = JSON.parse(text); } catch { parsed = undefined; }
    return { status: res.status, body: parsed, headers: res.headers, text };
  };
}
