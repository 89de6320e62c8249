import Foundation
import GatewayCore
import Policy
import Testing

@Suite struct RequestRateLimiterTests {
    let quotas = Quotas(
        requestsPerMinute: .limited(3), requestsPerDay: .limited(5), longestEphemerisSpanSeconds: .unlimited,
        mostObjectsPerBulkCall: .unlimited)

    @Test func admitsUpToTheMinuteLimitThenSaysWhenToRetry() {
        let limiter = RequestRateLimiter()
        let start = Date(timeIntervalSince1970: 1_800_000_010)  // 10 s into a UTC minute
        for _ in 0..<3 { #expect(limiter.admit(userName: "a", quotas: quotas, at: start) == nil) }
        let refusal = limiter.admit(userName: "a", quotas: quotas, at: start)
        #expect(refusal == RateLimitRefusal(window: .minute, limit: 3, retryAfterSeconds: 50))
        // Another user has their own count; the next minute starts afresh.
        #expect(limiter.admit(userName: "b", quotas: quotas, at: start) == nil)
        #expect(limiter.admit(userName: "a", quotas: quotas, at: start + 50) == nil)
    }

    @Test func theDailyLimitHoldsAcrossMinutes() {
        let limiter = RequestRateLimiter()
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        for minute in 0..<5 {
            #expect(limiter.admit(userName: "a", quotas: quotas, at: start + Double(minute) * 60) == nil)
        }
        let refusal = limiter.admit(userName: "a", quotas: quotas, at: start + 600)
        #expect(refusal?.window == .day)
        #expect(refusal.map { $0.retryAfterSeconds > 0 && $0.retryAfterSeconds <= 86_400 } == true)
    }

    @Test func unlimitedQuotasNeverRefuse() {
        let limiter = RequestRateLimiter()
        for _ in 0..<1000 { #expect(limiter.admit(userName: "a", quotas: .unlimited, at: Date()) == nil) }
    }
}
