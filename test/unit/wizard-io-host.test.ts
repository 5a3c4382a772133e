import { render } from '@inquirer/testing';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { styleFor } from '../../src/cli/render/style.js';
import { WizardIoHost } from '../../src/cli/wizard-io-host.js';
import { BootstrapError } from '../../src/core/errors.js';

/** Drives one host method through @inquirer/testing's virtual terminal, like a person at the keyboard. */
async function drive<T>(call: (host: WizardIoHost) => Promise<T>, options: { yes?: boolean } = {}) {
  const prompt = ((_props: unknown, context: { input: NodeJS.ReadableStream; output: NodeJS.WritableStream }) =>
    call(
      new WizardIoHost({
        debug: false,
        yes: options.yes === true,
        style: styleFor(false),
        totalSteps: 8,
        input: context.input,
        output: context.output,
      }),
    )) as unknown as Parameters<typeof render>[0];
  return render(prompt, {});
}

describe('the wizard IO host (the @inquirer prompts in a virtual terminal)', () => {
  it('asks for text with a default and refuses what the validator refuses, showing why', async () => {
    const { answer, events, getScreen } = await drive((host) =>
      host.text({
        id: 'account-alias.alias',
        message: 'Account alias',
        default: 'acme',
        validate: (v) => (v.includes('_') ? 'Use only lowercase letters, digits and hyphens.' : true),
      }),
    );
    expect(getScreen()).toContain('Account alias');
    expect(getScreen()).toContain('acme');
    events.type('Bad_Alias');
    events.keypress('enter');
    await new Promise((r) => setTimeout(r, 20));
    expect(getScreen()).toContain('Use only lowercase letters, digits and hyphens.');
    for (let i = 0; i < 9; i += 1) events.keypress('backspace');
    events.type('good-alias');
    events.keypress('enter');
    await expect(answer).resolves.toBe('good-alias');
  });

  it('masks a secret, asks for it twice, and asks again when the two differ', async () => {
    const { answer, events, getScreen } = await drive((host) =>
      host.secret({ id: 'admin-user.password', message: 'Password', confirmMessage: 'Again' }),
    );
    events.type('Correct-Horse-1');
    expect(getScreen()).not.toContain('Correct-Horse-1');
    events.keypress('enter');
    await new Promise((r) => setTimeout(r, 20));
    events.type('Correct-Horse-2');
    events.keypress('enter');
    await new Promise((r) => setTimeout(r, 20));
    events.type('Correct-Horse-1');
    events.keypress('enter');
    await new Promise((r) => setTimeout(r, 20));
    events.type('Correct-Horse-1');
    events.keypress('enter');
    await expect(answer).resolves.toBe('Correct-Horse-1');
  });

  it('takes the default of a confirmation without asking under --yes', async () => {
    const { answer, getFullOutput } = await drive((host) =>
      host.confirm({ id: 'budget.update', message: 'Update the budget?', default: false }),
    { yes: true });
    await expect(answer).resolves.toBe(false);
    expect(getFullOutput()).toContain('Update the budget? no (--yes)');
  });

  it('asks a confirmation on a terminal without --yes', async () => {
    const { answer, events } = await drive((host) => host.confirm({ id: 'x.confirm', message: 'Go?', default: false }));
    events.type('y');
    events.keypress('enter');
    await expect(answer).resolves.toBe(true);
  });

  it('turns Ctrl-C at a prompt into an INTERRUPTED error (exit 130) saying what was done', async () => {
    const { answer, events } = await drive((host) => host.text({ id: 'admin-user.name', message: 'User name' }));
    events.keypress({ name: 'c', ctrl: true });
    const error = await answer.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BootstrapError);
    expect(error).toMatchObject({ code: 'INTERRUPTED', exitCode: 130 });
    expect((error as Error).message).toContain('Nothing was changed.');
  });

  it('numbers steps and explains them, and shows a QR code on the terminal', async () => {
    const out = new PassThrough();
    let text = '';
    out.on('data', (d: Buffer) => (text += d.toString()));
    const host = new WizardIoHost({ debug: false, yes: false, style: styleFor(false), totalSteps: 8, output: out });
    host.stepStarted({ id: 'account-alias', title: 'Account alias', why: 'A name for the sign-in URL.' });
    host.showQrCode('otpauth://totp/AWS:alice?secret=JBSWY3DPEHPK3PXP&issuer=AWS');
    host.showSecret('Secret key', 'JBSWY3DPEHPK3PXP');
    expect(text).toContain('[1/8] Account alias (account-alias)');
    expect(text).toContain('A name for the sign-in URL.');
    const qrLines = text.split('\n').filter((l) => /[▄▀█]/.test(l));
    expect(qrLines.length).toBeGreaterThan(10);
    expect(Math.max(...qrLines.map((l) => [...l].length))).toBeLessThanOrEqual(80);
    expect(text.indexOf('Secret key: JBSWY3DPEHPK3PXP')).toBeGreaterThan(text.lastIndexOf(qrLines.at(-1)!));
  });

  it('shows a generated password before it is set, and says so when AWS did not take it', async () => {
    const out = new PassThrough();
    let text = '';
    out.on('data', (d: Buffer) => (text += d.toString()));
    const host = new WizardIoHost({ debug: false, yes: false, style: styleFor(false), totalSteps: 8, output: out });
    const given = await host.handOverSecret({ label: 'Console password for alice', generate: () => 'Gen-Pass-Word-1!', validate: () => true });
    expect(given.value).toBe('Gen-Pass-Word-1!');
    expect(text).toContain('Console password for alice: Gen-Pass-Word-1!');
    expect(text).not.toContain('was not set');
    given.settled('not-set');
    expect(text).toContain('The password above was not set (AWS refused it).');
    const other = await host.handOverSecret({ label: 'Console password for alice', generate: () => 'Gen-Pass-Word-2!', validate: () => true });
    other.settled('set');
    expect(text.split('was not set')).toHaveLength(2);
  });
});
