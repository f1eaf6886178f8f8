/**
 * Exactly-once effects on the reference pipeline, with the real bundles through the public API
 * (startLocalEnvironment: the embedded SQS server and the embedded DynamoDB server with the
 * idempotency table), in memory and with a data directory, under 20 % injected failures and
 * kills of execution environments (mid-batch in every consumer, and one idle).
 *
 * Where duplicates come from: failure injection fails records before the handler sees them, so it
 * only delays them (and, with a kill counted as a receive, sends some to the DLQ). The mid-batch
 * kills make them: inventory- and shipping-service are killed right after logging "handled <event>"
 * for a record (its logic ran and is stored as COMPLETED) while the rest of its batch still runs, so
 * the whole batch counts as crashed and SQS delivers it again after the visibility timeout;
 * idempotency must answer that record from the table (and publish the same stored event) instead
 * of running the logic again. notification-service is killed mid-batch before any of its effects
 * (see `onLogEntry` for why); its in-progress locks must expire before the redelivery runs them.
 * A killed environment also loses the log lines it had not flushed, so "ran" is read from every
 * trace a run leaves (see order-outcomes.ts), while "ran twice" needs two "handled" lines.
 *
 * Checked by hand, not a switch of this test: with idempotency off (POWERTOOLS_IDEMPOTENCY_DISABLED
 * in the functions' environment) the same run fails, e.g. "inventory-service applied its effect 2
 * times" in both storage modes.
 *
 * Counted per order per service, from the functions' own log lines ("handled …", "notification
 * sent") and the events each service published downstream: every service's logic ran at most once
 * per order, each published one distinct event per order, and every order is processed (its
 * notification sent exactly once), dead-lettered or still queued — each SQS message in exactly one
 * of processed / dead-lettered / queued. No process outlives a run (process table before/after).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { environments } from '../../stacks/environments';
import { topology } from '../../stacks/topology';
import { sendDemoOrders } from '../../demo/traffic';
import { sleep } from '../../local/sleep';
import { peekMessages, startLocalEnvironment, type InvocationReport, type LocalEnvironment, type LocalEnvironmentEvent } from '../../local';
import { isSettled, readProgress } from '../../local/progress';
import { accountOrders, effectLine, HOPS, messageAccountingProblems, parseLogLine, queueMessages, type LogEntry, type QueueMessages } from './order-outcomes';
import { descendants, startedSince, waitFor, waitForExit } from './support';

const ORDERS = 24;
const FAILURE_RATE = 0.2;
/** How long after the orders were accepted the pipeline gets to settle; then the consumers are stopped and the rest counted as still queued. */
const SETTLE_MS = 22_000;
/** Kills per service until one lands mid-batch (one can hit environments that are idle or still starting). */
const KILL_ATTEMPTS = 8;
const PREFIX = 'development';

/**
 * How long processes stay frozen (SIGSTOP) before the kill is decided: long enough for an answer
 * already sent to arrive (a service's own environments), or for a batch to be received and reach
 * its first idempotency call (the DynamoDB server, for notification-service; a cold start
 * included). Well below the functions' 1 s timeout (`fast`).
 */
const FREEZE_MS = { environments: 50, table: 500 } as const;

