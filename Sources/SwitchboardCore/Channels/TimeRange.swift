/// The statistics window of `message_channel/list|search` (`time_range`). Days are UTC days.
public enum TimeRange: String, Sendable, CaseIterable {
    case today, yesterday, last_7_days, last_30_days, this_month, all

    /// The half-open window `[start, end)` in Unix seconds for `now`; nil bounds are open.
    /// `last_7_days` and `last_30_days` include today.
    public func window(now: Int64) -> (start: Int64?, end: Int64?) {
        let day: Int64 = 86_400
        let today = Self.floorDiv(now, day) * day
        switch self {
        case .today: return (today, today + day)
        case .yesterday: return (today - day, today)
        case .last_7_days: return (today - 6 * day, today + day)
        case .last_30_days: return (today - 29 * day, today + day)
        case .this_month:
            let (year, month, _) = Self.civil(fromDays: Self.floorDiv(now, day))
            let first = Self.days(year: year, month: month, day: 1) * day
            let next = month == 12 ? Self.days(year: year + 1, month: 1, day: 1) : Self.days(year: year, month: month + 1, day: 1)
            return (first, next * day)
        case .all: return (nil, nil)
        }
    }

    static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        a >= 0 ? a / b : -((-a + b - 1) / b)
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
    static func days(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = floorDiv(y, 400)
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The date of a day count since 1970-01-01.
    static func civil(fromDays z0: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = z0 + 719_468
        let era = floorDiv(z, 146_097)
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
