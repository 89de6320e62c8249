import Astrodynamics

extension ObservationScheduler {
    /// A scheduler whose inputs come from `visibility`: the requested objects' intervals over the period and the
    /// proposal horizon (`proposalSearchDays` after the latest window), the GEO objects' intervals over the period,
    /// telescope nights from the site's darkness and radar "nights" of 24 h from the period's start, the pointing
    /// of `Visibility.pointing(of:from:at:)`, and every GEO object of `catalogue` as a maintenance target (its age
    /// from its element epoch to the period's start). Requests for objects not in `catalogue` are never observable.
    public init(
        visibility: Visibility, network: SensorNetwork, catalogue: ObjectCatalogue, period: EpochInterval,
        tasks: [ObservationTask], weather: Weather = .clear, proposalSearchDays: Double = 7
    ) {
        let latest = tasks.map(\.window.end).max() ?? period.end
        let horizon = EpochInterval(
            start: period.start, end: max(period.end, latest).adding(seconds: proposalSearchDays * 86_400))
        let requested = Set(tasks.map(\.noradID))
        let requestedObjects = catalogue.objects.filter { requested.contains($0.noradID) }
        let targets = catalogue.objects.filter { $0.isGeosynchronous && !requested.contains($0.noradID) }
        let intervals =
            visibility.intervals(of: requestedObjects, from: horizon.start, to: horizon.end)
            + visibility.intervals(of: targets, from: period.start, to: period.end)
        var nights: [ObservingNight] = []
        for sensor in network.sensors {
            if sensor.type == .optical {
                nights += visibility.darkIntervals(of: sensor, from: horizon.start, to: horizon.end).map {
                    ObservingNight(sensor: sensor.name, span: EpochInterval(start: $0.start, end: $0.end))
                }
            } else {
                var start = horizon.start
                while start < horizon.end {
                    let end = min(start.adding(seconds: 86_400), horizon.end)
                    nights.append(ObservingNight(sensor: sensor.name, span: EpochInterval(start: start, end: end)))
                    start = end
                }
            }
        }
        let maintenance = catalogue.objects.filter(\.isGeosynchronous).map {
            MaintenanceTarget(noradID: $0.noradID, elementEpoch: $0.elementEpoch, now: period.start)
        }
        self.init(
            sensors: network.sensors, intervals: intervals, nights: nights,
            pointing: Self.pointing(visibility, network: network, catalogue: catalogue), maintenance: maintenance,
            period: period, weather: weather)
        self.proposalSearchDays = proposalSearchDays
    }

    /// `Visibility.pointing(of:from:at:)` as a `PointingFunction` (nil for an unknown sensor or object).
    public static func pointing(_ visibility: Visibility, network: SensorNetwork, catalogue: ObjectCatalogue)
        -> PointingFunction
    {
        let objects = Dictionary(catalogue.objects.map { ($0.noradID, $0) }, uniquingKeysWith: { a, _ in a })
        let sensors = Dictionary(network.sensors.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        return { sensorName, noradID, epoch in
            guard let object = objects[noradID], let sensor = sensors[sensorName],
                let direction = visibility.pointing(of: object, from: sensor, at: epoch)
            else { return nil }
            return PointingDirection(
                azimuthDegrees: direction.azimuthDegrees, elevationDegrees: direction.elevationDegrees)
        }
    }
}
