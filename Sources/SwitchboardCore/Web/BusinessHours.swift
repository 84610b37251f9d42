/// The office hours of a Live Chat channel (seed 003: greetings "are triggered based on office
/// hours"): weekly opening ranges in the channel's UTC offset, and holiday dates on which it is
/// closed all day. An empty week means "always within business hours".
public struct BusinessHours: Sendable, Equatable {
    /// One opening range on a weekday: minutes since midnight, `[start, end)`.
    public struct Range: Sendable, Equatable {
        /// 0 = Sunday … 6 = Saturday.
        public var weekday: Int
        public var start: Int
        public var end: Int

        public init(weekday: Int, start: Int, end: Int) {
            self.weekday = weekday
            self.start = start
            self.end = end
        }
    }

    public var ranges: [Range]
    /// `YYYY-MM-DD` dates (in the channel's offset) that are holidays.
    public var holidays: [String]
    /// Minutes east of UTC (e.g. 480 for UTC+8).
    public var utcOffsetMinutes: Int

    public init(ranges: [Range] = [], holidays: [String] = [], utcOffsetMinutes: Int = 0) {
        self.ranges = ranges
        self.holidays = holidays
        self.utcOffsetMinutes = utcOffsetMinutes
    }

    public static let weekdayNames = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]

    /// Whether `time` (Unix seconds) is within business hours: not a holiday, and inside a range
    /// of its weekday (or no ranges are configured at all).
    public func isOpen(at time: Int64) -> Bool {
        let local = time + Int64(utcOffsetMinutes) * 60
        let days = TimeRange.floorDiv(local, 86_400)
        let (year, month, day) = TimeRange.civil(fromDays: days)
        if holidays.contains(Self.dateText(year: year, month: month, day: day)) { return false }
        if ranges.isEmpty { return true }
        let weekday = Int(((days % 7) + 11) % 7)  // 1970-01-01 was a Thursday (4)
        let minute = Int((local - days * 86_400) / 60)
        return ranges.contains { $0.weekday == weekday && $0.start <= minute && minute < $0.end }
    }

    static func dateText(year: Int64, month: Int64, day: Int64) -> String {
        func two(_ n: Int64) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(year)-\(two(month))-\(two(day))"
    }

    /// Reads `{"utc_offset": minutes, "hours": [{"day":"mon","start":"09:00","end":"18:00"}], "holidays": ["2026-12-25"]}`,
    /// naming every bad field in `reader`.
    public static func read(_ reader: inout FieldReader) -> BusinessHours {
        var hours = BusinessHours()
        hours.utcOffsetMinutes = Int(reader.int("utc_offset", range: -14 * 60...14 * 60) ?? 0)
        for (index, item) in (reader.objects("hours") ?? []).enumerated() {
            var item = item
            let field = "hours[\(index)]"
            let day = item.string("day", required: true).flatMap { weekdayNames.firstIndex(of: $0.lowercased()) }
            let start = item.string("start", required: true).flatMap(minutes)
            let end = item.string("end", required: true).flatMap(minutes)
            guard let day, let start, let end, start < end else {
                reader.fail(field, "invalid_value")
                continue
            }
            hours.ranges.append(Range(weekday: day, start: start, end: end))
        }
        for (index, value) in (reader.array("holidays") ?? []).enumerated() {
            guard let text = value.stringValue, ISO8601.parse(text + "T00:00:00Z") != nil, text.count == 10 else {
                reader.fail("holidays[\(index)]", "invalid_format")
                continue
            }
            hours.holidays.append(text)
        }
        return hours
    }

    /// `HH:MM` as minutes since midnight (`24:00` allowed as an end), or nil.
    static func minutes(_ text: String) -> Int? {
        let parts = text.split(separator: ":")
        guard parts.count == 2, let h = Int(parts[0]), let m = Int(parts[1]), (0...24).contains(h), (0..<60).contains(m),
            h * 60 + m <= 1440
        else { return nil }
        return h * 60 + m
    }

    /// The JSON form `read` accepts.
    public var json: JSONValue {
        func hhmm(_ minutes: Int) -> String {
            let h = minutes / 60, m = minutes % 60
            return (h < 10 ? "0" : "") + "\(h):" + (m < 10 ? "0" : "") + "\(m)"
        }
        return [
            "utc_offset": .integer(utcOffsetMinutes),
            "hours": .array(ranges.map { ["day": .string(Self.weekdayNames[$0.weekday]), "start": .string(hhmm($0.start)), "end": .string(hhmm($0.end))] }),
            "holidays": .array(holidays.map(JSONValue.string)),
        ]
    }
}
