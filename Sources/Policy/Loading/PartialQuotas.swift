/// Quotas as written: any limit may be absent until the file's defaults are applied.
struct PartialQuotas {
    var requestsPerMinute: QuotaLimit?
    var requestsPerDay: QuotaLimit?
    var longestEphemerisSpanSeconds: QuotaLimit?
    var mostObjectsPerBulkCall: QuotaLimit?
    var openObservationRequests: QuotaLimit?
    var observationRequestsPerDay: QuotaLimit?
    var observationTracksPerDay: QuotaLimit?
    var longestObservationWindowDays: QuotaLimit?
    var highestObservationPriority: ObservationPriority?

    /// `self`'s limits, each absent one taken from `defaults`.
    func filled(from defaults: PartialQuotas) -> PartialQuotas {
        PartialQuotas(
            requestsPerMinute: requestsPerMinute ?? defaults.requestsPerMinute,
            requestsPerDay: requestsPerDay ?? defaults.requestsPerDay,
            longestEphemerisSpanSeconds: longestEphemerisSpanSeconds ?? defaults.longestEphemerisSpanSeconds,
            mostObjectsPerBulkCall: mostObjectsPerBulkCall ?? defaults.mostObjectsPerBulkCall,
            openObservationRequests: openObservationRequests ?? defaults.openObservationRequests,
            observationRequestsPerDay: observationRequestsPerDay ?? defaults.observationRequestsPerDay,
            observationTracksPerDay: observationTracksPerDay ?? defaults.observationTracksPerDay,
            longestObservationWindowDays: longestObservationWindowDays ?? defaults.longestObservationWindowDays,
            highestObservationPriority: highestObservationPriority ?? defaults.highestObservationPriority)
    }

    /// The tasking limits, each unstated one from `TaskingQuotas.standard`.
    var tasking: TaskingQuotas {
        let standard = TaskingQuotas.standard
        return TaskingQuotas(
            openRequests: openObservationRequests ?? standard.openRequests,
            requestsPerDay: observationRequestsPerDay ?? standard.requestsPerDay,
            tracksPerDay: observationTracksPerDay ?? standard.tracksPerDay,
            longestWindowDays: longestObservationWindowDays ?? standard.longestWindowDays,
            highestPriority: highestObservationPriority ?? standard.highestPriority)
    }

    /// The complete quotas, or the keys still missing.
    var complete: Result<Quotas, MissingQuotaKeys> {
        guard let requestsPerMinute, let requestsPerDay, let longestEphemerisSpanSeconds, let mostObjectsPerBulkCall
        else {
            var missing: [String] = []
            if requestsPerMinute == nil { missing.append(PolicyFileKey.requestsPerMinute) }
            if requestsPerDay == nil { missing.append(PolicyFileKey.requestsPerDay) }
            if longestEphemerisSpanSeconds == nil { missing.append(PolicyFileKey.longestEphemerisSpanSeconds) }
            if mostObjectsPerBulkCall == nil { missing.append(PolicyFileKey.mostObjectsPerBulkCall) }
            return .failure(MissingQuotaKeys(keys: missing))
        }
        return .success(
            Quotas(
                requestsPerMinute: requestsPerMinute, requestsPerDay: requestsPerDay,
                longestEphemerisSpanSeconds: longestEphemerisSpanSeconds,
                mostObjectsPerBulkCall: mostObjectsPerBulkCall, tasking: tasking))
    }
}

/// The quota keys an allow rule still lacks after its file's defaults.
struct MissingQuotaKeys: Error {
    var keys: [String]
}

/// The quota key names, written once.
enum PolicyFileKey {
    static let requestsPerMinute = "requests_per_minute"
    static let requestsPerDay = "requests_per_day"
    static let longestEphemerisSpanSeconds = "longest_ephemeris_span_seconds"
    static let mostObjectsPerBulkCall = "most_objects_per_bulk_call"
    static let openObservationRequests = "open_observation_requests"
    static let observationRequestsPerDay = "observation_requests_per_day"
    static let observationTracksPerDay = "observation_tracks_per_day"
    static let longestObservationWindowDays = "longest_observation_window_days"
    static let highestObservationPriority = "highest_observation_priority"
    static let quotaKeys = [
        requestsPerMinute, requestsPerDay, longestEphemerisSpanSeconds, mostObjectsPerBulkCall,
        openObservationRequests, observationRequestsPerDay, observationTracksPerDay, longestObservationWindowDays,
        highestObservationPriority,
    ]
}
