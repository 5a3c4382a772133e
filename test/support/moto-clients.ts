import { createAwsClients, type AwsClients } from '../../src/core/aws/client-factory.js';
import type { IoHost } from '../../src/core/io-host.js';
import { RecordingIoHost } from './recording-io-host.js';

/** The core's own client factory, pointed at a moto server with moto's test credentials. */
export function motoClients(endpoint: string, io: IoHost = new RecordingIoHost()): Promise<AwsClients> {
  return createAwsClients(
    { endpointUrl: endpoint, region: 'us-east-1', credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } },
    io,
  );
}

/**
 * Config for a plain SDK client against moto, for tests that seed state or read it back independently of
 * aws-bootstrap's own factory. One attempt: a missing emulator operation fails at once.
 */
export function plainClientConfig(endpoint: string) {
  return {
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    maxAttempts: 1,
  };
}
