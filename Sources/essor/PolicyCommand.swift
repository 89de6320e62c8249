import ArgumentParser
import Foundation
import GatewayCore
import Policy

/// `essor policy check|explain` (DESIGN.md §4, §6): load the policy files, and explain one decision.
struct PolicyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policy", abstract: "Check the access policies and explain decisions.",
        subcommands: [PolicyCheck.self, PolicyExplain.self])
}

/// Options shared by the policy subcommands.
struct PolicyDirectoryOption: ParsableArguments {
    @Option(help: "The policy folder (every *.yaml directly in it).")
    var policies = "policies"

    /// The loaded policy set; every problem is printed as `FILE:LINE:COL: error: …` and the exit status is 1.
    func load() throws -> PolicySet {
        do {
            return try PolicyLoader.load(directory: URL(fileURLWithPath: policies))
        } catch {
            for problem in error.problems { printError(problem.description) }
            throw ExitCode(1)
        }
    }
}

/// `essor policy check [--policies DIR]`: loads the policies as the server would; exit 0 when they load.
struct PolicyCheck: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check", abstract: "Load the policy files; report every problem with its file and line.")

    @OptionGroup var directory: PolicyDirectoryOption

    func run() throws {
        let policy = try directory.load()
        print("\(directory.policies): \(policy.rules.count) rule(s), revision \(policy.revision)")
    }
}

/// `essor policy explain --user U --action A [--object N] [--database URL]`, or with the caller and the object given
/// explicitly: `--org O --role R [--owner O --marking M]`.
///
/// Without `--org` and `--role`, the user's organisation and roles are read from the store, and with `--object` the
/// object's owner and marking from the catalogue (an explicit `--owner` or `--marking` still wins). With `--org` or
/// `--role`, nothing is read from the store.
struct PolicyExplain: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Print the decision for one request and the rule that made it (exit 0 allow, 1 deny).")

    @OptionGroup var directory: PolicyDirectoryOption

    @OptionGroup var database: DatabaseOption

    @Option(help: "The caller's user name.")
    var user: String

    @Option(help: "The caller's organisation (default: the user's, from the store).")
    var org: String?

    @Option(
        help:
            "A role of the caller (repeatable): operator, partner, requester, admin, backend (default: the user's, from the store)."
    )
    var role: [String] = []

    @Option(
        help:
            "The action: read:elements, read:ephemeris, read:cdm, read:tdm, submit:tdm, request:observation, subscribe:cdm|tdm|elements|product|observation-request, admin, ingest."
    )
    var action: String

    @Option(help: "The catalogue object (NORAD id) the request concerns; none for the gateway itself.")
    var object: Int?

    @Option(help: "The object's owning organisation (default: from the catalogue when the user is looked up).")
    var owner: String?

    @Option(help: "The object's sharing marking: public, operators, partners:<orgs>, restricted.")
    var marking: String?

    @Flag(help: "The caller authenticated with a client certificate (default: an API key).")
    var certificate = false

    func run() async throws {
        let policy = try directory.load()
        guard let requested = Action(rawValue: action) else {
            throw ValidationFailure(
                "unknown action '\(action)'; one of \(Action.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        var roles = try Role.parse(role)
        var sharing: Marking?
        if let marking {
            guard let parsed = Marking(marking) else {
                throw ValidationFailure("'\(marking)' is not a sharing marking")
            }
            sharing = parsed
        }
        var organisation = org
        var objectOwner = owner
        if org == nil && role.isEmpty {
            let found = try await lookUp()
            organisation = found.user.organisation
            roles = found.user.roles
            if let record = found.object {
                objectOwner = owner ?? record.owner
                sharing = sharing ?? record.marking
            }
        }
        guard let organisation else {
            throw ValidationFailure("give --org with --role (or neither, to look the user up)")
        }
        let principal = Principal(
            userName: user, organisation: organisation, roles: roles,
            authenticatedBy: certificate ? .clientCertificate : .apiKey)
        let resource = object.map { Resource.object(noradID: $0, owner: objectOwner, marking: sharing) } ?? .service
        let explanation = policy.explain(
            AccessRequest(principal: principal, action: requested, resource: resource, time: Date()))
        print(explanation)
        if !explanation.decision.isAllowed { throw ExitCode(1) }
    }

    /// The user and (with `--object`) the object, from the store.
    func lookUp() async throws -> (user: User, object: CatalogueObject?) {
        try await database.withStore { opened in
            let found = try await opened.store.user(named: user)
            guard let object else { return (found, nil) }
            guard let record = try await opened.store.objectIfPresent(noradID: object) else {
                throw ValidationFailure("object \(object) is not in the catalogue of \(database.database)")
            }
            return (found, record)
        }
    }
}
