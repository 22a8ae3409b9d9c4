import { pino, type Logger } from 'pino';
import pretty from 'pino-pretty';
import type { Config } from './config.ts';

/** JSON lines on stdout (pretty only on a terminal), and also into LOG_FILE when set (docs/DESIGN.md, 'Operations defaults'). */
export function createLogger(config: Config): Logger {
  const options = { level: config.logLevel, base: { service: 'recomp' } };
  const stdout = process.stdout.isTTY ? pretty({ colorize: true }) : process.stdout;
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
