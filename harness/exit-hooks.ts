export interface Cleanup {
  /** Graceful stop, awaited when a signal arrives. */
  stop(): Promise<void>;
  /** Last resort inside process 'exit', where nothing asynchronous runs: kill and delete at once. */
  stopNow(): void;
}

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
type Signal = (typeof SIGNALS)[number];
const cleanups = new Set<Cleanup>();
let installed = false;

/** Registers a cleanup that runs on process exit and on SIGINT/SIGTERM/SIGHUP; returns its removal. */
export function registerCleanup(cleanup: Cleanup): () => void {
  install();
  cleanups.add(cleanup);
  return () => {
    cleanups.delete(cleanup);
  };
}

function install(): void {
  if (installed) return;
  installed = true;
  process.on('exit', stopAllNow);
  for (const signal of SIGNALS) process.on(signal, onSignal);
}

function uninstall(): void {
  installed = false;
  for (const signal of SIGNALS) process.off(signal, onSignal);
}

function stopAllNow(): void {
  for (const cleanup of cleanups) {
    try {
      cleanup.stopNow();
    } catch {
      // Exiting anyway: the watchdog is the fallback for anything that survives.
    }
  }
  cleanups.clear();
}

function onSignal(signal: Signal): void {
  uninstall();
  // A second signal while stopping forces it: kill everything now, then die from that signal.
  const force = (again: Signal): void => {
    stopAllNow();
    reraise(again, force);
  };
  for (const s of SIGNALS) process.once(s, force);
  void Promise.allSettled([...cleanups].map((cleanup) => cleanup.stop())).then(() => {
    cleanups.clear();
    reraise(signal, force);
  });
}

// Other listeners (a test runner, the lead's main.ts) already saw this signal and own the exit; with none left,
// Node's default action ends the process with the conventional 128+n code.
function reraise(signal: Signal, force: (s: Signal) => void): void {
  for (const s of SIGNALS) process.off(s, force);
  if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
}
