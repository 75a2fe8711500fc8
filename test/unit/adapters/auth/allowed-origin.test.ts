import { describe, expect, it } from 'vitest';
import { isAllowedOrigin } from '../../../../src/adapters/auth/allowed-origin.ts';

const WEB_APP = 'http://127.0.0.1:5173';

describe('isAllowedOrigin', () => {
  it('lets the allowed web app connect, whatever the header case', () => {
    expect(isAllowedOrigin({ Origin: WEB_APP }, [WEB_APP])).toBe(true);
    expect(isAllowedOrigin({ origin: WEB_APP }, [WEB_APP])).toBe(true);
  });

  it('refuses a page from any other origin', () => {
    expect(isAllowedOrigin({ Origin: 'https://attacker.example' }, [WEB_APP])).toBe(false);
    expect(isAllowedOrigin({ Origin: 'http://127.0.0.1:5174' }, [WEB_APP])).toBe(false);
    expect(isAllowedOrigin({ Origin: 'null' }, [WEB_APP])).toBe(false);
  });

  it('lets a client without an Origin header (wscat, an SDK) through to the token check', () => {
    expect(isAllowedOrigin({}, [WEB_APP])).toBe(true);
    expect(isAllowedOrigin(null, [WEB_APP])).toBe(true);
  });

  it('checks nothing when no origins are configured', () => {
    expect(isAllowedOrigin({ Origin: 'https://anywhere.example' }, [])).toBe(true);
  });
});
