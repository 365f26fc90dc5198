/// Queued jobs grouped by what they ask for: same resources and same required labels.
///
/// A placement decision depends only on the shape, so when no worker can take a shape's head
/// job, none can take any of its jobs: the shape is blocked and skipped as a whole until some
/// worker grows (a release, a new or changed worker, a worker accepting again).
///
/// Workers only grow through those events, so after a shape was blocked, the only workers that
/// can take it are the ones that grew since and fitted it then. The shape's `scope` lists them,
/// and its next searches look at those few slots instead of the whole fleet:
///
///     nil        search every worker (a new shape, or a scope that grew past `maxScope`)
///     []         blocked: no worker can take it
///     [s, ...]   only these worker slots can take it
struct JobShape: Sendable {
    /// Identity of a shape; the label requirement is interned to its id.
    struct Key: Hashable, Sendable {
        var resources: ResourceAmount
        var requirementID: Int
    }

    /// One waiting job in a lane; `seq` orders jobs across all shapes of one priority.
    struct Entry: Sendable {
        var seq: Int
        var jobID: String
    }

    let resources: ResourceAmount
    let requirement: LabelRequirement
    /// False for a placeholder left where a dropped shape was.
    let isLive: Bool
    /// One FIFO lane per priority (indexed by raw value). Invariant: a lane's first entry is a
    /// live job, or the lane is empty; cancelled jobs further back stay as tombstones until they
    /// reach the front or the lane is compacted.
    var lanes: [FIFODeque<Entry>] = Array(repeating: FIFODeque(), count: SchedulingPriority.allCases.count)
    /// Live (not cancelled) jobs per lane.
    var live: [Int] = Array(repeating: 0, count: SchedulingPriority.allCases.count)
    var scope: [Int]? = nil

    /// Beyond this many slots a scope is dropped for a full search, which is then as cheap.
    static let maxScope = 64

    var isBlocked: Bool { scope?.isEmpty == true }

    init(resources: ResourceAmount, requirement: LabelRequirement) {
        self.resources = resources
        self.requirement = requirement
        self.isLive = true
    }

    private init() {
        resources = .zero
        requirement = .none
        isLive = false
        lanes = []
        live = []
    }

    static let vacant = JobShape()

    var isEmpty: Bool { live.allSatisfy { $0 == 0 } }
}
