import type { Signer } from './signer';

// A one-time message for the page after a redirect ("approved answer~acme~1"). It travels in a
// signed cookie rather than the URL, so nobody can link a reviewer to a page showing a message
// the gateway did not write.

/** How long a flash waits for the page it is meant for. */
export const flashLifetimeSeconds = 60;

/** The cookie value carrying `message`. */
export function sealFlash(signer: Signer, message: string): string {
  const encoded = Buffer.from(message, 'utf8').toString('base64url');
  return `${encoded}.${signer.sign('flash', encoded)}`;
}

/** The message a flash cookie carries; undefined when it is absent or not the gateway's. */
export function openFlash(signer: Signer, value: string | undefined): string | undefined {
  const [encoded, signature, extra] = value?.split('.') ?? [];
  if (!encoded || !signature || extra !== undefined || !signer.verify('flash', encoded, signature)) return undefined;
  return Buffer.from(encoded, 'base64url').toString('utf8');
}