describe.each([
  ['in memory', false],
  ['with a data directory', true],
])('exactly-once effects %s: 20 %% injected failures and killed execution environments', (_mode, persisted) => {
  let local: LocalEnvironment | undefined;
  let dataDir: string | undefined;

  afterAll(async () => {
    await local?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  test(`${ORDERS} orders: each service's effect once per order, every order processed once / dead-lettered / still queued`, async () => {
    const before = new Set(descendants(process.pid));
    dataDir = persisted ? mkdtempSync(path.join(os.tmpdir(), 'exactly-once-')) : undefined;
    const reports: InvocationReport[] = [];
    const logs: LogEntry[] = [];
    const events: LocalEnvironmentEvent[] = [];
    // Per service: kills made, and whether one landed mid-batch (an environment died running a batch).
    const kills = new Map(HOPS.map((hop) => [`${PREFIX}-${hop.service}`, { attempts: 0, midBatch: false }]));
    const NOTIFICATION = `${PREFIX}-notification-service`;
    const consumerOf = (functionName: string) => local!.pipeline.consumers.find((consumer) => consumer.fn.functionName === functionName)!;
    let notificationKilledAt = 0;
    /** Notifications sent by a live environment whose COMPLETED record is not written yet (no "handled" line). */
    const unfinishedNotifications = () => {
      const recent = logs.slice(notificationKilledAt).filter((entry) => entry.functionName === NOTIFICATION);
      const handled = new Set(recent.filter((entry) => entry.message === 'handled ShipmentScheduled').map((entry) => entry.messageId));
      return recent.filter((entry) => entry.message === 'notification sent' && !handled.has(entry.messageId));
    };
    let killing = false;
    /**
     * Freezes `frozen` (SIGSTOP), waits, and if `inBatch()` still holds kills every execution
     * environment of the service; then thaws what is left. One kill at a time, until one of the
     * service's environments died mid-batch (the supervisor's report says so).
     */
    const killWhileFrozen = async (functionName: string, frozen: readonly number[], freezeMs: number, inBatch: () => boolean): Promise<void> => {
      const kill = kills.get(functionName)!;
      if (killing || kill.midBatch || kill.attempts >= KILL_ATTEMPTS) return;
      killing = true;
      const signal = (pids: readonly number[], name: NodeJS.Signals) => {
        for (const pid of pids) {
          try {
            process.kill(pid, name);
          } catch {
            // exited meanwhile
          }
        }
      };
      signal(frozen, 'SIGSTOP');
      let killed = false;
      try {
        await sleep(freezeMs);
        const { mapping } = consumerOf(functionName);
        if (!inBatch() || mapping.pids.length === 0) return;
        // A notification sent but not yet stored as COMPLETED would be sent again after the kill (below).
        if (functionName === NOTIFICATION) {
          if (unfinishedNotifications().length > 0) return;
          notificationKilledAt = logs.length;
        }
        kill.attempts += 1;
        signal(mapping.pids, 'SIGKILL');
        killed = true;
      } finally {
        signal(frozen, 'SIGCONT');
        // Let the deaths be reported before the next kill.
        if (killed) await sleep(200);
        killing = false;
      }
    };
    /*
     * When to kill. inventory- and shipping-service: right after one of their environments logged
     * "handled <event>" (that record's logic ran and is stored as COMPLETED), all of them frozen at
     * once, and killed if that record's batch has not answered: the redelivery must replay the
     * record from the table. Their logic has no side effect of its own (they publish the stored
     * event after the batch), so where the kill lands in the rest of the batch does not matter.
     *
     * notification-service's effect happens inside the idempotent operation, before COMPLETED is
     * stored: a kill between the two sends the notification again on the redelivery — in AWS too,
     * the window Powertools Idempotency cannot close (an idempotency key at the e-mail provider
     * would). Its records run in parallel, so while one record is done the others are in that
     * window. It is killed instead as a batch arrives: when shipping-service has just published,
     * the DynamoDB server is frozen first, so the batch that receives those events is held at its
     * first idempotency call, before any effect (and the kill is skipped if any notification is
     * unfinished). Its in-progress locks then expire before the redelivery runs the records.
     * Duplicates reach it as the same events re-published by shipping-service's replays.
     */
    const onLogEntry = (entry: LogEntry) => {
      const hop = HOPS.find((candidate) => `${PREFIX}-${candidate.service}` === entry.functionName);
      if (hop?.publishesTo && entry.message === effectLine(hop)) {
        const reportsBefore = reports.length;
        const answered = () => reports.slice(reportsBefore).some((report) => report.records.some((record) => record.messageId === entry.messageId));
        void killWhileFrozen(entry.functionName, consumerOf(entry.functionName).mapping.pids, FREEZE_MS.environments, () => !answered());
      }
      if (hop?.publishesTo === 'notification' && entry.message === 'batch processed') {
        const { mapping } = consumerOf(NOTIFICATION);
        void killWhileFrozen(NOTIFICATION, [local!.pids().dynamoDb!], FREEZE_MS.table, () => mapping.stats().inFlight > 0);
      }
    };

    local = await startLocalEnvironment({
      topology,
      environments,
      fast: true,
      failureRate: FAILURE_RATE,
      waitTimeSeconds: 1,
      ...(dataDir ? { dataDir } : {}),
      onInvocation: (report) => reports.push(report),
      onLogLine: (functionName, line) => {
        const entry = parseLogLine(functionName, line);
        if (!entry) return;
        logs.push(entry);
        onLogEntry(entry);
      },
      onEvent: (event) => {
        events.push(event);
        const kill = event.kind === 'environment-died' ? kills.get(event.exit.functionName) : undefined;
        if (kill && event.kind === 'environment-died' && event.exit.during === 'invocation') kill.midBatch = true;
      },
    });
    expect(local.dynamoDbEndpoint).toBeDefined();

    const results = await sendDemoOrders(local.functionUrls['order-service']!, { count: ORDERS, ratePerSecond: 0, runId: `once-${persisted ? 'disk' : 'memory'}` });
    expect(results.map((result) => result.status)).toEqual(results.map(() => 202));
    const acceptedAt = Date.now();

    await waitFor('a mid-batch kill in every consumer', () => [...kills.values()].every((kill) => kill.midBatch), 20_000).catch((error: Error) => {
      throw new Error(`${error.message}; kills: ${JSON.stringify(Object.fromEntries(kills))}; deaths: ${events.map((event) => event.message.replace(/;.*/, '')).join(' | ')}`);
    });
    const orderIds = results.map((result) => result.orderId);
    // One more kill, of an environment that is waiting for work (no batch of its mapping in flight).
    let idleKilled: number | undefined;
    await waitFor('an idle execution environment to kill', () => {
      const idle = local!.pipeline.consumers.find((consumer) => consumer.mapping.stats().inFlight === 0 && consumer.mapping.pids.length > 0);
      if (!idle) return false;
      idleKilled = idle.mapping.pids[0]!;
      process.kill(idleKilled, 'SIGKILL');
      return true;
    }, 15_000);
    await waitFor('the idle kill reported', () => events.some((event) => event.kind === 'environment-died' && event.exit.pid === idleKilled), 5_000);

    // Settled = nothing left to process in any queue; a run slower than SETTLE_MS after the orders
    // were accepted is counted as it stands (the rest "still queued"), so the test stays bounded.
    const settled = async () => isSettled(await readProgress(local!.pipeline)) && local!.pipeline.consumers.every((consumer) => consumer.mapping.stats().inFlight === 0);
    const wasSettled = await waitFor('the pipeline settled', settled, Math.max(0, acceptedAt + SETTLE_MS - Date.now())).then(
      () => true,
      () => false,
    );
    await Promise.all(local.pipeline.consumers.map((consumer) => consumer.mapping.stop(5_000)));
    // A message received and failed before the stop is invisible until its visibility timeout; the
    // server returns it to the queue at the next receive after that (the peeks below).
    if (!wasSettled) await sleep(Math.max(...local.spec.queues.map((queue) => queue.visibilityTimeoutSeconds)) * 1000 + 200);

    const messagesByQueue = new Map<string, QueueMessages>();
    for (const hop of HOPS) {
      const queue = local.queues[hop.queue]!;
      // The source queue first: a receive there moves a message past maxReceiveCount to the DLQ.
      const queued = await peekMessages(local.client, queue.queueUrl);
      const deadLettered = await peekMessages(local.client, queue.deadLetterQueueUrl);
      messagesByQueue.set(hop.queue, queueMessages(reports, `${PREFIX}-${hop.service}`, queued, deadLettered));
    }

    // Each SQS message exactly once: processed, dead-lettered or still queued.
    expect(HOPS.flatMap((hop) => messageAccountingProblems(hop.queue, messagesByQueue.get(hop.queue)!))).toEqual([]);
    // order-service published one OrderCreated per order (it is not killed here).
    expect(messagesByQueue.get('order')!.bodies.size).toBe(ORDERS);

    const accounts = accountOrders(orderIds, messagesByQueue, logs, PREFIX);
    const problems: string[] = [];
    for (const account of accounts) {
      const where = `${account.orderId} (${account.outcome}${account.stoppedAt ? ` at ${account.stoppedAt}` : ''})`;
      if (account.outcome === 'lost') problems.push(`${where}: no message of it is processed, dead-lettered or queued`);
      // notification-service is only killed with every notification's lines read (see onLogEntry), so none is lost.
      if (account.notificationsSent > 1 || (account.outcome === 'processed' && account.notificationsSent !== 1)) problems.push(`${where}: ${account.notificationsSent} notifications sent`);
      for (const [service, counts] of Object.entries(account.services)) {
        // The logic ran at most once; once exactly when any copy of its input was processed, or the order reached the end.
        if (counts.effects > 1) problems.push(`${where}: ${service} applied its effect ${counts.effects} times`);
        if ((counts.processedCopies > 0 || account.outcome === 'processed') && !counts.ran) problems.push(`${where}: ${service} processed it without running its logic`);
        // Duplicates downstream are copies of the one stored event, never a second, different event.
        if (counts.distinctPublished > 1) problems.push(`${where}: ${service} published ${counts.distinctPublished} different events`);
      }
    }
    expect(problems).toEqual([]);
    const byOutcome = (outcome: string) => accounts.filter((account) => account.outcome === outcome).length;
    expect(byOutcome('processed') + byOutcome('dead-lettered') + byOutcome('still queued')).toBe(ORDERS);
    // With 20 % failures and maxReceiveCount 3–5, nearly every order gets through.
    expect(byOutcome('processed')).toBeGreaterThan(ORDERS / 2);

    // The kills did what they are for: a crash mid-batch in every consumer, one idle death, and the
    // redeliveries they caused absorbed by idempotency.
    for (const hop of HOPS) {
      expect(events.filter((event) => event.kind === 'environment-died' && event.exit.functionName === `${PREFIX}-${hop.service}`).map((event) => event.kind === 'environment-died' && event.exit.during)).toContain('invocation');
    }
    expect(events.find((event) => event.kind === 'environment-died' && event.exit.pid === idleKilled)).toMatchObject({ exit: { during: 'idle', signal: 'SIGKILL' } });
    const replays = accounts.reduce((sum, account) => sum + Object.values(account.services).reduce((inner, counts) => inner + counts.replays, 0), 0);
    expect(replays).toBeGreaterThan(0);
    expect(reports.some((report) => report.injected.length > 0)).toBe(true);

    // Nothing outlives the run.
    const started = startedSince(before);
    await local.stop();
    local = undefined;
    await waitForExit(started);
    expect(startedSince(before)).toEqual([]);
  }, 80_000);
});
