/**
 * One-time passwords, tokens and the message the user "receives".
 */
import { randomInt } from 'node:crypto';
import { customAlphabet } from 'nanoid';

/** 32 characters of `[a-z0-9]`, the real token's form (reference section 3). */
export const newToken = customAlphabet('0123456789abcdefghijklmnopqrstuvwxyz', 32);

/**
 * A crypto-random pin of `length` digits (up to 12: `randomInt` draws below 2^48), uniform over
 * every pin of that length; leading zeros are kept (it is a string). One draw, not one per digit.
 */
export function newPin(length: number): string {
  return String(randomInt(10 ** length)).padStart(length, '0');
}

/**
 * Does the user's entry match the pin? mock decision: a string entry is compared after trimming
 * white space; a number entry is read as its digits, left-padded with zeros to the pin's length
 * (a client that sends `12345` for the pin `012345` lost the zero to JSON, not to the user).
 */
export function entryMatches(entry: string | number, pin: string): boolean {
  if (typeof entry === 'number') {
    if (!Number.isSafeInteger(entry) || entry < 0) return false;
    return String(entry).padStart(pin.length, '0') === pin;
  }
  return entry.trim() === pin;
}

export type Channel = 'sms' | 'call';

export const DEFAULT_SMS_MESSAGE = 'Your one-time password is {pin}';

const PLACEHOLDER = /\{([A-Za-z0-9_]+)\}/g;

/**
 * Renders the SMS template: `{pin}` becomes the code, `{name}` becomes the target attribute of
 * that name when it is a string or number. Only the target's own properties are read, so
 * `{__proto__}` or `{constructor}` can never reach object internals; an unknown placeholder
 * stays as written (mock decision).
 */
export function renderMessage(template: string, pin: string, target: Readonly<Record<string, unknown>>): string {
  const text = template.replace(PLACEHOLDER, (whole, name: string) => {
    if (name === 'pin') return pin;
    if (!Object.hasOwn(target, name)) return whole;
    const value = target[name];
    return typeof value === 'string' || typeof value === 'number' ? String(value) : whole;
  });
  // mock decision: ten SMS segments at most; a longer rendering is cut (the template itself is capped by the spec).
  return text.length > MAX_MESSAGE_LENGTH ? text.slice(0, MAX_MESSAGE_LENGTH) : text;
}

export const MAX_MESSAGE_LENGTH = 1600;

/**
 * What the voice call says. The Call service has no message option (reference section 5), so the
 * mock speaks a fixed sentence with the digits separated, twice, as voice OTP services do.
 */
export function spokenMessage(pin: string): string {
  const digits = pin.split('').join(', ');
  return `Your one-time password is ${digits}. Again, your one-time password is ${digits}.`;
}
