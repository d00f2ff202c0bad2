/* kefu: one JSON-over-HTTP helper for the chat page, the agent console and the dashboard.
 * Errors come back as ApiError(message, status, code) from kefu's {"error": {"code", "message"}} bodies;
 * a network failure is status 0, code "network_error". */
(function () {
  "use strict";

  class ApiError extends Error {
    constructor(message, status, code) {
      super(message);
      this.status = status;
      this.code = code;
    }
  }

  async function request(url, method, payload, bearer, credentials) {
    const headers = { Accept: "application/json" };
    if (payload !== undefined) headers["Content-Type"] = "application/json";
    if (bearer) headers.Authorization = `Bearer ${bearer}`;
    let res;
    try {
      res = await fetch(url, {
        method,
        headers,
        body: payload === undefined ? undefined : JSON.stringify(payload),
        credentials: credentials || "same-origin",
        cache: "no-store",
      });
    } catch (err) {
      throw new ApiError(String((err && err.message) || err), 0, "network_error");
    }
    let data = null;
    try {
      data = await res.json();
    } catch (_) {
      data = null;
    }
    if (!res.ok) {
      const e = (data && data.error) || {};
      throw new ApiError(e.message || `HTTP ${res.status}`, res.status, e.code || "http_error");
    }
    return data || {};
  }

  window.KefuApi = { ApiError, request };
})();
