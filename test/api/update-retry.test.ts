import { ServiceError } from '@temporalio/client';
import { refusedAtContinueAsNew, withContinueAsNewRetry } from '../../api/update-retry';

// What the client throws when an Update reaches a run in the task in which it continues as new (seen on the dev server).
const grpcError = (code: number, details: string) =>
  Object.assign(new Error(`${code} ${details}`), { code, details, metadata: {} });
const refusedAtTheCut = () =>
  new ServiceError('Workflow Update failed', {
    cause: grpcError(9, 'Unable to perform workflow execution update due to unexpected workflow task failure.'),
  });

describe('an Update refused at a continue-as-new', () => {
  it('is told apart from every other failure', () => {
    expect(refusedAtContinueAsNew(refusedAtTheCut())).toBe(true);
    expect(
      refusedAtContinueAsNew(
        new ServiceError('Workflow Update failed', { cause: grpcError(9, 'workflow execution already completed') }),
      ),
    ).toBe(false);
    expect(
      refusedAtContinueAsNew(new ServiceError('unavailable', { cause: grpcError(14, 'workflow task failure') })),
    ).toBe(false);
    expect(refusedAtContinueAsNew(new Error('workflow task failure'))).toBe(false);
  });

  it('is sent again until the next run takes it; any other failure is final, and so is a refusal that persists', async () => {
    let calls = 0;
    await expect(
      withContinueAsNewRetry(async () => (++calls < 3 ? Promise.reject(refusedAtTheCut()) : 'applied')),
    ).resolves.toBe('applied');
    expect(calls).toBe(3);

    calls = 0;
    const other = new Error('validator refused');
    await expect(withContinueAsNewRetry(async () => (++calls, Promise.reject(other)))).rejects.toBe(other);
    expect(calls).toBe(1);

    calls = 0;
    await expect(
      withContinueAsNewRetry(async () => (++calls, Promise.reject(refusedAtTheCut()))),
    ).rejects.toBeInstanceOf(ServiceError);
    expect(calls).toBe(4);
  });
});
