import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CodecKeysRequiredError } from '../../../../client/codec/codec-errors';
import { loadCodecKeys, parseCodecKeysVariable } from '../../../../client/codec/codec-keys';
import { loadPayloadCodec } from '../../../../client/codec/load-codec';
import { ConfigError } from '../../../../contracts/config';

// Every client and worker must hold the same keys: configured ones parse strictly (a bad one stops
// start-up naming the variable), and the one-machine key file is made once and then only read.

const root = join(__dirname, '..', '..', '..', '..');
const key = () => randomBytes(32).toString('base64');
const freshDir = () => mkdtempSync(join(tmpdir(), 'sluice-codec-'));
const noFile = { allowKeyFile: false };

describe('codec keys from SLUICE_CODEC_KEYS', () => {
  it('takes the first key as the active one and keeps the others for decoding', () => {
    const [k2, k1] = [key(), key()];
    const keys = parseCodecKeysVariable(`k2:${k2}, k1:${k1}`);
    expect(keys.activeKeyId).toBe('k2');
    expect([...keys.keys.keys()]).toEqual(['k2', 'k1']);
    expect(keys.keys.get('k1')!.equals(Buffer.from(k1, 'base64'))).toBe(true);
    expect(parseCodecKeysVariable(`10:${key()},2:${key()}`).activeKeyId).toBe('10');
  });

  it.each([
    ['a short key', `k1:${randomBytes(16).toString('base64')}`, /SLUICE_CODEC_KEYS: keys\.k1: must be 32 bytes/],
    ['a key that is not base64', `k1:${'!'.repeat(43)}=`, /SLUICE_CODEC_KEYS: keys\.k1: must be 32 bytes/],
    ['no id', `${key()}`, /SLUICE_CODEC_KEYS: expected id:base64key/],
    ['an empty list', ' , ', /SLUICE_CODEC_KEYS: no key given/],
    ['a repeated id', `k1:${key()},k1:${key()}`, /SLUICE_CODEC_KEYS: key id k1 appears twice/],
    ['a bad id', `k 1:${key()}`, /SLUICE_CODEC_KEYS: .*must be 1-64 letters/],
  ])('refuses %s with one ConfigError line naming the variable', (_name, value, message) => {
    const attempt = () => loadCodecKeys({ SLUICE_CODEC_KEYS: value }, freshDir(), noFile);
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(message);
    try {
      attempt();
    } catch (error) {
      expect((error as Error).message).not.toContain('\n');
      // A key's bytes never appear in the message.
      expect((error as Error).message).not.toContain(value.split(':')[1]?.slice(0, 20) || '\u0000');
    }
  });

  it('refuses both SLUICE_CODEC_KEYS and SLUICE_CODEC_KEY_FILE at once', () => {
    expect(() => loadCodecKeys({ SLUICE_CODEC_KEYS: `k1:${key()}`, SLUICE_CODEC_KEY_FILE: '/x.json' }, '/', noFile))
      .toThrow(/set SLUICE_CODEC_KEYS or SLUICE_CODEC_KEY_FILE, not both/);
  });
});

describe('codec keys from SLUICE_CODEC_KEY_FILE', () => {
  const write = (content: unknown) => {
    const path = join(freshDir(), 'keys.json');
    writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
    return path;
  };

  it('reads the active key and the retired ones', () => {
    const path = write({ active: 'k2', keys: { k1: key(), k2: key() } });
    const keys = loadCodecKeys({ SLUICE_CODEC_KEY_FILE: path }, freshDir(), noFile);
    expect(keys.activeKeyId).toBe('k2');
    expect([...keys.keys.keys()].sort()).toEqual(['k1', 'k2']);
  });

  it.each([
    ['an active id with no key', { active: 'k3', keys: { k1: key() } }, /active: names no key in `keys`/],
    ['a key of the wrong length', { active: 'k1', keys: { k1: 'AAAA' } }, /keys\.k1: must be 32 bytes/],
    ['text that is not JSON', '{ active: k1', /not valid JSON/],
  ])('refuses %s naming the variable and the file', (_name, content, message) => {
    const path = write(content);
    const attempt = () => loadCodecKeys({ SLUICE_CODEC_KEY_FILE: path }, freshDir(), noFile);
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(`SLUICE_CODEC_KEY_FILE (${path})`);
    expect(attempt).toThrow(message);
  });

  it('names a missing file', () => {
    expect(() => loadCodecKeys({ SLUICE_CODEC_KEY_FILE: '/no/such/keys.json' }, freshDir(), noFile))
      .toThrow(/SLUICE_CODEC_KEY_FILE \(\/no\/such\/keys\.json\): cannot read/);
  });
});

describe('the one-machine key file', () => {
  it('is refused without configured keys when no key file is allowed, and none is made', () => {
    const dataDir = freshDir();
    const attempt = () => loadCodecKeys({}, dataDir, noFile);
    expect(attempt).toThrow(CodecKeysRequiredError);
    expect(attempt).toThrow(/^SLUICE_CODEC_KEYS is not set/);
    expect(existsSync(join(dataDir, 'codec-keys.json'))).toBe(false);
  });

  it('is created once with mode 0600 and read again on the next start', () => {
    const dataDir = freshDir();
    const first = loadCodecKeys({}, dataDir, { allowKeyFile: true });
    const path = join(dataDir, 'codec-keys.json');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const written = readFileSync(path, 'utf8');
    const second = loadCodecKeys({}, dataDir, { allowKeyFile: true });
    expect(readFileSync(path, 'utf8')).toBe(written);
    expect(second.activeKeyId).toBe(first.activeKeyId);
    expect(second.keys.get(second.activeKeyId)!.equals(first.keys.get(first.activeKeyId)!)).toBe(true);
    // Nothing written aside is left behind.
    expect(readdirSync(dataDir)).toEqual(['codec-keys.json']);
  });

  it('gives processes that start together the same key', async () => {
    const dataDir = freshDir();
    const script = `const { loadCodecKeys } = require(${JSON.stringify(join(root, 'client/codec/codec-keys.ts'))});
      process.stdout.write(loadCodecKeys({}, ${JSON.stringify(dataDir)}, { allowKeyFile: true }).activeKeyId);`;
    const runs = Array.from({ length: 4 }, () => new Promise<string>((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', '-e', script], { cwd: root });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.once('error', reject);
      child.once('exit', (code) => (code === 0 ? resolve(output) : reject(new Error(`exit ${code}`))));
    }));
    const ids = await Promise.all(runs);
    expect(new Set(ids).size).toBe(1);
    expect(ids[0]).toMatch(/^local-[0-9a-f]{8}$/);
  }, 60_000);
});

describe('SLUICE_CODEC', () => {
  it('turns the codec off for debugging, and refuses anything but on or off', () => {
    expect(loadPayloadCodec({ SLUICE_CODEC: 'off' }, '/nonexistent', noFile)).toBeUndefined();
    expect(loadPayloadCodec({ SLUICE_CODEC: 'on', SLUICE_CODEC_KEYS: `k1:${key()}` }, '/', noFile)?.activeKeyId)
      .toBe('k1');
    expect(() => loadPayloadCodec({ SLUICE_CODEC: 'false' }, '/', noFile)).toThrow(/SLUICE_CODEC: must be on or off/);
  });
});
