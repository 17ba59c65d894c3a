/**
 * The Lanyard topology (DESIGN §1) in the official Config.json format: `station-events` with subscription `hq`,
 * `station-feed` with one subscription per station. Used by tests, benchmarks and the demo; `lanyard.config.json`
 * is the same for three stations, for people running the emulator by hand.
 */
export function lanyardTopology(stations: string[], opts: { lockDuration?: string; maxDeliveryCount?: number } = {}) {
  const sub = (name: string) => ({
    Name: name,
    Properties: { LockDuration: opts.lockDuration ?? 'PT30S', MaxDeliveryCount: opts.maxDeliveryCount ?? 10, DeadLetteringOnMessageExpiration: true },
  });
  const topicProps = { RequiresDuplicateDetection: true, DuplicateDetectionHistoryTimeWindow: 'P7D', DefaultMessageTimeToLive: 'P14D' };
  return {
    UserConfig: {
      Namespaces: [
        {
          Name: 'lanyard',
          Topics: [
            { Name: 'station-events', Properties: topicProps, Subscriptions: [sub('hq')] },
            { Name: 'station-feed', Properties: topicProps, Subscriptions: stations.map((s) => sub(`station-${s}`)) },
          ],
        },
      ],
    },
  };
}
