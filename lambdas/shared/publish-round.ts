/**
 * One batched publish shared by operations that run concurrently and each decide on their own
 * whether they take part. Used where every message must be published inside its own idempotent
 * operation (so the operation is remembered as done only once SQS accepted its message) and the
 * messages must still go out in as few SendMessageBatch requests as the limits allow.
 *
 * Each of the `participants` either joins (its message goes into the round; it waits for its own
 * result) or leaves (it publishes nothing, e.g. its result was replayed from the idempotency
 * table). When the last one has done either, the joined messages are published in one
 * `publisher.publish` call, in the order they joined.
 */
import type { PublishMessage, PublishResult } from './publish-types';
import type { SqsPublisher } from './publisher';

export class PublishRound {
  private readonly joined: { message: PublishMessage; settle: (result: PublishResult | Error) => void }[] = [];
  private waiting: number;
  private published = false;

  /**
   * @param participants how many will join or leave (≥ 0); with 0 nothing is published
   */
  constructor(
    private readonly publisher: Pick<SqsPublisher, 'publish'>,
    private readonly queueUrl: string,
    participants: number,
  ) {
    this.waiting = participants;
  }

  /** Adds `message` to the round; resolves with its result once the round is published. */
  join(message: PublishMessage): Promise<PublishResult> {
    this.checkOpen('join');
    const result = new Promise<PublishResult>((resolve, reject) => {
      this.joined.push({ message, settle: (outcome) => (outcome instanceof Error ? reject(outcome) : resolve(outcome)) });
    });
    this.arrived();
    return result;
  }

  /** Takes part without a message. */
  leave(): void {
    this.checkOpen('leave');
    this.arrived();
  }

  private checkOpen(action: string): void {
    if (this.published || this.waiting <= 0) throw new Error(`PublishRound: ${action} after every participant has joined or left`);
  }

  private arrived(): void {
    this.waiting -= 1;
    if (this.waiting === 0) void this.publish();
  }

  private async publish(): Promise<void> {
    this.published = true;
    if (this.joined.length === 0) return;
    try {
      const results = await this.publisher.publish(
        this.queueUrl,
        this.joined.map((entry) => entry.message),
      );
      this.joined.forEach((entry, index) => entry.settle(results[index]!));
    } catch (error) {
      for (const entry of this.joined) entry.settle(error as Error);
    }
  }
}
