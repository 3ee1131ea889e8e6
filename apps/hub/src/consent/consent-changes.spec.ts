import { ConsentChanges } from './consent-changes';

describe(ConsentChanges.name, () => {
  it('calls every listener on each commit until it unsubscribes, and survives a failing listener', () => {
    const changes = new ConsentChanges();
    const calls: string[] = [];
    changes.subscribe(() => {
      throw new Error('listener broke');
    });
    const stop = changes.subscribe(() => calls.push('a'));
    changes.subscribe(() => calls.push('b'));
    expect(() => changes.committed()).not.toThrow();
    stop();
    changes.committed();
    expect(calls).toEqual(['a', 'b', 'b']);
  });
});
