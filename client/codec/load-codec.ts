// The one call clients and workers make to get their payload codec: on unless SLUICE_CODEC=off,
// with keys from the environment (see codec-keys.ts). Loaded before connecting, so a bad or
// missing key stops a process with one line instead of leaving workflow tasks that cannot decode.
import type { DataConverter } from '@temporalio/common';
import { ConfigError } from '../../contracts/config';
import { loadCodecKeys } from './codec-keys';
import { EncryptionCodec } from './encryption-codec';

/** SLUICE_CODEC=off stores payloads in clear: for debugging only; every client and worker must agree. */
export const codecSwitchVariable = 'SLUICE_CODEC';

/**
 * The codec from the environment, or undefined when SLUICE_CODEC=off. `allowKeyFile` lets a
 * one-machine process make and use `<dataDir>/codec-keys.json` when no key is configured.
 */
export function loadPayloadCodec(
  environment: Record<string, string | undefined>,
  dataDir: string,
  options: { allowKeyFile: boolean },
): EncryptionCodec | undefined {
  const setting = environment[codecSwitchVariable]?.trim().toLowerCase() ?? '';
  if (setting === 'off') return undefined;
  if (setting !== '' && setting !== 'on') {
    throw new ConfigError(`invalid configuration: ${codecSwitchVariable}: must be on or off`);
  }
  return new EncryptionCodec(loadCodecKeys(environment, dataDir, options));
}

/**
 * The data converter for a Client or Worker: the codec when there is one, else Temporal's default.
 * Failure messages and stack traces move into an encoded payload too: an error can quote its input.
 */
export function codecDataConverter(codec: EncryptionCodec | undefined): DataConverter {
  return codec ? { payloadCodecs: [codec], failureConverterPath: require.resolve('./failure-converter') } : {};
}
