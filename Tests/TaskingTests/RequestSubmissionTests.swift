import Foundation
import GatewayCore
import Policy
import Testing

@testable import Tasking

/// An OMM of an object the demo catalogue does not hold (NORAD 99901), as a requester would send it inline.
let inlineOMM = """
    CCSDS_OMM_VERS = 2.0
    CREATION_DATE = 2027-01-10T00:00:00
    ORIGINATOR = PARTNER
    OBJECT_NAME = NEW OBJECT
    OBJECT_ID = 2027-001A
    CENTER_NAME = EARTH
    REF_FRAME = TEME
    TIME_SYSTEM = UTC
    MEAN_ELEMENT_THEORY = SGP4
    EPOCH = 2027-01-10T00:00:00
    MEAN_MOTION = 15.5
    ECCENTRICITY = 0.001
    INCLINATION = 51.6
    RA_OF_ASC_NODE = 10
    ARG_OF_PERICENTER = 20
    MEAN_ANOMALY = 30
    EPHEMERIS_TYPE = 0
    CLASSIFICATION_TYPE = U
    NORAD_CAT_ID = 99901
    ELEMENT_SET_NO = 1
    REV_AT_EPOCH = 1
    BSTAR = 0.0001
    MEAN_MOTION_DOT = 0
    MEAN_MOTION_DDOT = 0

    """

