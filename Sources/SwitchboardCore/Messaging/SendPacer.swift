/// Paces a channel's sends at exactly `rate` messages per second by handing out evenly spaced
/// send slots: slot = max(now, next free slot); the next free slot moves on by 1/rate.
///
/// Even spacing means no one-second window ever holds more than `rate` sends, and a backlog drains
/// at exactly `rate`. The "next free slot" is the only state; the dispatcher keeps it in the
/// database so several nodes share one pace.
public enum SendPacer {
    /// Microseconds between two sends at `rate` messages per second (rate ≥ 1).
    public static func interval(rate: Int) -> Int64 {
        1_000_000 / Int64(max(rate, 1))
    }

    /// Reserves the next slot: returns (the slot, the new next free slot), all in microseconds.
    public static func reserve(nextFree: Int64, now: Int64, rate: Int) -> (slot: Int64, nextFree: Int64) {
        let slot = max(nextFree, now)
        return (slot, slot + interval(rate: rate))
    }
}
