import { createRequire } from 'node:module';
import { pino, type Logger } from 'pino';
import type { Config } from './config.ts';

/**
 * pino-pretty is loaded only for a terminal: a service whose stdout is a pipe or a file never
 * formats a line, and would keep the module and its dependencies for nothing (docs/PERFORMANCE.md,
 * "Memory of the embedded database").
 */
function prettyStream(): NodeJS.WritableStream {
  const pretty = createRequire(import.meta.url)('pino-pretty') as typeof import('pino-pretty');
  return pretty({ colorize: true });
}

/** JSON lines on stdout (pretty only on a terminal), and also into LOG_FILE when set (docs/DESIGN.md, 'Operations defaults'). */
export function createLogger(config: Config): Logger {
  const options = { level: config.logLevel, base: { service: 'recomp' } };
  const stdout = process.stdout.isTTY ? prettyStream() : process.stdout;
  if (config.logFile === null) return pino(options, stdout);
  return pino(
    options,
    pino.multistream([
      { stream: stdout, level: config.logLevel === 'silent' ? 'fatal' : config.logLevel },
      {
        stream: pino.destination({ dest: config.logFile, mkdir: true, sync: false }),
        level: config.logLevel === 'silent' ? 'fatal' : config.logLevel,
      },
    ]),
  );
}
