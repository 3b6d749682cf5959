export const id = 880;
export const ids = [880];
export const modules = {

/***/ 8880:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   createSlackClient: () => (/* binding */ createSlackClient),
/* harmony export */   createSlackPort: () => (/* binding */ createSlackPort),
/* harmony export */   slackError: () => (/* binding */ slackError),
/* harmony export */   slackPortFrom: () => (/* binding */ slackPortFrom)
/* harmony export */ });
/* harmony import */ var _slack_web_api__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(5105);
/* harmony import */ var _executors_errors_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(1801);
/**
 * SlackPort on `@slack/web-api`'s WebClient (the client Bolt ships). The client's own retries are switched off
 * (`retries: 0`) and a 429 is rejected at once (`rejectRateLimitedCalls`) with its Retry-After, so the executors'
 * retry loop (src/executors/retry.ts: capped Retry-After, full-jitter backoff) is the only one and attempts never
 * multiply. Platform errors (`channel_not_found`, `not_in_channel`, `invalid_auth`) are configuration errors:
 * not retried, answered with the fix. One WebClient per process: the token is passed per call.
 */


const HINTS = {
    channel_not_found: "check the notifier's channel (a name like #ops or a channel id)",
    not_in_channel: "invite the bot to the channel (/invite @yourbot)",
    invalid_auth: "the bot token is not valid: check the secret",
    not_authed: "the bot token is missing: check the secret",
    missing_scope: "add the chat:write scope to the Slack app and reinstall it",
    account_inactive: "the bot token was revoked: create a new one",
};
const RETRYABLE_PLATFORM = new Set(["ratelimited", "internal_error", "fatal_error", "service_unavailable", "request_timeout"]);
/** The WebClient's logger: warnings and errors to `warn`, nothing to the console (in the Action, the runner's command channel). */
function clientLogger(warn = () => undefined) {
    const text = (msg) => msg.map((m) => (m instanceof Error ? m.message : String(m))).join(" ");
    return {
        debug: () => undefined,
        info: () => undefined,
        warn: (...msg) => warn(text(msg)),
        error: (...msg) => warn(text(msg)),
        setLevel: () => undefined,
        getLevel: () => _slack_web_api__WEBPACK_IMPORTED_MODULE_0__.LogLevel.WARN,
        setName: () => undefined,
    };
}
function apiUrl(url) {
    if (!url)
        return "https://slack.com/api/";
    return url.endsWith("/") ? url : `${url}/`;
}
/** The process's one Slack client: retries off, 429s rejected with their Retry-After. */
function createSlackClient(options = {}) {
    return new _slack_web_api__WEBPACK_IMPORTED_MODULE_0__.WebClient(undefined, {
        slackApiUrl: apiUrl(options.slackApiUrl),
        retryConfig: { retries: 0 },
        rejectRateLimitedCalls: true,
        timeout: options.timeoutMs ?? 30_000,
        logger: clientLogger(options.warn),
        logLevel: _slack_web_api__WEBPACK_IMPORTED_MODULE_0__.LogLevel.WARN,
        ...(options.fetch ? { fetch: options.fetch } : {}),
    });
}
/** What a WebClient rejection means for the executor: an ActionError, retryable or not. */
function slackError(method, err) {
    if (err instanceof _executors_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .ActionError */ .lZ)
        return err;
    const e = err;
    switch (e?.code) {
        case _slack_web_api__WEBPACK_IMPORTED_MODULE_0__.ErrorCode.RateLimitedError: {
            const seconds = typeof e.retryAfter === "number" && Number.isFinite(e.retryAfter) ? e.retryAfter : undefined;
            return new _executors_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .ActionError */ .lZ(_executors_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .ACTION_CODES */ .Y_.rateLimited, `Slack ${method} is rate limited`, true, seconds === undefined ? undefined : seconds * 1000);
        }
        case _slack_web_api__WEBPACK_IMPORTED_MODULE_0__.ErrorCode.PlatformError: {
            const code = String(e.data?.error ?? "unknown_error");
            return new _executors_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .ActionError */ .lZ(_executors_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .ACTION_CODES */ .Y_.slack, `Slack ${method} failed: ${code}${HINTS[code] ? `: ${HINTS[code]}` : ""}`, RETRYABLE_PLATFORM.has(code));
        }
        case _slack_web_api__WEBPACK_IMPORTED_MODULE_0__.ErrorCode.HTTPError: {
            const status = typeof e.statusCode === "number" ? e.statusCode : 0;
            return new _executors_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .ActionError */ .lZ(_executors_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .ACTION_CODES */ .Y_.slack, `Slack ${method} answered HTTP ${status}`, status === 408 || status === 429 || status >= 500);
        }
        case _slack_web_api__WEBPACK_IMPORTED_MODULE_0__.ErrorCode.RequestError: {
            const original = e.original instanceof Error ? e.original.message : String(e.original ?? "");
            return new _executors_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .ActionError */ .lZ(_executors_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .ACTION_CODES */ .Y_.network, `Slack ${method} request failed: ${original}`, true);
        }
    }
    const message = err instanceof Error ? err.message : String(err);
    // a 429 whose Retry-After the client could not read: still a rate limit, retried on the backoff schedule
    if (/^Retry header did not contain a valid timeout/.test(message))
        return new _executors_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .ActionError */ .lZ(_executors_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .ACTION_CODES */ .Y_.rateLimited, `Slack ${method} is rate limited`, true);
    return new _executors_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .ActionError */ .lZ(_executors_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .ACTION_CODES */ .Y_.network, `Slack ${method} request failed: ${message}`, true);
}
function slackPortFrom(client) {
    return {
        apiUrl: client.slackApiUrl,
        async call(method, token, args, signal) {
            try {
                const answer = await client.apiCall(method, { ...args, token });
                return answer;
            }
            catch (err) {
                if (signal?.aborted && signal.reason instanceof _executors_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .ActionError */ .lZ)
                    throw signal.reason;
                throw slackError(method, err);
            }
        },
    };
}
/** A SlackPort on a client of its own (one per process: call once and share it). */
function createSlackPort(options = {}) {
    return slackPortFrom(createSlackClient(options));
}


/***/ })

};