@Suite struct RequestSubmissionTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    func body(_ json: [String: Any]) -> [UInt8] {
        Array(try! JSONSerialization.data(withJSONObject: json))
    }

    var valid: [String: Any] {
        [
            "target": ["norad_id": 90500], "window": ["start": "2027-01-15T10:00:00Z", "stop": "2027-01-15T18:00:00Z"],
            "measurements": ["optical-angles", "radar-range", "optical-angles"], "tracks": 3, "priority": "urgent",
            "sensor": "tarot-calern", "purpose": "follow-up", "marking": "partners:requester",
        ]
    }

    @Test func readsAFullBody() throws {
        let submission = try RequestSubmission(body(valid), now: now)
        #expect(submission.target == RequestTarget(noradID: 90500))
        #expect(submission.window.duration == 8 * 3600)
        #expect(submission.measurements == [.opticalAngles, .radarRange])
        #expect(submission.tracks == 3 && submission.priority == .urgent && submission.sensor == "tarot-calern")
        #expect(submission.marking == .partners(["requester"]))
    }

    @Test func theDigestIgnoresKeyOrderButNotValues() throws {
        let a = try RequestSubmission(Array(#"{"tracks":2,"measurements":["radar-range"],"target":{"norad_id":5},"window":{"start":"2027-01-15T10:00:00Z","stop":"2027-01-15T11:00:00Z"}}"#.utf8), now: now)
        let b = try RequestSubmission(Array(#"{"window":{"stop":"2027-01-15T11:00:00Z","start":"2027-01-15T10:00:00Z"},"target":{"norad_id":5},"measurements":["radar-range"],"tracks":2}"#.utf8), now: now)
        var other = valid
        other["tracks"] = 4
        #expect(a.digest == b.digest)
        #expect(try RequestSubmission(body(valid), now: now).digest != RequestSubmission(body(other), now: now).digest)
    }

    @Test(arguments: [
        ("unknown", "colour", "colour"),
        ("past", "window", "window.start"),
        ("reversed", "window", "window.stop"),
        ("measurement", "measurements", "measurements"),
        ("tracks", "tracks", "tracks"),
        ("priority", "priority", "priority"),
        ("norad", "target", "target.norad_id"),
        ("both", "target", "target"),
        ("marking", "marking", "marking"),
        ("orbit", "target", "target.orbit"),
    ])
    func namesTheFieldAtFault(_ case: String, _ key: String, _ field: String) {
        var json = valid
        switch `case` {
        case "unknown": json["colour"] = "red"
        case "past": json["window"] = ["start": "2020-01-01T00:00:00Z", "stop": "2027-01-01T00:00:00Z"]
        case "reversed": json["window"] = ["start": "2027-01-15T10:00:00Z", "stop": "2027-01-15T09:00:00Z"]
        case "measurement": json["measurements"] = ["laser-ranging"]
        case "tracks": json["tracks"] = 0
        case "priority": json["priority"] = "whenever"
        case "norad": json["target"] = ["norad_id": "ISS"]
        case "both": json["target"] = ["norad_id": 1, "orbit": "x"]
        case "marking": json["marking"] = "secret"
        default: json["target"] = ["orbit": "CCSDS_OMM_VERS = 2.0\nnot an OMM\n"]
        }
        #expect(throws: RequestSubmissionError.self) { try RequestSubmission(body(json), now: now) }
        do {
            _ = try RequestSubmission(body(json), now: now)
        } catch {
            #expect(error.field == field, "\(error)")
            if `case` == "orbit" { #expect(error.cause != nil) }
        }
    }

    @Test func anInlineOMMNamesItsObject() throws {
        var json = valid
        json["target"] = ["orbit": inlineOMM]
        let submission = try RequestSubmission(body(json), now: now)
        #expect(submission.target.noradID == 99901)
        #expect(submission.target.orbit?.kind == .omm)
        #expect(submission.target.orbit?.objectName == "NEW OBJECT" && submission.target.orbit?.objectID == "2027-001A")
    }

    @Test func theWindowAndPriorityLimitsComeFromThePolicy() {
        let quotas = TaskingQuotas(
            openRequests: .limited(1), requestsPerDay: .limited(1), tracksPerDay: .limited(1),
            longestWindowDays: .limited(2), highestPriority: .urgent)
        let day: TimeInterval = 86_400
        #expect(quotas.check(window: DateInterval(start: now, duration: 2 * day), priority: .urgent) == nil)
        #expect(quotas.check(window: DateInterval(start: now, duration: 2 * day + 1), priority: .routine)
            == .windowTooLong(limitDays: 2))
        #expect(quotas.check(window: DateInterval(start: now, duration: 60), priority: .emergency)
            == .priorityNotAllowed(asked: .emergency, highest: .urgent))
        #expect(RequestLimits(quotas) == RequestLimits(openRequests: 1, requestsPerDay: 1, tracksPerDay: 1))
        #expect(RequestLimits(TaskingQuotas.unlimited) == .none)
    }

    @Test func theBackendsAnswersMeanWhatTheProtocolSays() {
        #expect(BackendClient.answer(status: 201, kind: .submit, body: "") == .acknowledged)
        #expect(BackendClient.answer(status: 409, kind: .submit, body: "") == .acknowledged)
        #expect(BackendClient.answer(status: 404, kind: .cancel, body: "") == .acknowledged)
        #expect(BackendClient.answer(status: 204, kind: .cancel, body: "") == .acknowledged)
        for status in [408, 429, 500, 502, 503] {
            #expect(BackendClient.answer(status: status, kind: .submit, body: "") == .retry("the backend answered \(status)"))
        }
        #expect(BackendClient.answer(status: 404, kind: .submit, body: "") != .acknowledged)
        if case .refused(let text) = BackendClient.answer(status: 422, kind: .submit, body: "no sensor") {
            #expect(text.contains("422") && text.contains("no sensor"))
        } else {
            Issue.record("a 422 must be a refusal")
        }
    }

    @Test func theRetryDelayDoublesUpToTheCap() {
        let settings = BackendSettings(url: "https://backend.example", gatewayURL: "https://gateway.example")
        #expect((0.8...1.2).contains(settings.retryDelay(afterAttempts: 1)))
        #expect((3.2...4.8).contains(settings.retryDelay(afterAttempts: 3)))
        #expect((48.0...72.0).contains(settings.retryDelay(afterAttempts: 30)))
    }

    @Test func theSubmissionMessageCarriesTheCallbacks() throws {
        let request = ObservationRequest(
            id: "req_00000000000000ab", requester: "requester", organisation: "requester",
            target: RequestTarget(noradID: 90500), window: DateInterval(start: now, duration: 60),
            measurements: [.radarDoppler], tracks: 2, marking: .partners(["requester"]), created: now)
        let json = try JSONSerialization.jsonObject(
            with: Data(BackendMessage.submission(request, latestOMM: nil, gatewayURL: "https://gw.example:8443")))
            as! [String: Any]
        let callbacks = json["callbacks"] as! [String: String]
        #expect(callbacks["status"] == "https://gw.example:8443/internal/v1/observation-requests/req_00000000000000ab/status")
        #expect(callbacks["products"] == "https://gw.example:8443/internal/v1/products?request=req_00000000000000ab")
        #expect(json["measurements"] as? [String] == ["radar-doppler"])
        #expect((json["target"] as! [String: Any])["norad_id"] as? Int == 90500)
    }
}

@Suite struct BackendMessageTests {
    @Test func theTargetsOMMIsTheFlatJSONOfItsLatestSet() throws {
        let omm = try ProductSubmission.parse(Array(inlineOMM.utf8)).message
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let request = ObservationRequest(
            requester: "requester", organisation: "requester", target: RequestTarget(noradID: 99901),
            window: DateInterval(start: now, duration: 60), measurements: [.opticalAngles], tracks: 1,
            purpose: "a \"quoted\" purpose", marking: .public, created: now)
        let bytes = BackendMessage.submission(request, latestOMM: omm, gatewayURL: "https://gw")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
        let target = try #require(json["target"] as? [String: Any])
        let flat = try #require(target["omm"] as? [String: Any])
        #expect(flat["OBJECT_NAME"] as? String == "NEW OBJECT")
        #expect("\(flat["NORAD_CAT_ID"] ?? "")" == "99901")
        #expect(target["orbit"] is NSNull)
        #expect(json["purpose"] as? String == "a \"quoted\" purpose")
        #expect(json["id"] as? String == request.id)
        let none = BackendMessage.submission(request, latestOMM: nil, gatewayURL: "https://gw")
        let empty = try #require(try JSONSerialization.jsonObject(with: Data(none)) as? [String: Any])
        #expect((empty["target"] as? [String: Any])?["omm"] is NSNull)
    }
}
