/**
 * How every process of this package stops (`npm start`, `npm run start:federated` and its
 * subgraphs, `npm run simulators`): SIGTERM or SIGINT starts one drain, and the process exits 0
 * once it is done, 1 when it failed or outlived its deadline.
 *
 * The listeners stay installed for the whole drain: a signal with no listener left would take
 * Node's default action and end the process by that signal (exit 143 for SIGTERM) in the middle of
 * the drain. A repeated signal is common, not a request to hurry: `npm start` forwards the Ctrl-C
 * its own process also gets from the terminal, so the server sees SIGINT twice; and a process
 * manager may repeat SIGTERM. So later signals only log a line; the deadline bounds the drain, and
 * SIGKILL is the way to stop at once.
 *
 * Nothing else in the process may act on these signals by itself: Apollo Server's own handler is
 * off (`stopOnTerminationSignals: false`, server/apollo.ts), Hive Gateway's is taken off
 * (federation/gateway.ts).
 */

const SIGNALS = ['SIGTERM', 'SIGINT'] as const;

export interface ShutdownOptions {
  /**
   * Drains the process (stops accepting, lets in-flight work finish, closes what it opened).
   * May return an exit code other than 0 for an unclean end (e.g. a child process that failed).
   */
  drain: () => Promise<number | void>;
  /** A drain still running after this long ends the process with exit code 1. */
  deadlineMs: number;
  /** Where the one-line notices go (default: stderr; stdout may be a JSON log). */
  notice?: (line: string) => void;
}

/**
 * Installs the SIGTERM and SIGINT listeners now and returns the same trigger for other reasons to
 * stop (a parent process gone, a child that died): `shutdown(reason, exitCode)` runs the drain once
 * and exits with `exitCode` (0 by default), or with the drain's own code when that is not 0.
 */
export function exitOnTermination(opts: ShutdownOptions): (reason: string, exitCode?: number) => void {
  const notice = opts.notice ?? ((line: string) => process.stderr.write(`${line}\n`));
  let stopping = false;
  const shutdown = (reason: string, exitCode = 0) => {
    if (stopping) {
      notice(`${reason}: already shutting down (the drain ends within ${opts.deadlineMs / 1000} s; SIGKILL stops at once)`);
      return;
    }
    stopping = true;
    notice(`${reason}: shutting down`);
    setTimeout(() => {
      notice(`the drain did not end within ${opts.deadlineMs / 1000} s: exiting with code 1`);
      process.exit(1);
    }, opts.deadlineMs).unref();
    opts.drain().then(
      (code) => process.exit(code || exitCode),
      (err: unknown) => {
        notice(`the drain failed: ${err instanceof Error ? err.name : typeof err}`);
        process.exit(1);
      },
    );
  };
  for (const signal of SIGNALS) process.on(signal, () => shutdown(signal));
  return shutdown;
}
