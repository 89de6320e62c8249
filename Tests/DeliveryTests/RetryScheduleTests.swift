import Foundation
import Testing

@testable import Delivery

@Suite struct RetryScheduleTests {
    let start = Date(timeIntervalSince1970: 1_700_000_000)

    @Test func followsTheScheduleWithoutJitterAtTheMiddle() {
        let schedule = RetrySchedule(unitRandom: { 0.5 })
        let expected: [Double] = [5, 300, 1800, 7200, 18000, 36000, 50400, 72000, 86400]
        for (index, seconds) in expected.enumerated() {
            let next = schedule.nextAttempt(afterAttempt: index + 1, at: start)
            #expect(next.map { $0.timeIntervalSince(start) } == seconds)
        }
        #expect(schedule.maximumAttempts == 10)
    }

    @Test func givesUpAfterTheLastDelay() {
        let schedule = RetrySchedule()
        #expect(schedule.nextAttempt(afterAttempt: 10, at: start) == nil)
        #expect(schedule.nextAttempt(afterAttempt: 11, at: start) == nil)
        #expect(schedule.nextAttempt(afterAttempt: 0, at: start) == nil)
    }

    @Test func jitterStaysWithinTenPercent() {
        let low = RetrySchedule(unitRandom: { 0 })
        let high = RetrySchedule(unitRandom: { 0.999_999 })
        #expect(abs(low.delay(afterAttempt: 2)! - 270) < 1e-9)
        #expect(high.delay(afterAttempt: 2)! < 330 && high.delay(afterAttempt: 2)! > 329.99)
        let random = RetrySchedule()
        for attempt in 1...9 {
            let base = RetrySchedule.standardDelaysSeconds[attempt - 1]
            for _ in 0..<200 {
                let delay = random.delay(afterAttempt: attempt)!
                #expect(delay >= base * 0.9 && delay <= base * 1.1)
            }
        }
    }

    @Test func scaleSpeedsTheClock() {
        let schedule = RetrySchedule(scale: 0.001, unitRandom: { 0.5 })
        #expect(abs(schedule.delay(afterAttempt: 1)! - 0.005) < 1e-12)
        #expect(abs(schedule.delay(afterAttempt: 9)! - 86.4) < 1e-9)
    }
}
