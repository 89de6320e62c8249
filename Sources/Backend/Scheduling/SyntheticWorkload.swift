import Astrodynamics

/// A random but reproducible scheduling problem without any orbit: sensors, nights, observable intervals, a
/// pointing function, requests and maintenance targets drawn from a seed. The property tests and
/// `essor bench schedule` plan these (no SGP4, no Sun: fast, and any shape of input can be produced).
///
/// Shape: `opticalSensors` telescopes (`opt-0` …) with nights of 8–11 h starting 5–8 h after each noon of the
/// period, and `radars` radars (`radar-0` …) whose "night" is the whole day. GEO objects (ids from 1) are seen by
/// each telescope with probability 0.8, for most of its night; LEO objects (ids from 100,001) make 0–6 passes of
/// 3–10 min a day over each sensor. Pointing: GEO objects stand still at a fixed azimuth and elevation per sensor;
/// LEO objects sweep at 0.3°/s (slower than every slew rate, as tracking needs). Intervals and nights cover the
/// period widened by `marginDays` on each side, for proposals.
public struct SyntheticWorkload: Sendable {
    /// The sensors.
    public var sensors: [Sensor]
    /// Their nights.
    public var nights: [ObservingNight]
    /// The observable intervals.
    public var intervals: [ObservableInterval]
    /// The requests.
    public var tasks: [ObservationTask]
    /// The maintenance targets (GEO objects).
    public var maintenance: [MaintenanceTarget]
    /// The plan's period.
    public var period: EpochInterval
    /// The seed everything was drawn from.
    public var seed: UInt64

    /// The first LEO object's id.
    public static let firstLEO = 100_001

    /// Draws a workload from `seed`; the period runs `days` days from `periodStart` (a noon, say).
    public init(
        seed: UInt64, opticalSensors: Int = 3, radars: Int = 1, requests: Int, geoObjects: Int, leoObjects: Int,
        maintenanceTargets: Int, periodStart: Epoch, days: Int = 1, marginDays: Int = 1
    ) {
        self.seed = seed
        var random = SplitMix64(seed: seed)
        func unit() -> Double { Double(random.next() >> 11) / 9_007_199_254_740_992 }
        func uniform(_ a: Double, _ b: Double) -> Double { a + (b - a) * unit() }
        func integer(_ range: ClosedRange<Int>) -> Int { range.lowerBound + Int(random.next() % UInt64(range.count)) }

        period = EpochInterval(start: periodStart, end: periodStart.adding(seconds: Double(days) * 86_400))
        var sensors: [Sensor] = []
        for i in 0..<opticalSensors {
            sensors.append(
                Sensor(
                    name: "opt-\(i)", type: .optical,
                    site: GeodeticSite(
                        latitudeDegrees: uniform(-40, 45), longitudeDegrees: uniform(-180, 180), heightMetres: 1000),
                    minElevationDegrees: 20, slewRateDegreesPerSecond: uniform(5, 20),
                    settleSeconds: uniform(2, 10).rounded(),
                    pointsPerTrack: integer(3...6), cadenceSeconds: 30, cloudProbability: 0.3,
                    optical: OpticalCharacteristics(
                        fieldOfViewDegrees: 1.86, limitingMagnitude: 16, noiseArcseconds: 1, exposureSeconds: 10)))
        }
        for i in 0..<radars {
            sensors.append(
                Sensor(
                    name: "radar-\(i)", type: .radar,
                    site: GeodeticSite(
                        latitudeDegrees: uniform(30, 60), longitudeDegrees: uniform(-20, 20), heightMetres: 300),
                    minElevationDegrees: 10, slewRateDegreesPerSecond: uniform(2, 10), settleSeconds: 2,
                    pointsPerTrack: 12,
                    cadenceSeconds: 5,
                    radar: RadarCharacteristics(
                        rangeNoiseMetres: 5, dopplerNoiseMetresPerSecond: 0.5, maxRangeKilometres: 4000,
                        dutyCycle: uniform(0.05, 0.3))))
        }
        self.sensors = sensors

        var nights: [ObservingNight] = []
        for sensor in sensors {
            for day in -marginDays..<(days + marginDays) {
                let noon = periodStart.adding(seconds: Double(day) * 86_400)
                let span =
                    sensor.type == .radar
                    ? EpochInterval(start: noon, end: noon.adding(seconds: 86_400))
                    : EpochInterval(
                        start: noon.adding(seconds: uniform(5, 8) * 3600),
                        end: noon.adding(seconds: uniform(13, 19) * 3600))
                nights.append(ObservingNight(sensor: sensor.name, span: span))
            }
        }
        self.nights = nights

        var intervals: [ObservableInterval] = []
        for night in nights {
            guard let sensor = sensors.first(where: { $0.name == night.sensor }) else { continue }
            if sensor.type == .optical {
                for id in 1...max(geoObjects, 1) where geoObjects > 0 && unit() < 0.8 {
                    let start = night.span.start.adding(seconds: uniform(-3600, 5400))
                    let end = night.span.end.adding(seconds: uniform(-5400, 3600))
                    guard start < end else { continue }
                    intervals.append(Self.interval(sensor.name, id, start, end, elevation: uniform(20, 70)))
                }
            }
            for n in 0..<leoObjects {
                for _ in 0..<integer(0...6) {
                    let start = night.span.start.adding(seconds: uniform(-1800, night.span.durationSeconds))
                    intervals.append(
                        Self.interval(
                            sensor.name, Self.firstLEO + n, start, start.adding(seconds: uniform(180, 600)),
                            elevation: uniform(20, 85)))
                }
            }
        }
        self.intervals = intervals

        let priorities: [TaskPriority] = [
            .routine, .routine, .routine, .routine, .routine, .routine, .routine, .urgent, .urgent, .emergency,
        ]
        var tasks: [ObservationTask] = []
        for r in 0..<requests {
            let isLEO = leoObjects > 0 && (geoObjects == 0 || unit() < 0.3)
            let id = isLEO ? Self.firstLEO + integer(0...(leoObjects - 1)) : integer(1...max(geoObjects, 1))
            let measurements: [MeasurementKind] =
                isLEO && radars > 0 && unit() < 0.5 ? [.radarRange, .radarDoppler] : [.opticalAngles]
            let start = periodStart.adding(seconds: uniform(0, 20) * 3600)
            let window = EpochInterval(start: start, end: start.adding(seconds: uniform(1, 12) * 3600))
            let named = unit() < 0.1 ? sensors[integer(0...(sensors.count - 1))].name : nil
            tasks.append(
                ObservationTask(
                    id: "req_\(String(r + 1000, radix: 10))", noradID: id, window: window, tracksWanted: integer(1...3),
                    priority: priorities[integer(0...(priorities.count - 1))], measurements: measurements,
                    sensor: named,
                    submitted: periodStart.adding(seconds: -uniform(0, 86_400).rounded())))
        }
        self.tasks = tasks

        var targets: [MaintenanceTarget] = []
        for id in 1...max(maintenanceTargets, 1) where maintenanceTargets > 0 {
            let age = uniform(0, 30)
            targets.append(
                MaintenanceTarget(
                    noradID: id, orbitAgeDays: age, positionUncertaintyKilometres: 1 + age + uniform(0, 5)))
        }
        maintenance = targets
    }

