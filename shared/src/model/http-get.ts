import { ErrorCodes, ModelError } from '../errors.js';

export interface HttpGetOptions {
  headers?: Record<string, string>;
  timeoutMs?: number;
}

/** GET that fails with a ModelError naming the URL and status; network errors can be retried, 4xx cannot. */
export async function httpGet(url: string, options: HttpGetOptions = {}): Promise<Response> {
  let res: Response;
  try {
    res = await fetch(url, {
      headers: options.headers,
      signal: AbortSignal.timeout(options.timeoutMs ?? 60_000),
      redirect: 'follow',
    });
  } catch (err) {
    throw new ModelError(
      ErrorCodes.MODEL_FETCH_FAILED,
      `GET ${redact(url)} failed: ${(err as Error).message}`,
      {
        cause: err,
        retriable: true,
      },
    );
  }
  if (res.status === 304 || res.ok) return res;
  const body = (await res.text().catch(() => '')).slice(0, 500);
  throw new ModelError(
    // MLflow answers an unknown alias with 400 INVALID_PARAMETER_VALUE "... not found", a missing version with 404.
    res.status === 404 || (res.status === 400 && /RESOURCE_DOES_NOT_EXIST|not found/i.test(body))
      ? ErrorCodes.MODEL_NOT_FOUND
      : ErrorCodes.MODEL_FETCH_FAILED,
    `GET ${redact(url)} answered ${res.status}: ${body}`,
    { retriable: res.status >= 500 || res.status === 429, details: { status: res.status } },
  );
}

export async function httpGetJson<T>(url: string, options: HttpGetOptions = {}): Promise<T> {
  const res = await httpGet(url, options);
  try {
    return (await res.json()) as T;
  } catch (err) {
    throw new ModelError(ErrorCodes.MODEL_FETCH_FAILED, `GET ${redact(url)} did not answer JSON`, {
      cause: err,
    });
  }
}

/** Drops user:password from a URL before it reaches a message or a log. */
export function redact(url: string): string {
  return url.replace(/\/\/[^/@]*@/, '//***@');
}
