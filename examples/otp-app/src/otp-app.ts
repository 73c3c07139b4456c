/**
 * A tiny app that verifies phone numbers with PhoneMatch's SMS one-time password, through its own
 * HTTP client (plain fetch). It knows nothing of the mock: only the base URL differs between
 * production (`https://production.idresponse.com`) and a test (`mock.url`).
 */

export interface OtpAppConfig {
  /** PhoneMatch's base URL, e.g. `https://production.idresponse.com` or a mock's URL. */
  baseUrl: string;
  user: string;
  pass: string;
  /** The SMS text; `{pin}` becomes the code. */
  message?: string;
}

export type SendResult =
  | { status: 'sent'; verificationId: string }
  /** The line type is one we refuse (e.g. VoIP): no code was sent. */
  | { status: 'suppressed'; detail: string }
  /** The number is invalid, or delivery failed: the user should try another number. */
  | { status: 'failed'; detail: string };

export type CheckResult = { verified: true } | { verified: false; reason: 'wrong-code' | 'expired' };

interface PhoneMatchResult {
  result?: { action: 'PENDING' | 'PASS' | 'FAIL'; detail: string };
  continuations?: { outofband: { template: { token: string } } };
  error?: { code: string; message: string; detail: string };
}

export function createOtpApp(config: OtpAppConfig) {
  const base = config.baseUrl.replace(/\/+$/, '');

  async function post(path: string, body: unknown): Promise<{ status: number; body: PhoneMatchResult }> {
    const response = await fetch(`${base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as PhoneMatchResult };
  }

  return {
    /** Sends a code to the phone; VoIP lines are refused, as a bank would. */
    async sendCode(phone: string, options: { firstName?: string } = {}): Promise<SendResult> {
      const { status, body } = await post('/process/comprehensive/gateway', {
        user: config.user,
        pass: config.pass,
        service: 'PhoneMatch5.0.SMS',
        options: {
          outofband: {
            message: config.message ?? 'Your verification code is {pin}',
            do_not_send_to_types: ['voip'],
          },
        },
        target: { phone, ...(options.firstName ? { fn: options.firstName } : {}) },
      });
      if (status !== 200 || !body.result) throw new Error(`PhoneMatch refused the request: ${body.error?.message ?? status}`);
      // A PENDING answer always carries the continuation; its token identifies the verification.
      if (body.result.action === 'PENDING' && body.continuations) {
        return { status: 'sent', verificationId: body.continuations.outofband.template.token };
      }
      if (body.result.detail === 'SUPPRESSED SENDING CODE') return { status: 'suppressed', detail: body.result.detail };
      return { status: 'failed', detail: body.result.detail };
    },

    /** Checks the code the user typed. A token answers once: a wrong code ends the verification. */
    async checkCode(verificationId: string, code: string): Promise<CheckResult> {
      const { status, body } = await post('/process/continue', { token: verificationId, codematch: { key: code } });
      if (status === 400 && body.error?.message === 'Token Bad or Expired') return { verified: false, reason: 'expired' };
      if (status !== 200 || !body.result) throw new Error(`PhoneMatch refused the request: ${body.error?.message ?? status}`);
      return body.result.action === 'PASS' ? { verified: true } : { verified: false, reason: 'wrong-code' };
    },
  };
}