    /// The workload's pointing: GEO objects fixed per sensor, LEO objects sweeping at 0.3°/s from a fixed start.
    public var pointing: PointingFunction {
        let seed = self.seed
        let origin = period.start
        return { sensor, noradID, epoch in
            var hash = SplitMix64(seed: seed ^ UInt64(truncatingIfNeeded: noradID) &* 0x9E37_79B9)
            for byte in sensor.utf8 { hash = SplitMix64(seed: hash.next() ^ UInt64(byte)) }
            let azimuth = Double(hash.next() % 36_000) / 100
            let elevation = 20 + Double(hash.next() % 5_000) / 100
            guard noradID >= SyntheticWorkload.firstLEO else {
                return PointingDirection(azimuthDegrees: azimuth, elevationDegrees: elevation)
            }
            let sweep = (epoch.seconds(since: origin) * 0.3).truncatingRemainder(dividingBy: 360)
            return PointingDirection(azimuthDegrees: azimuth + sweep, elevationDegrees: elevation)
        }
    }

    /// A scheduler over the workload with `weather`.
    public func scheduler(weather: Weather = .clear) -> ObservationScheduler {
        ObservationScheduler(
            sensors: sensors, intervals: intervals, nights: nights, pointing: pointing, maintenance: maintenance,
            period: period, weather: weather)
    }

    private static func interval(_ sensor: String, _ id: Int, _ start: Epoch, _ end: Epoch, elevation: Double)
        -> ObservableInterval
    {
        let middle = start.adding(seconds: end.seconds(since: start) / 2)
        return ObservableInterval(
            sensor: sensor, noradID: id, start: start, culmination: middle, end: end, maxElevationDegrees: elevation)
    }
}
