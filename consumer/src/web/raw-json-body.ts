import type { FastifyInstance } from 'fastify';

/** A JSON request body as Fastify parsed it, with the text it was parsed from. */
export interface RawJsonBody {
  value: unknown;
  text: string;
}

/**
 * Makes `request.body` of an application/json request a RawJsonBody: the parsing is still Fastify's own (with its
 * prototype-poisoning checks and error codes), and the text is kept because JSON.parse rounds integers beyond
 * 2^53, so a ride id's digits must be read from it.
 */
export function keepRawJsonText(app: FastifyInstance): void {
  const parse = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    // parseAs 'string' makes body a string (the type allows a Buffer too). Fastify's parser skips a byte-order
    // mark (secure-json-parse); drop it here as well so the text kept is the text parsed.
    const raw = body.toString();
    const text = raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
    parse(request, text, (err: Error | null, value?: unknown) =>
      done(err, err ? undefined : { value, text }),
    );
  });
}

/** The body of a request whose parser was set by keepRawJsonText; undefined value and '' text when none came. */
export function rawJsonBody(body: unknown): RawJsonBody {
  return (body as RawJsonBody | undefined) ?? { value: undefined, text: '' };
}
