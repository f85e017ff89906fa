import type { DestinationStream } from 'pino';

export interface LogLine {
  level: number;
  msg?: string;
  [field: string]: unknown;
}

/** The app's JSON log lines, parsed, for `createTestApp({ logDestination })`. */
export function captureLogs(): { lines: LogLine[]; destination: DestinationStream } {
  const lines: LogLine[] = [];
  return { lines, destination: { write: (chunk: string) => void lines.push(JSON.parse(chunk) as LogLine) } };
}
