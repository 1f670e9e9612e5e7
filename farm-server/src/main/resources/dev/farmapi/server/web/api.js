// The Farm API's JSON methods over fetch. The key always travels in the Authorization header:
// never in a URL, which servers, proxies and browser history keep.

/** A failed call: `status` 0 when the server could not be reached. */
export class ApiError extends Error {
  constructor(status, message, reason) {
    super(message);
    this.status = status;
    this.reason = reason;
  }

  static async from(response) {
    let message = `${response.status} ${response.statusText}`;
    let reason = '';
    try {
      const body = await response.json();
      message = body?.error?.message ?? message;
      reason = body?.error?.errors?.[0]?.reason ?? '';
    } catch {
      // not JSON: keep the status line
    }
    return new ApiError(response.status, message, reason);
  }
}

export class Api {
  constructor(key) {
    this.key = key;
  }

  async call(method, path, json) {
    const headers = new Headers({ Authorization: `Bearer ${this.key}` });
    let body;
    if (json !== undefined) {
      headers.set('Content-Type', 'application/json; charset=UTF-8');
      body = JSON.stringify(json);
    }
    let response;
    try {
      response = await fetch(path, { method, headers, body, cache: 'no-store' });
    } catch (e) {
      throw new ApiError(0, `the server cannot be reached (${e.message})`, 'network');
    }
    if (!response.ok) {
      throw await ApiError.from(response);
    }
    return response.status === 204 ? null : response.json();
  }

  /**
   * Who this key is: `{farm, keyId, readOnly}`. A server without `whoami` (older than read-only
   * keys) answers 404: every key it has can write, and listing checks that the key is good.
   */
  async whoami() {
    try {
      return await this.call('GET', '/farm/v1/whoami');
    } catch (e) {
      if (e.status !== 404) {
        throw e;
      }
    }
    await this.list(undefined, 1);
    return { readOnly: false };
  }

  list(pageToken, maxResults) {
    const query = new URLSearchParams({ maxResults: String(maxResults) });
    if (pageToken) {
      query.set('pageToken', pageToken);
    }
    return this.call('GET', `/farm/v1/animals?${query}`);
  }

  patch(id, fields) {
    return this.call('PATCH', `/farm/v1/animals/${encodeURIComponent(id)}`, fields);
  }

  remove(id) {
    return this.call('DELETE', `/farm/v1/animals/${encodeURIComponent(id)}`);
  }

  /** The animal's picture as a Blob, fetched with the key in a header (see the CSP's blob:). */
  async media(id, signal) {
    const response = await fetch(`/farm/v1/animals/${encodeURIComponent(id)}?alt=media`, {
      headers: { Authorization: `Bearer ${this.key}` }, signal,
    });
    if (!response.ok) {
      throw await ApiError.from(response);
    }
    return response.blob();
  }
}
