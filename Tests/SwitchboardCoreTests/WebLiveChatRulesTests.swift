import SwitchboardCore
import Testing

@Suite("Web: live chat rules")
struct WebLiveChatRulesTests {
    // 2026-11-23 is a Monday. 09:30 UTC = 1_763_890_200 + …; computed from the ISO reader.
    static func at(_ iso: String) -> Int64 { ISO8601.parse(iso)! }

    static let weekdays = BusinessHours(
        ranges: (1...5).map { BusinessHours.Range(weekday: $0, start: 9 * 60, end: 18 * 60) }, holidays: ["2026-12-25"])

    @Test func businessHoursFollowWeekdaysRangesAndHolidays() {
        let hours = Self.weekdays
        #expect(hours.isOpen(at: Self.at("2026-11-23T09:00:00Z")))  // Monday, opening minute
        #expect(!hours.isOpen(at: Self.at("2026-11-23T08:59:59Z")))
        #expect(!hours.isOpen(at: Self.at("2026-11-23T18:00:00Z")))  // end is exclusive
        #expect(!hours.isOpen(at: Self.at("2026-11-22T12:00:00Z")))  // Sunday
        #expect(!hours.isOpen(at: Self.at("2026-12-25T12:00:00Z")))  // a Friday, but a holiday
        #expect(BusinessHours().isOpen(at: Self.at("2026-11-22T03:00:00Z")))  // nothing configured: always open
    }

    @Test func businessHoursUseTheChannelsOffset() {
        var hours = Self.weekdays
        hours.utcOffsetMinutes = 8 * 60
        #expect(hours.isOpen(at: Self.at("2026-11-23T01:00:00Z")))  // 09:00 Monday in UTC+8
        #expect(!hours.isOpen(at: Self.at("2026-11-23T12:00:00Z")))  // 20:00 in UTC+8
        #expect(!hours.isOpen(at: Self.at("2026-12-24T20:00:00Z")))  // already Christmas in UTC+8
    }

    @Test func businessHoursReadNamesEveryBadField() {
        var reader = FieldReader([
            "utc_offset": 60, "hours": [["day": "mon", "start": "09:00", "end": "17:30"], ["day": "xyz", "start": "09:00", "end": "10:00"],
                                        ["day": "tue", "start": "18:00", "end": "09:00"]],
            "holidays": ["2026-01-01", "01/02/2026"],
        ])
        let hours = BusinessHours.read(&reader)
        #expect(reader.issues.map(\.field) == ["hours[1]", "hours[2]", "holidays[1]"])
        #expect(hours.ranges == [BusinessHours.Range(weekday: 1, start: 540, end: 1050)])
        #expect(hours.json["hours"]?.arrayValue?.first?["end"] == "17:30")
    }

    @Test func greetingIsOnlineOnlyWithinHoursAndWithAnAvailableDestination() {
        #expect(LiveChatGreeting.choose(withinBusinessHours: true, destination: .queue, agentSignedIn: false, presence: nil) == .online)
        #expect(LiveChatGreeting.choose(withinBusinessHours: false, destination: .queue, agentSignedIn: true, presence: .available) == .offline)
        #expect(LiveChatGreeting.choose(withinBusinessHours: true, destination: .extension, agentSignedIn: true, presence: .available) == .online)
        #expect(LiveChatGreeting.choose(withinBusinessHours: true, destination: .extension, agentSignedIn: false, presence: .available) == .offline)
        for presence in PresenceStatus.allCases where presence != .available {
            #expect(LiveChatGreeting.choose(withinBusinessHours: true, destination: .extension, agentSignedIn: true, presence: presence) == .offline)
        }
        #expect(PresenceStatus.allCases.map(\.label) == ["Available", "Away", "Business Trip", "Do Not Disturb", "Lunch Break", "Off Work"])
    }

    @Test func originMatchesTheWebsiteDomain() {
        #expect(WebsiteOrigin.allows(origin: "https://example.com", websiteDomain: "example.com"))
        #expect(WebsiteOrigin.allows(origin: "https://shop.Example.com", websiteDomain: "EXAMPLE.com"))
        #expect(WebsiteOrigin.allows(origin: "http://127.0.0.1:8123", websiteDomain: "127.0.0.1"))
        #expect(!WebsiteOrigin.allows(origin: "http://localhost:8123", websiteDomain: "127.0.0.1"))
        #expect(!WebsiteOrigin.allows(origin: "https://badexample.com", websiteDomain: "example.com"))
        #expect(!WebsiteOrigin.allows(origin: "https://example.com.evil.net", websiteDomain: "example.com"))
        #expect(WebsiteOrigin.allows(origin: "https://example.com", websiteDomain: "https://example.com/"))
        #expect(!WebsiteOrigin.allows(origin: "http://example.com", websiteDomain: "https://example.com"))
        #expect(WebsiteOrigin.allows(origin: "https://example.com:443", websiteDomain: "https://example.com"))
        #expect(!WebsiteOrigin.allows(origin: "https://example.com:8443", websiteDomain: "example.com:8080"))
        #expect(!WebsiteOrigin.allows(origin: nil, websiteDomain: "example.com"))
        #expect(!WebsiteOrigin.allows(origin: "null", websiteDomain: "example.com"))
    }

    @Test func sessionLimitAndImageRules() {
        #expect(LiveChatLimits.admitsNewSession(active: 19))
        #expect(!LiveChatLimits.admitsNewSession(active: 20))
        #expect(LiveChatLimits.acceptsImage(fileName: "a.JPEG", size: 1000, messageType: 2))
        #expect(LiveChatLimits.acceptsImage(fileName: "a.png", size: 10 << 20, messageType: 2))
        #expect(!LiveChatLimits.acceptsImage(fileName: "a.png", size: (10 << 20) + 1, messageType: 2))
        #expect(!LiveChatLimits.acceptsImage(fileName: "a.gif", size: 10, messageType: 2))
        #expect(!LiveChatLimits.acceptsImage(fileName: "a.png", size: 10, messageType: 1))
        #expect(!LiveChatLimits.acceptsImage(fileName: "png", size: 10, messageType: 2))
    }
}
