import { describe, expect, it } from 'vitest';
import { ConfigIoHost } from '../../src/core/config/config-io-host.js';
import type { BootstrapConfig } from '../../src/core/config/config-types.js';
import { RecordingIoHost } from '../support/recording-io-host.js';

const host = (config: BootstrapConfig) => new ConfigIoHost(config, { output: new RecordingIoHost(), yes: true, env: {} });

describe('the config IO host: answers known ahead (for reading ahead)', () => {
  it('knows the names the file gives, the same text() answers', async () => {
    const config: BootstrapConfig = {
      adminGroup: { name: 'Admins' },
      adminUser: { name: 'alice', password: 'generate', passwordResetRequired: true, mfa: 'prompt' },
      budget: { name: 'team-budget', amount: 25, alertThresholdPercent: 80, emails: ['a@example.com'] },
    };
    const io = host(config);
    for (const id of ['admin-group.name', 'admin-user.name', 'admin-user-mfa.user', 'budget.name', 'budget.threshold']) {
      expect(io.knownAnswer(id)).toBe(await io.text({ id, message: id }));
    }
    expect(io.knownAnswer('admin-group.name')).toBe('Admins');
    // The threshold defaults as its text() answer does.
    const { alertThresholdPercent: _, ...budget } = config.budget!;
    expect(host({ budget: budget as never }).knownAnswer('budget.threshold')).toBe('80');
  });

  it('knows nothing a person must answer, nor a section the file lacks', () => {
    const io = host({ adminUser: { name: 'alice', password: 'generate', passwordResetRequired: true, mfa: 'prompt' } });
    expect(io.knownAnswer('admin-user-mfa.code1')).toBeUndefined();
    expect(io.knownAnswer('admin-user.password')).toBeUndefined();
    expect(io.knownAnswer('budget.name')).toBeUndefined();
    expect(io.knownAnswer('budget.threshold')).toBeUndefined();
    expect(io.knownAnswer('admin-group.name')).toBe('Administrators');
  });
});
