import Astrodynamics

/// Builds observation plans: requests first (by priority), then routine catalogue maintenance in the time left.
///
/// A pure function of its inputs: the sensors, the observable intervals (already computed, e.g. by `Visibility`),
/// each sensor's nights, a pointing function (for slew times), the maintenance targets, the weather seed and the
/// plan's period. The same inputs give the same plan, slot for slot (every ordering is a total order: tasks by
/// priority, submission time and id; spans by start and sensor; targets by uncertainty, age and id).
///
/// Rules every plan keeps (the property tests check them):
/// - one target at a time per sensor: consecutive slots on a sensor are separated by at least the slew from the
///   first one's pointing at its end to the second one's pointing at its start (great-circle angle over the slew
///   rate, 180° when a pointing is unknown) plus the settle time;
/// - every slot lies, whole, inside one observable interval of its sensor and object and inside one of the
///   sensor's nights that is not clouded out, and inside the plan's period and after `now`;
/// - every request slot lies inside the request's window; a radar's track time per night is at most its duty cycle
///   times the night's length;
/// - higher priorities are placed first, in free time, so a task's slots depend only on the tasks planned before
///   it: removing every task of lower priority leaves the others' slots unchanged (maintenance comes last).
///
/// Observable intervals and nights should cover the request windows widened by `proposalSearchDays` on each side:
/// a request that does not fit in its window is proposed the nearest window, searched there, in which all of its
/// tracks fit. Slots are placed only inside `period`.
public struct ObservationScheduler: Sendable {
    /// The sensors, in the order ties between them are broken.
    public let sensors: [Sensor]
    /// The span the plan covers: slots lie inside it (e.g. noon to noon UTC for one night of the network).
    public let period: EpochInterval
    /// The maintenance targets, in service order (least certain, then oldest, first).
    public let maintenanceTargets: [MaintenanceTarget]
    /// The weather that clouds nights out.
    public let weather: Weather
    /// How far before and after a request's window a proposed window may lie, days.
    public var proposalSearchDays: Double = 7
    /// The step by which candidate proposed windows move, seconds.
    public var proposalStepSeconds: Double = 3600

    /// The observable intervals given.
    public let intervals: [ObservableInterval]
    /// The nights given (of known sensors, sorted by sensor then start).
    public var observingNights: [ObservingNight] { nights.flatMap { $0 } }

    let pointing: PointingFunction
    let sensorIndex: [String: Int]
    /// Each sensor's nights, sorted by start.
    let nights: [[ObservingNight]]
    /// Whether each night is clouded out.
    let clouded: [[Bool]]
    /// The observable spans of each sensor and object, sorted by start.
    let spans: [SensorObjectKey: [ObservableSpan]]

    /// A scheduler over these inputs. Intervals and nights of sensors not in `sensors` are ignored.
    public init(
        sensors: [Sensor], intervals: [ObservableInterval], nights: [ObservingNight],
        pointing: @escaping PointingFunction, maintenance: [MaintenanceTarget], period: EpochInterval,
        weather: Weather = .clear
    ) {
        self.sensors = sensors
        self.period = period
        self.weather = weather
        self.pointing = pointing
        self.intervals = intervals
        maintenanceTargets = maintenance.sorted(by: MaintenanceTarget.servedBefore)
        var index: [String: Int] = [:]
        for (i, sensor) in sensors.enumerated() where index[sensor.name] == nil { index[sensor.name] = i }
        sensorIndex = index
        var perSensor = Array(repeating: [ObservingNight](), count: sensors.count)
        for night in nights {
            if let i = index[night.sensor], night.span.start < night.span.end { perSensor[i].append(night) }
        }
        perSensor = perSensor.map { $0.sorted { $0.span.start < $1.span.start } }
        self.nights = perSensor
        clouded = perSensor.enumerated().map { i, list in
            list.map { weather.isClouded(sensor: sensors[i], nightStart: $0.span.start) }
        }
        var spans: [SensorObjectKey: [ObservableSpan]] = [:]
        for interval in intervals {
            guard let i = index[interval.sensor] else { continue }
            let whole = EpochInterval(start: interval.start, end: interval.end)
            let list = perSensor[i]
            var n = Self.firstNight(in: list, endingAfter: whole.start)
            while n < list.count, list[n].span.start < whole.end {
                if let part = whole.clipped(to: list[n].span) {
                    spans[SensorObjectKey(sensor: i, noradID: interval.noradID), default: []].append(
                        ObservableSpan(sensor: i, night: n, span: part, clouded: clouded[i][n]))
                }
                n += 1
            }
        }
        self.spans = spans.mapValues { $0.sorted { $0.span.start < $1.span.start } }
    }

    /// A plan for `tasks` from scratch: slots start no earlier than `now`.
    public func plan(_ tasks: [ObservationTask], now: Epoch) -> ObservationPlan {
        var run = PlanningRun(scheduler: self, now: now)
        for task in tasks.sorted(by: ObservationTask.plannedBefore) {
            run.plan(task)
        }
        run.fillMaintenance()
        return run.finished(renumberingTracks: true)
    }

    /// `previous` changed by adding `adding` and removing the tasks whose ids are in `removing`, at `now`.
    ///
    /// It touches only what it must. Exactly:
    /// - every slot of `previous` that starts before `now` (past or executing) stays, whatever happens;
    /// - a removed task's future slots go; its past slots stay;
    /// - a new task takes free time first; only for tracks that free time cannot hold does it displace slots of
    ///   strictly lower priority that conflict with its new slot (maintenance before requests); a displaced request
    ///   is re-placed the same way (free time first, then only below its own priority), so displacement cascades
    ///   down the priorities and never up;
    /// - tasks of the previous plan that lacked tracks try the freed time (free time only), then maintenance
    ///   refills free time for targets not yet observed that day.
    /// So every slot of `previous` that is gone belongs to a removed task or conflicts with a new slot of strictly
    /// higher priority; every new slot belongs to an added task, a displaced or short task, or maintenance placed in
    /// free time; every other slot is unchanged. Track numbers are kept (a re-placed track takes its old number).
    /// A task both removed and added is replaced (a requester accepted a proposed window: remove the old task and
    /// add it with the new window); an added task whose id the plan still has is ignored.
    public func rescheduled(
        previous: ObservationPlan, adding: [ObservationTask], removing: [String], now: Epoch
    ) -> ObservationPlan {
        var run = PlanningRun(scheduler: self, previous: previous, now: now)
        run.remove(Set(removing))
        run.add(adding)
        run.fillMaintenance()
        return run.finished(renumberingTracks: false)
    }

    /// The index of the first night in `list` (sorted) that ends after `epoch`.
    static func firstNight(in list: [ObservingNight], endingAfter epoch: Epoch) -> Int {
        var low = 0
        var high = list.count
        while low < high {
            let mid = (low + high) / 2
            if list[mid].span.end <= epoch { low = mid + 1 } else { high = mid }
        }
        return low
    }
}
