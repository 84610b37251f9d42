import Testing

/// Every browser suite, nested here so that the whole lot runs one test at a time: each test
/// launches real browsers (Chromium, Firefox), and several of them at once next to the rest of the
/// suite on two cores starve the other tests into timeouts.
@Suite("Browser", .serialized)
enum BrowserSuites {}
