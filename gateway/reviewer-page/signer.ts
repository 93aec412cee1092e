import { createHmac, timingSafeEqual } from 'node:crypto';

// HMAC-SHA256 signatures for what the reviewer page hands the browser to give back (the session
// cookie, CSRF tokens, flash messages). Each use names its purpose, which is signed with the
// message, so a signature made for one purpose never verifies for another.

/** Signs and checks messages with one secret. */
export class Signer {
  constructor(private readonly secret: Buffer) {}

  /** The signature of `message` for `purpose`, base64url. */
  sign(purpose: string, message: string): string {
    return createHmac('sha256', this.secret).update(`${purpose}\n${message}`, 'utf8').digest('base64url');
  }

  /** True when `signature` is `sign(purpose, message)`; compared in constant time. */
  verify(purpose: string, message: string, signature: string): boolean {
    const expected = Buffer.from(this.sign(purpose, message), 'utf8');
    const presented = Buffer.from(signature, 'utf8');
    return presented.length === expected.length && timingSafeEqual(presented, expected);
  }
}
