import { describe, expect, it } from 'vitest';
import { XS_ERRORS } from '../../xenstore';
import { ERRNO, errnoName, getError } from './errors';

describe('get_error', () => {
  it('maps every xsd error name the store can send to its errno', () => {
    for (const name of XS_ERRORS) expect(getError(name)).toBe(ERRNO[name]);
    expect(getError('EAGAIN')).toBe(11);
    expect(getError('EEXIST')).toBe(17);
  });

  it('an unknown error name becomes EINVAL', () => {
    expect(getError('EQUOTA')).toBe(ERRNO.EINVAL);
    expect(getError('')).toBe(ERRNO.EINVAL);
    expect(getError('toString')).toBe(ERRNO.EINVAL);
  });

  it('names an errno back for traces', () => {
    expect(errnoName(2)).toBe('ENOENT');
    expect(errnoName(999)).toBe('E999');
  });
});
